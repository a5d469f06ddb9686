"""rules.yaml: discovery, ``extends``, strict validation with file:line:column errors.

A configuration is built from layers: the built-in default set (always: a house style
changes or switches off what it does not want), then each ``extends`` target, then the
file itself. ``extends: default`` names the built-in layer explicitly. Every layer is
validated as it is read, so an error points at the line in the file that holds it.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter import __version__
from linter.diagnostic import SEVERITIES, Severity
from linter.globs import matches
from linter.parse import ParseOptions
from linter.rules import BUILTIN_RULES, KINDS
from linter.rules.base import OptionSpec
from linter.rules.safe_regex import PatternError, compile_user_pattern
from linter.rules.user_kinds import SCOPE_CHOICES

CONFIG_NAMES = (".doclint.yaml", "rules.yaml")
BUILTIN = "<built-in rules.yaml>"
DEFAULT_INCLUDE = ("**/*.md", "**/*.markdown", "**/*.txt", "**/*.html", "**/*.htm")
TOP_LEVEL_KEYS = ("extends", "include", "exclude", "corpus", "rules", "overrides", "lexicons", "document")
RULE_COMMON_KEYS = ("enabled", "severity", "kind", "description")
USER_RULE_COMMON_KEYS: Mapping[str, OptionSpec] = {
    "scope": OptionSpec("choice-list", ["sentence"], "block kinds the rule looks at", SCOPE_CHOICES),
}
DOCUMENT_KEYS: Mapping[str, OptionSpec] = {
    "subject_keys": OptionSpec("str-list", ["subject", "state"], "front-matter keys naming a page's subject"),
    "title_keys": OptionSpec("str-list", ["title"], "front-matter keys holding a page's title"),
}


class ConfigError(Exception):
    """A configuration problem, located in a file."""

    def __init__(self, path: str, line: int, column: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: config error: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


@dataclass
class RuleSettings:
    """The effective settings of one rule."""

    id: str
    enabled: bool
    severity: Severity
    options: dict[str, Any]
    kind: str | None = None  # a no-code kind, or None for a built-in rule
    description: str = ""


@dataclass(frozen=True)
class Override:
    files: tuple[str, ...]
    rules: dict[str, dict[str, Any]]  # rule id → partial settings (enabled, severity, options)


@dataclass
class Config:
    source: str  # the file it came from, or BUILTIN
    root: Path  # the directory globs are relative to
    rules: dict[str, RuleSettings]
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    corpus: tuple[str, ...] = ()
    overrides: list[Override] = field(default_factory=list)
    lexicons: dict[str, tuple[str, ...]] = field(default_factory=dict)
    document: dict[str, Any] = field(default_factory=dict)

    @property
    def parse_options(self) -> ParseOptions:
        return ParseOptions(
            abbreviations=frozenset(a.rstrip(".") for a in self.lexicons.get("abbreviations", ())),
            subject_keys=tuple(self.document.get("subject_keys", ("subject", "state"))),
            title_keys=tuple(self.document.get("title_keys", ("title",))),
        )

    def relative(self, path: str) -> str:
        """``path`` relative to the config root, in POSIX form (for glob matching)."""
        absolute = os.path.abspath(path)
        try:
            relative = os.path.relpath(absolute, self.root)
        except ValueError:  # another drive on Windows
            return Path(absolute).as_posix()
        return Path(relative).as_posix()

    def is_excluded(self, path: str) -> bool:
        return bool(self.exclude) and matches(self.relative(path), self.exclude)

    def is_included(self, path: str) -> bool:
        return matches(self.relative(path), self.include)

    def rules_for(self, path: str) -> dict[str, RuleSettings]:
        """The rules in force for ``path``, with matching overrides applied in order."""
        relative = self.relative(path)
        applicable = [o for o in self.overrides if matches(relative, o.files)]
        if not applicable:
            return self.rules
        rules = {rule_id: copy.copy(settings) for rule_id, settings in self.rules.items()}
        for override in applicable:
            for rule_id, partial in override.rules.items():
                settings = rules[rule_id]
                settings.options = dict(settings.options)
                _apply_partial(settings, partial)
        return rules

    def fingerprint(self) -> str:
        """A hash of everything that can change results (for caches and indexes)."""
        state = {
            "version": __version__,
            "rules": {rule_id: [s.enabled, s.severity, s.kind, s.options] for rule_id, s in sorted(self.rules.items())},
            "overrides": [[o.files, o.rules] for o in self.overrides],
            "lexicons": self.lexicons,
            "document": self.document,
        }
        return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- discovery


def discover_config_file(start: Path) -> Path | None:
    """``.doclint.yaml`` or ``rules.yaml`` in ``start`` or the nearest parent up to the repo root."""
    directory = start.resolve()
    while True:
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        if (directory / ".git").exists() or directory.parent == directory:
            return None
        directory = directory.parent


def load_config(explicit: str | None = None, start: Path | None = None, parsed_cache: str | None = None) -> Config:
    """The configuration for a run: ``--config FILE``, else discovery, else built-in.

    ``parsed_cache``: a directory where parsed YAML is kept by content hash (see
    linter/cache.py), so an unchanged rules.yaml is not parsed by ruamel again.
    """
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(explicit, 1, 1, "config file not found", "check the --config path")
        return _build_cached(path, parsed_cache)
    found = discover_config_file(start or Path.cwd())
    if found is None:
        return _build_cached(None, parsed_cache)
    return _build_cached(found, parsed_cache)


def _build_cached(path: Path | None, parsed_cache: str | None) -> Config:
    if parsed_cache is None:
        return _build(path)
    try:
        return _build(path, parsed_cache)
    except ConfigError:  # cached data has no line numbers: parse again for an exact error
        return _build(path)


def default_rules_text() -> str:
    """The built-in rules.yaml, shipped next to this module.

    Read as a plain file: importlib.resources (for a package inside a zip) imports zipfile,
    bz2, lzma and threading, several milliseconds of every one-file run; it remains the
    fallback when the file is not on disk."""
    try:
        return Path(__file__).with_name("rules.yaml").read_text(encoding="utf-8")
    except OSError:
        from importlib import resources

        return resources.files("linter").joinpath("rules.yaml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- building


def _build(path: Path | None, parsed_cache: str | None = None) -> Config:
    builder = _Builder(parsed_cache)
    builder.load_builtin()  # every configuration starts from the built-in set
    if path is None:
        root = Path.cwd()
        source = BUILTIN
    else:
        builder.load_file(path, seen=(BUILTIN,))
        root = path.resolve().parent
        source = str(path)
    rules: dict[str, RuleSettings] = {}
    for rule_id, entry in builder.rules.items():
        rules[rule_id] = RuleSettings(
            id=rule_id,
            enabled=entry["enabled"],
            severity=entry["severity"],
            options=entry["options"],
            kind=entry["kind"],
            description=entry["description"],
        )
    return Config(
        source=source,
        root=root,
        rules=rules,
        include=builder.include,
        exclude=builder.exclude,
        corpus=builder.corpus,
        overrides=builder.overrides,
        lexicons=builder.lexicons,
        document=builder.document,
    )


def _apply_partial(settings: RuleSettings, partial: Mapping[str, Any]) -> None:
    for key, value in partial.items():
        if key == "enabled":
            settings.enabled = bool(value)
        elif key == "severity":
            settings.severity = value
        elif key not in ("kind", "description"):
            settings.options[key] = value


class _Builder:
    """Accumulates layers; validates each against what the layers before it defined."""

    def __init__(self, parsed_cache: str | None = None) -> None:
        self.parsed_cache = parsed_cache
        self.rules: dict[str, dict[str, Any]] = {}
        for rule in BUILTIN_RULES.values():
            self.rules[rule.id] = {
                "enabled": rule.default_enabled,
                "severity": rule.default_severity,
                "options": {name: copy.deepcopy(spec.default) for name, spec in rule.options.items()},
                "kind": None,
                "description": rule.description,
            }
        self.include: tuple[str, ...] = DEFAULT_INCLUDE
        self.exclude: tuple[str, ...] = ()
        self.corpus: tuple[str, ...] = ()
        self.overrides: list[Override] = []
        self.lexicons: dict[str, tuple[str, ...]] = {}
        self.document: dict[str, Any] = {name: list(spec.default) for name, spec in DOCUMENT_KEYS.items()}

    # -- reading

    def load_builtin(self) -> None:
        self._apply(self._parse(default_rules_text(), BUILTIN), BUILTIN, Path.cwd(), seen=(BUILTIN,))

    def _parse(self, text: str, path: str) -> Any:
        if self.parsed_cache is None:
            return _parse_yaml(text, path)
        from linter.cache import load_parsed_yaml, store_parsed_yaml

        data = load_parsed_yaml(self.parsed_cache, text)
        if data is None:
            data = _parse_yaml(text, path)
            store_parsed_yaml(self.parsed_cache, text, data)
        return data

    def load_file(self, path: Path, seen: tuple[str, ...]) -> None:
        key = str(path.resolve())
        if key in seen:
            raise ConfigError(str(path), 1, 1, "'extends' loops back to this file", "remove the cycle")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise ConfigError(str(path), 1, 1, f"not valid UTF-8 (byte {error.start})", "save it as UTF-8") from None
        except OSError as error:
            raise ConfigError(str(path), 1, 1, f"cannot read: {error.strerror}") from None
        self._apply(self._parse(text, str(path)), str(path), path.resolve().parent, (*seen, key))

    def _apply(self, data: Any, path: str, directory: Path, seen: tuple[str, ...]) -> None:
        if data is None:
            return
        if not isinstance(data, dict):
            raise ConfigError(
                path, 1, 1, "the top level must be a mapping of settings", "see the README's rules.yaml section"
            )
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                raise _error_at_key(path, data, key, f"unknown top-level key '{key}'", _hint(key, TOP_LEVEL_KEYS))
        if "extends" in data:
            self._extends(data, path, directory, seen)
        if "lexicons" in data:
            self._lexicons(data["lexicons"], data, path)
        if "document" in data:
            self.document.update(_check_options(path, data, "document", data["document"], DOCUMENT_KEYS, "document"))
        for key in ("include", "exclude", "corpus"):
            if key in data:
                globs = tuple(_check_value(path, data, key, data[key], OptionSpec("str-list", [], "")))
                if key == "include":
                    self.include = globs
                elif key == "exclude":
                    self.exclude = self.exclude + globs
                else:
                    self.corpus = self.corpus + globs
        if "rules" in data:
            rules = data["rules"]
            if not isinstance(rules, dict):
                raise _error_at_value(path, data, "rules", "'rules' must be a mapping of rule id to settings")
            for rule_id in rules:
                self._rule(path, rules, str(rule_id), rules[rule_id])
        if "overrides" in data:
            self._overrides(path, data)

    def _extends(self, data: Any, path: str, directory: Path, seen: tuple[str, ...]) -> None:
        target = data["extends"]
        targets = target if isinstance(target, list) else [target]
        for item in targets:
            if not isinstance(item, str):
                raise _error_at_value(path, data, "extends", "'extends' takes 'default' or a file path")
            if item == "default":
                if BUILTIN not in seen:
                    self._apply(self._parse(default_rules_text(), BUILTIN), BUILTIN, directory, (*seen, BUILTIN))
                continue
            base = (directory / item).resolve()
            if not base.is_file():
                raise _error_at_value(
                    path,
                    data,
                    "extends",
                    f"'extends' names '{item}', which does not exist",
                    "paths are relative to this file",
                )
            self.load_file(base, seen)

    def _lexicons(self, lexicons: Any, parent: Any, path: str) -> None:
        if not isinstance(lexicons, dict):
            raise _error_at_value(path, parent, "lexicons", "'lexicons' must map a lexicon name to a list of phrases")
        for name in lexicons:
            value = lexicons[name]
            if isinstance(value, list):
                self.lexicons[str(name)] = tuple(
                    _check_value(path, lexicons, name, value, OptionSpec("str-list", [], ""))
                )
                continue
            if isinstance(value, dict):
                current = list(self.lexicons.get(str(name), ()))
                for key in value:
                    if key not in ("add", "remove"):
                        raise _error_at_key(path, value, key, f"unknown lexicon edit '{key}'", "use 'add' or 'remove'")
                    items = _check_value(path, value, key, value[key], OptionSpec("str-list", [], ""))
                    if key == "add":
                        current.extend(item for item in items if item not in current)
                    else:
                        removed = {item.lower() for item in items}
                        current = [item for item in current if item.lower() not in removed]
                self.lexicons[str(name)] = tuple(current)
                continue
            raise _error_at_value(
                path,
                lexicons,
                name,
                f"lexicon '{name}' must be a list of phrases",
                "or a mapping with 'add'/'remove' lists",
            )

    def _rule(self, path: str, rules: Any, rule_id: str, entry: Any) -> None:
        if entry is None:
            entry = {}
        if isinstance(entry, bool):
            if rule_id not in self.rules:
                raise _unknown_rule(path, rules, rule_id, self.rules)
            self.rules[rule_id]["enabled"] = entry
            return
        if not isinstance(entry, dict):
            raise _error_at_value(path, rules, rule_id, f"settings for '{rule_id}' must be a mapping", "or true/false")
        kind = entry.get("kind")
        if kind is not None:
            if rule_id in BUILTIN_RULES:
                raise _error_at_key(
                    path,
                    entry,
                    "kind",
                    f"'{rule_id}' is a built-in rule; it cannot take a 'kind'",
                    "pick another id for your rule",
                )
            if kind not in KINDS:
                raise _error_at_value(
                    path, entry, "kind", f"unknown rule kind '{kind}'", _hint(str(kind), tuple(KINDS))
                )
            self.rules[rule_id] = {
                "enabled": True,
                "severity": "warning",
                "options": {},
                "kind": kind,
                "description": "",
            }
        elif rule_id not in self.rules:
            raise _unknown_rule(path, rules, rule_id, self.rules)
        current = self.rules[rule_id]
        partial = self._partial(path, entry, rule_id, current["kind"])
        if "description" in entry:
            current["description"] = _check_value(
                path, entry, "description", entry["description"], OptionSpec("str", "", "")
            )
        for key, value in partial.items():
            if key in ("enabled", "severity"):
                current[key] = value
            else:
                current["options"][key] = value
        if current["kind"] is not None:
            _check_user_rule_complete(path, rules, rule_id, current)

    def _partial(self, path: str, entry: Any, rule_id: str, kind: str | None) -> dict[str, Any]:
        """Validate a rule entry's keys and values; return them without 'kind'/'description'."""
        specs = _specs_for(rule_id, kind)
        partial: dict[str, Any] = {}
        for key in entry:
            value = entry[key]
            if key == "enabled":
                partial["enabled"] = _check_value(path, entry, key, value, OptionSpec("bool", True, ""))
            elif key == "severity":
                if value not in SEVERITIES:
                    raise _error_at_value(
                        path,
                        entry,
                        key,
                        f"severity must be one of error, warning, info (got '{value}')",
                        "to turn a rule off use 'enabled: false'",
                    )
                partial["severity"] = value
            elif key in ("kind", "description"):
                continue
            elif key in specs:
                partial[key] = _check_value(path, entry, key, value, specs[key])
            else:
                known = tuple(specs) + RULE_COMMON_KEYS
                raise _error_at_key(
                    path, entry, key, f"unknown option '{key}' for rule '{rule_id}'", _hint(str(key), known)
                )
        return partial

    def _overrides(self, path: str, data: Any) -> None:
        overrides = data["overrides"]
        if not isinstance(overrides, list):
            raise _error_at_value(path, data, "overrides", "'overrides' must be a list of {files, rules} entries")
        for index, item in enumerate(overrides):
            if not isinstance(item, dict):
                line, column = _item_position(overrides, index)
                raise ConfigError(path, line, column, "each override must be a mapping with 'files' and 'rules'")
            for key in item:
                if key not in ("files", "rules"):
                    raise _error_at_key(
                        path, item, key, f"unknown override key '{key}'", "an override has 'files' and 'rules'"
                    )
            if "files" not in item:
                line, column = _item_position(overrides, index)
                raise ConfigError(path, line, column, "override without 'files'", "add files: [glob, …]")
            files = tuple(_check_value(path, item, "files", item["files"], OptionSpec("str-list", [], "")))
            rules: dict[str, dict[str, Any]] = {}
            overrides_rules = item.get("rules") or {}
            if not isinstance(overrides_rules, dict):
                raise _error_at_value(path, item, "rules", "'rules' must be a mapping of rule id to settings")
            for rule_id in overrides_rules:
                entry = overrides_rules[rule_id]
                if rule_id not in self.rules:
                    raise _unknown_rule(path, overrides_rules, str(rule_id), self.rules)
                if isinstance(entry, bool):
                    rules[str(rule_id)] = {"enabled": entry}
                    continue
                if not isinstance(entry, dict):
                    raise _error_at_value(
                        path, overrides_rules, rule_id, "rule settings must be a mapping", "or true/false"
                    )
                if "kind" in entry:
                    raise _error_at_key(
                        path, entry, "kind", "an override cannot define a rule", "define it under the top-level 'rules'"
                    )
                rules[str(rule_id)] = self._partial(path, entry, str(rule_id), self.rules[rule_id]["kind"])
            self.overrides.append(Override(files, rules))


