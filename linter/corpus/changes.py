"""Which indexed pages' corpus findings a set of index changes can alter.

A results-cache generation (linter/engine.py) holds every run file's findings for one state
of the corpus. When a few pages change, the corpus findings of most other pages stay what
they were; this module says which pages must be matched again. While a run stores and
removes files, :class:`ChangeLog` keeps what each change did to the index: the rows of the
units that changed (added, removed, renumbered, moved or reworded, old and new), the
shingles of those units, and the changes to the running counts. :func:`affected_files` then
finds every page whose findings can depend on any of it, by what the matching reads
(linter/corpus/match.py):

- **counts**: a sentence hash's number of subjects (``key_subjects``) and a shingle's number
  of pages and variants (``fp_files``). A page holding a hash whose subject count changed,
  or a shingle whose status changed (shared at all, under ``max_postings``, the topic
  phrase), is affected; a count that moved without crossing any of those lines is not.
- **listed locations**: a matched sentence lists the first ``max_related`` other sentences
  with its hash, in index order (by page id), leaving out its own subject's pages. A
  changed sentence of page P can enter, leave or move in such a list only when fewer than
  ``max_related`` sentences about other subjects come before P's: then every page holding
  the hash is affected. Pages whose sentence names P's subject are affected in any case
  (entity-leak asks for that subject's pages directly).
- **near matches**: a paraphrase pairs sentences through shingles on at most
  ``max_postings`` pages whose shared postings cover ``near_words`` words of both. A page
  with a sentence whose postings of such shingles cover that many words of a changed
  sentence (as it was or as it is) and of its own is affected. So is every page holding a
  shingle whose number of sentences on P crossed ``topic_repeat`` (P's topic phrase is
  every page's), when that shingle is under the limit.

Pages about one series share their template sentences, so a page edit affects its series
(about 50 pages in the generated benchmark corpus) and rarely more; site-wide boilerplate
is on thousands of pages but is listed from its first few pages only.

The running counts' own types live here too (:class:`Contribution`, :class:`CountChanges`): the
index sums a file's changes to them, and the log takes the same sums.

Everything is conservative: a page named here may come out unchanged, a page not named
here cannot change. tests/corpus/test_incremental.py checks it against full runs on
random edits.
"""

from __future__ import annotations

import json
import marshal
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# A units row in the order of linter/corpus/index.py's _UNIT_COLUMNS (file_id, unit, t1, t2,
# line, col, …), and a wfp row (fp, file_id, unit, tok, t1).
UnitRow = tuple[Any, ...]
PostingRow = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class Contribution:
    """What one file adds to the running counts: its shingles, its (shingle, sentence hash)
    pairs, and its (tier, hash, subject) keys."""

    fps: set[int]
    variants: set[tuple[int, int]]
    keys: set[tuple[int, int, str]]

    @staticmethod
    def of(units: Iterable[UnitRow], postings: Iterable[PostingRow], subject: str) -> Contribution:
        """A file's contribution from its units and wfp rows."""
        variants = {(posting[0], posting[4]) for posting in postings}
        keys: set[tuple[int, int, str]] = set()
        for unit in units:
            keys.add((1, unit[2], subject))
            keys.add((2, unit[3], subject))
        return Contribution({fp for fp, _ in variants}, variants, keys)

    def minus(self, other: Contribution) -> Contribution:
        return Contribution(self.fps - other.fps, self.variants - other.variants, self.keys - other.keys)


class CountChanges:
    """Changes to the running counts, summed over the files stored (or removed) so far."""

    def __init__(self) -> None:
        self.fps: Counter[int] = Counter()
        self.variants: Counter[tuple[int, int]] = Counter()
        self.keys: Counter[tuple[int, int, str]] = Counter()

    def merge(self, other: CountChanges) -> None:
        """Add ``other``'s changes to these (Counter.update adds)."""
        self.fps.update(other.fps)
        self.variants.update(other.variants)
        self.keys.update(other.keys)

    def add(self, contribution: Contribution, sign: int) -> None:
        """Count ``contribution`` in (+1) or out (-1)."""
        if sign > 0:
            self.fps.update(contribution.fps)
            self.variants.update(contribution.variants)
            self.keys.update(contribution.keys)
        else:
            self.fps.subtract(contribution.fps)
            self.variants.subtract(contribution.variants)
            self.keys.subtract(contribution.keys)


