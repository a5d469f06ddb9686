"""Corpus rules on an editor buffer's unsaved text, against the on-disk corpus index.

The language server (linter/lsp.py) asks :class:`BufferCorpora` about a buffer. A query:

1. brings the on-disk corpus up to date the way ``doclint check`` does (a stat per file; a read
   and a content hash only when size or mtime changed; a parse only when the content changed):
   the files of the ``corpus:`` globs or, with none configured, every file the index holds
   (with neither globs nor an index file, there is nothing to compare with: no index is made);
2. in one write transaction, stores the buffer's record under a scratch key, removes every
   other file (the on-disk copy of this one, files gone from disk), so that the index holds
   exactly the comparison set and its running counts answer the aggregates, runs the corpus
   rules on the buffer and
3. rolls the transaction back, whatever happened: the index keeps exactly the rows it had
   (step 1 aside). Then the buffer's inline suppressions apply, as in a CLI run.

The buffer is never stored under the file's own key: a later ``doclint check`` trusts (size,
mtime) and would take the unsaved text for the file's. Nothing here calls ``forget_missing``:
files deleted from disk are left out of the comparison, and the next CLI run forgets them.

SQLite connections belong to the thread that opened them: a BufferCorpora is used from one
thread only (the server's corpus thread).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import os
import sqlite3
import time
from dataclasses import dataclass

from linter.config import Config, RuleSettings
from linter.corpus.match import IndexView
from linter.corpus.model import DocumentRecord
from linter.corpus.phase import CorpusPhase, corpus_findings, index_location
from linter.corpus.settings import TEMPLATE_REUSE
from linter.diagnostic import Diagnostic
from linter.suppress import apply_suppressions

# Index keys are absolute paths: this prefix cannot start one.
SCRATCH_PREFIX = "<unsaved buffer>"
# How long a query waits for a CLI run that is writing the index (it writes one file per
# transaction, so the lock is free within milliseconds unless something is wrong).
BUSY_TIMEOUT_MS = 2000


class CorpusUnavailable(Exception):
    """The index cannot be used now (busy, damaged, unreadable): try again on the next change."""


@dataclass
class BufferFindings:
    diagnostics: list[Diagnostic]
    notices: list[str]  # about the index (rebuilt, fell back to memory, changed files indexed)
    compared: int  # pages compared with, the buffer aside


class BufferCorpus:
    """One index (one ``rules.yaml``) opened for buffer queries."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.phase = CorpusPhase(config)
        self.index = self.phase.index
        self.index.connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self.notices = list(self.index.notices)

    def close(self) -> None:
        self.index.close()

    def refresh(self) -> dict[str, int]:
        """Bring the on-disk corpus up to date; its files' index ids by key."""
        if self.config.corpus:
            paths = self.phase.corpus_paths()
        else:
            rows = self.index.connection.execute("SELECT key FROM files ORDER BY key").fetchall()
            paths = [str(key) for (key,) in rows if not str(key).startswith(SCRATCH_PREFIX)]
        parsed_before, started = self.phase.parsed, time.monotonic()
        ids = self.phase.refresh(paths)
        parsed = self.phase.parsed - parsed_before
        if parsed:
            self.notices.append(
                f"indexed {parsed} new or changed corpus file{'s' if parsed != 1 else ''} "
                f"in {time.monotonic() - started:.1f} s ({self.index.location})"
            )
        return ids

    def check(
        self, record: DocumentRecord, path: str, rules: list[RuleSettings], as_of: datetime.date
    ) -> tuple[list[Diagnostic], int]:
        """The corpus rules' findings on the buffer ``record`` (its suppressions applied), and the pages compared."""
        corpus = self.refresh()
        corpus.pop(record.key, None)  # the on-disk copy of this file: the buffer stands for it
        index = self.index
        connection = index.connection
        found: list[Diagnostic] = []
        connection.execute("BEGIN IMMEDIATE")
        try:
            scratch = index.store(dataclasses.replace(record, key=SCRATCH_PREFIX + record.key))
            # Inside this rolled-back transaction the index holds exactly the comparison set
            # (the on-disk copy of this file and files gone from disk removed), so the matching
            # answers its aggregates from the index's running counts, as a CLI run does.
            compared = {*corpus.values(), scratch}
            held = [int(i) for (i,) in connection.execute("SELECT id FROM files")]
            index.remove(i for i in held if i not in compared)
            index.set_corpus(compared, [scratch])
            settings = self.config.rules.get(TEMPLATE_REUSE)
            view = IndexView(index, settings.options if settings else {})
            found = corpus_findings(rules, index.document(scratch, path), view, self.config, as_of)
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
        kept = apply_suppressions(found, record.directives)
        kept.sort(key=Diagnostic.sort_key)
        return kept, len(corpus)


class BufferCorpora:
    """The indexes of every configuration the editor has open buffers under, by index location."""

    def __init__(self) -> None:
        self._open: dict[str, BufferCorpus] = {}

    def _corpus(self, config: Config) -> BufferCorpus:
        location = index_location(config)
        corpus = self._open.get(location)
        if corpus is not None and corpus.config is not config:  # rules.yaml changed
            corpus.close()
            corpus = None
        if corpus is None:
            try:
                corpus = BufferCorpus(config)
            except (sqlite3.Error, OSError) as error:
                raise CorpusUnavailable(f"cannot open the corpus index {location} ({error})") from error
            self._open[location] = corpus
        return corpus

    def _drop(self, config: Config) -> None:
        corpus = self._open.pop(index_location(config), None)
        if corpus is not None:
            with contextlib.suppress(sqlite3.Error):
                corpus.close()

    def refresh(self, config: Config) -> list[str]:
        """Bring a configuration's index up to date ahead of the first query; its notices."""
        try:
            corpus = self._corpus(config)
            corpus.refresh()
        except (sqlite3.Error, OSError) as error:
            self._drop(config)
            raise CorpusUnavailable(_unavailable(index_location(config), error)) from error
        return _take(corpus.notices)

    def check(
        self, config: Config, record: DocumentRecord, path: str, rules: list[RuleSettings], as_of: datetime.date
    ) -> BufferFindings:
        location = index_location(config)
        if not config.corpus and location not in self._open and not os.path.exists(location):
            return BufferFindings([], [], 0)  # no corpus declared, none indexed by a CLI run
        corpus = self._corpus(config)
        try:
            diagnostics, compared = corpus.check(record, path, rules, as_of)
        except (sqlite3.Error, OSError) as error:
            # Busy or damaged: forget this connection; the next query opens the index again
            # (a damaged file is then rebuilt from the corpus, as a CLI run would).
            notices = _take(corpus.notices)
            self._drop(config)
            raise CorpusUnavailable("; ".join([*notices, _unavailable(index_location(config), error)])) from error
        return BufferFindings(diagnostics, _take(corpus.notices), compared)

    def close(self) -> None:
        for corpus in self._open.values():
            corpus.close()
        self._open.clear()


def _take(notices: list[str]) -> list[str]:
    taken = list(notices)
    notices.clear()
    return taken


def _unavailable(location: str, error: BaseException) -> str:
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    if isinstance(error, sqlite3.OperationalError) and "locked" in reason:
        return (
            f"the corpus index {location} is locked by another doclint run; "
            "corpus rules (template-reuse, entity-leak) will run again on the next change"
        )
    return (
        f"cannot use the corpus index {location} ({reason}); "
        "corpus rules (template-reuse, entity-leak) will run again on the next change"
    )
