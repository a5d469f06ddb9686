"""A run after a few pages changed takes the other pages' findings from the previous cache generation.

Every step edits the generated corpus (bench/make_corpus.py) the way an editor would, runs
with the results cache, and compares every finding (related locations, messages, quoted
lines) with a run that matches every page again against the same index (``--no-cache``).
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from generated_corpus import generate
from helpers import REFERENCE_DATE, config_from_yaml, everything, quoted

import linter.corpus.phase
import linter.engine
import linter.parse
from linter.config import Config
from linter.corpus.model import CorpusDocument
from linter.diagnostic import Diagnostic
from linter.engine import RunOptions, run

PAGES = 100  # two topics of 50 state pages


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths parsed by the runs of the test (document rules and extraction both parse)."""
    seen: list[str] = []
    original = linter.parse.parse_document

    def counting(path: str, source: str, options: linter.parse.ParseOptions) -> object:
        seen.append(path)
        return original(path, source, options)

    monkeypatch.setattr(linter.parse, "parse_document", counting)
    monkeypatch.setattr(linter.engine, "parse_document", counting)
    return seen


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Config, list[Path]]:
    """A generated corpus under ``site/pages`` (the working directory: ``tmp_path``), its config, its pages."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "site"
    pages = generate(root / "pages", PAGES)
    for path in (root / "pages").iterdir():  # the generator's own records
        if path.is_file() and path not in pages:
            path.unlink()
    assert len(pages) == PAGES
    return root, config_from_yaml(root, "extends: default\ncorpus: ['pages/**']\n"), pages


def _check(
    root: Path, config: Config, cache: bool, paths: list[Path] | None = None, as_of: datetime.date = REFERENCE_DATE
) -> tuple[list[tuple[Diagnostic, str | None]], dict[tuple[str, int], str]]:
    """Findings of a run on ``paths`` (default: every page), each with its line quoted; every line quoted."""
    # (the run without the cache in two processes: it is only the reference, and their
    # output is the same as one process's, tests/test_parallel.py)
    options = RunOptions(as_of=as_of, cache_dir=str(root / "results")) if cache else RunOptions(as_of=as_of, jobs=2)
    with run([str(p) for p in paths or [root / "pages"]], config, options) as result:
        lines = quoted(result)
        return [(d, lines.get((d.path, d.line))) for d in everything(result)], lines  # every field


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _paragraph_of(path: Path, containing: str) -> str:
    """The first paragraph line of ``path`` (not a heading, not a short line) holding ``containing``."""
    return next(
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if containing in line and len(line) > 100 and not line.startswith(("#", "<h", "<title", *"0123456789"))
    )


def _template_sentence(page: Path, state: str, other: Path, other_state: str) -> str:
    """A sentence ``page`` has once that ``other`` has too, with its own state's name."""
    text, other_text = page.read_text(encoding="utf-8"), other.read_text(encoding="utf-8")
    return next(
        sentence
        for sentence in re.split(r"(?<=[.?!])\s+", text)
        if state in sentence
        and text.count(sentence) == 1
        and not sentence.endswith("?")  # (the questions are headings)
        and len(sentence) > 60
        and not re.search(r"\d", sentence)  # (numbers are masked: "in 2020" would be the same sentence)
        and sentence.replace(state, other_state) in other_text
    )


def _edited(root: Path, config: Config, parsed: list[str], edit: Callable[[], None]) -> int:
    """Make ``edit``, run with the cache, check every finding against a run without it; the
    number of pages the cached run parsed (linted and matched again)."""
    edit()
    parsed.clear()
    cached = _check(root, config, cache=True)
    linted = len(set(parsed))
    assert cached == _check(root, config, cache=False)
    return linted


