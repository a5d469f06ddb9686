"""Matching our units against the corpus index, in time linear in the corpus.

Three layers, strongest first:

1. **exact**: the masked sentence (tier 1) hashes the same as a sentence of a page about
   another subject;
2. **proper-nouns**: the proper-noun skeleton (tier 2) hashes the same;
3. **near**: winnowed shingles shared with one sentence of another page cover at least
   ``near_threshold`` of both sentences' words. Shingles that are the series' topic phrase
   do not count: those on at least ``common_fraction`` of the corpus's pages, and those
   repeated in ``topic_repeat`` sentences of either page.

Aggregates (how many subjects share each hash, on how many pages each shingle occurs) are
computed once per run, only for the keys the run's files hold, so a run on one file costs
one file's postings and a run on the whole corpus one pass over the index.
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from linter.corpus.changes import MatchLimits
from linter.corpus.index import CorpusIndex
from linter.corpus.model import CorpusDocument, OtherUnit, UnitMatch
from linter.corpus.settings import option

# Answers of _hashed's location lookups kept per run (each at most max_related locations).
LOCATED_KEPT = 50_000
# Fewest words two sentences must share, topic phrase aside, to be near duplicates.
MIN_SHARED_WORDS = 8


class IndexView:
    """The :class:`linter.corpus.model.CorpusView` over a prepared CorpusIndex."""

    def __init__(self, index: CorpusIndex, options: Mapping[str, Any], use_counts: bool = True) -> None:
        """``use_counts``: answer aggregates from the index's running counts when they apply
        (False only to test that both ways agree)."""
        self.index = index
        self.connection: sqlite3.Connection = index.connection
        self.near_threshold = float(option(options, "near_threshold"))
        self.proper_nouns = bool(option(options, "proper_noun_matches"))
        indexed = index.file_count()
        self._documents = (
            indexed
            if index.whole_corpus
            else int(self.connection.execute("SELECT COUNT(*) FROM temp.corpus").fetchone()[0])
        )
        # When the corpus is every indexed file (the usual case), joins with temp.corpus filter
        # nothing and cost a lookup per posting: leave them out.
        whole = self._documents == indexed
        self._from_counts = whole and use_counts
        self._corpus_join = {
            alias: "" if whole else f" CROSS JOIN temp.corpus c ON c.file_id = {alias}.file_id " for alias in "uwo"
        }
        limits = match_limits(options, self._documents)
        self.k = limits.shingle
        self.near_words = limits.near_words
        self.topic_repeat = limits.topic_repeat
        self.long_span = max(self.k, int(option(options, "long_span")))
        self.max_postings = limits.max_postings
        self.max_related = limits.max_related
        self.common_fraction = limits.common_fraction
        self.common_df = limits.common_df
        self._paths: dict[int, str] = {}
        self._working_directory = working_directory()
        self._file_info: dict[int, tuple[str, str, bool]] = {}
        self._cache: tuple[int, dict[int, UnitMatch]] | None = None
        self._postings_ready = False
        self._located: dict[tuple[str, int, str], tuple[OtherUnit, ...]] = {}  # see _hashed
        self._exact: dict[tuple[int, int, int, int, int], OtherUnit] = {}  # see _located_rows
        # (column, hash) → its first sentences in index order, and whether that is all of them
        self._prefixes: dict[tuple[str, int], tuple[tuple[OtherUnit, ...], bool]] = {}
        self._aggregate()

    @property
    def documents(self) -> int:
        return self._documents

    def _aggregate(self) -> None:
        execute = self.connection.execute
        for tier, column in ((1, "t1"), (2, "t2")):
            execute(f"DROP TABLE IF EXISTS temp.agg_{column}")
            execute(f"CREATE TEMP TABLE agg_{column}(key INTEGER PRIMARY KEY, subjects INTEGER NOT NULL)")
            keys = f"(SELECT DISTINCT x.{column} AS key FROM temp.run r CROSS JOIN units x ON x.file_id = r.file_id) k "
            if self._from_counts:  # one lookup per key of the run (linter/corpus/index.py, _TABLES)
                execute(
                    f"INSERT INTO temp.agg_{column} SELECT key, subjects FROM (SELECT k.key AS key, "
                    f"(SELECT COUNT(*) FROM key_subjects s WHERE s.tier = {tier} AND s.key = k.key) AS subjects "
                    f"FROM {keys}) WHERE subjects > 1"
                )
                continue
            # The run's keys drive the join (CROSS JOIN keeps that order): a run on one file
            # touches that file's postings only.
            execute(
                f"INSERT INTO temp.agg_{column} "
                f"SELECT k.key, COUNT(DISTINCT f.subject) FROM {keys}"
                f"CROSS JOIN units u ON u.{column} = k.key "
                f"{self._corpus_join['u']} CROSS JOIN files f ON f.id = u.file_id "
                "GROUP BY k.key HAVING COUNT(DISTINCT f.subject) > 1"
            )
        execute("DROP TABLE IF EXISTS temp.agg_fp")
        execute("CREATE TEMP TABLE agg_fp(fp INTEGER PRIMARY KEY, df INTEGER NOT NULL, variants INTEGER NOT NULL)")
        fps = "(SELECT DISTINCT x.fp AS fp FROM temp.run r CROSS JOIN wfp x ON x.file_id = r.file_id) k "
        if self._from_counts:
            execute(
                f"INSERT INTO temp.agg_fp SELECT k.fp, n.files, n.variants FROM {fps}"
                "CROSS JOIN fp_files n ON n.fp = k.fp WHERE n.files > 1"
            )
        else:
            execute(
                f"INSERT INTO temp.agg_fp SELECT k.fp, COUNT(DISTINCT w.file_id), COUNT(DISTINCT w.t1) FROM {fps}"
                f"CROSS JOIN wfp w ON w.fp = k.fp {self._corpus_join['w']} "
                "GROUP BY k.fp HAVING COUNT(DISTINCT w.file_id) > 1"
            )
        # The series' topic phrase: on most pages, and each time in a different sentence (a
        # template sentence is on most pages too, but it is the same sentence every time).
        execute("CREATE TEMP TABLE IF NOT EXISTS topic_fp(fp INTEGER PRIMARY KEY)")
        execute("DELETE FROM temp.topic_fp")
        execute(
            "INSERT INTO temp.topic_fp SELECT fp FROM temp.agg_fp WHERE df >= ? AND variants >= ? * df",
            (self.common_df, self.common_fraction),
        )

    def _prepare_postings(self) -> None:
        """Once per run, the postings the near search walks, as two temporary tables.

        - ``repeated``: (shingle, page) where the shingle is in ``topic_repeat`` sentences of
          the page or more: that page's topic phrase;
        - ``shared``: every posting of the run's shingles that can count towards a near
          match: not site-wide boilerplate, not the corpus's or its own page's topic phrase.
        """
        if self._postings_ready:
            return
        execute = self.connection.execute
        for table in ("repeated", "shared"):
            execute(f"DROP TABLE IF EXISTS temp.{table}")
        execute("CREATE TEMP TABLE repeated(fp INTEGER NOT NULL, file_id INTEGER NOT NULL, PRIMARY KEY (fp, file_id))")
        execute(
            "INSERT INTO temp.repeated SELECT o.fp, o.file_id FROM temp.agg_fp a "
            f"CROSS JOIN wfp o ON o.fp = a.fp {self._corpus_join['o']} "
            "WHERE a.df <= ? AND a.fp NOT IN (SELECT fp FROM temp.topic_fp) "
            "GROUP BY o.fp, o.file_id HAVING COUNT(DISTINCT o.unit) >= ?",
            (self.max_postings, self.topic_repeat),
        )
        execute(
            "CREATE TEMP TABLE shared(fp INTEGER NOT NULL, file_id INTEGER NOT NULL, unit INTEGER NOT NULL, "
            "tok INTEGER NOT NULL, PRIMARY KEY (fp, file_id, unit, tok)) WITHOUT ROWID"
        )
        execute(
            "INSERT INTO temp.shared SELECT o.fp, o.file_id, o.unit, o.tok FROM temp.agg_fp a "
            f"CROSS JOIN wfp o ON o.fp = a.fp {self._corpus_join['o']} "
            "WHERE a.df <= ? AND a.fp NOT IN (SELECT fp FROM temp.topic_fp) "
            "AND NOT EXISTS (SELECT 1 FROM temp.repeated r WHERE r.fp = o.fp AND r.file_id = o.file_id)",
            (self.max_postings,),
        )
        execute("CREATE INDEX temp.shared_file ON shared(file_id, unit)")
        self._postings_ready = True

    def _path(self, file_id: int, key: str) -> str:
        path = self._paths.get(file_id)
        if path is None:
            # display_path() without os.path.relpath for the usual key, one under the working
            # directory (662 relpath calls were 7 ms of a one-file run at 10,000 pages).
            path = shown_path(key, self._working_directory)
            self._paths[file_id] = path
        return path

    def _file(self, file_id: int) -> tuple[str, str, bool]:
        """(display path, subject, about several subjects?) of an indexed file, cached."""
        info = self._file_info.get(file_id)
        if info is None:
            self._load_files([file_id])
            info = self._file_info[file_id]
        return info

    def _load_files(self, file_ids: Iterable[int]) -> None:
        """:meth:`_file` of each of ``file_ids`` not known yet, in one query per 500."""
        wanted = sorted({file_id for file_id in file_ids if file_id not in self._file_info})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for file_id, key, subject, multi in self.index.file_rows(chunk):
                self._file_info[int(file_id)] = (self._path(int(file_id), str(key)), str(subject), bool(multi))

    def matches(self, document: CorpusDocument) -> dict[int, UnitMatch]:
        if self._cache is not None and self._cache[0] == document.file_id:
            return self._cache[1]
        found: dict[int, UnitMatch] = {}
        exact = self._hashed(document, "t1", set())
        skeleton = self._hashed(document, "t2", set(exact)) if self.proper_nouns else {}
        for unit in sorted(set(exact) | set(skeleton)):
            how = "exact" if unit in exact else "proper-nouns"
            subjects = max(exact.get(unit, (0, []))[0], skeleton.get(unit, (0, []))[0])
            others: dict[tuple[str, int], OtherUnit] = {}
            for source in (exact, skeleton):
                for other in source.get(unit, (0, []))[1]:
                    others.setdefault((other.path, other.line), other)
            ordered = sorted(others.values(), key=lambda o: (o.path, o.line))[: self.max_related]
            if ordered and subjects > 0:
                found[unit] = UnitMatch(unit, how, subjects, tuple(ordered))
        self._near(document, found)
        self._cache = (document.file_id, found)
        return found

    def _hashed(
        self, document: CorpusDocument, column: str, skip: set[int]
    ) -> dict[int, tuple[int, tuple[OtherUnit, ...]]]:
        """Our units (but ``skip``) whose ``column`` hash other subjects share: (other subjects, locations)."""
        execute = self.connection.execute
        counts = {
            int(unit): int(subjects) - 1
            for unit, subjects in execute(
                f"SELECT x.unit, a.subjects FROM units x JOIN temp.agg_{column} a ON a.key = x.{column} "
                "WHERE x.file_id = ?",
                (document.file_id,),
            )
            if int(unit) not in skip
        }
        if not counts:
            return {}
        hashes = {u.index: u.t1 if column == "t1" else u.t2 for u in document.units}
        others: dict[int, tuple[OtherUnit, ...]] = {}
        for unit in counts:
            # Pages about one subject share these answers (a series' boilerplate is on every page
            # of a state): remembered per run. The page itself is about that subject, so never listed.
            key = (column, hashes[unit], document.subject)
            located = self._located.get(key)
            if located is None:
                if len(self._located) >= LOCATED_KEPT:
                    self._located.clear()
                located = self._located[key] = self._locate(column, hashes[unit], document.subject)
            others[unit] = located
        return {unit: (subjects, others[unit]) for unit, subjects in counts.items() if others.get(unit)}

    def _locate(self, column: str, key: int, subject: str) -> tuple[OtherUnit, ...]:
        """Where sentences with ``column`` hash ``key`` are, on pages about other subjects than ``subject``.

        Indexed, LIMIT-ed lookups: a sentence on thousands of pages costs a few times
        max_related rows. The rows are read once per hash, whatever the subject (the 50 pages
        of a topic are about 50 subjects and ask for the same hash), and filtered here: the
        first max_related in index order, as ``f.subject != ?`` with ``LIMIT`` would give.
        """
        wanted = self.max_related
        prefix, complete = self._prefixes.get((column, key), ((), False))
        while True:
            chosen = [other for other in prefix if other.subject != subject][:wanted]
            if len(chosen) >= wanted or complete:
                return tuple(chosen)
            limit = max(2 * wanted, 2 * len(prefix))
            prefix = self._located_rows(column, key, limit)
            complete = len(prefix) < limit
            if len(self._prefixes) >= LOCATED_KEPT:
                self._prefixes.clear()
            self._prefixes[(column, key)] = (prefix, complete)

    def _located_rows(self, column: str, key: int, limit: int) -> tuple[OtherUnit, ...]:
        """The first ``limit`` sentences with ``column`` hash ``key``, in the index's order."""
        rows = self.index.sentences_with(column, key, limit, self._corpus_join["o"])
        exact = self._exact
        # One query for the pages of these rows (one per page cost 662 queries, 12 ms, of a
        # one-file run at 10,000 pages).
        self._load_files(row[0] for row in rows if row not in exact)
        located: list[OtherUnit] = []
        for row in rows:
            # One OtherUnit per other sentence and run: the pages of a topic list the same
            # sentences of each other page (132,739 rows for 7,000 sentences on 200 pages).
            other = exact.get(row)
            if other is None:
                if len(exact) >= LOCATED_KEPT:
                    exact.clear()
                file_id, line, column_number, end_line, end_column = row
                path, other_subject, multi = self._file(file_id)
                other = exact[row] = OtherUnit(
                    path, other_subject, line, column_number, end_line, end_column, 1.0, multi
                )
            located.append(other)
        return tuple(located)

    def on_pages_about(self, document: CorpusDocument, unit_index: int, subject: str) -> tuple[OtherUnit, ...]:
        """Where pages about ``subject`` (one subject each) hold our unit's sentence, exactly or up to proper nouns.

        ``matches`` lists at most max_related locations of a shared sentence, the first found, so a
        template sentence on fifty pages may not list the one subject entity-leak asks about.
        """
        unit = next((u for u in document.units if u.index == unit_index), None)
        if unit is None:
            return ()
        tiers = [("t1", unit.t1), ("t2", unit.t2)] if self.proper_nouns else [("t1", unit.t1)]
        for column, key in tiers:
            rows = self.index.sentences_about(
                column, key, subject, document.file_id, self.max_related, self._corpus_join["o"]
            )
            if rows:
                return tuple(
                    OtherUnit(*self._file(file_id)[:2], line, column_number, end_line, end_column, 1.0, False)
                    for file_id, line, column_number, end_line, end_column in rows
                )
        return ()

    def _near(self, document: CorpusDocument, found: dict[int, UnitMatch]) -> None:
        units = {u.index: u for u in document.units if u.index not in found}
        if not units:
            return
        execute = self.connection.execute
        # Per-document scratch tables are emptied, not dropped: a schema change would make SQLite
        # prepare every cached statement again.
        execute("CREATE TEMP TABLE IF NOT EXISTS near_units(unit INTEGER PRIMARY KEY)")
        execute("DELETE FROM temp.near_units")
        execute_many = self.connection.executemany
        execute_many("INSERT INTO temp.near_units VALUES (?)", ((u,) for u in units))
        k = self.k
        shingle = (1 << k) - 1  # a shingle's token positions, as a bit mask at its first token
        # Our shingles that are the topic phrase (repeated on this page, or on most pages),
        # found by SQLite: a page has some 1,400 postings and a few dozen such shingles.
        execute("CREATE TEMP TABLE IF NOT EXISTS own_topic(fp INTEGER PRIMARY KEY)")
        execute("DELETE FROM temp.own_topic")
        execute(
            "INSERT INTO temp.own_topic SELECT w.fp FROM wfp w WHERE w.file_id = ? GROUP BY w.fp "
            "HAVING COUNT(DISTINCT w.unit) >= ? OR w.fp IN (SELECT fp FROM temp.topic_fp)",
            (document.file_id, self.topic_repeat),
        )
        # Token positions are bits of an int (sentences are short): set union is |, size is bit_count.
        our_topic: dict[int, int] = defaultdict(int)  # our unit → token positions in the topic phrase
        for unit, token in execute(
            "SELECT w.unit, w.tok FROM wfp w WHERE w.file_id = ? AND w.fp IN (SELECT fp FROM temp.own_topic)",
            (document.file_id,),
        ):
            our_topic[unit] |= shingle << token
        self._prepare_postings()
        # Our shingles worth looking up: in a near-unit, not site-wide boilerplate, not on most pages.
        ours_sql = "FROM wfp x JOIN temp.agg_fp a ON a.fp = x.fp"
        ours_where = (
            "x.file_id = ? AND a.df <= ? AND x.unit IN (SELECT unit FROM temp.near_units) "
            "AND x.fp NOT IN (SELECT fp FROM temp.topic_fp)"
        )
        # A shingle repeated in several sentences of another page is that page's topic phrase,
        # and so ours too wherever it is.
        for unit, token in execute(
            f"SELECT x.unit, x.tok {ours_sql} WHERE {ours_where} AND EXISTS "
            "(SELECT 1 FROM temp.repeated r WHERE r.fp = x.fp AND r.file_id != ?)",
            (document.file_id, self.max_postings, document.file_id),
        ):
            our_topic[unit] |= shingle << token
        minimum = self.near_words
        # Most (our sentence, other sentence) pairs share a shingle or two: on the 200-page corpus
        # 836,231 pairs, of which 890 get scored. SQLite counts them, in C: a pair is scored only
        # when its shared shingles (topic phrase aside) can cover ``minimum`` words on both sides,
        # which needs their first and last positions ``minimum - k`` words apart. Our shingles
        # repeated on another page are topic phrase wherever they are (``our_topic`` above): they
        # cover nothing, so they find no pairs either (on the 1,000-page benchmark corpus 63% of
        # the pairs were found only through them, and leaving them out takes 29% off this query).
        # The pairs go straight into a table (WITHOUT ROWID: GROUP BY hands them over in key
        # order) rather than through Python (9% of the query).
        execute(
            "CREATE TEMP TABLE IF NOT EXISTS near_pairs(unit INTEGER NOT NULL, file_id INTEGER NOT NULL, "
            "other INTEGER NOT NULL, PRIMARY KEY (unit, file_id, other)) WITHOUT ROWID"
        )
        execute("DELETE FROM temp.near_pairs")
        pairs = execute(
            "INSERT INTO temp.near_pairs "
            "SELECT x.unit, o.file_id, o.unit FROM temp.shared x CROSS JOIN temp.shared o ON o.fp = x.fp "
            "WHERE x.file_id = ? AND x.unit IN (SELECT unit FROM temp.near_units) AND o.file_id != ? "
            "AND NOT EXISTS (SELECT 1 FROM temp.repeated r WHERE r.fp = x.fp AND r.file_id != ?) "
            "GROUP BY x.unit, o.file_id, o.unit HAVING MAX(x.tok) - MIN(x.tok) >= ? AND MAX(o.tok) - MIN(o.tok) >= ?",
            (document.file_id, document.file_id, document.file_id, minimum - k, minimum - k),
        ).rowcount
        if pairs <= 0:
            return
        # Every shared posting of those pairs, flagged when it is topic phrase, in the order of
        # our shingles (the first pair found wins a tie between two sentences of one page).
        rows = execute(
            "SELECT x.unit, x.tok, o.file_id, o.unit, o.tok, "
            "x.fp IN (SELECT fp FROM temp.own_topic) "
            "OR EXISTS (SELECT 1 FROM temp.repeated r WHERE r.fp = x.fp AND r.file_id = o.file_id) "
            f"{ours_sql} CROSS JOIN temp.near_pairs p ON p.unit = x.unit "
            "CROSS JOIN wfp o ON o.fp = x.fp AND o.file_id = p.file_id AND o.unit = p.other "
            f"WHERE {ours_where} ORDER BY x.fp, x.unit, x.tok, o.file_id, o.unit, o.tok",
            (document.file_id, self.max_postings),
        )
        # (our unit, other file, other unit) → covered token positions on each side
        ours: dict[tuple[int, int, int], int] = {}
        theirs: dict[tuple[int, int, int], int] = {}
        their_topic: dict[tuple[int, int, int], int] = defaultdict(int)
        for unit, token, file_id, other_unit, other_token, in_topic in rows:
            pair = (unit, file_id, other_unit)
            if in_topic:
                their_topic[pair] |= shingle << other_token
                continue
            ours[pair] = ours.get(pair, 0) | shingle << token
            theirs[pair] = theirs.get(pair, 0) | shingle << other_token
        if not ours:
            return
        # Pairs that cannot reach ``minimum`` shared words even before trimming to the sentences'
        # lengths score 0: drop them before looking anything up.
        candidates = [
            pair
            for pair, covered in ours.items()
            if (covered & ~our_topic[pair[0]]).bit_count() >= minimum
            and (theirs[pair] & ~their_topic[pair]).bit_count() >= minimum
            and self._file(pair[1])[1] != document.subject
        ]
        sizes = self._sizes({(file_id, other_unit) for _, file_id, other_unit in candidates})
        best: dict[int, dict[int, OtherUnit]] = defaultdict(dict)  # our unit → other file → best location
        spans: set[int] = set()  # units matched by a long shared run rather than overall coverage
        for pair in candidates:
            unit, file_id, other_unit = pair
            path, subject, multi = self._file(file_id)
            size = sizes.get((file_id, other_unit))
            if size is None:
                continue
            other_tokens, line, column, end_line, end_column = size
            score, span = _score(
                ours[pair],
                our_topic[unit],
                units[unit].tokens,
                theirs[pair],
                their_topic[pair],
                other_tokens,
                minimum,
                self.long_span,
            )
            if score < self.near_threshold:
                continue
            if span:
                spans.add(unit)
            current = best[unit].get(file_id)
            if current is None or score > current.score:
                best[unit][file_id] = OtherUnit(path, subject, line, column, end_line, end_column, score, multi)
        for unit, by_file in best.items():
            near = sorted(by_file.values(), key=lambda o: (-o.score, o.path, o.line))
            how = "span" if unit in spans else "near"
            found[unit] = UnitMatch(unit, how, len({o.subject for o in near}), tuple(near[: self.max_related]))

    def _sizes(self, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int, int, int, int]]:
        result: dict[tuple[int, int], tuple[int, int, int, int, int]] = {}
        for file_id, unit in pairs:
            size = self.index.sentence_size(file_id, unit)
            if size is not None:
                result[(file_id, unit)] = size
        return result


