"""Data passed between ingestion stages: file -> RawDocument -> ParsedDocument (sections, tables, chunks)."""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Any


@dataclass
class DocMeta:
    """Document-level metadata, detected from the text or front matter, overridable by a sidecar."""

    title: str = ""
    issuer: str | None = None
    region: str | None = None          # most specific area, e.g. 门头沟区, 北京市, 全国
    city: str | None = None            # enclosing city/province, e.g. 北京市
    date: str | None = None            # ISO yyyy-mm-dd (or yyyy-mm / yyyy when only that is known)
    status: str | None = None          # 征求意见稿, 有效, 试行 ...
    kind: str | None = None            # 行动计划, 实施方案, 起草说明 ...
    doc_number: str | None = None      # 文号, e.g. 国办发〔2018〕128号
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RawDocument:
    """What a loader returns: text with page breaks as '\\f', plus metadata found in the file itself."""

    path: str
    text: str
    front_matter: dict[str, Any] = field(default_factory=dict)
    source_format: str = "txt"   # txt | md | docx | pdf


@dataclass
class Section:
    """A node of the heading tree. ``start``/``end`` are offsets into the normalised text."""

    id: int
    title: str
    level: int
    marker: str            # the marker kind, e.g. 'cn_dun' for 一、; 'root' for the document
    start: int
    end: int
    parent: int | None
    heading_end: int = 0   # offset where the heading line ends (body starts after it)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TableRow:
    cells: dict[str, str]
    start: int
    end: int
    index: int


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[TableRow]
    start: int
    end: int
    section_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "caption": self.caption,
            "headers": self.headers,
            "rows": [asdict(r) for r in self.rows],
            "start": self.start,
            "end": self.end,
            "section_id": self.section_id,
        }


@dataclass
class Chunk:
    """A retrieval unit. For ``kind == 'text'`` the text is exactly ``doc.text[start:end]``."""

    doc_id: str
    chunk_index: int
    text: str
    kind: str               # text | table_row | outline
    section_id: int
    breadcrumb: str
    start: int
    end: int
    page: int | None = None
    table_index: int | None = None
    row_index: int | None = None

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}:{self.chunk_index}"


def page_at(page_starts: list[int], offset: int) -> int | None:
    """The 1-based page holding ``offset``; None for a document without pages (not a PDF)."""
    if not page_starts:
        return None
    page = 1
    for i, start in enumerate(page_starts):
        if offset >= start:
            page = i + 1
    return page


@dataclass
class ParsedDocument:
    doc_id: str
    path: str
    content_hash: str
    text: str
    meta: DocMeta
    sections: list[Section]
    tables: list[Table]
    chunks: list[Chunk]
    page_starts: list[int] = field(default_factory=list)   # offset where each page begins (pdf)
    tasks: list[Any] = field(default_factory=list)          # ingest.tasks.Task
    indicators: list[Any] = field(default_factory=list)     # ingest.indicators.Indicator
    timings_ms: dict[str, float] = field(default_factory=dict)

    def page_at(self, offset: int) -> int | None:
        return page_at(self.page_starts, offset)

    def breadcrumb(self, section_id: int) -> list[str]:
        by_id = {s.id: s for s in self.sections}
        path: list[str] = []
        node = by_id.get(section_id)
        while node is not None:
            path.append(node.title)
            node = by_id.get(node.parent) if node.parent is not None else None
        return list(reversed(path))