FileState = tuple[str, str]  # a file as the index holds it: (key, content hash)


@dataclass(frozen=True)
class StoredRows:
    """What the index holds for one file: enough to tell what a change to it alters."""

    subject: str
    multi: bool
    units: dict[int, UnitRow]  # by unit number
    postings: set[PostingRow]
    state: FileState  # (index key, content hash)


@dataclass(frozen=True)
class MatchLimits:
    """The matching's thresholds that decide whether a count change matters."""

    max_related: int
    max_postings: int
    common_df: int  # pages a shingle must be on to be the topic phrase (linter/corpus/match.py)
    common_fraction: float
    shingle: int  # words per shingle (k)
    near_words: int  # fewest words two sentences' shared shingles must cover to be near duplicates
    topic_repeat: int  # sentences of one page a shingle must be in to be that page's topic phrase


@dataclass
class ChangeLog:
    """What the stores and removals of a run did to the index (kept by CorpusIndex when set)."""

    files: set[int] = field(default_factory=set)  # ids of the pages stored or removed
    counts: CountChanges = field(default_factory=CountChanges)  # net change to the running counts
    # (tier, hash, page id, subject) of every new or reworded sentence
    sentences: set[tuple[int, int, int, str]] = field(default_factory=set)
    # (sentence hash t1, shingle, token position) of every sentence added, removed or reworded,
    # as it was and as it is: the near search pairs sentences through these postings (one t1 is
    # one masked word sequence, so one set of postings).
    postings: set[tuple[int, int, int]] = field(default_factory=set)
    # (page id, shingle of such a sentence) → how many sentences of the page hold the shingle
    # (before the first change, after the last): in ``topic_repeat`` or more it is that page's
    # topic phrase, and so every page's (linter/corpus/match.py, ``repeated``).
    repeats: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # Page id → (line, column) of its old sentences that are gone from there (moved, reworded,
    # removed): another page whose findings list one of them is matched again.
    vacated: dict[int, set[tuple[int, int]]] = field(default_factory=dict)
    # Page id → (its state before the first change, after the last; None: not indexed)
    states: dict[int, tuple[FileState | None, FileState | None]] = field(default_factory=dict)

    def record(
        self, file_id: int, old: StoredRows | None, new: StoredRows | None, gained: Contribution, lost: Contribution
    ) -> None:
        """Note that page ``file_id`` went from ``old`` to ``new`` (None: not indexed), adding
        ``gained`` to the running counts and taking ``lost`` out (as the index counts them)."""
        self.files.add(file_id)
        first = self.states[file_id][0] if file_id in self.states else old.state if old is not None else None
        self.states[file_id] = (first, new.state if new is not None else None)
        self.counts.add(gained, +1)
        self.counts.add(lost, -1)
        if old is not None and new is not None and (old.subject, old.multi) == (new.subject, new.multi):
            # Sentences that are only numbered or placed otherwise (a line added above them) are
            # not changes here: pages that list them are (see _run_incremental in linter/engine.py).
            before = Counter(map(_signature, old.units.values()))
            after = Counter(map(_signature, new.units.values()))
            changed_old = {u: row for u, row in old.units.items() if before[_signature(row)] != after[_signature(row)]}
            changed_new = {u: row for u, row in new.units.items() if before[_signature(row)] != after[_signature(row)]}
        else:
            changed_old = old.units if old is not None else {}
            changed_new = new.units if new is not None else {}
        # A new sentence may enter other pages' lists; an old one's place there is found from the
        # pages that list it (see _run_incremental in linter/engine.py).
        if old is not None:
            same = new is not None and (old.subject, old.multi) == (new.subject, new.multi)
            now_at = {(row[4], row[5]): _signature(row) for row in new.units.values()} if new is not None else {}
            gone = {
                (int(row[4]), int(row[5]))
                for row in old.units.values()
                if not same or now_at.get((row[4], row[5])) != _signature(row)
            }
            if gone:
                self.vacated.setdefault(file_id, set()).update(gone)
        if new is not None:
            for row in changed_new.values():
                self.sentences.add((1, row[2], file_id, new.subject))
                self.sentences.add((2, row[3], file_id, new.subject))
        shingles: set[int] = set()
        for rows, changed in ((old, changed_old), (new, changed_new)):
            if rows is not None:
                for fp, _, unit, token, t1 in rows.postings:
                    if unit in changed:
                        self.postings.add((t1, fp, token))
                        shingles.add(fp)
        held_before, held_after = _sentences_holding(old, shingles), _sentences_holding(new, shingles)
        for fp in shingles:
            held_first = self.repeats[(file_id, fp)][0] if (file_id, fp) in self.repeats else held_before[fp]
            self.repeats[(file_id, fp)] = (held_first, held_after[fp])

    def merge(self, other: ChangeLog) -> None:
        """Add ``other``'s changes, made after this log's (sets and sums compose: what a
        sentence or shingle did between two states is in one of the logs between them)."""
        self.files |= other.files
        self.counts.merge(other.counts)
        self.sentences |= other.sentences
        self.postings |= other.postings
        for key, (held_before, held_after) in other.repeats.items():
            self.repeats[key] = (self.repeats[key][0] if key in self.repeats else held_before, held_after)
        for file_id, positions in other.vacated.items():
            self.vacated.setdefault(file_id, set()).update(positions)
        for file_id, (before, after) in other.states.items():
            self.states[file_id] = (self.states[file_id][0] if file_id in self.states else before, after)

    def to_data(self) -> bytes:
        """The log in ``marshal`` form (plain sets, dicts and tuples), for the index's journal."""
        counts = (dict(self.counts.fps), dict(self.counts.variants), dict(self.counts.keys))
        return marshal.dumps(
            (self.files, counts, self.sentences, self.postings, self.repeats, self.vacated, self.states)
        )

    @staticmethod
    def from_data(data: bytes) -> ChangeLog:
        """:meth:`to_data` read back (ValueError, TypeError or EOFError when it is not one)."""
        files, (fps, variants, keys), sentences, postings, repeats, vacated, states = marshal.loads(data)
        counts = CountChanges()
        counts.fps.update(fps)
        counts.variants.update(variants)
        counts.keys.update(keys)
        return ChangeLog(set(files), counts, set(sentences), set(postings), dict(repeats), dict(vacated), dict(states))


