"""Document → DocumentRecord: the comparable sentences with masked fingerprints and mentions."""

from __future__ import annotations

import hashlib
import os
from collections import Counter

from linter.config import Config
from linter.corpus.entities import Found, Gazetteer, gazetteer_for
from linter.corpus.fingerprint import hash_tokens, winnow
from linter.corpus.mask import mask_sentence
from linter.corpus.model import DocumentRecord, Mention, Unit
from linter.corpus.settings import TEMPLATE_REUSE, ExtractSettings, option
from linter.document import Document, Sentence
from linter.suppress import parse_directives

# Mentions that say which subject a sentence is about (capitals are too often other things).
SUBJECT_KINDS = frozenset({"state", "postal", "demonym", "program", "entity"})


class Extractor:
    """Everything extraction needs from a configuration, built once per process."""

    def __init__(self, config: Config) -> None:
        options = config.rules[TEMPLATE_REUSE].options if TEMPLATE_REUSE in config.rules else {}
        self.settings = ExtractSettings.from_options(options)
        self.multi_subject_min = int(option(options, "multi_subject_min"))
        self.gazetteer: Gazetteer = gazetteer_for(config.lexicons)
        self.parse_options = config.parse_options
        self.fingerprint = self.settings.fingerprint(
            self.gazetteer.fingerprint,
            sorted(self.parse_options.abbreviations),
            self.parse_options.subject_keys,
            self.parse_options.title_keys,
            self.multi_subject_min,
        )

    def record(self, document: Document, key: str, *, for_run: bool) -> DocumentRecord:
        from linter.corpus.subject import infer_subject

        settings = self.settings
        units: list[Unit] = []
        fingerprints: list[tuple[int, int, int]] = []
        mentioned: Counter[str] = Counter()
        for sentence in document.sentences:
            text = sentence.text
            masked = mask_sentence(text, self.gazetteer)
            for found in masked.mentions:
                if found.entry.kind in SUBJECT_KINDS and found.entry.subject is not None:
                    mentioned[found.entry.subject] += 1
            if sentence.block.is_heading and not settings.include_headings:
                continue
            if len(masked.tokens) < settings.min_tokens or masked.content < settings.min_content_words:
                continue
            index = len(units)
            start, end = sentence.source_range(0, len(text))
            first, last = document.position(start), document.position(end)
            mentions = tuple(_mention(document, sentence, found) for found in masked.mentions)
            by_offset = {(m.start, m.end): m for m in mentions}
            doubled = tuple(
                (by_offset[(a.start, a.end)], by_offset[(b.start, b.end)])
                for a, b in masked.doubled
                if (a.start, a.end) in by_offset and (b.start, b.end) in by_offset
            )
            units.append(
                Unit(
                    index=index,
                    text=text,
                    line=first.line,
                    column=first.column,
                    end_line=last.line,
                    end_column=last.column,
                    tokens=len(masked.tokens),
                    content=masked.content,
                    t1=hash_tokens(masked.tokens),
                    t2=hash_tokens(masked.skeleton),
                    mentions=mentions,
                    doubled=doubled,
                )
            )
            for fingerprint, position in winnow(masked.tokens, settings.shingle, settings.window):
                fingerprints.append((fingerprint, index, position))
        subject, source, multi = infer_subject(
            document, self.gazetteer, mentioned, self.parse_options.subject_keys, self.multi_subject_min
        )
        data = document.source.encode("utf-8", "surrogatepass")
        try:
            stat = os.stat(key)
            size, mtime_ns = stat.st_size, stat.st_mtime_ns
        except OSError:
            size, mtime_ns = -1, -1
        record = DocumentRecord(
            path=document.path,
            key=key,
            content_hash=content_hash(data),
            size=size,
            mtime_ns=mtime_ns,
            subject=subject,
            subject_source=source,
            multi_subject=multi,
            units=units,
            winnow=fingerprints,
        )
        if for_run:
            record.directives = parse_directives(document)
            lines = {1} | {u.line for u in units} | {m.line for u in units for m in u.mentions}
            record.line_texts = {
                line: document.line_text(line) for line in sorted(lines) if line <= len(document.line_starts)
            }
        return record


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def index_key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _mention(document: Document, sentence: Sentence, found: Found) -> Mention:
    start, end = sentence.source_range(found.start, found.end)
    first, last = document.position(start), document.position(end)
    return Mention(
        subject=found.entry.subject or "",
        kind=found.entry.kind,
        text=sentence.text[found.start : found.end],
        start=found.start,
        end=found.end,
        line=first.line,
        column=first.column,
        end_line=last.line,
        end_column=last.column,
    )


_EXTRACTOR: list[tuple[Config, Extractor]] = []


def extractor_for(config: Config) -> Extractor:
    """One Extractor per configuration object (workers get their own copy)."""
    if _EXTRACTOR and _EXTRACTOR[0][0] is config:
        return _EXTRACTOR[0][1]
    extractor = Extractor(config)
    _EXTRACTOR[:] = [(config, extractor)]
    return extractor
