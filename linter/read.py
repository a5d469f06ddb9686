"""Bytes to text: encoding, byte-order mark, newline style, binary detection."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BINARY_SNIFF = 8192
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class SourceText:
    text: str  # BOM removed, newlines untouched
    encoding: str
    bom: bool
    newline: str  # "\n", "\r\n" or "\r": the first line ending in the file ("\n" if none)


class UnreadableFile(Exception):
    """The file cannot be linted; ``message`` says why and what to do."""

    def __init__(self, message: str, *, skipped: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.skipped = skipped  # a notice (binary file), not an error


def decode(data: bytes) -> SourceText:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise UnreadableFile(_invalid(data, error.start + len(bom), encoding)) from None
            return SourceText(text, encoding, True, _newline(text))
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise UnreadableFile("binary file (contains NUL bytes), skipped", skipped=True)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFile(_invalid(data, error.start, "utf-8")) from None
    return SourceText(text, "utf-8", False, _newline(text))


def read_bytes(path: str) -> bytes:
    """The file's bytes; :class:`UnreadableFile` says why they could not be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except IsADirectoryError:
        raise UnreadableFile("is a directory") from None
    except FileNotFoundError:
        raise UnreadableFile("no such file (or a broken symbolic link)") from None
    except PermissionError:
        raise UnreadableFile("permission denied: check the file's permissions") from None
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from None


def read_source(path: str) -> SourceText:
    return decode(read_bytes(path))


def _invalid(data: bytes, offset: int, encoding: str) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return (
        f"not valid {encoding.upper()}: byte 0x{data[offset]:02x} at offset {offset} "
        f"(line {line}, byte {column} of the line); "
        "re-save the file as UTF-8, or exclude it in rules.yaml"
    )


def _newline(text: str) -> str:
    index = text.find("\n")
    cr = text.find("\r")
    if cr != -1 and (index == -1 or cr < index):
        return "\r\n" if text.startswith("\r\n", cr) else "\r"
    return "\n"