def replayed(files: dict[str, tuple[int, str]], logs: list[ChangeLog]) -> dict[str, tuple[int, str]] | None:
    """What the index held (key → (id, content hash)), ``files``, with the changes of ``logs``
    made to it in order; None when a log changed a file from another state than the one
    ``files`` and the logs before it say (a change no log noted came between)."""
    now = dict(files)
    by_id = {file_id: key for key, (file_id, _) in now.items()}
    for log in logs:
        for file_id, (before, after) in sorted(log.states.items()):
            key = by_id.get(file_id)
            held = (key, now[key][1]) if key is not None else None
            if held != before:
                return None
            if key is not None:
                del now[key], by_id[file_id]
            if after is not None:
                if after[0] in now:
                    return None
                now[after[0]] = (file_id, after[1])
                by_id[file_id] = after[0]
    return now


def _sentences_holding(rows: StoredRows | None, shingles: set[int]) -> Counter[int]:
    """How many sentences of a page (None: not indexed) hold each of ``shingles``."""
    if rows is None:
        return Counter()
    return Counter(fp for fp, _ in {(posting[0], posting[2]) for posting in rows.postings if posting[0] in shingles})


def _signature(row: UnitRow) -> tuple[Any, ...]:
    """What a sentence is, wherever it stands: hashes, sizes, text (not its number or position)."""
    return (row[2], row[3], row[8], row[9], row[10])