def test_runs_after_edits_match_again_only_the_affected_pages_and_agree_with_full_runs(
    site: tuple[Path, Config, list[Path]], parsed: list[str]
) -> None:
    root, config, pages = site
    first_topic = sorted(p for p in pages if p.parent == pages[0].parent)
    ohio, texas = (next(p for p in first_topic if p.stem == name) for name in ("ohio", "texas"))
    second_topic = sorted(p for p in pages if p.parent != pages[0].parent)
    template = _paragraph_of(texas, "Texas").split(". ")[0] + "."  # a template sentence, filled for Texas

    def step(edit: Callable[[], None], at_most: int | None = None) -> None:
        linted = _edited(root, config, parsed, edit)
        # (on 100 pages, most list any page's sentences: moving them changes most pages' findings)
        assert linted >= 1 and (at_most is None or linted <= at_most), linted

    assert _check(root, config, cache=True) == _check(root, config, cache=False)
    # 1. The page's heading reworded: no sentence the corpus rules compare changed.
    step(lambda: _replace(ohio, "Ohio", "the Buckeye State"), at_most=1)
    # 2. A line added at the top of the first page: every line below it moves, and its
    #    sentences head the related lists of every page that shares them.
    step(lambda: _replace(first_topic[0], "\n", "\nUpdated by the editors this week.\n"))
    # 3. A template sentence reworded in place on the last page: every page of its series
    #    with that sentence now shares it with one subject fewer.
    wyoming = second_topic[-1]
    reworded = _template_sentence(wyoming, "Wyoming", second_topic[0], "Alabama")
    rewording = " ".join(reversed(reworded.split()))  # (as long: no other sentence moves)
    step(lambda: _replace(wyoming, reworded, rewording), at_most=PAGES // 2)
    # 4. The Texas page's template sentence pasted into the Ohio page, name and all (entity-leak).
    step(lambda: _replace(ohio, "\n\n", f"\n\n{template}\n\n"))

    # 5. A page renamed (one page gone, one new), and a copy of another page added.
    def rename_and_copy() -> None:
        second_topic[3].rename(second_topic[3].with_name("renamed-" + second_topic[3].name))
        shutil.copy(second_topic[5], second_topic[5].with_name("copy-" + second_topic[5].name))

    step(rename_and_copy)

    # 6. Two pages changed at once, in both topics.
    def two_pages() -> None:
        _replace(texas, _paragraph_of(texas, "Texas").split(". ")[1], "Texas decides this case by case")
        _replace(wyoming, _paragraph_of(wyoming, "Wyoming").split(". ")[1], "Wyoming decides this case by case")

    step(two_pages)
    # Nothing changed: every finding from the cache, nothing parsed.
    parsed.clear()
    warm = _check(root, config, cache=True)
    assert parsed == []
    assert warm == _check(root, config, cache=False)


def test_after_one_file_runs_wrote_to_the_index_the_next_run_takes_their_journal(
    site: tuple[Path, Config, list[Path]], parsed: list[str]
) -> None:
    """A pre-commit run stores its page in the index and notes what it changed in the index's
    journal: the next run of the whole corpus is still incremental, matches again the pages
    those changes affect, and finds what a full run finds. Without the journal entry it
    matches every page again."""
    root, config, pages = site
    _check(root, config, cache=True)  # the generation and its manifest
    second_topic = sorted(p for p in pages if p.parent != pages[0].parent)
    alabama, wyoming = second_topic[0], second_topic[-1]
    options = RunOptions(as_of=REFERENCE_DATE, cache_dir=str(root / "results"))

    def one_file_run(page: Path) -> None:
        with run([str(page)], config, options):
            pass

    def see_also(page: Path, text: str = "See also.") -> None:
        """A line too short to compare, at the end (no sentence moves)."""
        page.write_text(page.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")

    # Two pre-commit runs on one page: a template sentence reworded in place (every page of
    # its series shares it with one subject fewer now), then a short line added.
    reworded = _template_sentence(wyoming, "Wyoming", alabama, "Alabama")
    _replace(wyoming, reworded, " ".join(reversed(reworded.split())))
    one_file_run(wyoming)
    see_also(wyoming)
    one_file_run(wyoming)
    # The next run of the whole corpus, after another page of the series got a short line too.
    linted = _edited(root, config, parsed, lambda: see_also(alabama))
    assert 2 < linted <= PAGES // 2  # the series, as if the whole run had seen the rewording
    # A one-file run whose entry is lost (pruned, or a crash before it was written): the
    # index no longer holds what the manifest and the journal say, so every page is matched.
    see_also(pages[0])
    one_file_run(pages[0])
    with sqlite3.connect(root / ".doclint-cache" / "index.sqlite") as connection:
        assert connection.execute("SELECT COUNT(*) FROM journal").fetchone()[0] == 3
        connection.execute("DELETE FROM journal WHERE seq = (SELECT MAX(seq) FROM journal)")
    assert _edited(root, config, parsed, lambda: _replace(alabama, "See also.", "See also the index.")) == PAGES
    # That run left a manifest of its own: the next edit is incremental again.
    assert _edited(root, config, parsed, lambda: _replace(alabama, "the index.", "the map.")) == 1
    # A pre-commit run stored an edit that is undone before the next run (another page
    # edited): the index holds the edit, the page is as the manifest says, and the run must
    # store it again before matching.
    as_before = wyoming.read_text(encoding="utf-8")
    _replace(wyoming, " ".join(reversed(reworded.split())), reworded)
    one_file_run(wyoming)

    def undone() -> None:
        wyoming.write_text(as_before, encoding="utf-8")
        _replace(alabama, "the map.", "the atlas.")

    assert 1 <= _edited(root, config, parsed, undone) <= PAGES // 2


def test_a_run_whose_files_were_all_taken_from_the_previous_generation_leaves_a_manifest(
    site: tuple[Path, Config, list[Path]], parsed: list[str]
) -> None:
    root, config, pages = site
    first_topic = [p for p in pages if p.parent == pages[0].parent]
    other = next(p for p in pages if p.parent != pages[0].parent)
    _check(root, config, cache=True, paths=first_topic)

    def add_a_short_line(page: Path) -> set[str]:
        """A line too short to compare, at the end (no sentence moves); the pages parsed after it."""
        page.write_text(page.read_text(encoding="utf-8") + "\nSee also.\n", encoding="utf-8")
        parsed.clear()
        cached = _check(root, config, cache=True, paths=first_topic)
        linted = set(parsed)
        assert cached == _check(root, config, cache=False, paths=first_topic)
        return linted

    # On a page outside the run: every run page's findings come from the previous generation.
    assert add_a_short_line(other) == {str(other)}  # (parsed to be indexed again)
    # That run's generation is complete too: the next edit starts from it.
    assert add_a_short_line(first_topic[0]) == {str(first_topic[0])}


def test_a_run_on_another_day_finds_the_date_rules_findings_again_and_matches_no_page_again(
    site: tuple[Path, Config, list[Path]], parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI cache restored on the next day: the reference date (--as-of, today by default)
    changes the date rules' findings only; the corpus rules' stand."""
    root, config, pages = site
    matched: list[str] = []  # pages the corpus rules ran on
    original = linter.corpus.phase.corpus_findings

    def counting(rules: list[object], document: CorpusDocument, *rest: object) -> object:
        matched.append(document.path)
        return original(rules, document, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(linter.corpus.phase, "corpus_findings", counting)
    first_day, _ = _check(root, config, cache=True)
    assert len(set(matched)) == PAGES
    later = datetime.date(2029, 2, 1)  # "as of 2026"-style anchors are stale by then
    matched.clear()
    parsed.clear()
    cached = _check(root, config, cache=True, as_of=later)
    assert matched == [] and len(set(parsed)) == PAGES  # parsed for the date rules, matched from the cache
    assert cached == _check(root, config, cache=False, as_of=later)
    dated = {"stale-date", "relative-date"}
    assert [d for d, _ in first_day if d.rule not in dated] == [d for d, _ in cached[0] if d.rule not in dated]
    # (the date rules' findings did change: stale dates, "As of February 2029" in messages)
    assert [d for d, _ in first_day if d.rule in dated] != [d for d, _ in cached[0] if d.rule in dated]
    assert len(list((root / "results").glob("results-v*/*/corpus-*"))) == 1  # the other day's went
    # Another day, and a page reworded: incremental and redated at once.
    wyoming = max(pages)
    reworded = _paragraph_of(wyoming, "Wyoming").split(". ")[1]
    _replace(wyoming, reworded, " ".join(reversed(reworded.split())))
    matched.clear()
    even_later = datetime.date(2029, 3, 1)
    edited = _check(root, config, cache=True, as_of=even_later)
    assert 0 < len(set(matched)) < PAGES
    assert edited == _check(root, config, cache=False, as_of=even_later)
    # Nothing changed since, the same day: every finding from the cache.
    parsed.clear()
    assert _check(root, config, cache=True, as_of=even_later) == edited and parsed == []


def test_a_one_file_run_that_indexes_the_whole_corpus_writes_no_journal_entry(
    site: tuple[Path, Config, list[Path]],
) -> None:
    """The first pre-commit run indexes every corpus page: too many for the journal (the next
    full run is a full run anyway), and no change log of them all is kept."""
    root, config, pages = site
    options = RunOptions(as_of=REFERENCE_DATE, cache_dir=str(root / "results"))
    journal = root / ".doclint-cache" / "index.sqlite"
    with run([str(pages[0])], config, options):
        pass
    with sqlite3.connect(journal) as connection:
        assert connection.execute("SELECT COUNT(*) FROM files").fetchone()[0] == PAGES
        assert connection.execute("SELECT COUNT(*) FROM journal").fetchone()[0] == 0
    _replace(pages[0], "\n\n", "\n\nA note the editors added at the top.\n\n")
    with run([str(pages[0])], config, options):
        pass
    with sqlite3.connect(journal) as connection:
        assert connection.execute("SELECT COUNT(*) FROM journal").fetchone()[0] == 1


def test_a_journal_replays_only_when_each_entry_starts_where_the_one_before_ended() -> None:
    from linter.corpus.changes import ChangeLog, replayed

    def noted(states: dict[int, tuple[tuple[str, str] | None, tuple[str, str] | None]]) -> ChangeLog:
        log = ChangeLog(files=set(states), states=states)
        log.counts.fps.update({17: 1, 18: -1})
        return ChangeLog.from_data(log.to_data())  # as the journal keeps it

    held = {"a.md": (1, "h1"), "b.md": (2, "h2")}
    edited = noted({1: (("a.md", "h1"), ("a.md", "h1b"))})
    added = noted({3: (None, ("c.md", "h3"))})
    removed = noted({2: (("b.md", "h2"), None)})
    assert edited.counts.fps == {17: 1, 18: -1} and edited.states[1] == (("a.md", "h1"), ("a.md", "h1b"))
    assert replayed(held, [edited, added, removed]) == {"a.md": (1, "h1b"), "c.md": (3, "h3")}
    # The same edit noted twice: the second starts from a state the first left behind.
    assert replayed(held, [edited, edited]) is None
    # A page added where one is already held, or removed twice.
    assert replayed(held, [noted({4: (None, ("a.md", "h4"))})]) is None
    assert replayed(held, [removed, removed]) is None
    # Two logs merged in order: the first state of the earlier, the last of the later.
    merged = ChangeLog()
    for log in (edited, noted({1: (("a.md", "h1b"), ("a.md", "h1c"))})):
        merged.merge(log)
    assert merged.states == {1: (("a.md", "h1"), ("a.md", "h1c"))} and merged.counts.fps == {17: 2, 18: -2}


def test_a_file_outside_the_corpus_stored_by_a_pre_commit_run_does_not_make_later_runs_full(
    site: tuple[Path, Config, list[Path]], parsed: list[str]
) -> None:
    """A pre-commit run on a file outside ``corpus:`` (a README next to the pages) stores it in
    the index; the next run of the corpus after a change drops it (noted like any change)
    and stays incremental, as do the runs after it, with a full run's findings. It used to
    find the index holding a page outside the corpus and match every page again, every time."""
    root, config, pages = site
    _check(root, config, cache=True)  # the generation and its manifest
    readme = root / "README.md"
    readme.write_text("# About these pages\n\nAs of 2021, the agency shares data with ICE.\n", encoding="utf-8")
    with run([str(readme)], config, RunOptions(as_of=REFERENCE_DATE, cache_dir=str(root / "results"))) as result:
        assert [d.rule for d in everything(result)] == ["stale-date"]
    index = root / ".doclint-cache" / "index.sqlite"

    def indexed() -> int:
        with sqlite3.connect(index) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM files").fetchone()[0])

    assert indexed() == PAGES + 1

    def see_also(page: Path, text: str) -> None:
        page.write_text(page.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")

    assert _edited(root, config, parsed, lambda: see_also(pages[3], "See also.")) == 1
    assert indexed() == PAGES
    assert _edited(root, config, parsed, lambda: see_also(pages[7], "See also.")) == 1


def _sentences(page: Path) -> list[str]:
    """The sentences of ``page``'s paragraph lines that are on it once, with no digits (numbers are masked)."""
    text = page.read_text(encoding="utf-8")
    return [
        sentence
        for line in text.splitlines()
        if len(line) > 100 and not line.startswith(("#", "<h", "<title"))
        for sentence in re.split(r"(?<=[.?!])\s+", line.strip())
        if len(sentence) > 60 and text.count(sentence) == 1 and not re.search(r"[\d<>]", sentence)
    ]


def _near_findings(root: Path, config: Config, page: Path) -> list[Diagnostic]:
    """The template-reuse findings of ``page`` in a run of the whole corpus (warm: from the cache)."""
    findings, _ = _check(root, config, cache=True)
    return [d for d, _ in findings if d.path == str(page) and d.rule == "template-reuse"]


def test_a_reworded_sentence_matches_again_the_pages_that_can_pair_with_it_and_no_others(
    site: tuple[Path, Config, list[Path]], parsed: list[str]
) -> None:
    """The near search pairs two sentences only when the shingles they share cover
    ``near_words`` words of each: a run after a sentence changed matches again the pages
    with such a sentence (as it was or as it is), not every page sharing a phrase with it."""
    root, config, pages = site
    first_topic = sorted(p for p in pages if p.parent == pages[0].parent)
    second_topic = sorted(p for p in pages if p.parent != pages[0].parent)
    alabama = second_topic[0]
    _check(root, config, cache=True)  # the generation the runs below start from
    # 1. A sentence added to the Alabama page that shares one phrase, "after a series of town
    #    halls", with the state-specific prose of most pages: too short a run to pair with any
    #    of them (when any page holding one of its shingles was, the run matched every page).
    phrase = "after a series of town halls"
    assert sum(phrase in page.read_text(encoding="utf-8") for page in pages) > PAGES // 2
    added = f"Clerks in Alabama quietly archived every handwritten ledger {phrase} in the capital."
    alabama_text = alabama.read_text(encoding="utf-8")
    assert (
        _edited(root, config, parsed, lambda: alabama.write_text(f"{alabama_text}\n{added}\n", encoding="utf-8")) == 1
    )
    # 2. A sentence of the Ohio pages' own (on both, so its shingles are shared already), then
    #    its paraphrase on the Alabama page (its state's name, one word changed), each added at
    #    the end: the Ohio pages have a paraphrase on another page now, and only the pages that
    #    can pair with it are matched again.
    ohio_pages = [next(p for p in topic if p.stem == "ohio") for topic in (first_topic, second_topic)]
    ledger = (
        "Caseworkers in {} keep a paper ledger of every records request that a county clerk {} "
        "to the regional immigration field office."
    )
    ohio_texts = [page.read_text(encoding="utf-8") for page in ohio_pages]
    lines = [len(text.splitlines()) + 2 for text in ohio_texts]

    def ohio_findings() -> list[list[Diagnostic]]:
        return [
            [d for d in _near_findings(root, config, page) if d.line == line]
            for page, line in zip(ohio_pages, lines, strict=True)
        ]

    def add_to_ohio() -> None:
        for page, text in zip(ohio_pages, ohio_texts, strict=True):
            page.write_text(f"{text}\n{ledger.format('Ohio', 'forwards')}\n", encoding="utf-8")

    assert _edited(root, config, parsed, add_to_ohio) == 2
    assert ohio_findings() == [[], []]
    alabama_text = alabama.read_text(encoding="utf-8")
    with_paraphrase = f"{alabama_text}\n{ledger.format('Alabama', 'sends')}\n"
    assert _edited(root, config, parsed, lambda: alabama.write_text(with_paraphrase, encoding="utf-8")) == 3
    for near in ohio_findings():
        assert near and near[0].related[0].path in (str(alabama), os.path.relpath(alabama)), near
    # 3. Gone again: so are the Ohio pages' findings.
    assert _edited(root, config, parsed, lambda: alabama.write_text(alabama_text, encoding="utf-8")) == 3
    assert ohio_findings() == [[], []]


def test_a_shingle_that_becomes_or_stops_being_a_pages_topic_phrase_affects_every_page_holding_it(
    site: tuple[Path, Config, list[Path]],
) -> None:
    """A shingle in ``topic_repeat`` sentences of one page is the topic phrase of every page
    (linter/corpus/match.py, ``repeated``): when a change makes a page cross that line, every
    page holding the shingle in a sentence the near search looks at is matched again; when the
    page's count moves without crossing it, none is."""
    from linter.corpus.changes import ChangeLog, affected_files
    from linter.corpus.match import match_limits

    root, config, _ = site
    _check(root, config, cache=True)  # the index
    limits = match_limits(config.rules["template-reuse"].options, PAGES)
    with sqlite3.connect(root / ".doclint-cache" / "index.sqlite") as connection:
        # A shingle of near-matchable sentences on a few pages (the query of changes._near_postings).
        holders: dict[int, set[int]] = {}
        for fp, file_id in connection.execute(
            "SELECT w.fp, w.file_id FROM wfp w "
            "WHERE (SELECT COUNT(*) FROM key_subjects s WHERE s.tier = 1 AND s.key = w.t1) < 2"
        ):
            holders.setdefault(fp, set()).add(file_id)
        fp, pages = next((fp, ids) for fp, ids in sorted(holders.items()) if 5 <= len(ids) <= 10)
        page = min(pages)

        def affected(before: int, after: int) -> set[int]:
            log = ChangeLog(files={page}, repeats={(page, fp): (before, after)})
            return affected_files(connection, ChangeLog.from_data(log.to_data()), limits)  # as the journal keeps it

        repeat = limits.topic_repeat
        assert affected(repeat - 1, repeat) == pages == affected(repeat, 1) == affected(0, repeat + 2)
        assert affected(1, repeat - 1) == {page} == affected(repeat, repeat + 1)


def test_a_paraphrase_no_finding_lists_still_matches_again_the_pages_it_paired_with_when_it_goes(
    site: tuple[Path, Config, list[Path]], parsed: list[str]
) -> None:
    """A near finding lists ``max_related`` other sentences but counts the subjects of all it
    pairs with: when a paraphrase that no finding lists goes, the pages it paired with are
    matched again through the sentence as it was (nothing lists the place it left)."""
    root, _, pages = site
    config = config_from_yaml(
        root, "extends: default\ncorpus: ['pages/**']\nrules:\n  template-reuse:\n    max_related: 1\n"
    )
    first_topic = sorted(p for p in pages if p.parent == pages[0].parent)
    second_topic = sorted(p for p in pages if p.parent != pages[0].parent)
    ohio_pages = [next(p for p in topic if p.stem == "ohio") for topic in (first_topic, second_topic)]
    alabama, wyoming = second_topic[0], second_topic[-1]
    ledger = (
        "Caseworkers in {} keep a paper ledger of every records request that a county clerk {} "
        "to the regional immigration field office."
    )
    texts = {page: page.read_text(encoding="utf-8") for page in (*ohio_pages, alabama, wyoming)}
    lines = [len(texts[page].splitlines()) + 2 for page in ohio_pages]
    _check(root, config, cache=True)

    def add(page: Path, state: str, verb: str) -> None:
        page.write_text(f"{texts[page]}\n{ledger.format(state, verb)}\n", encoding="utf-8")

    def ohio_findings() -> list[Diagnostic]:
        return [
            d
            for page, line in zip(ohio_pages, lines, strict=True)
            for d in _near_findings(root, config, page)
            if d.line == line
        ]

    def everywhere() -> None:
        for page in ohio_pages:
            add(page, "Ohio", "forwards")
        add(alabama, "Alabama", "sends")
        add(wyoming, "Wyoming", "hands")

    _edited(root, config, parsed, everywhere)
    found = ohio_findings()
    assert len(found) == 2 and all(
        "2 other subjects" in d.message and [r.path for r in d.related] in ([str(alabama)], [os.path.relpath(alabama)])
        for d in found
    ), found
    # The Wyoming page's paraphrase goes: no finding listed it, both Ohio pages count it (and
    # so does the Alabama page's: four pages matched again).
    assert _edited(root, config, parsed, lambda: wyoming.write_text(texts[wyoming], encoding="utf-8")) == 4
    assert [("1 other subject" in d.message) for d in ohio_findings()] == [True, True]
