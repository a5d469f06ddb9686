"""``kind: substitution``: flag a phrase and suggest the preferred wording.

Settings: ``swap`` (phrase → preferred wording), plus the common
``message``/``severity``/``scope``. The replacement travels as the diagnostic's
``suggestion`` and keeps the matched text's leading capital.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from linter.diagnostic import Diagnostic
from linter.document import Document
from linter.rules.base import CheckFunction, OptionSpec, RuleContext
from linter.rules.textmatch import compile_phrases
from linter.rules.user_kinds import DEFAULT_SCOPE, format_message, sentences_in_scope

KEYS: Mapping[str, OptionSpec] = {
    "swap": OptionSpec("str-map", {}, "phrase to flag → preferred wording"),
    "message": OptionSpec(
        "message",
        "use '{suggestion}' instead of '{match}'",
        "diagnostic message; {match} and {suggestion} are filled in",
    ),
}


def build(settings: Mapping[str, Any]) -> CheckFunction:
    swaps = {_normal(str(key)): str(value) for key, value in dict(settings.get("swap", {})).items()}
    pattern = compile_phrases(tuple(dict(settings.get("swap", {}))))
    message = str(settings.get("message", KEYS["message"].default))
    scope = tuple(settings.get("scope", DEFAULT_SCOPE))

    def check(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
        if pattern is None:
            return
        for sentence in sentences_in_scope(document, scope):
            text = sentence.text
            for match in pattern.finditer(text):
                start, end = match.start("match"), match.end("match")
                matched = text[start:end]
                replacement = _match_case(matched, swaps.get(_normal(matched), ""))
                yield context.diagnostic(
                    document,
                    sentence,
                    start,
                    end,
                    format_message(message, match=matched, suggestion=replacement),
                    suggestion=replacement,
                    fix_safe=True,
                )

    return check


def _normal(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").replace("‘", "'").split())


def _match_case(matched: str, replacement: str) -> str:
    if matched[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement
