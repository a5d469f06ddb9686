"""Plain text, including the Q&A pages this project exists for.

- A numbered line ending in ``?`` is a question (a heading); the blocks after it, up to the
  next question, are its answer (they share its ``section``).
- Other numbered or bulleted lines are list items.
- A short line without closing punctuation, standing alone, is a heading (a title or a
  category line); the last one before the body is the document's title.
- Lines that end a sentence end a paragraph (generated pages put one paragraph on each
  line); a line that does not is continued by the next (hard-wrapped text).
- A line of its own starting with ``#`` that holds ``doclint-`` is a suppression directive.
"""

from __future__ import annotations

from linter import regex_store
from linter.document import Block, BlockKind, Comment, Document
from linter.parse.frontmatter import read_front_matter
from linter.parse.prose import ProseBuilder

_LINE = regex_store.compiled(r"[^\r\n]*(?:\r\n|\r|\n)?")
_NUMBERED = regex_store.compiled(r"[ \t]*(?:\d{1,3}|[A-Za-z])[.)][ \t]+")
_BULLET = regex_store.compiled(r"[ \t]*[-*•‣◦][ \t]+")
_DIRECTIVE = regex_store.compiled(r"[ \t]*#+[ \t]*(doclint-[^\r\n]*)")
_ENDS_SENTENCE = regex_store.compiled(r"[.!?:;…\"”’)\]]\s*$")
_HEADING_MAX_WORDS = 15
_HEADING_MAX_CHARACTERS = 120


class _Line:
    __slots__ = ("end", "start", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start  # offset of the first non-blank character
        self.end = end  # offset after the last non-blank character
        self.text = text  # the line's content, stripped


def parse_text(path: str, source: str) -> Document:
    document = Document(path=path, format="text", source=source)
    offset = 0
    front_matter = read_front_matter(source)
    if front_matter is not None:
        document.meta = front_matter.data
        offset = front_matter.end
    _TextParser(document).run(offset)
    return document


class _TextParser:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.section = -1
        self.open_builder: ProseBuilder | None = None
        self.open_kind: BlockKind = "paragraph"
        self.open_start_line = 0
        self.open_last_line = 0
        self.last_end = 0

    def run(self, offset: int) -> None:
        source = self.document.source
        line_number = self.document.position(offset).line if offset < len(source) else 1
        lines: list[_Line] = []
        for match in _LINE.finditer(source, offset):
            raw = match.group()
            if not raw:
                break
            content = raw.rstrip("\r\n")
            stripped = content.strip()
            start = match.start() + (len(content) - len(content.lstrip()))
            lines.append(_Line(start, start + len(stripped), stripped))
        for index, line in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) else None
            self._line(line, line_number + index, following)
        self._close()
        if self.document.title is None:
            self.document.title = self._title()

    def _line(self, line: _Line, line_number: int, following: _Line | None) -> None:
        if not line.text:
            self._close()
            return
        directive = _DIRECTIVE.fullmatch(line.text)
        if directive is not None:
            self._close()
            self.document.comments.append(Comment(directive.group(1), line_number, line_number, True))
            return
        numbered = _NUMBERED.match(self.document.source, line.start)
        bullet = _BULLET.match(self.document.source, line.start)
        if numbered is not None and line.text.endswith("?"):
            self._close()
            self._open("question", line_number)
            self._add(line, numbered.end())
            self._close()
            self.section = len(self.document.blocks) - 1
            return
        if numbered is not None or bullet is not None:
            marker = numbered if numbered is not None else bullet
            assert marker is not None
            self._close()
            self._open("list_item", line_number)
            self._add(line, marker.end())
            self._close_if_ended(line)
            return
        if self.open_builder is not None and self.open_last_line == line_number - 1:
            self._continue(line, line_number)
            self._close_if_ended(line)
            return
        if self._looks_like_heading(line, following):
            self._close()
            self._open("heading", line_number)
            self._add(line, line.start)
            self._close()
            self.section = len(self.document.blocks) - 1
            return
        self._close()
        self._open("paragraph", line_number)
        self._add(line, line.start)
        self._close_if_ended(line)

    def _looks_like_heading(self, line: _Line, following: _Line | None) -> bool:
        """A short line without closing punctuation that stands alone (not wrapped text)."""
        if _ENDS_SENTENCE.search(line.text) or line.text.endswith(","):
            return False
        if following is not None and following.text and _NUMBERED.match(self.document.source, following.start) is None:
            return False
        return len(line.text) <= _HEADING_MAX_CHARACTERS and len(line.text.split()) <= _HEADING_MAX_WORDS

    def _open(self, kind: BlockKind, line_number: int) -> None:
        self.open_builder = ProseBuilder(len(self.document.blocks))
        self.open_kind = kind
        self.open_start_line = line_number
        self.open_last_line = line_number

    def _add(self, line: _Line, start: int) -> None:
        assert self.open_builder is not None
        self.open_builder.add_source_text(self.document.source, start, line.end)
        self.last_end = line.end

    def _continue(self, line: _Line, line_number: int) -> None:
        assert self.open_builder is not None
        source = self.document.source
        newline_start = self.last_end
        self.open_builder.add_mapped(" ", newline_start, line.start - newline_start)
        self.open_builder.add_source_text(source, line.start, line.end)
        self.last_end = line.end
        self.open_last_line = line_number

    def _close_if_ended(self, line: _Line) -> None:
        if _ENDS_SENTENCE.search(line.text):
            self._close()

    def _close(self) -> None:
        builder = self.open_builder
        if builder is None:
            return
        self.open_builder = None
        if builder.empty:
            return
        index = len(self.document.blocks)
        self.document.links.extend(builder.links)
        self.document.blocks.append(
            Block(
                kind=self.open_kind,
                prose=builder.build(),
                start_line=self.open_start_line,
                end_line=self.open_last_line,
                section=index if self.open_kind in ("heading", "question") else self.section,
            )
        )

    def _title(self) -> str | None:
        title = None
        for block in self.document.blocks:
            if block.kind != "heading":
                break
            title = block.prose.text
        return title
