"""``--fix`` and ``--diff``: safe suggestions applied atomically, encodings kept."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from helpers import config_from_yaml, lint, run_cli

from linter.atomic import FileChanged
from linter.fix import apply_fixes, fix_file, write_fix

RULES = """\
extends: default
rules:
  plain-words:
    kind: substitution
    swap:
      utilize: use
      in order to: to
"""
PAGE = "# Forms\n\nWe utilize the portal in order to file.\nIt is important to note that Utilize is capitalised.\n"
FIXED = "# Forms\n\nWe use the portal to file.\nIt is important to note that Use is capitalised.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    return tmp_path


def test_apply_fixes_only_applies_safe_suggestions(project: Path) -> None:
    config = config_from_yaml(project, RULES)
    diagnostics = lint(PAGE, config=config)
    assert sorted({d.rule for d in diagnostics}) == ["boilerplate", "plain-words"]  # boilerplate has no fix
    fixed, applied = apply_fixes(PAGE, diagnostics)
    assert (fixed, applied) == (FIXED, 3)


def test_apply_fixes_skips_a_span_whose_text_changed(project: Path) -> None:
    config = config_from_yaml(project, RULES)
    diagnostics = lint(PAGE, config=config)
    changed = PAGE.replace("utilize the", "utilise the")
    fixed, applied = apply_fixes(changed, diagnostics)
    assert applied == 2 and "utilise the portal to file" in fixed


def test_fix_writes_files_and_reports_what_is_left(project: Path) -> None:
    page = project / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    completed = run_cli("check", "--no-progress", "--format", "unix", "--fix", "page.md", cwd=project)
    assert page.read_text(encoding="utf-8") == FIXED
    assert "applied 3 fixes in 1 file" in completed.stderr
    assert completed.stdout.splitlines() == [
        "page.md:4:1: 'It is important to note' is a didactic aside that delays the point: "
        "delete it and state the fact directly [boilerplate]"
    ]
    assert completed.returncode == 1
    leftovers = [name for name in os.listdir(project) if name.endswith(".doclint-tmp")]
    assert leftovers == []


def test_fix_never_rewrites_a_named_file_that_include_does_not_match(project: Path) -> None:
    """rules.yaml itself holds 'utilize': named on the command line it is linted, never fixed."""
    before = (project / "rules.yaml").read_bytes()
    page = project / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    completed = run_cli("check", "--no-progress", "--format", "unix", "--fix", "rules.yaml", "page.md", cwd=project)
    assert (project / "rules.yaml").read_bytes() == before
    assert page.read_text(encoding="utf-8") == FIXED
    assert "doclint: rules.yaml: not fixed: it does not match 'include' in the configuration" in completed.stderr
    assert "rules.yaml:6:7: use 'use' instead of 'utilize' [plain-words]" in completed.stdout.splitlines()


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("utf-8", b"", "\n"),
        ("utf-8", codecs.BOM_UTF8, "\r\n"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "\r"),
    ],
)
def test_fix_keeps_encoding_bom_and_newlines(project: Path, encoding: str, bom: bytes, newline: str) -> None:
    page = project / "page.md"
    page.write_bytes(bom + PAGE.replace("\n", newline).encode(encoding))
    page.chmod(0o640)
    completed = run_cli("check", "--no-progress", "--fix", "page.md", cwd=project)
    assert completed.returncode == 1, completed.stderr
    assert page.read_bytes() == bom + FIXED.replace("\n", newline).encode(encoding)
    assert page.stat().st_mode & 0o777 == 0o640


def test_diff_prints_a_unified_diff_and_writes_nothing(project: Path) -> None:
    page = project / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    completed = run_cli("check", "--diff", "page.md", cwd=project)
    assert page.read_text(encoding="utf-8") == PAGE
    assert completed.returncode == 1
    assert completed.stdout == (
        "--- a/page.md\n"
        "+++ b/page.md\n"
        "@@ -1,4 +1,4 @@\n"
        " # Forms\n"
        " \n"
        "-We utilize the portal in order to file.\n"
        "-It is important to note that Utilize is capitalised.\n"
        "+We use the portal to file.\n"
        "+It is important to note that Use is capitalised.\n"
    )
    assert "3 fixes in 1 file would be applied" in completed.stderr
    (project / "clean.md").write_text("# Forms\n\nWe use the portal to file.\n", encoding="utf-8")
    clean = run_cli("check", "--diff", "clean.md", cwd=project)
    assert (clean.returncode, clean.stdout) == (0, "")


def test_fix_on_standard_input_prints_the_fixed_text(project: Path) -> None:
    data = codecs.BOM_UTF8 + PAGE.replace("\n", "\r\n").encode()
    completed = run_cli("check", "--fix", "--stdin-filename", "page.md", "-", cwd=project, stdin=data)
    assert completed.returncode == 0
    assert completed.stdout == "\ufeff" + FIXED.replace("\n", "\r\n")


def test_a_file_changed_since_it_was_read_is_left_alone(project: Path) -> None:
    page = project / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    config = config_from_yaml(project, RULES)
    from helpers import REFERENCE_DATE

    from linter.engine import RunOptions

    fix = fix_file(str(page), config, RunOptions(as_of=REFERENCE_DATE))
    assert fix.applied == 3
    edited = PAGE + "A line the writer added meanwhile.\n"
    page.write_text(edited, encoding="utf-8")
    with pytest.raises(FileChanged):
        write_fix(fix)
    assert page.read_text(encoding="utf-8") == edited
    assert [name for name in os.listdir(project) if name.endswith(".doclint-tmp")] == []


def test_an_empty_safe_suggestion_deletes_the_span() -> None:
    from linter.diagnostic import Diagnostic

    text = "Yes, the office publishes its data.\n"
    opener = Diagnostic(
        "page.md",
        1,
        1,
        1,
        6,
        "opener",
        "warning",
        "delete the opener",
        suggestion="",
        fix_safe=True,
        matched_text="Yes, ",
    )
    unsafe = Diagnostic("page.md", 1, 10, 1, 16, "other", "warning", "m", suggestion="agency", matched_text="office")
    assert apply_fixes(text, [opener, unsafe]) == ("the office publishes its data.\n", 1)
