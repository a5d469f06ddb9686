"""doclint check --index: the run's files in memory over a read-only artefact (SnapshotIndex).

A pre-commit check against a built artefact copies into memory only what the matching of
its files reads. These tests pin both halves of that: the findings are those of
``corpus report`` on the artefact rebuilt with the same changes (new pages, edited pages,
a changed ``corpus:`` page outside the run, a leak whose other page is not among the listed
locations), and a sentence on every page of the corpus is not copied page by page.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from generated_corpus import generate
from helpers import REFERENCE_DATE, config_from_yaml, everything, run_cli

import linter.corpus.artefact
from linter.corpus.artefact import SnapshotIndex
from linter.engine import RunOptions, run

PAGES = 100  # two series of 50 state pages: Markdown (000-…) and plain text (001-…)
# Small limits, so that the listed locations and the near search's postings are cut short.
CONFIG = (
    "extends: default\ncorpus: ['**/*.md', '**/*.txt']\n"
    "rules:\n  template-reuse:\n    max_related: 2\n    max_postings: 20\n"
)
AS_OF = ("--as-of", REFERENCE_DATE.isoformat())
# On every page of the corpus, as site-wide boilerplate is.
FOOTER = (
    "Our editorial team reviews every page in this series each quarter and corrects the errors "
    "that readers report to us by email."
)
TEMPLATE = "Local governments in {} may adopt their own policies on the sharing of state benefits data"
EDITED = "000-state-benefits-data-sharing-with-ice/alabama.md"  # run file, edited
ADDED = "000-state-benefits-data-sharing-with-ice/alabama-counties.md"  # run file, not in the artefact
# Run file, as built; the first page holding the footer is about Alaska too, and is left out of its list.
UNCHANGED = "001-driver-s-licenses-for-undocumented-immigrants/alaska.txt"
OUTSIDE = "000-state-benefits-data-sharing-with-ice/ohio.md"  # corpus page outside the run, edited
# A sentence only the added page and the edited corpus page hold: template text only once both are counted.
SHARED = "Clinics in {} open at seven on weekdays and close early on the second Friday of each month."


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("snapshot")
    for page in generate(root, PAGES):
        page.write_text(page.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{FOOTER}\n", encoding="utf-8")
    (root / "rules.yaml").write_text(CONFIG, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def artefact(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("artefact") / "corpus.sqlite"
    built = run_cli("corpus", "build", ".", "--jobs", "2", "--index", str(location), cwd=corpus)
    assert built.returncode == 0, built.stderr
    return location


@pytest.fixture
def edited(corpus: Path) -> Iterator[None]:
    """The run's edits (and one of a corpus page outside it), undone afterwards."""
    edited, outside = corpus / EDITED, corpus / OUTSIDE
    originals = {edited: edited.read_text(encoding="utf-8"), outside: outside.read_text(encoding="utf-8")}
    text = originals[edited]
    assert TEMPLATE.format("Alabama") in text and FOOTER in text
    # A missed swap naming the last state of the series (not among the 2 listed locations), a
    # reworded sentence, and the site-wide footer gone from this page.
    text = text.replace(TEMPLATE.format("Alabama"), TEMPLATE.format("Wyoming"), 1)
    text = text.replace("may evolve over time", "can change from one legislative session to the next", 1)
    edited.write_text(text.replace(FOOTER, ""), encoding="utf-8")
    (corpus / ADDED).write_text(
        f"---\ntitle: Counties of Alabama\nstate: Alabama\n---\n\n# Counties of Alabama\n\n{SHARED.format('Alabama')}"
        f" {TEMPLATE.format('Alabama')} within the limits set by state law.\n\n{FOOTER}\n",
        encoding="utf-8",
    )
    outside.write_text(originals[outside] + f"\n{SHARED.format('Ohio')}\n", encoding="utf-8")
    try:
        yield
    finally:
        for path, original in originals.items():
            path.write_text(original, encoding="utf-8")
        (corpus / ADDED).unlink()


