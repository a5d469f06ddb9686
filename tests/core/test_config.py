"""rules.yaml: discovery, extends, overrides, lexicons, and errors at file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO, config_from_yaml, lint, run_cli, spans

from linter.config import BUILTIN, ConfigError, default_rules_text, discover_config_file, load_config


def error_for(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        config_from_yaml(tmp_path, text)
    return caught.value


def location(error: ConfigError) -> tuple[int, int]:
    return error.line, error.column


# ---------------------------------------------------------------- errors name file:line:column


def test_unknown_rule_id_points_at_the_key_with_a_suggestion(tmp_path: Path) -> None:
    error = error_for(tmp_path, "extends: default\nrules:\n  boilerplat:\n    severity: info\n")
    assert location(error) == (3, 3)
    assert "unknown rule 'boilerplat'" in error.message
    assert error.hint == "did you mean 'boilerplate'?"
    assert str(error).startswith(f"{tmp_path / 'rules.yaml'}:3:3: config error:")


def test_unknown_option_key(tmp_path: Path) -> None:
    error = error_for(tmp_path, "extends: default\nrules:\n  boilerplate:\n    severty: info\n")
    assert location(error) == (4, 5)
    assert "unknown option 'severty'" in error.message
    assert error.hint == "did you mean 'severity'?"


def test_bad_severity_points_at_the_value(tmp_path: Path) -> None:
    error = error_for(tmp_path, "extends: default\nrules:\n  boilerplate:\n    severity: fatal\n")
    assert location(error) == (4, 15)
    assert "severity must be one of error, warning, info" in error.message


def test_wrong_type(tmp_path: Path) -> None:
    error = error_for(tmp_path, "rules:\n  filler:\n    kind: phrase\n    phrases: basically\n")
    assert location(error) == (4, 14)
    assert "'phrases' must be a list of strings" in error.message


def test_wrong_type_inside_a_list(tmp_path: Path) -> None:
    error = error_for(tmp_path, "rules:\n  filler:\n    kind: phrase\n    phrases:\n      - basically\n      - 42\n")
    assert location(error) == (6, 9)


def test_invalid_regex_is_a_config_error_with_a_hint(tmp_path: Path) -> None:
    error = error_for(tmp_path, "rules:\n  year:\n    kind: pattern\n    pattern: '(?<=as of )\\d{4}'\n")
    assert location(error) == (4, 14)
    assert error.message.startswith("invalid regular expression")
    assert "RE2" in error.hint


def test_unbalanced_regex(tmp_path: Path) -> None:
    error = error_for(tmp_path, "rules:\n  year:\n    kind: pattern\n    pattern: '(unclosed'\n")
    assert location(error) == (4, 14)


def test_unknown_kind_and_missing_phrases(tmp_path: Path) -> None:
    error = error_for(tmp_path, "rules:\n  filler:\n    kind: phrases\n")
    assert (location(error), error.hint) == ((3, 11), "did you mean 'phrase'?")
    error = error_for(tmp_path, "rules:\n  filler:\n    kind: phrase\n    message: x\n")
    assert location(error) == (2, 3)
    assert "needs 'phrases'" in error.message


def test_bad_message_template(tmp_path: Path) -> None:
    error = error_for(tmp_path, "rules:\n  filler:\n    kind: phrase\n    phrases: [a]\n    message: 'bad {field}'\n")
    assert location(error) == (5, 14)


def test_yaml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    error = error_for(tmp_path, "rules:\n  boilerplate:\n    severity: [warning\n  other: 1\n")
    assert error.line in (3, 4)
    assert error.message.startswith("invalid YAML")


def test_unknown_top_level_key(tmp_path: Path) -> None:
    error = error_for(tmp_path, "extends: default\nrule:\n  boilerplate: false\n")
    assert location(error) == (2, 1)
    assert error.hint == "did you mean 'rules'?"


def test_extends_missing_file(tmp_path: Path) -> None:
    error = error_for(tmp_path, "extends: ../nowhere.yaml\n")
    assert location(error) == (1, 10)


def test_extends_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="loops back"):
        load_config(str(tmp_path / "a.yaml"))


def test_error_in_an_extended_file_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("rules:\n  nonsense-rule: {}\n", encoding="utf-8")
    error = error_for(tmp_path, "extends: base.yaml\n")
    assert error.path == str((tmp_path / "base.yaml").resolve())
    assert location(error) == (2, 3)


def test_cli_reports_config_error_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("rules:\n  boilerplate:\n    severity: loud\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("Overall, fine.\n", encoding="utf-8")
    result = run_cli("check", "page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "rules.yaml:3:15: config error: severity must be one of" in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- building a configuration


def test_builtin_rules_ship_inside_the_package() -> None:
    assert default_rules_text() == (REPO / "rules.yaml").read_text(encoding="utf-8")


def test_builtin_when_nothing_is_found(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = load_config(start=tmp_path)
    assert config.source == BUILTIN
    assert "boilerplate" in config.rules


def test_discovery_prefers_nearest_parent_and_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("extends: default\n", encoding="utf-8")
    repo = tmp_path / "repo"
    deep = repo / "content" / "states"
    deep.mkdir(parents=True)
    (repo / ".git").mkdir()
    assert discover_config_file(deep) is None  # stops at the repository root
    (repo / ".doclint.yaml").write_text("extends: default\n", encoding="utf-8")
    assert discover_config_file(deep) == (repo / ".doclint.yaml").resolve()
    (repo / "content" / "rules.yaml").write_text("extends: default\n", encoding="utf-8")
    assert discover_config_file(deep) == (repo / "content" / "rules.yaml").resolve()


def test_extends_default_then_disable_and_change_severity(tmp_path: Path) -> None:
    config = config_from_yaml(tmp_path, "extends: default\nrules:\n  boilerplate:\n    severity: info\n")
    assert config.rules["boilerplate"].severity == "info"
    assert config.rules["boilerplate"].kind == "phrase"
    config = config_from_yaml(tmp_path, "extends: default\nrules:\n  boilerplate: false\n")
    assert not config.rules["boilerplate"].enabled


def test_overrides_apply_by_glob(tmp_path: Path) -> None:
    config = config_from_yaml(
        tmp_path,
        "extends: default\noverrides:\n  - files: ['archive/**']\n    rules:\n      boilerplate: {enabled: false}\n"
        "  - files: ['*.txt']\n    rules:\n      boilerplate: {severity: error}\n",
    )
    assert not config.rules_for(str(tmp_path / "archive" / "2019" / "page.md"))["boilerplate"].enabled
    assert config.rules_for(str(tmp_path / "news" / "page.txt"))["boilerplate"].severity == "error"
    assert config.rules_for(str(tmp_path / "page.md"))["boilerplate"].severity == "warning"
    assert config.rules["boilerplate"].enabled  # the base settings are untouched


def test_lexicons_add_remove_and_replace(tmp_path: Path) -> None:
    config = config_from_yaml(
        tmp_path,
        "extends: default\nlexicons:\n  abbreviations:\n    add: [Gov]\n    remove: [Ark]\n  mine: [a, b]\n",
    )
    assert "Gov" in config.lexicons["abbreviations"]
    assert "Ark" not in config.lexicons["abbreviations"]
    assert config.lexicons["mine"] == ("a", "b")


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    config = config_from_yaml(tmp_path, "include: ['**/*.md']\nexclude: ['drafts/**']\n")
    assert config.is_included(str(tmp_path / "a" / "b.md"))
    assert not config.is_included(str(tmp_path / "a" / "b.txt"))
    assert config.is_excluded(str(tmp_path / "drafts" / "x.md"))


def test_fingerprint_changes_with_settings(tmp_path: Path) -> None:
    first = config_from_yaml(tmp_path, "extends: default\n").fingerprint()
    second = config_from_yaml(tmp_path, "extends: default\nrules:\n  boilerplate: {severity: info}\n").fingerprint()
    assert first != second


def test_config_in_current_directory_is_used_by_the_cli(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".doclint.yaml").write_text(
        "rules:\n  hedge-word:\n    kind: phrase\n    phrases: [arguably]\n    message: \"'{match}' hedges\"\n",
        encoding="utf-8",
    )
    (tmp_path / "page.md").write_text("This is arguably fine.\n", encoding="utf-8")
    result = run_cli("check", "page.md", cwd=tmp_path)
    assert "page.md:1:9: warning [hedge-word] 'arguably' hedges" in result.stdout
    assert result.returncode == 1


def test_user_rules_add_to_the_default_set(tmp_path: Path) -> None:
    config = config_from_yaml(tmp_path, "rules:\n  filler:\n    kind: phrase\n    phrases: [basically]\n")
    assert spans(lint("Basically, it works. Overall, fine.\n", config=config, rules=["filler", "boilerplate"])) == [
        ("filler", 1, 1, 1, 10),
        ("boilerplate", 1, 22, 1, 30),
    ]
