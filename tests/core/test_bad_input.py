"""Hostile and broken input: clear messages, no tracebacks, other files still linted."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from helpers import run_cli

DIRTY = "Overall, the agency publishes its agreements.\n"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "good.md").write_text(DIRTY, encoding="utf-8")
    return tmp_path


def linted_paths(stdout: str) -> list[str]:
    return sorted({d["path"] for d in json.loads(stdout)})


def test_invalid_utf8_names_the_byte_offset_and_line(workdir: Path) -> None:
    (workdir / "latin1.md").write_bytes("First line.\nCaf\xe9 menu.\n".encode("latin-1"))
    result = run_cli("check", "--format", "json", "latin1.md", "good.md", cwd=workdir)
    assert result.returncode == 2
    assert "doclint: latin1.md: not valid UTF-8: byte 0xe9 at offset 15 (line 2, byte 4 of the line)" in result.stderr
    assert "re-save the file as UTF-8" in result.stderr
    assert "Traceback" not in result.stderr
    assert linted_paths(result.stdout) == ["good.md"]


def test_utf16_with_a_bom_is_read(workdir: Path) -> None:
    (workdir / "utf16.txt").write_bytes("\ufeffOverall, fine.\r\n".encode("utf-16-le"))
    result = run_cli("check", "--format", "json", "utf16.txt", cwd=workdir)
    assert [(d["line"], d["column"]) for d in json.loads(result.stdout)] == [(1, 1)]


def test_binary_files_are_skipped_with_a_notice(workdir: Path) -> None:
    (workdir / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run_cli("check", "--format", "json", ".", cwd=workdir)
    assert result.returncode == 1  # good.md has a finding; the binary file is not an error
    assert "doclint: image.md: binary file (contains NUL bytes), skipped" in result.stderr
    assert linted_paths(result.stdout) == ["good.md"]


def test_empty_file_has_no_findings(workdir: Path) -> None:
    (workdir / "empty.md").write_bytes(b"")
    (workdir / "blank.txt").write_bytes(b"\n\n  \n")
    result = run_cli("check", "empty.md", "blank.txt", cwd=workdir)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(workdir: Path) -> None:
    locked = workdir / "locked.md"
    locked.write_text(DIRTY, encoding="utf-8")
    locked.chmod(0)
    result = run_cli("check", "--format", "json", "locked.md", "good.md", cwd=workdir)
    assert result.returncode == 2
    assert "locked.md: permission denied" in result.stderr
    assert linted_paths(result.stdout) == ["good.md"]


def test_a_directory_named_like_a_document_is_walked_not_read(workdir: Path) -> None:
    (workdir / "odd.md").mkdir()
    (workdir / "odd.md" / "inner.md").write_text(DIRTY, encoding="utf-8")
    result = run_cli("check", "--format", "json", "odd.md", cwd=workdir)
    assert linted_paths(result.stdout) == ["odd.md/inner.md"]


def test_broken_symlinks(workdir: Path) -> None:
    (workdir / "dangling.md").symlink_to(workdir / "gone.md")
    walked = run_cli("check", "--format", "json", ".", cwd=workdir)
    assert "doclint: dangling.md: broken symbolic link, skipped" in walked.stderr
    assert linted_paths(walked.stdout) == ["good.md"]
    named = run_cli("check", "dangling.md", cwd=workdir)
    assert named.returncode == 2
    assert "dangling.md: broken symbolic link" in named.stderr


def test_symlink_loops_do_not_hang(workdir: Path) -> None:
    sub = workdir / "sub"
    sub.mkdir()
    (sub / "loop").symlink_to(workdir, target_is_directory=True)
    (sub / "self").symlink_to(sub, target_is_directory=True)
    result = run_cli("check", "--format", "json", ".", cwd=workdir)
    assert "symbolic link loop, skipped" in result.stderr
    assert linted_paths(result.stdout) == ["good.md"]
    assert result.returncode == 1


def test_a_directory_of_10000_files(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    pages = tmp_path / "pages"
    pages.mkdir()
    for number in range(10_000):
        text = "Overall, a summary.\n" if number % 1000 == 0 else f"Page {number} is about one county.\n"
        (pages / f"page{number:05d}.md").write_text(text, encoding="utf-8")
    result = run_cli("check", "pages", cwd=tmp_path)
    assert result.returncode == 1
    assert "Found 10 problems (10 warnings) in 10 files (10000 files checked)." in result.stdout


def test_a_50_mb_file_on_one_line(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    sentence = "In Arkansas, the agency shares records with federal partners under a signed agreement. "
    big = tmp_path / "big.txt"
    with open(big, "w", encoding="utf-8") as handle:
        handle.write(sentence * (50_000_000 // len(sentence)))
        handle.write("Overall, done.")
    result = run_cli("check", "--format", "json", "big.txt", cwd=tmp_path)
    found = json.loads(result.stdout)
    assert [(d["line"], d["rule"]) for d in found] == [(1, "boilerplate")]
    assert found[0]["column"] == (50_000_000 // len(sentence)) * len(sentence) + 1


def test_linting_never_writes_to_documents(workdir: Path) -> None:
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in workdir.rglob("*") if p.is_file()}
    mtimes = {p: p.stat().st_mtime_ns for p in before}
    run_cli("check", ".", cwd=workdir)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in workdir.rglob("*") if p.is_file() and p in before}
    assert after == before
    assert {p: p.stat().st_mtime_ns for p in before} == mtimes
