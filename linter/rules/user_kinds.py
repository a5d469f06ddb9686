"""The shared part of the no-code rule kinds (phrase, pattern, substitution).

A user rule in rules.yaml names its ``kind``; the kind's module turns the rule's settings
into a check function. Settings common to every kind: ``message`` (``{match}`` and, for
substitutions, ``{suggestion}`` are filled in), ``severity``, ``scope`` and
``description``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from linter.document import Document, Sentence

# Block kinds a user rule may be limited to. "sentence" means every sentence of body text.
SCOPE_CHOICES: tuple[str, ...] = ("heading", "paragraph", "sentence", "list_item", "quote", "table_cell")
_BODY_KINDS = frozenset({"paragraph", "list_item", "quote", "table_cell"})
DEFAULT_SCOPE: tuple[str, ...] = ("sentence",)


def block_kinds_for_scope(scope: Iterable[str]) -> frozenset[str]:
    kinds: set[str] = set()
    for item in scope:
        if item == "sentence":
            kinds |= _BODY_KINDS
        elif item == "heading":
            kinds |= {"heading", "question"}
        elif item == "quote":
            kinds.add("quote")
        else:
            kinds.add(item)
    return frozenset(kinds)


def sentences_in_scope(document: Document, scope: Iterable[str]) -> Iterator[Sentence]:
    kinds = block_kinds_for_scope(scope)
    include_quotes = "quote" in kinds
    for sentence in document.sentences:
        block = sentence.block
        if block.kind in kinds or (include_quotes and block.in_quote):
            yield sentence


def format_message(template: str, **values: Any) -> str:
    return template.format(**values)
