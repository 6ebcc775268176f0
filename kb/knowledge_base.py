"""The knowledge-base facade: ``ingest`` (index/upsert), ``delete``, ``documents``, ``inspect``, ``search``;
structured facts (tasks, indicators, departments) through ``kb.facts``.

Ingestion of one file: hash -> (unchanged? stop) -> parse (with facts) -> langchain ``index()`` into
Chroma with the SQLite record manager (one batch per document, incremental cleanup of its old
chunks) -> facts replaced in SQLite -> registry row marked ready -> the jieba user dictionary
rewritten. After a batch that changed something, the BM25 index is rebuilt and saved. Search only
returns chunks of ready document versions.

Search (``retrieve``): the question's regions decide which documents may answer (``kb.scope``),
then BM25 and dense candidates are fused (``kb.retrievers``).

Example:
    >>> kb = KnowledgeBase(Settings(kb_dir="data"))
    >>> [r.status for r in kb.ingest(["corpus"])]
    >>> kb.search("森林覆盖率达到多少", k=3)[0].breadcrumb
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ingest import SUPPORTED_SUFFIXES, IngestError, ParsedDocument, content_hash_of, doc_id_for, parse_file

from .facts import FactStore
from .locking import WriteLock
from .places import PLACES_VERSION, PlaceIndex, mentioned
from .retrievers import Filters, Hit, section_heading
from .scope import Scope, resolve_scope
from .registry import Registry
from .settings import Settings

if TYPE_CHECKING:                  # langchain loads only when vectors are written or searched
    from langchain_core.documents import Document


@dataclass
class IngestResult:
    path: str
    doc_id: str
    status: str                  # ingested | unchanged | error
    chunks: int = 0
    message: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)


def iter_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders (recursively) into supported files, leaving out hidden files and READMEs (a
    folder's own notes, not policy documents); explicit files are kept whatever their type, so that
    an unsupported file gets its own error message."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                              and not f.name.startswith(".") and not f.name.lower().startswith("readme")))
        else:
            out.append(p)
    return out


def total_timings(results: Iterable[IngestResult]) -> dict[str, float]:
    """Per-stage milliseconds summed over several ingested files."""
    totals: dict[str, float] = {}
    for r in results:
        for k, v in r.timings_ms.items():
            totals[k] = totals.get(k, 0.0) + v
    return totals


class KnowledgeBase:
    def __init__(self, settings: Settings | None = None, embeddings=None):
        """``embeddings`` overrides the backend chosen by settings (any langchain ``Embeddings``)."""
        self.settings = settings or Settings()
        self.registry = Registry(self.settings.sqlite_path)
        self.facts = FactStore(self.registry)
        self._embeddings = embeddings
        self._store = self._cached = None
        self._defer_refresh = False
        self._tokenizer = self._bm25 = self._retriever = self._doc_regions = self._places = None
        self._records = None
        self.write_lock = WriteLock(Path(self.settings.kb_dir), timeout_s=self.settings.write_lock_timeout_s)
        self._build_lock = threading.RLock()

    # --- lazily built heavy parts (not needed to see that nothing changed) -------
    @property
    def embeddings(self):
        if self._embeddings is None:
            from .embeddings import embedding_signature, make_embeddings

            sig = embedding_signature(self.settings)
            built_with = self.registry.info("embedding")
            if built_with and built_with != sig and self.registry.all():
                raise RuntimeError(f"知识库 {self.settings.kb_dir} 是用 {built_with} 建立的，当前设置为 {sig}；"
                                   "请换一个 --kb 目录，或删除该目录后重新导入")
            self._embeddings = make_embeddings(self.settings)
            self.registry.set_info("embedding", sig)
        return self._embeddings

    @property
    def cached_embeddings(self):
        """The embedder behind the registry's vector cache (a text is embedded once, ever)."""
        if self._cached is None:
            from .embed_worker import CachedEmbeddings
            from .embeddings import embedding_signature

            self._cached = CachedEmbeddings(self.embeddings, self.registry, embedding_signature(self.settings))
        return self._cached

    def embed_counts(self) -> tuple[int, int]:
        """(texts the model embedded, texts served from the cache) by this instance so far."""
        return (self._cached.embedded, self._cached.cached) if self._cached else (0, 0)

    @property
    def _record_manager(self):
        """langchain's record manager of the vector store (imported only to write vectors)."""
        if self._records is None:
            from .records import SQLiteRecordManager

            self._records = SQLiteRecordManager(f"chroma/{self.settings.collection}", self.registry)
        return self._records

    @property
    def store(self):
        if self._store is None:
            from .store import open_vector_store

            self._store = open_vector_store(self.settings, self.cached_embeddings)
        return self._store

    # --- ingestion -----------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], force: bool = False,
               on_file: Callable[[IngestResult], None] | None = None, embed: bool = True,
               on_vectors: Callable[[tuple[int, int, int, int]], None] | None = None) -> list[IngestResult]:
        """Index files and folders; ``on_file`` is called after each file (progress bars).

        Every file is parsed and made searchable by keywords and facts first (one BM25 rebuild, one
        dictionary write for the batch); then, with ``embed``, the vectors of every pending
        document are added (batched across documents, ``on_vectors`` gets the progress). Without
        ``embed`` they are left to the web app's background worker or the next ``ingest``."""
        results = []
        with self.write_lock:
            # the department directory is rebuilt once per batch, not once per document; the mark
            # says a batch was cut short (an error, a SIGKILL) and the next ingest rebuilds it
            stale = self.registry.info("directory") == "stale"
            self.registry.set_info("directory", "stale")
            self._defer_refresh = True
            try:
                for f in iter_files(paths):
                    r = self.upsert_file(f, force=force)
                    results.append(r)
                    if on_file:
                        on_file(r)
            finally:
                self._defer_refresh = False
                changed = stale or any(r.status == "ingested" for r in results)
                if changed:
                    self.facts.rebuild_directory()
                self.registry.set_info("directory", "ok")
                if changed or not self.userdict_path.exists():
                    self.facts.write_userdict(self.userdict_path)
                    self.refresh()
            if any(r.status == "ingested" for r in results) or (results and not self.bm25_path.exists()):
                self.bm25                    # build and save now, so that the first question is fast
        if embed:
            self.embed_pending(on_vectors)
        return results

    def embed_pending(self, on_progress: Callable[[tuple[int, int, int, int]], None] | None = None) -> int:
        """Add the vectors of every document still without them (this process, now); documents done."""
        from .embed_worker import EmbeddingWorker

        if not self.registry.pending_vectors(limit=1):
            return 0
        return EmbeddingWorker(self).run_until_done(on_progress)

    @property
    def userdict_path(self) -> Path:
        """jieba user dictionary of the corpus's unit and indicator names (see ``FactStore.write_userdict``)."""
        return Path(self.settings.kb_dir) / "userdict.txt"

    def upsert_file(self, path: str | Path, force: bool = False, doc_id: str | None = None) -> IngestResult:
        """Index one file. Without ``doc_id`` the file keeps the id it has; a new file gets one from
        its name, made unique when another file already holds it (``name-2``). A file whose document
        an upload replaced (``Registry.mark_replaced``) is left out while its content stays the same."""
        path = Path(path)
        t0 = time.perf_counter()
        try:
            h = content_hash_of(path)
        except OSError as exc:
            return IngestResult(str(path), doc_id or doc_id_for(path), "error",
                                message=f"{path}: 无法读取文件（{exc.strerror}）")
        with self.write_lock:
            if doc_id is None:
                by = self.registry.replaced_by(path, h)
                if by and self.registry.get(by):
                    return IngestResult(str(path), by, "unchanged", self.registry.get(by)["n_chunks"],
                                        message=f"已由上传的新版本（文档 {by}）替换")
            did = doc_id or self.registry.id_for_path(path, doc_id_for(path))
            return self._upsert(path, did, h, force, t0)

    def _upsert(self, path: Path, did: str, h: str, force: bool, t0: float) -> IngestResult:
        old = self.registry.get(did)
        if old and not force and old["status"] == "ready" and old["content_hash"] == h:
            return IngestResult(str(path), did, "unchanged", old["n_chunks"],
                                timings_ms={"hash": (time.perf_counter() - t0) * 1000})
        try:
            doc = parse_file(path, doc_id=did, max_bytes=self.settings.max_file_bytes,
                             min_chars=self.settings.chunk_min_chars, max_chars=self.settings.chunk_max_chars)
        except IngestError as exc:
            return IngestResult(str(path), did, "error", message=str(exc))
        timings = dict(doc.timings_ms)
        t = time.perf_counter()
        self.facts.replace_document(doc, rebuild=not self._defer_refresh)
        timings["facts"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        # ready for keywords and facts now; its vectors follow (EmbeddingWorker), and dense search
        # only uses documents whose vectors are marked complete for this content
        self.registry.upsert(did, str(path), doc.content_hash, "ready", doc.meta.title, doc.meta.to_dict(),
                             parsed_summary(doc), len(doc.chunks), len(doc.tables), len(doc.sections))
        if force:
            self.registry.clear_vectors(did)
        self.registry.set_places(did, doc.content_hash, PLACES_VERSION, mentioned(doc.meta.title or "", doc.text))
        timings["registry"] = (time.perf_counter() - t) * 1000
        if not self._defer_refresh:
            t = time.perf_counter()
            self.facts.write_userdict(self.userdict_path)
            self.refresh()
            timings["userdict+refresh"] = (time.perf_counter() - t) * 1000
        return IngestResult(str(path), did, "ingested", len(doc.chunks), timings_ms=timings)

    def store_vectors(self, doc_id: str, docs: list[Document]) -> None:
        """Write one document's chunks to Chroma (langchain ``index()`` with the record manager: the
        document's older chunks are removed after its new ones are written). Callers hold the write lock."""
        from langchain_core.indexing import index

        if not docs:
            keys = self._record_manager.list_keys(group_ids=[doc_id])
            if keys:
                self.store.delete(ids=keys)
                self._record_manager.delete_keys(keys)
            return
        index(docs, self._record_manager, self.store, cleanup="incremental", source_id_key="doc_id",
              batch_size=max(1, len(docs)), key_encoder="sha256")

    def delete(self, ref: str) -> str | None:
        """Remove a document (id or title fragment) with its chunks and facts; its doc_id, or None."""
        with self.write_lock:
            doc = self.registry.find(ref)
            if not doc:
                return None
            keys = self._record_manager.list_keys(group_ids=[doc["doc_id"]])
            if keys:
                self.store.delete(ids=keys)
                self._record_manager.delete_keys(keys)
            self.facts.delete_document(doc["doc_id"])
            self.registry.delete(doc["doc_id"])
            self.registry.forget_replacements(doc["doc_id"])
            self.facts.write_userdict(self.userdict_path)
            self.refresh()
            return doc["doc_id"]

    # --- reading -------------------------------------------------------------------
    def documents(self, parsed: bool = True) -> list[dict[str, Any]]:
        """Registry rows with task and indicator counts; ``parsed=False`` skips the parsed text."""
        docs = self.registry.all(parsed=parsed)
        for d in docs:
            d.update({f"n_{k}": v for k, v in self.facts.counts(d["doc_id"]).items()})
        return docs

    def inspect(self, ref: str) -> dict[str, Any] | None:
        return self.registry.find(ref)

    def search(self, query: str, k: int = 5, **filters: Any) -> list[Hit]:
        """The ``k`` best passages; ``filters`` as for ``retrieve``."""
        return self.retrieve(query, k, **filters).hits

    def retrieve(self, query: str, k: int = 5, doc_ids: list[str] | None = None, regions: list[str] | None = None,
                 doc_kinds: list[str] | None = None, chunk_kinds: list[str] | None = None,
                 use_scope: bool = True) -> "Retrieval":
        """Hybrid search within the explicit filters and, with ``use_scope``, within the regions the
        question names (a region no document covers gives no hits and ``scope.missing``)."""
        t0 = time.perf_counter()
        filters = Filters(doc_ids=doc_ids, regions=regions, doc_kinds=doc_kinds, chunk_kinds=chunk_kinds)
        scope = resolve_scope(query, self.doc_regions()) if use_scope else Scope()
        if scope.constrained:
            allowed = scope.doc_ids if filters.doc_ids is None else [d for d in filters.doc_ids if d in scope.doc_ids]
            filters.doc_ids = allowed
        hits = (self.retriever.run(query, k, filters, primary=scope.primary, groups=scope.groups)
                if query.strip() else [])
        if hits:
            # a document deleted (by this or another process) after the keyword index was loaded
            ready = self.registry.ready_hashes()
            hits = [h for h in hits if h.doc_id in ready]
        return Retrieval(hits, scope, (time.perf_counter() - t0) * 1000)

    def doc_regions(self) -> list[dict[str, Any]]:
        if self._doc_regions is None:
            self._doc_regions = [{"doc_id": d["doc_id"], "region": d["meta"].get("region"),
                                  "city": d["meta"].get("city")} for d in self.registry.all(parsed=False)
                                 if d["status"] == "ready"]
        return self._doc_regions

    @property
    def retriever(self):
        """The configured ``HybridRetriever`` (built on first use)."""
        retriever = self._retriever
        if retriever is None:
            with self._build_lock:
                retriever = self._retriever or self._build_retriever()
                self._retriever = retriever
        return retriever

    def _build_retriever(self):
        from .retrievers import CrossEncoderReranker, DenseRetriever, HybridRetriever, KeywordRetriever

        st = self.settings
        keyword = KeywordRetriever(self.bm25, self.tokenizer, expand=self.facts.unit_expansions,
                                   bigram_weight=st.bm25_bigram_weight) if st.weight_bm25 > 0 else None
        dense = (DenseRetriever(lambda: self.store, self.registry.vector_hashes) if st.weight_dense > 0
                 else None)                  # the store opens on the first search with vectors
        reranker = CrossEncoderReranker(st.reranker_model, st.reranker_top_n) if st.reranker_model else None
        return HybridRetriever(dense, keyword, fusion=st.fusion,
                               weights={"dense": st.weight_dense, "bm25": st.weight_bm25},
                               candidates=st.candidates, reranker=reranker,
                               secondary_factor=st.secondary_region_factor,
                               answer_type_bonus=st.answer_type_bonus)

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            from .tokenize import Tokenizer

            self._tokenizer = Tokenizer(self.userdict_path)
        return self._tokenizer

    @property
    def bm25_path(self) -> Path:
        return Path(self.settings.kb_dir) / "bm25.npz"

    @property
    def bm25(self):
        """The BM25 index of the ready chunks: loaded from disk, rebuilt when documents or the user
        dictionary changed since it was saved."""
        index = self._bm25
        if index is None:
            with self._build_lock:                  # concurrent questions build it once, not once each
                index = self._bm25
                if index is None:
                    index = self._bm25 = self._load_or_build_bm25()
        return index

    def _load_or_build_bm25(self):
        """The saved index when it is current; else the saved index updated in place (rows of
        removed or changed documents dropped, new ones tokenised, and the chunks a changed
        dictionary word occurs in tokenised again); a full build only without a usable saved index."""
        import numpy as np

        from .bm25 import BM25Index

        ready = self.registry.ready_hashes()
        tok = self.tokenizer
        index = BM25Index.load(self.bm25_path)
        if index is not None and index.signature == _bm25_signature(ready, tok.signature):
            return index
        state = index.state if index is not None else {}
        if (index is not None and state.get("text_version") == KEYWORD_TEXT_VERSION
                and state.get("tokenizer") == tok.signature.rsplit(":", 1)[0] and "docs" in state):
            old, words = state["docs"], set(state.get("userdict", []))
            keep = [old.get(c["doc_id"]) == ready.get(c["doc_id"]) for c in index.chunks]
            changed = words ^ set(tok.user_words)
            redo = index.containing(changed, text_of=keyword_text, among=np.asarray(keep, dtype=bool)) if changed else ()
            chunks, hashes = self._keyword_chunks([d for d, h in ready.items() if old.get(d) != h])
            hashes.update({d: h for d, h in old.items() if ready.get(d) == h})
            index = index.updated(keep, chunks, tok, text_of=keyword_text, redo=redo, order=_doc_order,
                                  signature=_bm25_signature(hashes, tok.signature),
                                  state=_bm25_state(hashes, tok))
        else:
            chunks, hashes = self._keyword_chunks()
            index = BM25Index.build(chunks, tok, signature=_bm25_signature(hashes, tok.signature),
                                    text_of=keyword_text, state=_bm25_state(hashes, tok))
        self.bm25_path.parent.mkdir(parents=True, exist_ok=True)
        index.save(self.bm25_path)
        return index

    def _keyword_chunks(self, doc_ids: Iterable[str] | None = None) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The chunks BM25 indexes of the ready documents (all, or ``doc_ids``), by document id in
        document order, and the content hash of each document they come from."""
        rows = (self.registry.all() if doc_ids is None
                else [d for d in map(self.registry.get, sorted(doc_ids)) if d is not None])
        out, hashes = [], {}
        for d in rows:
            if d["status"] != "ready":
                continue
            m = d["meta"]
            base = {"doc_id": d["doc_id"], "title": d["title"], "region": m.get("region") or "",
                    "city": m.get("city") or "", "doc_kind": m.get("kind") or ""}
            out += [dict(base, **c) for c in d["parsed"].get("chunks", [])]
            hashes[d["doc_id"]] = d["content_hash"]
        return out, hashes

    def documents_naming(self, names: Iterable[str], among: Iterable[str] | None = None) -> set[str]:
        """The ready documents (of ``among``) whose title or text contains one of ``names`` (places:
        found at ingestion, ``kb.places``)."""
        places = self._places
        if places is None:
            places = self._places = PlaceIndex(self.registry)
        return places.naming(names, among)

    def refresh(self) -> None:
        """Drop what depends on the set of documents (BM25, tokenizer, regions, places); rebuilt on
        next use. Called after every write here, and by readers that saw another process change the registry."""
        self._tokenizer = self._bm25 = self._retriever = self._doc_regions = self._places = None


KEYWORD_TEXT_VERSION = 2      # bump when keyword_text changes: saved BM25 indexes are rebuilt


def _bm25_signature(hashes: dict[str, str], tokenizer_signature: str) -> str:
    import hashlib

    return hashlib.sha1(json.dumps([sorted(hashes.items()), tokenizer_signature, KEYWORD_TEXT_VERSION]).encode()).hexdigest()


def _bm25_state(hashes: dict[str, str], tok) -> dict[str, Any]:
    """What an update of a saved BM25 index needs: the indexed documents' content hashes and the
    user-dictionary words it was tokenised with (kb.bm25, ``updated``)."""
    return {"docs": hashes, "userdict": tok.user_words, "tokenizer": tok.signature.rsplit(":", 1)[0],
            "text_version": KEYWORD_TEXT_VERSION}


def _doc_order(chunk: dict[str, Any]) -> str:
    """A full build lists chunks by document id (the registry's order), each document in its order."""
    return chunk["doc_id"]


def keyword_text(chunk: dict[str, Any]) -> str:
    """What BM25 indexes for a chunk: breadcrumb, its own section heading once more (a heading that
    names the question's topic is a stronger signal than a passing mention), then the text."""
    crumb = chunk["breadcrumb"]
    return f"{crumb}\n{section_heading(crumb)}\n{chunk['text']}"


@dataclass
class Retrieval:
    hits: list[Hit]
    scope: Scope
    ms: float


def parsed_summary(doc: ParsedDocument) -> dict[str, Any]:
    """What `inspect` shows and what citations need later: normalised text, tree, tables, chunks."""
    return {
        "text": doc.text,
        "page_starts": doc.page_starts,
        "sections": [s.to_dict() for s in doc.sections],
        "tables": [t.to_dict() for t in doc.tables],
        "chunks": [{"chunk_id": c.chunk_id, "kind": c.kind, "section_id": c.section_id, "breadcrumb": c.breadcrumb,
                    "start": c.start, "end": c.end, "page": c.page, "text": c.text,
                    **({"table_index": c.table_index, "row_index": c.row_index} if c.table_index is not None else {})}
                   for c in doc.chunks],
        "timings_ms": doc.timings_ms,
    }


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)
