"""The corpus index: incremental runs, two processes at once, damage, unwritable locations."""

from __future__ import annotations

import marshal
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REFERENCE_DATE, REPO, config_from_yaml, everything, quoted, run_cli

import linter.corpus.phase
import linter.engine
import linter.parse
from linter.config import Config
from linter.engine import RunOptions, RunResult, run

CORPUS_RULES = frozenset({"template-reuse", "entity-leak"})
STATES = [
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Wisconsin",
    "Wyoming",
]
TOPICS = (
    "Medicaid renewals",
    "SNAP interviews",
    "TANF work rules",
    "WIC clinics",
    "LIHEAP heating aid",
    "CHIP premiums",
    "Child care subsidies",
    "Unemployment appeals",
)
WORDS = [
    "county",
    "office",
    "clinic",
    "budget",
    "review",
    "hearing",
    "notice",
    "letter",
    "portal",
    "upload",
    "deadline",
    "income",
    "household",
    "audit",
    "pilot",
    "grant",
    "waiver",
    "rural",
    "urban",
    "staff",
    "backlog",
    "call",
    "center",
    "survey",
    "report",
    "vendor",
    "contract",
    "training",
    "outreach",
]


def write_pages(root: Path, topics: int = len(TOPICS)) -> list[Path]:
    """One page per state and topic: four template sentences, two of the page's own."""
    rng = random.Random(7)
    paths = []
    for topic in TOPICS[:topics]:
        for state in STATES:
            own = [" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "." for _ in range(2)]
            text = (
                f"# {topic} in {state}\n\n"
                f"{state} explains {topic.lower()} on a single page that applicants can read before they apply.\n\n"
                f"{own[0]} The agency in {state} reviews every case within thirty days of the request.\n\n"
                f"Applicants who disagree with a decision can ask for a hearing and keep their benefits meanwhile.\n\n"
                f"{own[1]} Most {topic.lower()} questions in {state} are answered by the local office by phone.\n"
            )
            path = root / "pages" / topic.lower().replace(" ", "-") / f"{state.lower()}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            paths.append(path)
    return paths


def corpus_config(root: Path, extra: str = "") -> Config:
    return config_from_yaml(root, "extends: default\ncorpus: ['pages/**/*.md']\n" + extra)


def lint(paths: list[Path], config: Config) -> RunResult:
    return run([str(p) for p in paths], config, RunOptions(as_of=REFERENCE_DATE, select=CORPUS_RULES))


@pytest.fixture
def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    original = linter.parse.parse_document

    def counting(path: str, source: str, options: linter.parse.ParseOptions) -> object:
        parsed.append(Path(path).name)
        return original(path, source, options)

    monkeypatch.setattr(linter.parse, "parse_document", counting)
    monkeypatch.setattr(linter.engine, "parse_document", counting)
    return parsed


def test_one_changed_file_against_an_indexed_corpus_reads_only_that_file(
    tmp_path: Path, count_parses: list[str]
) -> None:
    pages = write_pages(tmp_path)
    assert len(pages) == 312
    config = corpus_config(tmp_path)
    first = lint([pages[0]], config)  # builds the index: every corpus page is parsed once
    assert len(count_parses) == len(pages)
    assert [d for d in everything(first) if d.rule == "template-reuse" and not d.extra.get("summary")]

    changed = pages[100]
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nA new sentence about this state alone, written by an editor today.\n"
    )
    count_parses.clear()
    second = lint([changed], config)
    assert count_parses == [changed.name]  # the other 311 pages: a stat each, no read, no parse
    shared = [d for d in everything(second) if d.rule == "template-reuse" and not d.extra.get("summary")]
    assert len(shared) == 4  # the four template sentences, compared with the whole corpus
    assert all(d.path == str(changed) for d in shared)
    assert all(len(d.related) == 20 and "38 other subjects" in d.message for d in shared)  # max_related: 20

    count_parses.clear()
    lint([changed], config)
    assert count_parses == [changed.name]  # and the run file itself is not stored again
    index = tmp_path / ".doclint-cache" / "index.sqlite"
    assert (tmp_path / ".doclint-cache" / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    with sqlite3.connect(index) as connection:
        assert connection.execute("SELECT COUNT(*) FROM files").fetchone()[0] == len(pages)


def test_settings_change_rebuilds_and_deleted_pages_are_forgotten(tmp_path: Path, count_parses: list[str]) -> None:
    pages = write_pages(tmp_path, topics=1)
    lint([pages[0]], corpus_config(tmp_path))
    count_parses.clear()
    lint([pages[0]], corpus_config(tmp_path, "rules:\n  template-reuse:\n    min_tokens: 9\n"))
    assert len(count_parses) == len(pages)  # a different extraction fingerprint: everything again
    pages[5].unlink()
    count_parses.clear()
    result = lint([pages[0]], corpus_config(tmp_path, "rules:\n  template-reuse:\n    min_tokens: 9\n"))
    assert count_parses == [pages[0].name]
    assert all(not r.path.endswith(pages[5].name) for d in everything(result) for r in d.related)
    with sqlite3.connect(tmp_path / ".doclint-cache" / "index.sqlite") as connection:
        assert connection.execute("SELECT COUNT(*) FROM files").fetchone()[0] == len(pages) - 1


def test_two_processes_on_one_index_neither_fail_nor_corrupt_it(tmp_path: Path) -> None:
    write_pages(tmp_path, topics=2)
    (tmp_path / "rules.yaml").write_text("extends: default\ncorpus: ['pages/**/*.md']\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "linter",
        "check",
        "pages",
        "--format",
        "json",
        "--select",
        "template-reuse",
        "--no-progress",
        "--jobs",
        "1",
    ]
    processes = [
        subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 1, stderr
        assert "error" not in stderr.lower() and "damaged" not in stderr
    assert outputs[0][0] == outputs[1][0]  # same findings from both
    with sqlite3.connect(tmp_path / ".doclint-cache" / "index.sqlite") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 2 * len(STATES)
    alone = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert alone.stdout == outputs[0][0]


def test_a_damaged_index_is_rebuilt_with_a_notice(tmp_path: Path) -> None:
    write_pages(tmp_path, topics=1)
    (tmp_path / "rules.yaml").write_text("extends: default\ncorpus: ['pages/**/*.md']\n", encoding="utf-8")
    arguments = ("check", "pages/medicaid-renewals/ohio.md", "--select", "template-reuse", "--no-progress")
    healthy = run_cli(*arguments, cwd=tmp_path)
    assert healthy.returncode == 1, healthy.stderr
    index = tmp_path / ".doclint-cache" / "index.sqlite"
    data = index.read_bytes()
    index.write_bytes(data[: len(data) // 2])  # truncated, as by a full disk or a killed copy
    damaged = run_cli(*arguments, cwd=tmp_path)
    assert damaged.returncode == 1
    assert "was damaged" in damaged.stderr and "rebuilt it" in damaged.stderr
    assert damaged.stdout == healthy.stdout
    index.write_bytes(b"this is not a database at all" * 200)
    garbage = run_cli(*arguments, cwd=tmp_path)
    assert "was damaged" in garbage.stderr and garbage.stdout == healthy.stdout
    again = run_cli(*arguments, cwd=tmp_path)
    assert again.stderr == "" and again.stdout == healthy.stdout


def test_an_unwritable_location_falls_back_to_memory(tmp_path: Path) -> None:
    write_pages(tmp_path, topics=1)
    (tmp_path / "blocked").write_text("a file where the index folder should be\n", encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(
        "extends: default\ncorpus: ['pages/**/*.md']\nrules:\n  template-reuse:\n    index: blocked/index.sqlite\n",
        encoding="utf-8",
    )
    completed = run_cli(
        "check", "pages/medicaid-renewals/ohio.md", "--select", "template-reuse", "--no-progress", cwd=tmp_path
    )
    assert completed.returncode == 1
    assert "using an in-memory index for this run" in completed.stderr
    assert "template text" in completed.stdout


def test_parallel_workers_give_the_same_findings(tmp_path: Path) -> None:
    write_pages(tmp_path, topics=1)
    (tmp_path / "rules.yaml").write_text(
        "extends: default\nrules:\n  template-reuse:\n    index: ':memory:'\n", encoding="utf-8"
    )
    serial = run_cli("check", "pages", "--format", "json", "--jobs", "1", "--no-progress", cwd=tmp_path)
    parallel = run_cli("check", "pages", "--format", "json", "--jobs", "2", "--no-progress", cwd=tmp_path)
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout
    assert '"entity-leak"' not in serial.stdout and '"template-reuse"' in serial.stdout
    assert REPO.exists()


@pytest.fixture
def one_topic(tmp_path: Path) -> tuple[list[Path], Config, Path]:
    """One topic's pages under ``tmp_path``, their corpus config, and a results cache directory."""
    return write_pages(tmp_path, topics=1), corpus_config(tmp_path), tmp_path / "results"


def cached_lint(paths: list[Path], config: Config, cache: Path) -> RunResult:
    options = RunOptions(as_of=REFERENCE_DATE, select=CORPUS_RULES, cache_dir=str(cache))
    return run([str(p) for p in paths], config, options)


def findings(result: RunResult) -> list[tuple[str, int, int, str, str, int]]:
    return [(Path(d.path).name, d.line, d.column, d.rule, d.message, len(d.related)) for d in everything(result)]


def test_with_corpus_rules_a_warm_run_is_answered_from_the_results_cache(
    one_topic: tuple[list[Path], Config, Path], count_parses: list[str]
) -> None:
    pages, config, cache = one_topic
    cold = cached_lint(pages, config, cache)
    assert len(count_parses) == len(pages)
    template = [d for d in everything(cold) if d.rule == "template-reuse" and not d.extra.get("summary")]
    assert len(template) == 4 * len(pages)
    count_parses.clear()
    warm = cached_lint(pages, config, cache)
    assert count_parses == []  # nothing parsed, nothing matched
    assert findings(warm) == findings(cold) and quoted(warm) == quoted(cold)
    assert everything(warm)[0].related == everything(cold)[0].related
    # A one-file run (pre-commit) after the full run: the same corpus, so the same entries.
    one = cached_lint([pages[3]], config, cache)
    assert count_parses == []
    expected = [f for f, d in zip(findings(cold), everything(cold), strict=True) if d.path == str(pages[3])]
    assert findings(one) == expected and len(expected) == 5  # four template sentences, one summary


def test_a_damaged_generation_manifest_only_makes_the_next_run_match_every_page(
    one_topic: tuple[list[Path], Config, Path], count_parses: list[str]
) -> None:
    pages, config, cache = one_topic
    cached_lint(pages, config, cache)
    [manifest] = cache.glob("results-v7/*/corpus-*/generation.manifest")
    for damage in (b"doclint generation-v1\n" + marshal.dumps({"documents": 1}), b"doclint generation-v1\n\xff", b""):
        manifest.write_bytes(damage)
        pages[2].write_text(pages[2].read_text(encoding="utf-8") + f"\nA line added ({len(damage)}).\n")
        count_parses.clear()
        after = cached_lint(pages, config, cache)
        assert len(count_parses) == len(pages)  # every page again, no traceback
        assert findings(after) == findings(lint(pages, config))
        [manifest] = cache.glob("results-v7/*/corpus-*/generation.manifest")  # the new generation's


def test_cached_corpus_findings_name_related_pages_relative_to_this_runs_working_directory(
    tmp_path: Path, one_topic: tuple[list[Path], Config, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    pages, config, cache = one_topic
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(tmp_path)
    from_root = {r.path for d in everything(cached_lint(pages, config, cache)) for r in d.related}
    assert from_root and all(not path.startswith("/") for path in from_root)
    monkeypatch.chdir(elsewhere)  # the same absolute paths, the same cache, another directory
    warm = cached_lint(pages, config, cache)
    uncached = run([str(p) for p in pages], config, RunOptions(as_of=REFERENCE_DATE, select=CORPUS_RULES))
    assert findings(warm) == findings(uncached)
    assert [d.related for d in everything(warm)] == [d.related for d in everything(uncached)]
    assert {r.path for d in everything(warm) for r in d.related} == {str(tmp_path / p) for p in from_root}


def test_with_corpus_rules_a_change_to_any_corpus_page_invalidates_every_entry(
    one_topic: tuple[list[Path], Config, Path], count_parses: list[str]
) -> None:
    pages, config, cache = one_topic
    run_file, other = pages[0], pages[1]
    before = cached_lint([run_file], config, cache)
    shared = [d for d in everything(before) if "thirty days" in d.context_text]
    assert len(shared) == 1 and any(r.path == str(other) for r in shared[0].related)
    # Another page (not in the run) drops the shared sentence: the run file's findings change.
    other.write_text(other.read_text(encoding="utf-8").replace("reviews every case within thirty days", "is open"))
    count_parses.clear()
    after = cached_lint([run_file], config, cache)
    assert count_parses == [other.name, run_file.name]
    shared = [d for d in everything(after) if "thirty days" in d.context_text]
    assert len(shared) == 1 and all(r.path != str(other) for r in shared[0].related)
    assert str(len(STATES) - 2) + " other subjects" in shared[0].message
    # The old corpus's entries are stale; a one-file run leaves them (deleting a large
    # generation would slow pre-commit down), the next run of many files deletes them.
    assert len(list(cache.glob("results-v7/*/corpus-*"))) == 2
    # Entries of an older cache format go too (nothing reads them); a newer one's are left.
    for name in ("results-v4", "results-v9", "results-vX"):
        (cache / name / "0123abcd" / "corpus-ff" / "ab").mkdir(parents=True)
        (cache / name / "0123abcd" / "corpus-ff" / "ab" / "entry.results").write_bytes(b"doclint results\n")
    assert len(pages) >= linter.engine.PRUNE_MIN_FILES
    cached_lint(pages, config, cache)
    assert len(list(cache.glob("results-v7/*/corpus-*"))) == 1
    assert sorted(path.name for path in cache.iterdir() if path.name.startswith("results-")) == [
        "results-v7",
        "results-v9",
        "results-vX",
    ]


def test_corpus_rules_in_worker_processes_give_the_same_result_and_use_the_same_suppressions(tmp_path: Path) -> None:
    pages = write_pages(tmp_path, topics=2)
    assert len(pages) >= linter.corpus.phase.PARALLEL_RUN_FILES
    page = pages[7]
    text = page.read_text(encoding="utf-8")
    text = text.replace(
        "Applicants who disagree",
        "<!-- doclint-disable-next-line template-reuse -->\nApplicants who disagree",
    )
    page.write_text(text + "\n<!-- doclint-disable-next-line entity-leak -->\nNothing to silence here.\n")
    config = corpus_config(tmp_path)
    results = {}
    for jobs in (1, 2):
        options = RunOptions(as_of=REFERENCE_DATE, select=CORPUS_RULES, jobs=jobs, report_unused_suppressions=True)
        results[jobs] = run([str(p) for p in pages], config, options)
    assert everything(results[2]) == everything(results[1])
    assert [d.related for d in everything(results[2])] == [d.related for d in everything(results[1])]
    assert quoted(results[2]) == quoted(results[1])
    on_page = [(d.rule, d.line) for d in everything(results[1]) if d.path == str(page) and not d.extra.get("summary")]
    assert ("template-reuse", 8) not in on_page  # silenced by the directive on line 7
    assert ("unused-suppression", 12) in on_page and ("unused-suppression", 7) not in on_page


def test_the_running_counts_answer_the_aggregates_exactly_as_counting_postings_does(tmp_path: Path) -> None:
    from generated_corpus import generate

    from linter.corpus.extract import extractor_for
    from linter.corpus.index import CorpusIndex
    from linter.corpus.match import IndexView
    from linter.corpus.phase import index_location

    pages = generate(tmp_path / "pages", 100)  # topic phrases, templates, paraphrases
    config = config_from_yaml(tmp_path, "extends: default\ncorpus: ['pages/**']\n")
    lint(pages, config)
    # Counts must follow replaced and forgotten files: a page rewritten with another page's
    # text (other sentence hashes and subject), a page deleted.
    pages[3].write_bytes(pages[60].read_bytes())
    pages[9].unlink()
    lint([pages[0]], config)
    index = CorpusIndex(index_location(config), extractor_for(config).fingerprint)
    ids = [int(i) for (i,) in index.connection.execute("SELECT id FROM files")]
    assert len(ids) == len(pages) - 1
    kept = index.connection.execute("SELECT fp, variants FROM fp_files ORDER BY fp").fetchall()
    counted = index.connection.execute("SELECT fp, COUNT(*) FROM fp_variants GROUP BY fp ORDER BY fp").fetchall()
    assert kept == counted and max(variants for _, variants in kept) > 1
    index.set_corpus(ids, ids)
    tables = ("agg_t1", "agg_t2", "agg_fp", "topic_fp")
    answers = []
    for use_counts in (True, False):
        view = IndexView(index, config.rules["template-reuse"].options, use_counts=use_counts)
        assert view._from_counts is use_counts
        answers.append({t: sorted(index.connection.execute(f"SELECT * FROM temp.{t}").fetchall()) for t in tables})
    assert answers[0] == answers[1]
    assert {t for t in tables if answers[0][t]} == set(tables)


def test_many_changed_corpus_pages_are_indexed_in_worker_processes_with_the_same_result(tmp_path: Path) -> None:
    """A first one-file run on a fresh checkout indexes every corpus page: with --jobs, in workers."""
    results = {}
    rows = {}
    for jobs in (1, 2):
        root = tmp_path / f"jobs{jobs}"
        pages = write_pages(root, topics=1)
        assert len(pages) - 1 >= linter.corpus.phase.PARALLEL_REFRESH
        config = corpus_config(root)
        options = RunOptions(as_of=REFERENCE_DATE, select=CORPUS_RULES, jobs=jobs)
        results[jobs] = run([str(pages[0])], config, options)
        with sqlite3.connect(root / ".doclint-cache" / "index.sqlite") as connection:
            rows[jobs] = [
                connection.execute(f"SELECT COUNT(*), SUM(tokens) FROM {table}").fetchone()
                if table == "units"
                else connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
                for table in ("files", "units", "wfp", "fp_files", "fp_variants", "key_subjects")
            ]

    def seen(result: RunResult, jobs: int) -> list[tuple[str, int, int, str, str, list[str]]]:
        root = str(tmp_path / f"jobs{jobs}")
        return [
            (
                Path(d.path).name,
                d.line,
                d.column,
                d.rule,
                d.message.replace(root, "ROOT"),
                [r.path[len(root) :] for r in d.related],
            )
            for d in everything(result)
        ]

    assert seen(results[2], 2) == seen(results[1], 1)
    assert rows[2] == rows[1] and rows[1][0] == (len(STATES),)
    assert sum(d.rule == "template-reuse" and not d.extra.get("summary") for d in everything(results[1])) == 4


def test_corpus_workers_hand_back_many_small_slices_in_run_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slices of 7 files, at most 4 out at a time: more slices than fit in flight, and a short
    last one; findings, quoted lines and the cache entries still match one process."""
    pages = write_pages(tmp_path, topics=2)
    monkeypatch.setattr(linter.corpus.phase, "SLICE_FILES", 7)  # workers are forked after this: they see it
    assert len(pages) % 7 and len(pages) // 7 > 2 * linter.corpus.phase.SLICES_AHEAD
    config = corpus_config(tmp_path)
    results = {}
    for jobs in (1, 2):
        options = RunOptions(as_of=REFERENCE_DATE, jobs=jobs, cache_dir=str(tmp_path / f"cache-{jobs}"))
        with run([str(p) for p in pages], config, options) as result:
            results[jobs] = (everything(result), quoted(result))
    assert results[2] == results[1]
    assert {d.rule for d in results[1][0]} >= {"template-reuse"}
    options = RunOptions(as_of=REFERENCE_DATE, jobs=2, cache_dir=str(tmp_path / "cache-2"))
    with run([str(p) for p in pages], config, options) as warm:  # every file stored as it became final
        assert (everything(warm), quoted(warm)) == results[1]


def test_the_corpus_walk_selects_pages_like_the_globs_and_skips_what_check_skips(tmp_path: Path) -> None:
    """corpus: and include: must both match, exclude: must not; virtualenvs, skipped folders
    and symlinked folders are not entered; the order is a sorted top-down walk."""
    for relative in (
        "pages/texas.md",
        "pages/b/utah.md",
        "pages/a/ohio.md",
        "pages/a/notes.csv",  # not in include:
        "pages/drafts/iowa.md",  # exclude:
        "pages/.venv/lib/x.md",
        "pages/env/x.md",  # a virtualenv under another name
        "pages/node_modules/x.md",
        "archive/maine.md",  # not in corpus:
        "elsewhere/real.md",
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("# A page\n", encoding="utf-8")
    (tmp_path / "pages/env/pyvenv.cfg").write_text("home = /usr\n", encoding="utf-8")
    (tmp_path / "pages/linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "pages/alias.md").symlink_to(tmp_path / "pages/texas.md")
    config = config_from_yaml(tmp_path, "extends: default\ncorpus: ['pages/**']\nexclude: ['pages/drafts/**']\n")
    found = linter.corpus.phase.CorpusPhase(config).corpus_paths()
    assert [str(Path(path).relative_to(tmp_path.resolve())) for path in found] == [
        "pages/alias.md",
        "pages/texas.md",
        "pages/a/ohio.md",
        "pages/b/utah.md",
    ]


def index_contents(config: Config, root: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row the index holds but sizes, times and ids, files named by their path under ``root``."""
    from linter.corpus.extract import extractor_for
    from linter.corpus.index import CorpusIndex
    from linter.corpus.phase import index_location

    index = CorpusIndex(index_location(config), extractor_for(config).fingerprint)
    execute = index.connection.execute
    name = {int(i): str(Path(k).relative_to(root)) for i, k in execute("SELECT id, key FROM files")}
    contents = {
        "files": sorted(
            (name[int(i)], *rest)
            for i, *rest in execute("SELECT id, content_hash, subject, subject_source, multi FROM files")
        ),
        "units": sorted((name[int(i)], *rest) for i, *rest in execute("SELECT * FROM units")),
        "wfp": sorted((fp, name[int(i)], *rest) for fp, i, *rest in execute("SELECT * FROM wfp")),
    }
    for table in ("fp_files", "fp_variants", "key_subjects"):
        contents[table] = sorted(execute(f"SELECT * FROM {table}"))
    index.close()
    return contents


def test_a_page_stored_again_after_edits_leaves_the_index_as_a_fresh_build_would(tmp_path: Path) -> None:
    from generated_corpus import generate

    pages = generate(tmp_path / "edited" / "pages", 100)
    config = config_from_yaml(tmp_path / "edited", "extends: default\ncorpus: ['pages/**']\n")
    lint(pages, config)
    texts = [p.read_text(encoding="utf-8") for p in pages]
    paragraphs = texts[2].split("\n\n")
    longest = max(range(len(paragraphs)), key=lambda i: len(paragraphs[i]))
    edits = {
        0: texts[0] + "\nAs of 2021, the county office shares its caseload figures with the state.\n",  # appended
        1: texts[1].replace("\n\n", "\n\nA new first paragraph moves every sentence below it down.\n\n", 1),
        2: "\n\n".join(paragraphs[:longest] + paragraphs[longest + 1 :]),  # a paragraph gone
        3: texts[60],  # another page's text: other subject, other hashes
        4: texts[4].replace(" the ", " a ", 3),  # words changed inside sentences: new hashes, same lines
    }
    assert all(edits[number] != texts[number] for number in edits)
    for number, text in edits.items():
        pages[number].write_text(text, encoding="utf-8")
    pages.pop(6).unlink()  # forgotten: its rows and counts go
    lint([pages[0], pages[1], pages[2]], config)  # run files, stored again as the run goes
    lint([pages[5]], config)  # pages 3 and 4 changed outside the run: stored again by the refresh
    fresh = tmp_path / "fresh"
    shutil.copytree(tmp_path / "edited" / "pages", fresh / "pages")
    fresh_config = config_from_yaml(fresh, "extends: default\ncorpus: ['pages/**']\n")
    lint([fresh / "pages" / p.relative_to(tmp_path / "edited" / "pages") for p in pages], fresh_config)
    edited_contents = index_contents(config, tmp_path / "edited")
    assert edited_contents == index_contents(fresh_config, fresh)
    assert {row[0] for row in edited_contents["files"]} == {str(p.relative_to(tmp_path / "edited")) for p in pages}


def secondary_indexes(location: Path) -> set[str]:
    with sqlite3.connect(location) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        return {str(name) for (name,) in rows}


def test_a_first_run_builds_the_secondary_indexes_once_at_the_end_and_a_later_run_keeps_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty index fills without its units-by-hash and wfp-by-file indexes and has them
    afterwards; a run over a filled index stores with them in place; an index left without
    them (a run stopped in between) gets them back when it is opened."""
    from linter.corpus.index import CorpusIndex

    pages = write_pages(tmp_path, topics=2)
    config = corpus_config(tmp_path)
    location = tmp_path / ".doclint-cache" / "index.sqlite"
    seen_while_storing: list[set[str]] = []
    original = CorpusIndex.store

    def noting(index: CorpusIndex, record: object) -> int:
        seen_while_storing.append(secondary_indexes(Path(index.location)))
        return original(index, record)  # type: ignore[arg-type]

    monkeypatch.setattr(CorpusIndex, "store", noting)
    first = lint(pages, config)
    assert len(seen_while_storing) == len(pages)
    assert all(names == set() for names in seen_while_storing)
    expected = {"units_t1", "units_t2", "wfp_file"}
    assert secondary_indexes(location) == expected

    seen_while_storing.clear()
    changed = pages[10]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more sentence written for this page only today.\n")
    lint([changed], config)
    assert seen_while_storing == [expected]

    with sqlite3.connect(location) as connection:  # as a run stopped between its stores leaves it
        for name in expected:
            connection.execute(f"DROP INDEX {name}")
    assert secondary_indexes(location) == set()
    again = lint(pages, config)
    assert secondary_indexes(location) == expected
    with sqlite3.connect(location) as connection:
        plan = connection.execute("EXPLAIN QUERY PLAN SELECT file_id FROM units WHERE t1 = 5").fetchall()
    assert "units_t1" in str(plan)
    firsts = [(d.rule, d.path, d.line) for d in everything(first) if d.path != str(changed)]
    assert [(d.rule, d.path, d.line) for d in everything(again) if d.path != str(changed)] == firsts


def test_a_first_run_that_fails_while_storing_leaves_the_indexes_and_counts_to_the_next_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No index is built and nothing counted on the way out of a failed run (the error is the
    one raised, and an interrupted run stops at once); the next run's open does both: the
    same index and the same findings as a fresh run."""
    from linter.corpus.index import CorpusIndex

    pages = write_pages(tmp_path, topics=1)
    config = corpus_config(tmp_path)
    location = tmp_path / ".doclint-cache" / "index.sqlite"
    original = CorpusIndex.store
    stored: list[str] = []

    def failing(index: CorpusIndex, record: object) -> int:
        if len(stored) == 20:
            raise RuntimeError("the disk went away")
        stored.append("one")
        return original(index, record)  # type: ignore[arg-type]

    monkeypatch.setattr(CorpusIndex, "store", failing)
    monkeypatch.setattr(linter.corpus.phase, "STORE_BATCH", 8)  # two batches committed, the third rolled back
    with pytest.raises(RuntimeError, match="the disk went away"):
        lint(pages, config)
    assert secondary_indexes(location) == set()
    with sqlite3.connect(location) as connection:  # 16 pages stored, not counted
        assert connection.execute("SELECT COUNT(*) FROM files").fetchone() == (16,)
        assert connection.execute("SELECT value FROM meta WHERE key = 'counts_pending'").fetchone() == ("1",)
    assert count_rows(location) == 0
    monkeypatch.setattr(CorpusIndex, "store", original)
    repaired = lint(pages, config)
    assert secondary_indexes(location) == {"units_t1", "units_t2", "wfp_file"}
    fresh = tmp_path / "fresh"
    shutil.copytree(tmp_path / "pages", fresh / "pages")
    expected = lint(sorted((fresh / "pages").rglob("*.md")), corpus_config(fresh))
    assert index_contents(config, tmp_path) == index_contents(corpus_config(fresh), fresh)
    with sqlite3.connect(location) as connection:
        assert connection.execute("SELECT value FROM meta WHERE key = 'counts_pending'").fetchone() is None
    assert [(d.rule, d.line, d.message) for d in everything(repaired)] == [
        (d.rule, d.line, d.message.replace(str(fresh), str(tmp_path))) for d in everything(expected)
    ]


def count_rows(location: Path) -> int:
    with sqlite3.connect(location) as connection:
        return sum(connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in _COUNT_TABLES)


_COUNT_TABLES = ("fp_files", "fp_variants", "key_subjects")


def test_a_first_run_counts_once_at_the_end_what_page_by_page_storing_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The running counts of an index filled from empty are made by SQLite after the stores,
    and are row for row those of an index that kept them page by page (its corpus stored
    by the refresh of a one-file run; the generated corpus has topic phrases, templates,
    paraphrases and several subjects per sentence hash)."""
    from generated_corpus import generate

    from linter.corpus.index import CorpusIndex

    counts_while_storing: list[int] = []
    original = CorpusIndex.store

    def noting(index: CorpusIndex, record: object) -> int:
        counts_while_storing.append(count_rows(Path(index.location)))
        return original(index, record)  # type: ignore[arg-type]

    contents = {}
    for way in ("filled", "page by page"):
        root = tmp_path / way
        pages = generate(root / "pages", 60)
        config = config_from_yaml(root, "extends: default\ncorpus: ['pages/**']\n")
        monkeypatch.setattr(CorpusIndex, "store", noting)
        monkeypatch.setattr(linter.corpus.phase, "STORE_BATCH", 8)  # committed batch by batch
        lint(pages if way == "filled" else pages[:1], config)
        monkeypatch.setattr(CorpusIndex, "store", original)
        if way == "filled":
            assert len(counts_while_storing) == 60 and set(counts_while_storing) == {0}
        contents[way] = index_contents(config, root)
    assert all(contents["filled"][table] for table in _COUNT_TABLES)
    assert contents["filled"] == contents["page by page"]
