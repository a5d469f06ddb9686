"""The rule table: built-in document rules by id, and the no-code rule kinds by name."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType

from linter.rules import pattern, phrase, substitution
from linter.rules.base import DocumentRule

# Built-in document rules (Python modules), by id. Each rule module exposes ``RULE``.
DOCUMENT_RULES: dict[str, DocumentRule] = {}

# No-code rule kinds usable from rules.yaml, by ``kind:`` name. Each module exposes
# ``KEYS`` (its settings) and ``build(settings) -> check``.
KINDS: Mapping[str, ModuleType] = {
    "phrase": phrase,
    "pattern": pattern,
    "substitution": substitution,
}


def register(rule: DocumentRule) -> DocumentRule:
    DOCUMENT_RULES[rule.id] = rule
    return rule


# Built-in rule modules, one per rule id; each exposes RULE. Keep this list sorted.
_BUILTIN_RULE_MODULES: tuple[str, ...] = (
    # "module_name",  (one line per rule module)
    "knowledge_cutoff",
    "relative_date",
    "stale_date",
    "unsourced_certainty",
)


def _register_builtin_rules() -> None:
    import importlib

    for name in _BUILTIN_RULE_MODULES:
        register(importlib.import_module(f"linter.rules.{name}").RULE)


_register_builtin_rules()
