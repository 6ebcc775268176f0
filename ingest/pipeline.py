"""File -> ParsedDocument: load, clean, detect metadata, find tables, build sections, chunk, extract facts.

Example:
    >>> doc = parse_file("corpus/门头沟_氧吧三年行动计划.txt")
    >>> doc.meta.region, len(doc.sections), len(doc.tables), len(doc.chunks)
"""
from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

from .chunking import make_chunks
from .facts import extract_facts
from .cleaning import clean_text, strip_page_breaks
from .loaders import DEFAULT_MAX_BYTES, PAGED_FORMATS, load_file
from .metadata import detect_metadata, read_sidecar, sidecar_candidates
from .model import ParsedDocument
from .structure import build_sections
from .tables import find_tables

# Bump when parsing changes, so that `policykb ingest` re-indexes documents parsed by older code.
PARSER_VERSION = "9"


def doc_id_for(path: str | Path) -> str:
    """A readable, stable id: the file name without extension, with unsafe characters replaced."""
    stem = Path(path).stem
    return re.sub(r"[^\w\u4e00-\u9fff\-（）()]+", "_", stem).strip("_") or "doc"


def content_hash_of(path: str | Path) -> str:
    p = Path(path)
    h = hashlib.sha256(PARSER_VERSION.encode())
    h.update(p.read_bytes())
    for side in sidecar_candidates(p):
        if side.is_file():
            h.update(side.read_bytes())
    return h.hexdigest()


def parse_file(path: str | Path, doc_id: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
               min_chars: int = 300, max_chars: int = 600) -> ParsedDocument:
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    raw = load_file(path, max_bytes=max_bytes)
    timings["load"] = (time.perf_counter() - t0) * 1000

    t = time.perf_counter()
    text, page_starts = strip_page_breaks(clean_text(raw.text, raw.source_format))
    timings["clean"] = (time.perf_counter() - t) * 1000

    t = time.perf_counter()
    meta = detect_metadata(text, raw.front_matter, read_sidecar(path), filename=str(path))
    timings["metadata"] = (time.perf_counter() - t) * 1000

    t = time.perf_counter()
    tables = find_tables(text)
    root_title = meta.extra.get("short_title") or meta.title
    tree = build_sections(text, root_title, tables)
    timings["structure"] = (time.perf_counter() - t) * 1000

    did = doc_id or doc_id_for(path)
    doc = ParsedDocument(doc_id=did, path=str(path), content_hash=content_hash_of(path), text=text, meta=meta,
                         sections=tree.sections, tables=[s.table for s in tables], chunks=[],
                         page_starts=page_starts if raw.source_format in PAGED_FORMATS else [])
    t = time.perf_counter()
    crumbs = {s.id: " › ".join(doc.breadcrumb(s.id)) for s in doc.sections}
    doc.chunks = make_chunks(did, text, tree, tables, crumbs.__getitem__, doc.page_at,
                             min_chars=min_chars, max_chars=max_chars)
    timings["chunk"] = (time.perf_counter() - t) * 1000

    t = time.perf_counter()
    doc.tasks, doc.indicators = extract_facts(text, doc.sections, doc.tables, doc.breadcrumb)
    timings["facts"] = (time.perf_counter() - t) * 1000
    doc.timings_ms = timings
    return doc
