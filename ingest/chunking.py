"""Structure-aware chunking: a chunk never straddles two sections; each table row is its own chunk;
each section with two or more subsections also gets an ``outline`` chunk listing their headings,
so that "有哪些重点任务" / "分为哪几部分" finds the list rather than one of its items.

Body chunks are exact slices of the normalised text (so a citation can be highlighted), packed
line by line up to ``max_chars``; a line longer than that is cut at sentence ends.

Example:
    >>> chunks = make_chunks(doc_id, text, tree, tables, breadcrumb_of)
"""
from __future__ import annotations

import re
from typing import Callable

from .markers import is_heading_only
from .model import Chunk
from .structure import SectionTree, article_owner
from .tables import TableSpan, row_text

_SENTENCE_END = re.compile(r"[。；！？;!?]")


def make_chunks(doc_id: str, text: str, tree: SectionTree, tables: list[TableSpan],
                breadcrumb_of: Callable[[int], str], page_of: Callable[[int], int | None],
                min_chars: int = 300, max_chars: int = 600) -> list[Chunk]:
    owner = article_owner(tree.sections)             # an article's 款 are packed together, as one section
    opens = {s.id: s.start for s in tree.sections}
    pieces: list[tuple[int, int, int]] = []          # (start, end, section_id), text pieces
    for start, end, sec in tree.lines:
        if opens.get(sec) == start and is_heading_only(text[start:end]):
            continue                                 # a bare heading lives on in its children's breadcrumbs
        pieces.extend((a, b, owner.get(sec, sec)) for a, b in _split_long(text, start, end, max_chars))

    chunks: list[Chunk] = []

    def emit(start: int, end: int, sec: int) -> None:
        chunks.append(Chunk(doc_id=doc_id, chunk_index=len(chunks), text=text[start:end], kind="text",
                            section_id=sec, breadcrumb=breadcrumb_of(sec), start=start, end=end,
                            page=page_of(start)))

    cur: list[int] | None = None                     # [start, end, section]
    for a, b, sec in pieces:
        if cur and cur[2] == sec and b - cur[0] <= max_chars:
            cur[1] = b
            continue
        if cur and cur[2] == sec and cur[1] - cur[0] < min_chars:
            # too short to stand alone: fill it up to max_chars with whole sentences of the next piece
            room = text[a:a + max_chars - (a - cur[0])]
            ends = [m.end() for m in _SENTENCE_END.finditer(room)]
            if ends:
                cur[1] = a + ends[-1]
                a = cur[1]
        if cur:
            emit(*cur)
        cur = [a, b, sec] if b > a else None
    if cur:
        emit(*cur)

    for k, span in enumerate(tables):
        table = span.table
        sec = tree.table_sections.get(k, 0)
        for row in table.rows:
            chunks.append(Chunk(doc_id=doc_id, chunk_index=len(chunks), text=row_text(table, row),
                                kind="table_row", section_id=sec, breadcrumb=breadcrumb_of(sec),
                                start=row.start, end=row.end, page=page_of(row.start),
                                table_index=k, row_index=row.index))
    chunks += _outlines(doc_id, text, tree, breadcrumb_of, page_of, max_chars)
    chunks.sort(key=lambda c: (c.start, c.kind != "outline", c.kind))
    for i, c in enumerate(chunks):
        c.chunk_index = i
    return chunks


def _outlines(doc_id: str, text: str, tree: SectionTree, breadcrumb_of: Callable[[int], str],
              page_of: Callable[[int], int | None], max_chars: int) -> list[Chunk]:
    """One chunk per section with >= 2 subsections: their headings, one per line, each followed by
    its own subsections' headings (indented) when all of that fits in max_chars. Its start/end span
    the section, whose headings the outline quotes line by line."""
    owner = article_owner(tree.sections)
    children: dict[int, list] = {}
    for s in tree.sections:
        if s.parent is not None and s.marker != "kuan":
            children.setdefault(owner.get(s.parent, s.parent), []).append(s)   # a 款's items: the article's

    def heading(sec) -> str:
        return text[sec.start:sec.heading_end].strip() if sec.heading_end > sec.start else sec.title

    out = []
    for sec in tree.sections:
        kids = children.get(sec.id, [])
        if len(kids) < 2:
            continue
        two = [line for k in kids for line in [heading(k)] + ["  " + heading(g) for g in children.get(k.id, [])]]
        lines = two if sum(len(x) + 1 for x in two) <= max_chars else [heading(k) for k in kids]
        while sum(len(x) + 1 for x in lines) > max_chars and len(lines) > 2:
            lines.pop()
        out.append(Chunk(doc_id=doc_id, chunk_index=0, text="\n".join(lines), kind="outline", section_id=sec.id,
                         breadcrumb=breadcrumb_of(sec.id), start=sec.start, end=sec.end, page=page_of(sec.start)))
    return out


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut [start, end) at sentence ends into pieces of at most max_chars (hard cut if none)."""
    out = []
    while end - start > max_chars:
        window = text[start:start + max_chars]
        cuts = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() >= max_chars // 2]
        cut = cuts[-1] if cuts else max_chars
        out.append((start, start + cut))
        start += cut
    if end > start:
        out.append((start, end))
    return out
