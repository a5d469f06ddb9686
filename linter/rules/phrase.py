"""``kind: phrase``: flag listed phrases (case-insensitive, whole words).

Settings: ``phrases`` (list), or ``groups`` (a list of ``{phrases, message, position}``
so one rule can name several defects), ``position`` (``anywhere`` or
``sentence-start``), plus the common ``message``/``severity``/``scope``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from re import Pattern
from typing import Any

from linter.diagnostic import Diagnostic, Severity
from linter.document import Document
from linter.prescan import Prescan, PrescanTexts, compile_prescan
from linter.rules.base import CheckFunction, OptionSpec, RuleContext
from linter.rules.textmatch import compile_phrases
from linter.rules.user_kinds import DEFAULT_SCOPE, format_message, sentences_in_scope

KEYS: Mapping[str, OptionSpec] = {
    "phrases": OptionSpec("str-list", [], "phrases to flag, case-insensitive, whole words"),
    "groups": OptionSpec("group-list", [], "phrase groups, each with its own message and position"),
    "position": OptionSpec("choice", "anywhere", "where a phrase must stand to count", ("anywhere", "sentence-start")),
    "message": OptionSpec("message", "'{match}'", "diagnostic message; {match} is the matched text"),
}
GROUP_KEYS: Mapping[str, OptionSpec] = {
    "phrases": KEYS["phrases"],
    "severity": OptionSpec("choice", "warning", "severity of this group's findings", ("error", "warning", "info")),
    "position": KEYS["position"],
    "message": KEYS["message"],
}


@dataclass(frozen=True)
class _Group:
    pattern: Pattern[str] | None
    message: str
    severity: Severity | None
    prescan: Prescan | None  # which sentences of a page can hold one of the phrases


def build(settings: Mapping[str, Any]) -> CheckFunction:
    default_message = str(settings.get("message", KEYS["message"].default))
    default_position = str(settings.get("position", "anywhere"))
    groups: list[_Group] = []
    if settings.get("phrases"):
        groups.append(_group(settings["phrases"], default_position, default_message, None))
    for group in settings.get("groups", []):
        groups.append(
            _group(
                group.get("phrases", []),
                str(group.get("position", default_position)),
                str(group.get("message", default_message)),
                group.get("severity"),
            )
        )
    scope = tuple(settings.get("scope", DEFAULT_SCOPE))

    def check(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
        sentences = list(sentences_in_scope(document, scope))
        texts = [sentence.text for sentence in sentences]
        batch = PrescanTexts(texts)
        possible = [set() if group.prescan is None else group.prescan.candidates(batch) for group in groups]
        for index, sentence in enumerate(sentences):
            text = texts[index]
            for group, candidates in zip(groups, possible, strict=True):
                if group.pattern is None or index not in candidates:
                    continue
                for match in group.pattern.finditer(text):
                    start, end = match.start("match"), match.end("match")
                    yield context.diagnostic(
                        document,
                        sentence,
                        start,
                        end,
                        format_message(group.message, match=text[start:end]),
                        severity=group.severity,
                    )

    return check


def _group(phrases: list[str], position: str, message: str, severity: Severity | None) -> _Group:
    pattern = compile_phrases(tuple(phrases), anchored_start=position == "sentence-start")
    return _Group(pattern, message, severity, compile_prescan(tuple(phrases)))
