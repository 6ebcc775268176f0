"""Retrieval components: dense (Chroma), keyword (jieba BM25), their fusion, an optional cross-encoder
reranker, and a langchain ``BaseRetriever`` over the whole.

Each retriever takes the query, ``k`` and the ``Filters`` and returns ranked ``Hit``s. Fusion is
weighted over min-max normalised scores by default (dense weight 0.5): on the seed gold set RRF
threw away how far BM25's best passage leads the rest and lost 9 points of hit@1 (the numbers
are in README, "Retrieval"). RRF stays available by setting.

Example:
    >>> hits = HybridRetriever(dense, keyword).run("门头沟森林覆盖率目标", k=5, filters=Filters())
    >>> hits[0].breadcrumb
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Literal

if TYPE_CHECKING:                 # scipy loads only when the BM25 index does, not at start-up
    from langchain_core.documents import Document

    from .bm25 import BM25Index


@dataclass
class Hit:
    doc_id: str
    title: str
    breadcrumb: str
    text: str
    score: float
    kind: str
    start: int
    end: int
    page: int | None
    region: str | None
    chunk_id: str
    scores: dict[str, float] = field(default_factory=dict)    # per retriever, for explaining a ranking

    @classmethod
    def from_meta(cls, m: dict[str, Any], score: float, text: str = "") -> "Hit":
        return cls(doc_id=m["doc_id"], title=m.get("title", ""), breadcrumb=m.get("breadcrumb", ""),
                   text=m.get("text") or text, score=score, kind=m.get("kind", "text"), start=int(m.get("start", 0)),
                   end=int(m.get("end", 0)), page=m.get("page"), region=m.get("region") or None,
                   chunk_id=m.get("chunk_id", ""))

    def to_document(self) -> Document:
        from langchain_core.documents import Document

        meta = {k: v for k, v in self.__dict__.items() if k != "text" and v is not None}
        return Document(page_content=self.text, metadata=meta)


@dataclass
class Filters:
    """Restrictions on what may be retrieved. ``doc_ids=[]`` means nothing may be."""
    doc_ids: list[str] | None = None
    regions: list[str] | None = None          # document region (门头沟区) or city (北京市)
    doc_kinds: list[str] | None = None        # 行动计划, 实施方案 …
    chunk_kinds: list[str] | None = None      # text, table_row

    def allows(self, m: dict[str, Any]) -> bool:
        return ((self.doc_ids is None or m.get("doc_id") in self.doc_ids)
                and (not self.regions or m.get("region") in self.regions or m.get("city") in self.regions)
                and (not self.doc_kinds or m.get("doc_kind") in self.doc_kinds)
                and (not self.chunk_kinds or m.get("kind") in self.chunk_kinds))

    def chroma_where(self) -> dict | None:
        parts: list[dict] = []
        if self.doc_ids is not None:
            parts.append({"doc_id": {"$in": list(self.doc_ids)}})
        if self.regions:
            parts.append({"$or": [{"region": {"$in": list(self.regions)}}, {"city": {"$in": list(self.regions)}}]})
        if self.doc_kinds:
            parts.append({"doc_kind": {"$in": list(self.doc_kinds)}})
        if self.chunk_kinds:
            parts.append({"kind": {"$in": list(self.chunk_kinds)}})
        return None if not parts else parts[0] if len(parts) == 1 else {"$and": parts}

    @property
    def blocks_all(self) -> bool:
        return self.doc_ids is not None and not self.doc_ids


class DenseRetriever:
    """Cosine similarity in the Chroma collection; skips chunks of stale document versions.

    ``store`` is the vector store or a function that opens it: then it is opened on the first
    search that has documents with vectors (a knowledge base searched by keywords only never
    imports Chroma)."""

    def __init__(self, store, ready_hashes: Callable[[], dict[str, str]]):
        self._store = store
        self.ready_hashes = ready_hashes

    @property
    def store(self):
        if callable(self._store) and not hasattr(self._store, "similarity_search_with_score"):
            self._store = self._store()
        return self._store

    def run(self, query: str, k: int, filters: Filters) -> list[Hit]:
        if filters.blocks_all:
            return []
        ready = self.ready_hashes()
        if not ready or filters.doc_ids is not None and not any(d in ready for d in filters.doc_ids):
            return []                  # no allowed document has vectors: every hit would be dropped below
        try:
            raw = self.store.similarity_search_with_score(query, k=k + 10, filter=filters.chroma_where())
        except Exception as exc:       # noqa: BLE001 - e.g. Chroma on disk while another process writes it
            # keyword results alone are still true; a failed vector search must not fail the question
            logging.getLogger("policykb.retrieve").warning("向量检索失败，本次只用关键词：%s", exc)
            return []
        hits = []
        for d, dist in raw:
            m = d.metadata
            if ready.get(m.get("doc_id")) == m.get("content_hash"):
                hits.append(Hit.from_meta(m, 1.0 - float(dist), d.page_content))
        return hits[:k]


class KeywordRetriever:
    """BM25 over jieba terms; ``expand`` adds terms for a query (a department's other names)."""

    def __init__(self, index: BM25Index, tokenize: Callable[[str], list[str]],
                 expand: Callable[[str], list[str]] | None = None, bigram_weight: float = 0.5):
        if bigram_weight < 0:
            raise ValueError("bigram_weight must be >= 0")
        self.index, self.tokenize, self.expand = index, tokenize, expand
        self.bigram_weight = bigram_weight
        self._fields: dict | None = None

    def terms(self, query: str) -> list[str]:
        terms = self.tokenize(query)
        for extra in (self.expand(query) if self.expand else []):
            terms += [t for t in self.tokenize(extra) if not t.startswith("#")]
        return terms

    def allowed(self, filters: Filters):
        """Boolean mask of the chunks ``filters`` allows (None: all), from per-field arrays built once
        per index, so a question costs a few vector operations rather than a Python loop per chunk."""
        import numpy as np

        if not (filters.doc_ids is not None or filters.regions or filters.doc_kinds or filters.chunk_kinds):
            return None
        if self._fields is None:
            # each field as integer codes (np.isin on object arrays compares element by element)
            self._fields = {}
            for name in ("doc_id", "region", "city", "doc_kind", "kind"):
                vocab: dict[str, int] = {}
                codes = np.fromiter((vocab.setdefault(c.get(name) or "", len(vocab)) for c in self.index.chunks),
                                    dtype=np.int32, count=len(self.index))
                self._fields[name] = (codes, vocab)

        def isin(name: str, values) -> "np.ndarray":
            codes, vocab = self._fields[name]
            return np.isin(codes, [vocab[v] for v in values if v in vocab])

        mask = np.ones(len(self.index), dtype=bool)
        if filters.doc_ids is not None:
            mask &= isin("doc_id", filters.doc_ids)
        if filters.regions:
            mask &= isin("region", filters.regions) | isin("city", filters.regions)
        if filters.doc_kinds:
            mask &= isin("doc_kind", filters.doc_kinds)
        if filters.chunk_kinds:
            mask &= isin("kind", filters.chunk_kinds)
        return mask

    def run(self, query: str, k: int, filters: Filters) -> list[Hit]:
        if filters.blocks_all or not len(self.index):
            return []
        allowed = self.allowed(filters)
        w = self.bigram_weight
        ranked = self.index.search(self.terms(query), k=k, allowed=allowed,
                                   weights=lambda t: w if t.startswith("#") else 1.0)
        return [Hit.from_meta(self.index.chunks[i], s) for i, s in ranked]


def _fuse(ranked: dict[str, list[Hit]], weights: dict[str, float] | None,
          contribution: Callable[[list[Hit]], list[float]]) -> list[Hit]:
    """Sum ``weight * contribution`` per chunk over the retrievers; keep each raw score in ``scores``."""
    fused: dict[str, Hit] = {}
    for name, hits in ranked.items():
        w = (weights or {}).get(name, 1.0)
        for h, part in zip(hits, contribution(hits)):
            cur = fused.setdefault(h.chunk_id, Hit(**{**h.__dict__, "score": 0.0, "scores": {}}))
            cur.score += w * part
            cur.scores[name] = h.score
    return sorted(fused.values(), key=lambda h: -h.score)


def reciprocal_rank_fusion(ranked: dict[str, list[Hit]], weights: dict[str, float] | None = None,
                           c: float = 60.0) -> list[Hit]:
    """score = sum over retrievers of weight / (c + rank); ties keep the first retriever's order."""
    return _fuse(ranked, weights, lambda hits: [1 / (c + rank) for rank in range(1, len(hits) + 1)])


def weighted_fusion(ranked: dict[str, list[Hit]], weights: dict[str, float] | None = None) -> list[Hit]:
    """score = sum of weight * min-max normalised score within each retriever's candidates. Unlike
    RRF this keeps the size of BM25's lead when one passage matches far better than the rest."""
    def minmax(hits: list[Hit]) -> list[float]:
        lo, hi = min((h.score for h in hits), default=0.0), max((h.score for h in hits), default=0.0)
        return [(h.score - lo) / (hi - lo) if hi > lo else 1.0 for h in hits]

    return _fuse(ranked, weights, minmax)


class CrossEncoderReranker:
    """Re-scores the first ``top_n`` fused hits with a sentence-transformers CrossEncoder (local model)."""

    def __init__(self, model: str, top_n: int = 20):
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import CrossEncoder

        if top_n < 1:
            raise ValueError("top_n must be >= 1")
        self._model = CrossEncoder(model, device="cpu", local_files_only=True)
        self.top_n = top_n

    def run(self, query: str, hits: list[Hit]) -> list[Hit]:
        head, tail = hits[:self.top_n], hits[self.top_n:]
        if not head:
            return hits
        scores = self._model.predict([(query, f"{h.breadcrumb}\n{h.text}") for h in head], show_progress_bar=False)
        for h, s in zip(head, scores):
            h.scores["rerank"] = float(s)
            h.score = float(s)
        return sorted(head, key=lambda h: -h.score) + tail


OUTLINE_FACTOR = 0.5


class HybridRetriever:
    """Dense + keyword candidates, fused; then small priors: passages that can supply the kind of
    answer asked for (a date, a number, 牵头/配合 units, a definition) gain ``answer_type_bonus`` of
    the top score, and documents outside the question's own region (its city's, when it names a
    district) lose ``1 - secondary_factor``. Optionally reranked by a cross-encoder. When the
    question names several regions, the top results alternate between them."""

    def __init__(self, dense: DenseRetriever | None, keyword: KeywordRetriever | None,
                 fusion: Literal["rrf", "weighted"] = "weighted", weights: dict[str, float] | None = None,
                 candidates: int = 50, reranker: CrossEncoderReranker | None = None, secondary_factor: float = 0.8,
                 answer_type_bonus: float = 0.2):
        if fusion not in ("rrf", "weighted"):
            raise ValueError("fusion must be 'rrf' or 'weighted'")
        if not dense and not keyword:
            raise ValueError("need at least one retriever")
        if answer_type_bonus < 0 or not 0 <= secondary_factor <= 1:
            raise ValueError("answer_type_bonus must be >= 0 and secondary_factor within [0, 1]")
        self.dense, self.keyword, self.fusion, self.weights = dense, keyword, fusion, weights or {}
        self.candidates, self.reranker, self.secondary_factor = candidates, reranker, secondary_factor
        self.answer_type_bonus = answer_type_bonus

    def run(self, query: str, k: int, filters: Filters, primary: list[str] | None = None,
            groups: list[list[str]] | None = None) -> list[Hit]:
        """``primary``: the named regions' own documents; ``groups``: their documents per region."""
        ranked: dict[str, list[Hit]] = {}
        if self.keyword:
            ranked["bm25"] = self.keyword.run(query, self.candidates, filters)
        if self.dense:
            ranked["dense"] = self.dense.run(query, self.candidates, filters)
        fused = (reciprocal_rank_fusion if self.fusion == "rrf" else weighted_fusion)(ranked, self.weights)
        if fused:
            self._priors(query, fused, set(primary or []))
        if self.reranker:
            fused = self.reranker.run(query, fused)
        if groups and len(groups) > 1:
            fused = interleave(fused, groups)
        return fused[:k]

    def _priors(self, query: str, fused: list[Hit], primary: set[str]) -> None:
        from .answer_types import supplies, wanted

        want, top = wanted(query), fused[0].score
        for h in fused:
            if want and want & supplies(h.text, h.kind):
                # an outline gains more when the question names its section ("有哪些重点任务")
                match = heading_match(query, h.breadcrumb) if h.kind == "outline" else 0.0
                h.score += self.answer_type_bonus * top * (1 + match)
            elif h.kind == "outline":
                h.score *= OUTLINE_FACTOR         # a list of headings rarely answers a specific question
            if primary and h.doc_id not in primary:
                h.score *= self.secondary_factor
        fused.sort(key=lambda h: -h.score)


def section_heading(breadcrumb: str) -> str:
    """The last part of a breadcrumb: the chunk's own section heading (the title for the root)."""
    return breadcrumb.rsplit(" › ", 1)[-1]


def heading_match(query: str, breadcrumb: str) -> float:
    """Share of the section heading's character bigrams that the query contains (0..1)."""
    heading = section_heading(breadcrumb)
    grams = {heading[i:i + 2] for i in range(len(heading) - 1)}
    return sum(g in query for g in grams) / len(grams) if grams else 0.0


def interleave(hits: list[Hit], groups: list[list[str]]) -> list[Hit]:
    """Best hit of each group in turn (groups: document ids per named region), then the rest."""
    queues = [[h for h in hits if h.doc_id in set(g)] for g in groups]
    out: list[Hit] = []
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    seen = {h.chunk_id for h in out}
    return out + [h for h in hits if h.chunk_id not in seen]


def __getattr__(name: str):
    # KBRetriever is a langchain BaseRetriever, and importing langchain_core.retrievers pulls in its
    # runnables and tracing (1.4 s): built on first use, so answering never pays for it
    if name == "KBRetriever":
        global KBRetriever
        KBRetriever = _kb_retriever_class()
        return KBRetriever
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _kb_retriever_class():
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

    class KBRetriever(BaseRetriever):
        """The knowledge base's hybrid search as a langchain retriever (for chains and agents).

        Example:
            >>> docs = KBRetriever(kb=kb, k=5).invoke("区气象局负责哪些任务")
        """

        kb: Any
        k: int = 5
        filters: dict[str, Any] = {}

        def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
            return [h.to_document() for h in self.kb.search(query, k=self.k, **self.filters)]

    return KBRetriever
