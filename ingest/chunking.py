"""Structure-aware chunking: a chunk never straddles two sections; each table row is its own chunk.

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
from .structure import SectionTree
from .tables import TableSpan, row_text

_SENTENCE_END = re.compile(r"[。；！？;!?]")


def make_chunks(doc_id: str, text: str, tree: SectionTree, tables: list[TableSpan],
                breadcrumb_of: Callable[[int], str], page_of: Callable[[int], int | None],
                min_chars: int = 300, max_chars: int = 600) -> list[Chunk]:
    pieces: list[tuple[int, int, int]] = []          # (start, end, section_id), text pieces
    for start, end, sec in tree.lines:
        if is_heading_only(text[start:end]):
            continue                                 # a bare heading lives on in its children's breadcrumbs
        pieces.extend((a, b, sec) for a, b in _split_long(text, start, end, max_chars))

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
    chunks.sort(key=lambda c: (c.start, c.kind))
    for i, c in enumerate(chunks):
        c.chunk_index = i
    return chunks


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