def match_limits(options: Mapping[str, Any], documents: int) -> MatchLimits:
    """The thresholds of matching on a corpus of ``documents`` pages (see linter/corpus/changes.py)."""
    fraction = float(option(options, "common_fraction"))
    minimum = int(option(options, "common_min_documents"))
    shingle = max(2, int(option(options, "shingle")))
    return MatchLimits(
        max_related=max(1, int(option(options, "max_related"))),
        max_postings=max(2, int(option(options, "max_postings"))),
        # A shingle on at least this many pages is the topic phrase (never, in small corpora).
        common_df=max(2, int(fraction * documents + 0.999)) if documents >= minimum else 1 << 62,
        common_fraction=fraction,
        shingle=shingle,
        near_words=max(MIN_SHARED_WORDS, shingle + max(1, int(option(options, "window"))) - 1),
        topic_repeat=max(2, int(option(options, "topic_repeat"))),
    )


def _score(
    ours: int,
    our_topic: int,
    our_size: int,
    theirs: int,
    their_topic: int,
    their_size: int,
    minimum: int,
    long_span: int,
) -> tuple[float, bool]:
    """How much of two sentences, topic phrase aside, shared shingles cover (Dice, 0 to 1).

    Arguments are token positions as bit masks. A shared run of ``long_span`` words or more
    (the same list of programs in the same order) counts as a full match whatever else the
    sentences say.
    """
    our_words = (1 << our_size) - 1
    their_words = (1 << their_size) - 1
    ours_left = ours & our_words & ~our_topic
    theirs_left = theirs & their_words & ~their_topic
    if min(ours_left.bit_count(), theirs_left.bit_count()) < minimum:
        return 0.0, False
    if min(_longest_run(ours_left), _longest_run(theirs_left)) >= long_span:
        return 1.0, True
    ours_total = our_size - (our_topic & our_words).bit_count()
    theirs_total = their_size - (their_topic & their_words).bit_count()
    return (ours_left.bit_count() + theirs_left.bit_count()) / max(1, ours_total + theirs_total), False


def _longest_run(positions: int) -> int:
    """The longest run of consecutive set bits: each step shortens every run by one."""
    longest = 0
    while positions:
        positions &= positions >> 1
        longest += 1
    return longest


def working_directory() -> str:
    """The working directory with a trailing separator; a string no key starts with if it is gone."""
    try:
        return os.path.join(os.getcwd(), "")
    except OSError:
        return "\0"


def shown_path(key: str, working_directory: str) -> str:
    """:func:`display_path` of ``key``, given :func:`working_directory` (quick for a key under it)."""
    return key[len(working_directory) :] if key.startswith(working_directory) else display_path(key)


def display_path(key: str) -> str:
    """A stored absolute path as a reader wants it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(key)
    except ValueError:
        return key
    return key if relative.startswith("..") else relative