def test_check_index_gives_the_report_of_the_rebuilt_artefact(
    corpus: Path, artefact: Path, edited: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_files = [EDITED, ADDED, UNCHANGED]
    checked = run_cli(
        "check", *run_files, "--index", str(artefact), "--select", "template-reuse,entity-leak",
        "--format", "json", "--no-cache", *AS_OF, cwd=corpus,
    )  # fmt: skip
    assert checked.returncode == 1, checked.stderr
    rebuilt = tmp_path / "rebuilt.sqlite"
    shutil.copyfile(artefact, rebuilt)
    built = run_cli("corpus", "build", ".", "--jobs", "1", "--index", str(rebuilt), cwd=corpus)
    assert f"{PAGES + 1} pages (3 extracted, {PAGES - 2} unchanged)" in built.stderr
    reported = run_cli("corpus", "report", *run_files, "--index", str(rebuilt), "--format", "json", *AS_OF, cwd=corpus)
    assert reported.returncode == 1, reported.stderr
    assert checked.stdout == reported.stdout
    found = json.loads(checked.stdout)
    # The leak: the Wyoming page is asked for, not listed (max_related 2 lists Alaska and Arizona).
    (leak,) = [d for d in found if d["rule"] == "entity-leak"]
    assert leak["path"] == EDITED and "the page about Wyoming has the same sentence" in leak["message"]
    assert [r["path"] for r in leak["related"]] == ["000-state-benefits-data-sharing-with-ice/wyoming.md"]
    # Counted with the corpus page changed outside the run: the added page shares SHARED with Ohio.
    added = {d["line"]: d for d in found if d["path"] == ADDED and d["rule"] == "template-reuse" and d["line"] > 1}
    assert [r["path"] for r in added[8]["related"]] == ["000-state-benefits-data-sharing-with-ice/ohio.md"]
    # The footer: on 100 pages about 50 subjects (not on the edited page any more, on the added one).
    listed = {
        d["path"]: [r["path"] for r in d["related"]]
        for d in found
        if d["rule"] == "template-reuse" and d["line"] > 1 and FOOTER in _line(corpus / d["path"], d["line"])
    }
    assert listed == {
        ADDED: [f"000-state-benefits-data-sharing-with-ice/{state}.md" for state in ("alaska", "arizona")],
        UNCHANGED: [f"000-state-benefits-data-sharing-with-ice/{state}.md" for state in ("arizona", "arkansas")],
    }
    # The running counts the snapshot kept for the run's hashes and shingles are the rebuilt artefact's.
    counts: dict[str, list[tuple[object, ...]]] = {}
    set_corpus = SnapshotIndex.set_corpus

    def keeping_counts(index: SnapshotIndex, *arguments: Any) -> None:
        set_corpus(index, *arguments)
        for table, order in _COUNT_TABLES.items():
            counts[table] = index.connection.execute(f"SELECT * FROM main.{table} ORDER BY {order}").fetchall()

    monkeypatch.setattr(linter.corpus.artefact.SnapshotIndex, "set_corpus", keeping_counts)
    config = config_from_yaml(corpus, CONFIG)
    options = RunOptions(as_of=REFERENCE_DATE, corpus_index=str(artefact))
    run([str(corpus / path) for path in run_files], config, options)
    assert len(counts["key_subjects"]) > 100 and len(counts["fp_files"]) > 1000
    with sqlite3.connect(f"file:{rebuilt}?mode=ro", uri=True) as connection:
        for table, order in _COUNT_TABLES.items():
            key = order.split(",")[:-1] if table == "key_subjects" else order.split(",")
            wanted = {tuple(row[: len(key)]) for row in counts[table]}
            whole = connection.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            assert counts[table] == [row for row in whole if tuple(row[: len(key)]) in wanted], table


_COUNT_TABLES = {"key_subjects": "tier, key, subject", "fp_files": "fp", "fp_variants": "fp, t1"}


def _line(path: Path, number: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[number - 1]


def test_a_sentence_on_every_page_is_not_copied_page_by_page(
    corpus: Path, artefact: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The footer's sentence is on every page, its shingles too: the snapshot copies none of
    its other sentences (the listed ones are looked up in the artefact) and none of its
    postings (over max_postings), where copying every row that shares a hash or shingle with
    the page took all of them."""
    copied: dict[str, Any] = {}
    set_corpus = SnapshotIndex.set_corpus

    def counting(index: SnapshotIndex, *arguments: Any) -> None:
        set_corpus(index, *arguments)
        connection = index.connection
        (run_id,) = connection.execute("SELECT file_id FROM temp.run").fetchone()
        (t1,) = connection.execute(
            "SELECT t1 FROM main.units WHERE file_id = ? AND text = ?", (run_id, FOOTER)
        ).fetchone()
        copied["units"] = connection.execute("SELECT COUNT(*) FROM main.units WHERE t1 = ?", (t1,)).fetchone()[0]
        copied["postings"] = connection.execute(
            "SELECT COUNT(*) FROM main.wfp WHERE fp IN (SELECT fp FROM main.wfp WHERE file_id = ? AND t1 = ?)",
            (run_id, t1),
        ).fetchone()[0]
        copied["run postings"] = connection.execute(
            "SELECT COUNT(*) FROM main.wfp WHERE file_id = ? AND t1 = ?", (run_id, t1)
        ).fetchone()[0]

    monkeypatch.setattr(linter.corpus.artefact.SnapshotIndex, "set_corpus", counting)
    with sqlite3.connect(f"file:{artefact}?mode=ro", uri=True) as connection:
        (held,) = connection.execute(
            "SELECT COUNT(*) FROM units WHERE t1 = (SELECT t1 FROM units WHERE text = ? LIMIT 1)", (FOOTER,)
        ).fetchone()
    assert held == PAGES
    config = config_from_yaml(corpus, CONFIG)
    page = str(corpus / "001-driver-s-licenses-for-undocumented-immigrants/texas.txt")
    options = RunOptions(as_of=REFERENCE_DATE, select=frozenset({"template-reuse"}), corpus_index=str(artefact))
    result = run([page], config, options)
    footer = [d for d in everything(result) if d.message.startswith("template text") and FOOTER[:20] in d.context_text]
    assert footer and len(footer[0].related) == 2
    assert copied["units"] == 1  # the page's own sentence
    assert copied["postings"] == copied["run postings"] > 0  # the page's own shingles only
