"""``kind: pattern``: flag matches of a regular expression (RE2 syntax, linear time).

Settings: ``pattern``, ``case_sensitive`` (default false), plus the common
``message``/``severity``/``scope``. Matching is per sentence.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from linter.diagnostic import Diagnostic
from linter.document import Document
from linter.rules.base import CheckFunction, OptionSpec, RuleContext
from linter.rules.safe_regex import compile_user_pattern
from linter.rules.user_kinds import DEFAULT_SCOPE, format_message, sentences_in_scope

KEYS: Mapping[str, OptionSpec] = {
    "pattern": OptionSpec("regex", "", "regular expression (RE2 syntax: no look-around or backreferences)"),
    "case_sensitive": OptionSpec("bool", False, "match case exactly"),
    "message": OptionSpec("message", "'{match}'", "diagnostic message; {match} is the matched text"),
}


def build(settings: Mapping[str, Any]) -> CheckFunction:
    compiled = compile_user_pattern(str(settings["pattern"]), bool(settings.get("case_sensitive", False)))
    message = str(settings.get("message", KEYS["message"].default))
    scope = tuple(settings.get("scope", DEFAULT_SCOPE))

    def check(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
        for sentence in sentences_in_scope(document, scope):
            text = sentence.text
            for match in compiled.finditer(text):
                start, end = match.span()
                if start == end:
                    continue
                yield context.diagnostic(document, sentence, start, end, format_message(message, match=text[start:end]))

    return check
