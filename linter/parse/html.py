"""HTML, parsed by the standard library's HTMLParser (which reports source positions).

Block elements (p, li, h1–h6, blockquote, td/th, dt/dd, captions) become blocks; text
directly inside other elements becomes a paragraph. Script, style, pre, code, template,
svg and math contents, and comments, are not prose. ``<a href>`` targets are evidence;
``<meta name=… content=…>`` pairs join the document metadata.
"""

from __future__ import annotations

import bisect
import re
from html.parser import HTMLParser

from linter.document import Block, BlockKind, Comment, Document, Link
from linter.parse.prose import ProseBuilder

_BLOCK_KINDS: dict[str, BlockKind] = {
    "p": "paragraph",
    "div": "paragraph",
    "section": "paragraph",
    "article": "paragraph",
    "main": "paragraph",
    "body": "paragraph",
    "dt": "paragraph",
    "dd": "paragraph",
    "figcaption": "paragraph",
    "caption": "paragraph",
    "li": "list_item",
    "blockquote": "quote",
    "td": "table_cell",
    "th": "table_cell",
    "h1": "heading",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
}
_NOT_PROSE = frozenset({"script", "style", "pre", "code", "template", "svg", "math", "noscript", "textarea"})
_VOID = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
)


def parse_html(path: str, source: str) -> Document:
    document = Document(path=path, format="html", source=source)
    parser = _DocumentBuilder(document)
    parser.feed(source)
    parser.close()
    parser.flush()
    return document


class _DocumentBuilder(HTMLParser):
    def __init__(self, document: Document) -> None:
        super().__init__(convert_charrefs=True)
        self.document = document
        self.source = document.source
        # HTMLParser counts lines at LF only.
        self.lf_starts = [0] + [match.end() for match in re.finditer("\n", self.source)]
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.kind_stack: list[BlockKind] = []
        self.quote_depth = 0
        self.builder: ProseBuilder | None = None
        self.builder_kind: BlockKind = "paragraph"
        self.builder_line = 1
        self.section = -1
        self.in_title = False
        self.title_parts: list[str] = []
        self.links: list[tuple[str, int]] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lf_starts[min(line - 1, len(self.lf_starts) - 1)] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_depth:
            if tag in _NOT_PROSE and tag not in _VOID:
                self.skip_stack.append(tag)
                self.skip_depth += 1
            return
        if tag == "title":
            self.in_title = True
            return
        if tag == "meta":
            values = dict(attrs)
            name, content = values.get("name") or values.get("property"), values.get("content")
            if name and content is not None:
                self.document.meta.setdefault(name, content)
            return
        if tag in _NOT_PROSE:
            self.skip_stack.append(tag)
            self.skip_depth += 1
            return
        if tag == "br":
            if self.builder is not None:
                offset = self._offset()
                self.builder.add_mapped(" ", offset, len(self.get_starttag_text() or "<br>"))
            return
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append((href, self._offset()))
            return
        kind = _BLOCK_KINDS.get(tag)
        if kind is None:
            return
        if tag == "blockquote":
            self.quote_depth += 1
        self.flush()
        self.kind_stack.append(kind)

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            if self.skip_stack and self.skip_stack[-1] == tag:
                self.skip_stack.pop()
                self.skip_depth -= 1
            return
        if tag == "title":
            self.in_title = False
            return
        if tag in _BLOCK_KINDS:
            self.flush()
            if self.kind_stack:
                self.kind_stack.pop()
            if tag == "blockquote" and self.quote_depth:
                self.quote_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.in_title:
            self.title_parts.append(data)
            return
        if not data.strip() and self.builder is None:
            return
        offset = self._offset()
        if self.builder is None:
            self.builder = ProseBuilder(len(self.document.blocks))
            kind = self.kind_stack[-1] if self.kind_stack else "paragraph"
            if self.quote_depth and kind == "paragraph":
                kind = "quote"
            self.builder_kind = kind
            self.builder_line = self.document.position(offset).line
        limit = self.source.find("<", offset)
        self.builder.add_aligned(data, self.source, offset, len(self.source) if limit == -1 else limit)

    def handle_comment(self, data: str) -> None:
        offset = self._offset()
        first = self.document.position(offset)
        last = self.document.position(offset + len(data) + 7)
        line_text = self.document.line_text(first.line)
        own_line = not line_text[: first.column - 1].strip()
        self.document.comments.append(Comment(data.strip(), first.line, last.line, own_line))

    def flush(self) -> None:
        builder = self.builder
        self.builder = None
        if builder is None:
            return
        prose = builder.build()
        if not prose.text.strip():
            return
        index = len(self.document.blocks)
        kind = self.builder_kind
        if kind == "heading":
            self.section = index
            if self.document.title is None and not self.title_parts:
                self.document.title = prose.text.strip()
        end_offset = prose.source_end(len(prose.text))
        self.document.blocks.append(
            Block(
                kind=kind,
                prose=prose,
                start_line=self.builder_line,
                end_line=self.document.position(end_offset).line,
                section=self.section,
                in_quote=self.quote_depth > 0 or kind == "quote",
            )
        )
        self.document.links.extend(builder.links)
        block_start = prose.source_offset(0)
        for target, offset in self.links:
            if offset <= end_offset:
                self.document.links.append(Link(target, "", max(offset, block_start), index))
        self.links = [(t, o) for t, o in self.links if o > end_offset]

    def close(self) -> None:
        super().close()
        if self.title_parts:
            self.document.title = " ".join("".join(self.title_parts).split()) or self.document.title


def line_of(offset: int, starts: list[int]) -> int:
    return bisect.bisect_right(starts, offset)
