"""Markdown, parsed by markdown-it-py (CommonMark, with tables and footnotes).

markdown-it gives each block its source lines; inline text comes back decoded (entities,
escapes), so every text run is aligned against the source to recover exact columns.
Code (fenced, indented, inline), HTML, images, autolinks and link targets never become
prose. Links and footnote references are kept as evidence; HTML comments are kept for
suppression directives.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from linter import regex_store
from linter.document import Block, BlockKind, Comment, Document, Link
from linter.parse.frontmatter import read_front_matter
from linter.parse.prose import ProseBuilder

_COMMENT = regex_store.compiled(r"<!--(.*?)-->", re.DOTALL)
_NEWLINE = regex_store.compiled(r"\r\n|\r|\n")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark").enable("table").use(footnote_plugin)


def parse_markdown(path: str, source: str) -> Document:
    document = Document(path=path, format="markdown", source=source)
    text_for_parser = source
    front_matter = read_front_matter(source)
    if front_matter is not None:
        document.meta = front_matter.data
        if front_matter.error:
            document.meta = {}
        # Blank lines keep markdown-it's line numbers equal to the source's.
        text_for_parser = "\n" * (front_matter.line_count) + source[front_matter.end :]
    _MarkdownWalker(document).walk(_parser().parse(text_for_parser))
    return document


class _MarkdownWalker:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.source = document.source
        self.line_starts = document.line_starts
        self.open: list[str] = []
        self.section = -1
        self.cursor = 0
        self.footnote_label: str | None = None

    def walk(self, tokens: list[Token]) -> None:
        for token in tokens:
            if token.nesting == 1:
                self.open.append(token.type)
                if token.type == "footnote_open":
                    self.footnote_label = str(token.meta.get("label", ""))
            elif token.nesting == -1:
                if self.open:
                    self.open.pop()
                if token.type == "footnote_close":
                    self.footnote_label = None
            elif token.type == "inline":
                self._inline(token)
            elif token.type == "html_block":
                self._html_block(token)

    def _line_offset(self, line_index: int) -> int:
        if line_index >= len(self.line_starts):
            return len(self.source)
        return self.line_starts[line_index]

    def _kind(self) -> tuple[BlockKind | None, bool]:
        in_quote = "blockquote_open" in self.open
        if "footnote_open" in self.open:
            return None, in_quote
        innermost = self.open[-1] if self.open else ""
        if innermost == "heading_open":
            return "heading", in_quote
        if innermost in ("th_open", "td_open"):
            return "table_cell", in_quote
        if "list_item_open" in self.open:
            return "list_item", in_quote
        if in_quote:
            return "quote", in_quote
        return "paragraph", in_quote

    def _inline(self, token: Token) -> None:
        if token.map is None:
            return
        start_line, end_line = token.map
        start = self._line_offset(start_line)
        limit = self._line_offset(end_line)
        if not (start <= self.cursor <= limit):
            self.cursor = start
        kind, in_quote = self._kind()
        index = len(self.document.blocks)
        builder = ProseBuilder(index)
        self._children(token.children or [], builder, limit)
        text = builder.build()
        if kind is None:  # a footnote definition: evidence, not prose
            if self.footnote_label is not None:
                previous = self.document.footnotes.get(self.footnote_label, "")
                self.document.footnotes[self.footnote_label] = (previous + " " + text.text).strip()
            return
        if not text.text.strip():
            return
        if kind == "list_item" and text.text.rstrip().endswith("?") and "\n" not in token.content:
            kind = "question"
        if kind in ("heading", "question"):
            self.section = index
            if self.document.title is None and kind == "heading" and self.source.startswith("# ", start):
                self.document.title = text.text.strip()
        self.document.links.extend(builder.links)
        self.document.blocks.append(
            Block(
                kind=kind,
                prose=text,
                start_line=start_line + 1,
                end_line=end_line,
                section=self.section,
                in_quote=in_quote,
            )
        )

    def _children(self, children: list[Token], builder: ProseBuilder, limit: int) -> None:
        source = self.source
        skip_text = 0  # inside an autolink or image: the text is a URL or alt text
        link_stack: list[tuple[str, int]] = []
        for child in children:
            kind = child.type
            if kind == "text":
                if skip_text:
                    self.cursor = _advance(source, child.content, self.cursor, limit)
                else:
                    self.cursor = builder.add_aligned(child.content, source, self.cursor, limit)
            elif kind in ("softbreak", "hardbreak"):
                newline = _NEWLINE.search(source, self.cursor, limit)
                if newline is None:
                    continue
                builder.add_mapped(" ", newline.start(), newline.end() - newline.start())
                self.cursor = newline.end()
            elif kind == "code_inline":
                self.cursor = _advance(source, child.content, self.cursor, limit)
            elif kind == "html_inline":
                found = source.find(child.content, self.cursor, limit)
                if found != -1:
                    self._comments_in(child.content, found)
                    self.cursor = found + len(child.content)
            elif kind == "link_open":
                target = str(child.attrs.get("href", ""))
                autolink = child.markup == "autolink"
                link_stack.append((target, self.cursor))
                if autolink:
                    skip_text += 1
                    builder.links.append(Link(target, target, self.cursor, builder.block_index))
            elif kind == "link_close":
                target, opened_at = link_stack.pop() if link_stack else ("", self.cursor)
                if child.markup == "autolink":
                    skip_text -= 1
                    self.cursor = _skip_char(source, self.cursor, limit, ">")
                else:
                    builder.links.append(
                        Link(target, source[opened_at : self.cursor].lstrip("["), opened_at, builder.block_index)
                    )
                    self.cursor = _skip_link_destination(source, self.cursor, limit)
            elif kind == "image":
                self.cursor = _skip_link_destination(source, _advance(source, child.content, self.cursor, limit), limit)
            elif kind == "footnote_ref":
                label = str(child.meta.get("label", ""))
                marker = f"[^{label}]"
                found = source.find(marker, self.cursor, limit)
                offset = found if found != -1 else self.cursor
                builder.links.append(Link(f"#footnote-{label}", label, offset, builder.block_index))
                if found != -1:
                    self.cursor = found + len(marker)

    def _html_block(self, token: Token) -> None:
        if token.map is None:
            return
        start = self._line_offset(token.map[0])
        self._comments_in(token.content, start)

    def _comments_in(self, html: str, offset: int) -> None:
        for match in _COMMENT.finditer(html):
            found = self.source.find(match.group(), offset)
            where = found if found != -1 else offset
            first = self.document.position(where)
            last = self.document.position(where + len(match.group()))
            line_text = self.document.line_text(first.line)
            own_line = line_text.strip() == match.group().strip() or (
                first.line != last.line and not line_text[: first.column - 1].strip()
            )
            self.document.comments.append(Comment(match.group(1).strip(), first.line, last.line, own_line))


def _advance(source: str, content: str, cursor: int, limit: int) -> int:
    found = source.find(content, cursor, limit) if content else -1
    return found + len(content) if found != -1 else cursor


def _skip_char(source: str, cursor: int, limit: int, char: str) -> int:
    return cursor + 1 if cursor < limit and source[cursor] == char else cursor


def _skip_link_destination(source: str, cursor: int, limit: int) -> int:
    """After a link's text: skip ``](destination "title")`` or ``][label]``."""
    position = cursor
    while position < limit and source[position] in "*_~`":
        position += 1
    if position >= limit or source[position] != "]":
        return cursor
    position += 1
    if position < limit and source[position] == "(":
        depth = 0
        while position < limit:
            char = source[position]
            if char == "\\":
                position += 2
                continue
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    return position + 1
            position += 1
        return cursor
    if position < limit and source[position] == "[":
        closing = source.find("]", position, limit)
        return closing + 1 if closing != -1 else position
    return position
