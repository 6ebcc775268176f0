"""Which documents name a place: the gazetteer's areas (full and short names) that occur in each
document's title or text, found once at ingestion and kept in the registry (``doc_places``), so
that answering a question that names a place does not read the text of every document.

A region-less or national document (a web article, a State Council notice) may answer for a place
it names (``assistant.scope``); this index tells which do. A name outside the gazetteer (a region
only a sidecar gives) is looked for in the texts, once per name and version of the documents.

Example:
    >>> mentioned("关于门头沟区生态涵养的通知", "……北京市门头沟区……")[:3]
    ['北京', '北京市', '门头沟']
    >>> places = PlaceIndex(registry)
    >>> places.naming({"门头沟区", "门头沟"}, among={"gov_notice_12", "article_7"})
    {'article_7'}
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from ingest.regions import all_areas, short_name

PLACES_VERSION = 3            # bump when the names change: stored mentions are then recomputed


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Every gazetteer area by its full and its short name (two characters or more)."""
    names = set()
    for area in all_areas():
        names.update(n for n in (area, short_name(area)) if len(n) >= 2)
    return frozenset(names)


def mentioned(title: str, text: str) -> list[str]:
    """The gazetteer names that occur in ``title`` or ``text``, sorted. A short name counts wherever
    it occurs ("淮北矿业" names 淮北): this only widens the documents that may answer a question
    which names the place itself."""
    return sorted(n for n in place_names() if n in title or n in text)


class PlaceIndex:
    """``naming(names, among)``: the documents of ``among`` whose title or text contains one of
    ``names``. Built from the registry's stored mentions of the ready documents; a document without
    current ones (ingested before this index existed) has its text read once and its mentions stored."""

    def __init__(self, registry):
        self.registry = registry
        stored = registry.places(PLACES_VERSION)
        self.hashes = registry.ready_hashes()
        self.by_name: dict[str, set[str]] = {}
        for doc_id, h in self.hashes.items():
            row = stored.get(doc_id)
            names = row[1] if row and row[0] == h else self._read(doc_id)
            for n in names:
                self.by_name.setdefault(n, set()).add(doc_id)
        self._other: dict[tuple[str, str], bool] = {}    # names outside the gazetteer: found by reading

    def _read(self, doc_id: str) -> list[str]:
        d = self.registry.get(doc_id)
        if not d:
            return []
        names = mentioned(d["title"] or "", d["parsed"].get("text", ""))
        # stored, keyed by the content it was read from: a later version simply gets read again
        self.registry.set_places(doc_id, d["content_hash"], PLACES_VERSION, names)
        return names

    def naming(self, names: Iterable[str], among: Iterable[str] | None = None) -> set[str]:
        among = set(self.hashes) if among is None else set(among)
        out: set[str] = set()
        for n in names:
            if n in place_names():
                out |= self.by_name.get(n, set()) & among
            else:
                out |= {d for d in among if self._text_names(d, n)}
        return out

    def _text_names(self, doc_id: str, name: str) -> bool:
        key = (doc_id, name)
        if key not in self._other:
            d = self.registry.get(doc_id) if doc_id in self.hashes else None
            self._other[key] = bool(d) and (name in (d["title"] or "") or name in d["parsed"].get("text", ""))
        return self._other[key]
