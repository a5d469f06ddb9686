"""``--fix`` and ``--diff``: apply the suggestions rules mark safe.

A fix replaces a diagnostic's span with its suggestion. Only diagnostics with
``fix_safe`` are applied (substitutions and the like: nothing that changes meaning), never
two that overlap, and never one whose span no longer holds the text the rule matched.
Files are written atomically in their original encoding, byte-order mark and newline
style, and only if their content is still what was read.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from linter.atomic import write_atomically
from linter.config import Config
from linter.diagnostic import Diagnostic
from linter.document import compute_line_starts
from linter.engine import RunOptions, lint_text
from linter.read import SourceText, UnreadableFile, decode

_BOM_BYTES = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}


@dataclass(frozen=True)
class FileFix:
    """The fixes for one file: its bytes as read, and the text after fixing."""

    path: str
    data: bytes  # the file's content when it was read (to detect a concurrent change)
    source: SourceText
    fixed_text: str
    applied: int  # how many fixes

    @property
    def changed(self) -> bool:
        return self.applied > 0

    def fixed_bytes(self) -> bytes:
        return encode(self.fixed_text, self.source)

    def diff(self) -> str:
        before = self.source.text.splitlines(keepends=True)
        after = self.fixed_text.splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, f"a/{self.path}", f"b/{self.path}")
        marker = "\n\\ No newline at end of file\n"
        return "".join(line if line.endswith(("\n", "\r")) else line + marker for line in lines)


def fixable(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.fix_safe and d.suggestion is not None]


def apply_fixes(text: str, diagnostics: Iterable[Diagnostic], newline: str = "\n") -> tuple[str, int]:
    """``text`` with every safe, non-overlapping fix applied, and how many were applied."""
    line_starts = compute_line_starts(text)

    def offset(line: int, column: int) -> int | None:
        if not 1 <= line <= len(line_starts):
            return None
        return line_starts[line - 1] + column - 1

    edits: list[tuple[int, int, str]] = []
    for d in fixable(diagnostics):
        start, end = offset(d.line, d.column), offset(d.end_line, d.end_column)
        if start is None or end is None or end < start or end > len(text):
            continue
        if d.matched_text and text[start:end] != d.matched_text:
            continue  # the text moved under the diagnostic: do not guess
        replacement = str(d.suggestion).replace("\r\n", "\n").replace("\n", newline)
        edits.append((start, end, replacement))
    edits.sort()
    pieces: list[str] = []
    position = 0
    applied = 0
    for start, end, replacement in edits:
        if start < position:
            continue  # overlaps an earlier fix; a second run picks it up
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = end
        applied += 1
    pieces.append(text[position:])
    return "".join(pieces), applied


def encode(text: str, source: SourceText) -> bytes:
    """``text`` in the encoding (and with the byte-order mark) the file had."""
    return (_BOM_BYTES.get(source.encoding, b"") if source.bom else b"") + text.encode(source.encoding)


def fix_bytes(path: str, data: bytes, config: Config, options: RunOptions) -> FileFix:
    """Lint ``data`` as ``path`` and compute its fixes. Raises UnreadableFile."""
    source = decode(data)
    result = lint_text(path, source, config, options)
    fixed_text, applied = apply_fixes(source.text, result.diagnostics, source.newline)
    return FileFix(path, data, source, fixed_text, applied)


def fix_file(path: str, config: Config, options: RunOptions) -> FileFix:
    """Read ``path`` and compute its fixes. Raises UnreadableFile."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from None
    return fix_bytes(path, data, config, options)


def write_fix(fix: FileFix) -> None:
    """Write the fixed file atomically, only if it still holds what was read.

    Raises :class:`linter.atomic.FileChanged` when the file changed in the meantime.
    """
    write_atomically(fix.path, fix.fixed_bytes(), expected=fix.data)
