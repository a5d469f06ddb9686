"""A document's subject: front matter, else title or H1, else file name, else most-mentioned entity."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence

from linter.corpus.entities import Gazetteer
from linter.document import Document
from linter.parse import first_heading_text


def infer_subject(
    document: Document,
    gazetteer: Gazetteer,
    mentioned: Counter[str],
    subject_keys: Sequence[str],
    multi_subject_min: int,
) -> tuple[str, str, bool]:
    """``(subject, where it came from, about several subjects?)``."""
    subject, source, multi = _declared(document, gazetteer, subject_keys)
    if subject is None:
        title = document.title or first_heading_text(document.blocks)
        named = _subjects_in(title or "", gazetteer)
        if named:
            subject, source, multi = named[0], "title", len(named) > 1
    if subject is None:
        subject = _from_file_name(document.path, gazetteer)
        source = "file name"
    if subject is None and mentioned:
        subject = mentioned.most_common(1)[0][0]
        source = "mentions"
    if subject is None:
        subject = _stem(document.path) or document.path
        source = "file name"
    others = [name for name in mentioned if name != subject]
    if len(others) >= multi_subject_min:
        multi = True
    return subject, source, multi


def _declared(document: Document, gazetteer: Gazetteer, keys: Sequence[str]) -> tuple[str | None, str, bool]:
    for key in keys:
        value = document.meta.get(key)
        if isinstance(value, str) and value.strip():
            return gazetteer.canonical(value) or value.strip(), "front matter", False
        if isinstance(value, list) and value:
            names = [gazetteer.canonical(str(v)) or str(v).strip() for v in value]
            return names[0], "front matter", len(set(names)) > 1
    return None, "", False


def _subjects_in(text: str, gazetteer: Gazetteer) -> list[str]:
    names: list[str] = []
    for found in gazetteer.find(text):
        subject = found.entry.subject
        if subject is not None and subject not in names:
            names.append(subject)
    return names


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _from_file_name(path: str, gazetteer: Gazetteer) -> str | None:
    stem = _stem(path)
    words = re.sub(r"[-_.]+", " ", stem).strip()
    found = gazetteer.canonical(words)
    if found is not None:
        return found
    named = _subjects_in(words.title(), gazetteer)
    return named[0] if len(named) == 1 else None
