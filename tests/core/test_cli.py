"""The command line as users and CI run it: exit codes, formats, stdin, selection."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ARKANSAS, REPO, run_cli

CLEAN = "# Benefits in Ohio\n\nThe agency publishes its data-sharing agreements on its website.\n"
DIRTY = "# Benefits in Ohio\n\nOverall, the agency publishes its agreements.\n"


def read_terminal(leader: int) -> bytes:
    """Everything written to a pseudo-terminal until its other end closes; closes ``leader``."""
    import os

    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # stop config discovery here
    return tmp_path


def test_exit_0_on_a_clean_page(workdir: Path) -> None:
    (workdir / "clean.md").write_text(CLEAN, encoding="utf-8")
    result = run_cli("check", "clean.md", cwd=workdir)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == "No problems found (1 file checked)."


def test_exit_1_with_text_output_caret_and_summary(workdir: Path) -> None:
    (workdir / "dirty.md").write_text(DIRTY, encoding="utf-8")
    result = run_cli("check", "dirty.md", cwd=workdir)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("dirty.md:3:1: warning [boilerplate] 'Overall,' opens a summary")
    assert lines[1] == "  3 | Overall, the agency publishes its agreements."
    assert lines[2] == "    | ^^^^^^^^"
    assert lines[3].startswith("Found 1 problem (1 warning) in 1 file (1 file checked).")
    assert "\033[" not in result.stdout  # no colour when not a terminal


def test_fail_on_threshold(workdir: Path) -> None:
    (workdir / "dirty.md").write_text(DIRTY, encoding="utf-8")
    assert run_cli("check", "--fail-on", "error", "dirty.md", cwd=workdir).returncode == 0
    assert run_cli("check", "--fail-on", "info", "dirty.md", cwd=workdir).returncode == 1


def test_json_contract(workdir: Path) -> None:
    (workdir / "dirty.md").write_text(DIRTY, encoding="utf-8")
    result = run_cli("check", "--format", "json", "dirty.md", cwd=workdir)
    assert result.returncode == 1
    assert json.loads(result.stdout) == [
        {
            "path": "dirty.md",
            "line": 3,
            "column": 1,
            "end_line": 3,
            "end_column": 9,
            "rule": "boilerplate",
            "severity": "warning",
            "message": "'Overall,' opens a summary that repeats what the page already said: "
            "delete the sentence or lead with something new",
            "suggestion": None,
            "related": [],
        }
    ]


def test_json_on_a_clean_run_is_an_empty_array(workdir: Path) -> None:
    (workdir / "clean.md").write_text(CLEAN, encoding="utf-8")
    result = run_cli("check", "--format", "json", "clean.md", cwd=workdir)
    assert json.loads(result.stdout) == []


def test_relative_paths_stay_relative_and_directories_are_walked(workdir: Path) -> None:
    content = workdir / "content" / "states"
    content.mkdir(parents=True)
    (content / "ohio.md").write_text(DIRTY, encoding="utf-8")
    (content / "notes.py").write_text("# Overall, not a document\n", encoding="utf-8")
    (workdir / "node_modules").mkdir()
    (workdir / "node_modules" / "x.md").write_text(DIRTY, encoding="utf-8")
    result = run_cli("check", "--format", "json", "content", cwd=workdir)
    assert [d["path"] for d in json.loads(result.stdout)] == ["content/states/ohio.md"]
    result = run_cli("check", "--format", "json", cwd=workdir)  # default: the current directory
    assert [d["path"] for d in json.loads(result.stdout)] == ["content/states/ohio.md"]


def test_stdin_with_stdin_filename(workdir: Path) -> None:
    result = run_cli("check", "--format", "json", "--stdin-filename", "docs/page.txt", "-", cwd=workdir, stdin=DIRTY)
    found = json.loads(result.stdout)
    assert [(d["path"], d["line"], d["column"]) for d in found] == [("docs/page.txt", 3, 1)]


def test_stdin_format_follows_the_stdin_filename(workdir: Path) -> None:
    html = "<p>Overall, this is <code>Overall, code</code>.</p>\n"
    result = run_cli("check", "--format", "json", "--stdin-filename", "page.html", "-", cwd=workdir, stdin=html)
    assert [(d["line"], d["column"]) for d in json.loads(result.stdout)] == [(1, 4)]


def test_select_and_ignore(workdir: Path) -> None:
    (workdir / "dirty.md").write_text(DIRTY, encoding="utf-8")
    assert run_cli("check", "--ignore", "boilerplate", "dirty.md", cwd=workdir).returncode == 0
    assert run_cli("check", "--select", "boilerplate", "dirty.md", cwd=workdir).returncode == 1
    unknown = run_cli("check", "--select", "boilerplates", "dirty.md", cwd=workdir)
    assert unknown.returncode == 2
    assert "unknown rule 'boilerplates'" in unknown.stderr


def test_usage_errors_exit_2(workdir: Path) -> None:
    result = run_cli("check", "--as-of", "21/11/2026", cwd=workdir)
    assert result.returncode == 2
    assert "not a date in YYYY-MM-DD form" in result.stderr
    assert run_cli("check", "--format", "xml", cwd=workdir).returncode == 2


@pytest.mark.parametrize(
    ("arguments", "hint"),
    [
        (("check", "--bogus", "page.md"), "hint: run 'doclint check --help'"),
        (("rules", "--bogus"), "hint: run 'doclint rules --help'"),
        (("corpus", "build", "--bogus", "."), "hint: run 'doclint corpus build --help'"),
        (("frobnicate",), "hint: run 'doclint --help'"),
    ],
)
def test_usage_errors_point_at_the_help_of_the_command_that_was_run(
    workdir: Path, arguments: tuple[str, ...], hint: str
) -> None:
    result = run_cli(*arguments, cwd=workdir)
    assert result.returncode == 2
    assert result.stderr.rstrip().endswith(hint)
    assert result.stderr.startswith(f"usage: {hint.split(chr(39))[1].removesuffix(' --help')}")


def test_missing_path_is_an_io_error_but_other_files_are_linted(workdir: Path) -> None:
    (workdir / "dirty.md").write_text(DIRTY, encoding="utf-8")
    result = run_cli("check", "missing.md", "dirty.md", cwd=workdir)
    assert result.returncode == 2
    assert "doclint: missing.md: no such file or directory" in result.stderr
    assert "dirty.md:3:1:" in result.stdout


def test_rules_command_lists_rules_and_options(workdir: Path) -> None:
    result = run_cli("rules", cwd=workdir)
    assert result.returncode == 0
    assert "boilerplate  [warning; kind: phrase]" in result.stdout
    assert "unused-suppression" in result.stdout


def test_console_script_and_module_entry_points(workdir: Path) -> None:
    script = shutil.which("doclint", path=str(Path(sys.executable).parent))
    assert script is not None, "the doclint console script is not installed next to this Python"
    by_script = subprocess.run([script, "--version"], capture_output=True, text=True, check=True)
    by_module = run_cli("--version", cwd=workdir)
    assert by_script.stdout == by_module.stdout
    assert by_module.stdout.startswith("doclint ")


def test_color_only_on_a_terminal_and_never_with_no_color(workdir: Path) -> None:
    import os
    import pty

    (workdir / "dirty.md").write_text(DIRTY, encoding="utf-8")

    def run_in_terminal(env: dict[str, str]) -> str:
        leader, follower = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "linter", "check", "dirty.md"],
            cwd=workdir,
            stdout=follower,
            stderr=follower,
            env=env,
        )
        os.close(follower)
        output = read_terminal(leader)
        process.wait(timeout=60)
        return output.decode()

    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\033[33mwarning" in run_in_terminal(environment)
    assert "\033[" not in run_in_terminal({**environment, "NO_COLOR": "1"})


def test_bundled_examples_run_from_the_repository(tmp_path: Path) -> None:
    result = run_cli("check", "--as-of", "2026-11-21", str(REPO / "examples"), cwd=tmp_path)
    assert result.returncode == 1
    assert "arkansas.txt:16:1: warning [boilerplate]" in result.stdout
    assert ARKANSAS.read_bytes() == (REPO / "examples" / "arkansas.txt").read_bytes()


def test_progress_goes_to_a_terminal_stderr_and_never_into_the_output(workdir: Path) -> None:
    import os
    import pty

    for number in range(60):
        (workdir / f"page{number:02d}.md").write_text(DIRTY, encoding="utf-8")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "linter", "check", "--format", "json", "--jobs", "1", "."],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=follower,
    )
    os.close(follower)
    stdout, _ = process.communicate(timeout=120)
    terminal = read_terminal(leader)
    assert b"doclint: 50/60 files" in terminal
    assert len(json.loads(stdout)) == 60  # stdout is clean JSON
    quiet = run_cli("check", "--format", "json", ".", cwd=workdir)
    assert quiet.stderr == ""  # not a terminal: no progress


def test_a_long_span_on_a_long_line_shows_its_opening_only(workdir: Path) -> None:
    sentence = "Overall, " + "the agency shares records with federal partners " * 6 + "every week."
    (workdir / "rules.yaml").write_text(
        "rules:\n  whole-sentence:\n    kind: pattern\n    pattern: 'Overall, .*week\\.'\n", encoding="utf-8"
    )
    (workdir / "long.txt").write_text(f"{sentence} Another sentence follows on this line.\n", encoding="utf-8")
    result = run_cli("check", "--select", "whole-sentence", "long.txt", cwd=workdir)
    excerpt, carets = result.stdout.splitlines()[1:3]
    assert excerpt == f"  1 | {sentence[:80]}…"
    assert carets == "    | " + "^" * 80