def affected_files(connection: sqlite3.Connection, log: ChangeLog, limits: MatchLimits) -> set[int]:
    """Ids of the indexed pages whose corpus findings the changes in ``log`` can alter
    (the changed pages included), read from the index as it is after them."""
    execute = connection.execute
    affected = set(log.files)
    holders_t1: set[int] = set()
    holders_t2: set[int] = set()
    # Sentence hashes whose number of subjects changed.
    for (tier, key, subject), change in log.counts.keys.items():
        row = execute(
            "SELECT files FROM key_subjects WHERE tier = ? AND key = ? AND subject = ?", (tier, key, subject)
        ).fetchone()
        now = int(row[0]) if row else 0
        if (now > 0) != (now - change > 0):
            (holders_t1 if tier == 1 else holders_t2).add(key)
    # Shingles whose status changed; shingles near matches can pair through.
    variants_before: dict[int, int] = {}
    for (fp, t1), change in log.counts.variants.items():
        row = execute("SELECT files FROM fp_variants WHERE fp = ? AND t1 = ?", (fp, t1)).fetchone()
        now = int(row[0]) if row else 0
        variants_before[fp] = variants_before.get(fp, 0) + (now - change > 0) - (now > 0)
    changed_shingles = {fp for _, fp, _ in log.postings}
    repeat = limits.topic_repeat
    topic_changed = {fp for (_, fp), (before, after) in log.repeats.items() if (before >= repeat) != (after >= repeat)}
    shingles: set[int] = set()  # every page holding one of these is affected
    paired: set[int] = set()  # the pages holding one of these that can pair with a changed sentence are
    for fp in set(log.counts.fps) | set(variants_before) | changed_shingles | topic_changed:
        row = execute("SELECT files, variants FROM fp_files WHERE fp = ?", (fp,)).fetchone()
        files, variants = (int(row[0]), int(row[1])) if row else (0, 0)
        before = (files - log.counts.fps[fp], variants + variants_before.get(fp, 0))
        status = _status(files, variants, limits)
        if status != _status(*before, limits):
            shingles.add(fp)  # every page holding it may see it otherwise now
        elif fp in topic_changed and _paired(files, limits):
            shingles.add(fp)  # a changed page's topic phrase now, or no more: every page's
        elif fp in changed_shingles and _paired(files, limits):
            paired.add(fp)
    for fp in sorted(shingles):
        affected.update(file_id for file_id, _, _ in _near_postings(connection, fp))
    affected |= _near_partners(connection, log.postings, paired, affected, limits)
    # Listed locations of changed sentences, and sentences naming a changed page's subject.
    for tier, key, file_id, subject in sorted(log.sentences):
        column = "t1" if tier == 1 else "t2"
        holders = holders_t1 if tier == 1 else holders_t2
        if key not in holders and _may_be_listed(connection, column, key, file_id, limits.max_related):
            holders.add(key)
        needle = "[" + json.dumps(subject, ensure_ascii=False) + ","  # a mention of it in units.extra
        affected.update(
            file_id
            for (file_id,) in execute(
                f"SELECT DISTINCT file_id FROM units WHERE {column} = ? AND instr(extra, ?) > 0", (key, needle)
            )
        )
    for column, keys in (("t1", holders_t1), ("t2", holders_t2)):
        for key in sorted(keys):
            affected.update(
                file_id for (file_id,) in execute(f"SELECT DISTINCT file_id FROM units WHERE {column} = ?", (key,))
            )
    return affected


