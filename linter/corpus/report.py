"""``doclint corpus report``: the corpus rules over a built index artefact, without the files.

Every indexed file (or those under the given paths) is compared with the whole index from
its stored units; suppressions and quoted lines come from what ``corpus build`` stored with
each file (:mod:`linter.corpus.artefact`). A file indexed by ``doclint check`` instead has no
such row: it is re-read and parsed for them when its bytes still match, else its findings
are reported without suppressions and a notice says so.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from linter.config import Config
from linter.corpus.artefact import ArtefactIndex, ReportInfo
from linter.corpus.extract import content_hash, extractor_for, index_key
from linter.corpus.match import IndexView, display_path
from linter.corpus.settings import TEMPLATE_REUSE
from linter.diagnostic import Diagnostic
from linter.discover import Problem, discover
from linter.engine import RunOptions, RunResult, active_rules
from linter.read import UnreadableFile, read_source
from linter.rules import CORPUS_RULES
from linter.rules.base import RuleContext
from linter.suppress import apply_suppressions


def corpus_report(
    config: Config,
    location: str,
    paths: Sequence[str],
    *,
    as_of: datetime.date,
    select: frozenset[str] | None = None,
    ignore: frozenset[str] = frozenset(),
) -> RunResult:
    """The corpus findings of the files under ``paths`` (all indexed files when empty)."""
    index = ArtefactIndex(location, extractor_for(config).fingerprint)
    try:
        return _report(index, config, paths, RunOptions(as_of=as_of, select=select, ignore=ignore))
    finally:
        index.close()


def _report(index: ArtefactIndex, config: Config, paths: Sequence[str], options: RunOptions) -> RunResult:
    indexed = index.files()
    problems: list[Problem] = []
    run: list[tuple[int, str, str]] = []  # (id, display path, content hash)
    if paths:
        by_key = {key: (file_id, digest) for file_id, key, digest in indexed}
        for item in discover(paths, config):
            if isinstance(item, Problem):
                problems.append(item)
                continue
            entry = by_key.get(index_key(item))
            if entry is None:
                message = f"not in the corpus index {index.location}; add it with 'doclint corpus build'"
                problems.append(Problem(item, message, "notice"))
            else:
                run.append((entry[0], item, entry[1]))
    else:
        run = [(file_id, display_path(key), digest) for file_id, key, digest in indexed]
    index.set_corpus((file_id for file_id, _, _ in indexed), (file_id for file_id, _, _ in run))
    template = config.rules.get(TEMPLATE_REUSE)
    view = IndexView(index, template.options if template else {})
    diagnostics: list[Diagnostic] = []
    lines: dict[tuple[str, int], str] = {}
    for file_id, path, digest in run:
        rules = [s for s in active_rules(config, path, options) if s.id in CORPUS_RULES]
        if not rules:
            continue
        document = index.document(file_id, path)
        found: list[Diagnostic] = []
        for settings in rules:
            context = RuleContext(
                rule_id=settings.id,
                severity=settings.severity,
                options=settings.options,
                lexicons=config.lexicons,
                as_of=options.as_of,
            )
            found.extend(CORPUS_RULES[settings.id].check(document, view, context))
        if not found:
            continue
        info = index.report_info(file_id, digest) or _read_info(path, digest, config)
        if info is None:
            problems.append(
                Problem(
                    path,
                    "changed since the corpus index was built: its suppressions were not applied; "
                    "run 'doclint corpus build' again",
                    "notice",
                )
            )
            kept = found
        else:
            kept = apply_suppressions(found, info.directives)
            for diagnostic in kept:
                text = info.line_texts.get(diagnostic.line)
                if text is not None:
                    lines[(diagnostic.path, diagnostic.line)] = text
        diagnostics.extend(kept)
    diagnostics.sort(key=Diagnostic.sort_key)
    return RunResult(diagnostics, problems, len(run), lines, [path for _, path, _ in run])


def _read_info(path: str, digest: str, config: Config) -> ReportInfo | None:
    """Directives and lines of a file indexed without them, when it is still what was indexed."""
    from linter.parse import parse_document

    try:
        source = read_source(path)
    except UnreadableFile:
        return None
    if content_hash(source.text.encode("utf-8", "surrogatepass")) != digest:
        return None
    document = parse_document(path, source.text, config.parse_options)
    record = extractor_for(config).record(document, index_key(path), for_run=True)
    return ReportInfo(record.directives, record.line_texts)
