"""Build a block's prose from source pieces, keeping the map back to the source."""

from __future__ import annotations

import html

from linter import regex_store
from linter.document import Link, Piece, Prose

# Bare URLs are not prose; they are kept as evidence (links) instead.
URL_PATTERN = regex_store.compiled(r"(?:https?://|www\.)[^\s<>()\[\]\"'“”]+[^\s<>()\[\]\"'“”.,;:!?]")
_ENTITY = regex_store.compiled(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


class ProseBuilder:
    """Accumulates prose text and its source pieces for one block."""

    def __init__(self, block_index: int) -> None:
        self.block_index = block_index
        self._parts: list[str] = []
        self._length = 0
        # (prose_start, prose_length, source_start, source_length)
        self._pieces: list[list[int]] = []
        self.links: list[Link] = []

    @property
    def empty(self) -> bool:
        return self._length == 0

    def add_verbatim(self, text: str, source_start: int) -> None:
        """Add ``text``, which is exactly ``source[source_start:source_start+len(text)]``."""
        if not text:
            return
        last = self._pieces[-1] if self._pieces else None
        if (
            last is not None
            and last[1] == last[3]
            and last[0] + last[1] == self._length
            and last[2] + last[3] == source_start
        ):
            last[1] += len(text)
            last[3] += len(text)
        else:
            self._pieces.append([self._length, len(text), source_start, len(text)])
        self._parts.append(text)
        self._length += len(text)

    def add_mapped(self, text: str, source_start: int, source_length: int) -> None:
        """Add ``text`` standing for the source range (an entity, an escape, a line break)."""
        if not text:
            return
        self._pieces.append([self._length, len(text), source_start, source_length])
        self._parts.append(text)
        self._length += len(text)

    def add_source_text(self, source: str, start: int, end: int) -> None:
        """Add the source range as prose, dropping bare URLs (recorded as links)."""
        position = start
        for match in URL_PATTERN.finditer(source, start, end):
            self.add_verbatim(source[position : match.start()], position)
            self.links.append(Link(match.group(), match.group(), match.start(), self.block_index))
            position = match.end()
        self.add_verbatim(source[position:end], position)

    def add_aligned(self, content: str, source: str, cursor: int, limit: int) -> int:
        """Add parser-decoded ``content`` by finding it in ``source[cursor:limit]``.

        Parsers hand out text with entities decoded and escapes removed; this walks the
        source to map each character back. Returns the source offset after the content.
        """
        if not content:
            return cursor
        found = source.find(content, cursor, limit)
        if found != -1:
            self._add_without_urls(content, found)
            return found + len(content)
        index = 0
        position = cursor
        while index < len(content) and position < limit:
            char = content[index]
            source_char = source[position]
            if source_char == char:
                self.add_verbatim(char, position)
                index += 1
                position += 1
                continue
            if source_char == "&":
                entity = _ENTITY.match(source, position)
                if entity is not None:
                    decoded = html.unescape(entity.group())
                    if decoded and content.startswith(decoded, index):
                        self.add_mapped(decoded, position, entity.end() - position)
                        index += len(decoded)
                        position = entity.end()
                        continue
            if source_char == "\\" and position + 1 < limit and source[position + 1] == char:
                self.add_mapped(char, position, 2)
                index += 1
                position += 2
                continue
            position += 1  # markup the parser consumed (emphasis markers, brackets …)
        if index < len(content):
            self.add_mapped(content[index:], position, 0)
        return position

    def _add_without_urls(self, text: str, source_start: int) -> None:
        position = 0
        for match in URL_PATTERN.finditer(text):
            self.add_verbatim(text[position : match.start()], source_start + position)
            self.links.append(Link(match.group(), match.group(), source_start + match.start(), self.block_index))
            position = match.end()
        self.add_verbatim(text[position:], source_start + position)

    def build(self) -> Prose:
        pieces = [Piece(p[0], p[1], p[2], p[3]) for p in self._pieces]
        return Prose("".join(self._parts), pieces)