def _near_postings(connection: sqlite3.Connection, fp: int) -> list[tuple[int, int, int]]:
    """(page id, sentence, token position) of the postings of shingle ``fp`` the near search can
    see: in sentences no page about another subject has exactly (their hash on pages about two
    subjects or more is an exact match, never paired)."""
    return connection.execute(
        "SELECT w.file_id, w.unit, w.tok FROM wfp w WHERE w.fp = ? "
        "AND (SELECT COUNT(*) FROM key_subjects s WHERE s.tier = 1 AND s.key = w.t1) < 2",
        (fp,),
    ).fetchall()


def _near_partners(
    connection: sqlite3.Connection,
    changed: set[tuple[int, int, int]],
    shingles: set[int],
    skip: set[int],
    limits: MatchLimits,
) -> set[int]:
    """Pages (but ``skip``) with a sentence that can pair with a changed sentence in the near
    search, as it was or as it is, through ``shingles``.

    ``changed`` holds the changed sentences' postings (t1, shingle, position). The near search
    scores a pair only when the shingles the two sentences share, topic phrase aside, cover
    ``near_words`` words of each (linter/corpus/match.py, ``_near``); here every shared posting
    counts, topic phrase or not, so a pair that reaches it there reaches it here.
    """
    mask = (1 << limits.shingle) - 1  # a shingle's words, as bits from its first word's position
    positions: dict[int, dict[int, int]] = {}  # shingle → changed sentence (t1) → its words there
    for t1, fp, token in changed:
        if fp in shingles:
            by_sentence = positions.setdefault(fp, {})
            by_sentence[t1] = by_sentence.get(t1, 0) | mask << token
    ours: dict[tuple[int, int, int], int] = {}  # (changed t1, page, sentence) → the page sentence's words covered
    theirs: dict[tuple[int, int, int], int] = {}  # the same → the changed sentence's words covered
    for fp in sorted(positions):
        for file_id, unit, token in _near_postings(connection, fp):
            if file_id in skip:
                continue
            for t1, words in positions[fp].items():
                pair = (t1, file_id, unit)
                ours[pair] = ours.get(pair, 0) | mask << token
                theirs[pair] = theirs.get(pair, 0) | words
    return {
        pair[1]
        for pair, words in ours.items()
        if words.bit_count() >= limits.near_words and theirs[pair].bit_count() >= limits.near_words
    }


def _status(files: int, variants: int, limits: MatchLimits) -> tuple[bool, bool, bool]:
    """What the matching makes of a shingle (linter/corpus/match.py, IndexView._aggregate):
    shared at all, under the boilerplate limit, the topic phrase."""
    return (
        files > 1,
        files <= limits.max_postings,
        files >= limits.common_df and variants >= limits.common_fraction * files,
    )


def _paired(files: int, limits: MatchLimits) -> bool:
    """Whether a shingle on ``files`` pages can pair two sentences in the near search."""
    return 1 < files <= limits.max_postings


def _may_be_listed(connection: sqlite3.Connection, column: str, key: int, file_id: int, max_related: int) -> bool:
    """Whether a sentence of page ``file_id`` with hash ``key`` can be among the first
    ``max_related`` locations a page about another subject lists for that hash.

    A page about subject S lists the first ``max_related`` sentences, in index order, of pages
    about other subjects. Before our sentence stand ``n`` sentences of other pages, at most
    ``m`` of them about one subject: it is listed by some page only if ``n - m`` is under
    ``max_related`` (our own page's sentences before it are left out, which only makes the
    answer "yes" more often).
    """
    per_subject: dict[str, int] = {}
    rows = connection.execute(
        f"SELECT f.subject FROM units o JOIN files f ON f.id = o.file_id WHERE o.{column} = ? AND o.file_id < ?",
        (key, file_id),
    )
    # (n - m never falls as rows are added: the first time it reaches max_related settles it)
    for before, (subject,) in enumerate(rows, 1):
        per_subject[subject] = per_subject.get(subject, 0) + 1
        if before - max(per_subject.values()) >= max_related:
            return False
    return True