def _specs_for(rule_id: str, kind: str | None) -> Mapping[str, OptionSpec]:
    if kind is not None:
        return {**USER_RULE_COMMON_KEYS, **KINDS[kind].KEYS}
    return BUILTIN_RULES[rule_id].options


def _check_user_rule_complete(path: str, rules: Any, rule_id: str, current: dict[str, Any]) -> None:
    options = current["options"]
    kind = current["kind"]
    required = {"phrase": ("phrases", "groups"), "pattern": ("pattern",), "substitution": ("swap",)}[kind]
    if not any(options.get(key) for key in required):
        raise _error_at_key(
            path,
            rules,
            rule_id,
            f"rule '{rule_id}' (kind: {kind}) needs '{required[0]}'",
            f"add {required[0]}: … to it",
        )


# --------------------------------------------------------------------------- values


def _check_value(path: str, parent: Any, key: Any, value: Any, spec: OptionSpec) -> Any:
    """Validate ``value`` (found at ``parent[key]``) against ``spec``; return plain data."""

    def fail(message: str, hint: str = "") -> ConfigError:
        return _error_at_value(path, parent, key, message, hint)

    kind = spec.type
    if kind == "bool":
        if not isinstance(value, bool):
            raise fail(f"'{key}' must be true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(f"'{key}' must be a whole number")
        return int(value)
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise fail(f"'{key}' must be a number")
        return float(value)
    if kind in ("str", "message", "regex"):
        if not isinstance(value, str):
            raise fail(f"'{key}' must be a string")
        text = str(value)
        if kind == "message":
            try:
                text.format(match="x", suggestion="y")
            except (KeyError, IndexError, ValueError) as error:
                raise fail(
                    f"message template is invalid ({error})", "use {match} and {suggestion}; write {{ and }} for braces"
                ) from None
        if kind == "regex":
            try:
                compile_user_pattern(text, False)
            except PatternError as error:
                raise fail(
                    f"invalid regular expression: {error}", "patterns use RE2 syntax (no look-around or backreferences)"
                ) from None
        return text
    if kind == "choice":
        if value not in spec.choices:
            raise fail(f"'{key}' must be one of {', '.join(spec.choices)} (got '{value}')")
        return str(value)
    if kind in ("str-list", "choice-list"):
        if isinstance(value, str) and kind == "choice-list":
            value = [value]
        if not isinstance(value, list):
            raise fail(f"'{key}' must be a list of strings")
        for index, item in enumerate(value):
            if not isinstance(item, str):
                line, column = _item_position(value, index)
                raise ConfigError(path, line, column, f"every item of '{key}' must be a string")
            if kind == "choice-list" and item not in spec.choices:
                line, column = _item_position(value, index)
                raise ConfigError(path, line, column, f"'{item}' is not one of {', '.join(spec.choices)}")
        return [str(item) for item in value]
    if kind == "str-map":
        if not isinstance(value, dict):
            raise fail(f"'{key}' must be a mapping of phrase to replacement")
        for item_key in value:
            if not isinstance(value[item_key], str):
                raise _error_at_value(path, value, item_key, f"the replacement for '{item_key}' must be a string")
        return {str(k): str(v) for k, v in value.items()}
    if kind == "group-list":
        from linter.rules.phrase import GROUP_KEYS

        if not isinstance(value, list):
            raise fail(f"'{key}' must be a list of {{phrases, message}} groups")
        groups = []
        for index, group in enumerate(value):
            if not isinstance(group, dict):
                line, column = _item_position(value, index)
                raise ConfigError(path, line, column, "each group must be a mapping with 'phrases' and 'message'")
            checked: dict[str, Any] = {}
            for group_key in group:
                if group_key not in GROUP_KEYS:
                    raise _error_at_key(
                        path,
                        group,
                        group_key,
                        f"unknown group key '{group_key}'",
                        _hint(str(group_key), tuple(GROUP_KEYS)),
                    )
                checked[str(group_key)] = _check_value(path, group, group_key, group[group_key], GROUP_KEYS[group_key])
            if not checked.get("phrases"):
                line, column = _item_position(value, index)
                raise ConfigError(path, line, column, "a group needs a non-empty 'phrases' list")
            groups.append(checked)
        return groups
    if kind == "mapping":
        if not isinstance(value, dict):
            raise fail(f"'{key}' must be a mapping")
        return _plain(value)
    raise AssertionError(f"unknown option type {kind}")  # pragma: no cover - a bug in a rule's spec


def _check_options(
    path: str, parent: Any, key: str, value: Any, specs: Mapping[str, OptionSpec], what: str
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _error_at_value(path, parent, key, f"'{what}' must be a mapping")
    checked: dict[str, Any] = {}
    for option in value:
        if option not in specs:
            raise _error_at_key(
                path, value, option, f"unknown {what} setting '{option}'", _hint(str(option), tuple(specs))
            )
        checked[str(option)] = _check_value(path, value, option, value[option], specs[option])
    return checked


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --------------------------------------------------------------------------- positions


def _parse_yaml(text: str, path: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else 1
        problem = error.problem or error.context or "invalid YAML"
        raise ConfigError(
            path, line, column, f"invalid YAML: {problem}", "check indentation and quoting on this line"
        ) from None
    except YAMLError as error:
        raise ConfigError(path, 1, 1, f"invalid YAML: {error}") from None


def _position(node: Any, key: Any, value: bool) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None:
        return 1, 1
    try:
        line, column = lc.value(key) if value else lc.key(key)
    except (KeyError, TypeError, AttributeError):
        return (lc.line or 0) + 1, (lc.col or 0) + 1
    return line + 1, column + 1


def _item_position(sequence: Any, index: int) -> tuple[int, int]:
    lc = getattr(sequence, "lc", None)
    if lc is None:
        return 1, 1
    try:
        line, column = lc.item(index)
    except (KeyError, TypeError, AttributeError):
        return (lc.line or 0) + 1, (lc.col or 0) + 1
    return line + 1, column + 1


def _error_at_key(path: str, node: Any, key: Any, message: str, hint: str = "") -> ConfigError:
    line, column = _position(node, key, value=False)
    return ConfigError(path, line, column, message, hint)


def _error_at_value(path: str, node: Any, key: Any, message: str, hint: str = "") -> ConfigError:
    line, column = _position(node, key, value=True)
    return ConfigError(path, line, column, message, hint)


def _unknown_rule(path: str, rules: Any, rule_id: str, known: Iterable[str]) -> ConfigError:
    return _error_at_key(
        path,
        rules,
        rule_id,
        f"unknown rule '{rule_id}'",
        _hint(rule_id, tuple(known))
        or "run 'doclint rules' for the list, or add 'kind: phrase|pattern|substitution' to define it",
    )


def _hint(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else ""
