"""The rule table: built-in document and corpus rules by id, and the no-code rule kinds by name."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType

from linter.rules import pattern, phrase, substitution
from linter.rules.base import CorpusRule, DocumentRule

# Built-in document rules (Python modules), by id. Each rule module exposes ``RULE``.
DOCUMENT_RULES: dict[str, DocumentRule] = {}
# Built-in corpus rules (compare a document with the corpus index), by id.
CORPUS_RULES: dict[str, CorpusRule] = {}
# Every built-in rule, for what only needs id, description, severity and options.
BUILTIN_RULES: dict[str, DocumentRule | CorpusRule] = {}

# No-code rule kinds usable from rules.yaml, by ``kind:`` name. Each module exposes
# ``KEYS`` (its settings) and ``build(settings) -> check``.
KINDS: Mapping[str, ModuleType] = {
    "phrase": phrase,
    "pattern": pattern,
    "substitution": substitution,
}


def register(rule: DocumentRule | CorpusRule) -> DocumentRule | CorpusRule:
    if isinstance(rule, CorpusRule):
        CORPUS_RULES[rule.id] = rule
    else:
        DOCUMENT_RULES[rule.id] = rule
    BUILTIN_RULES[rule.id] = rule
    return rule


# Built-in rule modules, one per rule id; each exposes RULE. Keep this list sorted.
_BUILTIN_RULE_MODULES: tuple[str, ...] = (
    # "module_name",  (one line per rule module)
    "entity_leak",
    "knowledge_cutoff",
    "relative_date",
    "stale_date",
    "unsourced_certainty",
    "template_reuse",
)


def _register_builtin_rules() -> None:
    import importlib

    for name in _BUILTIN_RULE_MODULES:
        register(importlib.import_module(f"linter.rules.{name}").RULE)


_register_builtin_rules()

# The rules whose findings depend on the reference date (``--as-of``); no rule kind's do.
REFERENCE_DATE_RULES = frozenset(rule_id for rule_id, rule in DOCUMENT_RULES.items() if rule.uses_reference_date)
