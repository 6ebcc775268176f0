"""Vectors after keywords: documents are searchable by keywords and facts as soon as they are parsed;
their vectors are added here, in the background (the web app) or at the end of ``policykb ingest``.

- **What is pending** lives in the registry (``vector_hash`` differs from ``content_hash``), so the
  work survives restarts and a SIGKILL at any point: a document is marked as having vectors only
  after all of them are stored, and dense search only uses marked documents.
- **Batching across documents**: pending documents are taken together until a batch holds
  ``batch_chunks`` chunks; the model sees one call per batch, not one per document.
- **Never the same text twice**: ``CachedEmbeddings`` keeps every passage vector in SQLite by
  the hash of (model signature, text), so an edited document only embeds its changed chunks and a
  re-run after a crash resumes where it stopped.
- **One embedder per knowledge base**: a worker works only while it holds ``KB/.embed.lock``;
  another process's worker waits. Stores into Chroma take the write lock, briefly, per batch.

Example:
    >>> worker = EmbeddingWorker(kb)
    >>> worker.run_until_done()                 # policykb ingest
    >>> worker.start()                          # the web app: a daemon thread, woken after uploads
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

log = logging.getLogger("policykb.embed")


class CachedEmbeddings(Embeddings):
    """``inner`` behind a cache of passage vectors in the registry, keyed by signature and text, and
    of recent query vectors in memory."""

    def __init__(self, inner: Embeddings, registry, signature: str):
        self.inner, self.registry, self.signature = inner, registry, signature
        self.embedded = 0          # texts the model embedded (cache misses)
        self.cached = 0            # texts ``warm`` found in the cache already
        self._queries: dict[str, list[float]] = {}     # recent query vectors (not stored)

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.signature}\0{text}".encode()).hexdigest()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [self.key(t) for t in texts]
        have = self._fill(texts, keys)
        return [np.frombuffer(have[k], dtype=np.float32).tolist() for k in keys]

    def warm(self, texts: list[str]) -> int:
        """Make sure every text's vector is cached (the model sees only the missing ones); counts
        them as ``embedded`` or ``cached``. Returns how many the model embedded."""
        keys = [self.key(t) for t in texts]
        before = self.embedded
        have = self.registry.cached_vectors(set(keys))
        self.cached += len(have)
        self._fill(texts, keys, have)
        return self.embedded - before

    def _fill(self, texts: list[str], keys: list[str], have: dict[str, bytes] | None = None) -> dict[str, bytes]:
        have = dict(have) if have is not None else self.registry.cached_vectors(set(keys))
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in have))
        if missing:
            vecs = np.asarray(self.inner.embed_documents(missing), dtype=np.float32)
            new = [(self.key(t), v.tobytes()) for t, v in zip(missing, vecs)]
            self.registry.cache_vectors(new)
            have.update(new)
            self.embedded += len(missing)
        return have

    def embed_query(self, text: str) -> list[float]:
        # one question searches with the same text several times (gather's passes, a second pass for
        # document versions): the model runs once per text (72 ms each at 2,000 documents, loaded)
        vec = self._queries.get(text)
        if vec is None:
            vec = self.inner.embed_query(text)
            if len(self._queries) >= 256:
                self._queries.clear()
            self._queries[text] = vec
        return list(vec)


def row_documents(row: dict[str, Any]) -> list[Document]:
    """A registry row's chunks as the langchain Documents stored in Chroma (text with breadcrumb)."""
    m = row["meta"]
    base = {"doc_id": row["doc_id"], "title": row["title"] or "", "content_hash": row["content_hash"],
            "region": m.get("region") or "", "city": m.get("city") or "", "doc_kind": m.get("kind") or "",
            "status": m.get("status") or ""}
    out = []
    for i, c in enumerate(row["parsed"].get("chunks", [])):
        meta = dict(base, chunk_id=c["chunk_id"], chunk_index=i, kind=c["kind"], section_id=c["section_id"],
                    breadcrumb=c["breadcrumb"], start=c["start"], end=c["end"], text=c["text"])
        for k in ("page", "table_index", "row_index"):
            if c.get(k) is not None:
                meta[k] = c[k]
        out.append(Document(page_content=f"{c['breadcrumb']}\n{c['text']}", metadata=meta))
    return out


class EmbeddingWorker:
    def __init__(self, kb, batch_chunks: int = 64, idle_s: float = 5.0):
        if batch_chunks < 1 or idle_s <= 0:
            raise ValueError("need batch_chunks >= 1 and idle_s > 0")
        self.kb, self.batch_chunks, self.idle_s = kb, batch_chunks, idle_s
        self.claim_path = Path(kb.settings.kb_dir) / ".embed.lock"
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    # --- one batch ------------------------------------------------------------------------------
    def run_once(self) -> int:
        """Embed and store one batch of pending documents; the number of documents completed."""
        reg = self.kb.registry
        batch, n = [], 0
        for doc_id, h, n_chunks in reg.pending_vectors(limit=500):
            batch.append((doc_id, h))
            n += n_chunks
            if n >= self.batch_chunks:
                break
        if not batch:
            return 0
        docs = {}
        for doc_id, h in batch:
            row = reg.get(doc_id)
            if row and row["content_hash"] == h:
                docs[(doc_id, h)] = row_documents(row)
        texts = [d.page_content for ds in docs.values() for d in ds]
        emb = self.kb.cached_embeddings
        for i in range(0, len(texts), self.batch_chunks):      # model work outside the write lock,
            emb.warm(texts[i:i + self.batch_chunks])             # cached per sub-batch (resumable)
        done = 0
        with self.kb.write_lock:
            for (doc_id, h), ds in docs.items():
                if reg.content_hash(doc_id) != h:
                    continue                                      # changed or deleted meanwhile
                self.kb.store_vectors(doc_id, ds)                 # vectors come from the cache now
                done += reg.mark_vectors(doc_id, h)
        return done

    def run_until_done(self, on_progress: Callable[[tuple[int, int, int, int]], None] | None = None) -> int:
        """Embed every pending document (this process, in the foreground); documents completed."""
        total = 0
        with self._claim(wait=True):
            while True:
                n = self.run_once()
                if on_progress:
                    on_progress(self.kb.registry.vector_progress())
                if not n and not self.kb.registry.pending_vectors(limit=1):
                    return total
                total += n

    # --- background -----------------------------------------------------------------------------
    def start(self) -> "EmbeddingWorker":
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="policykb-embed", daemon=True)
            self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = 30) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                with self._claim(wait=False) as claimed:
                    while claimed and not self._stop.is_set() and self.run_once():
                        pass
                self.last_error = None
            except Exception as exc:          # noqa: BLE001 - a background thread must not die silently
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("向量索引出错，稍后重试：%s", self.last_error)
            self._wake.wait(self.idle_s)
            self._wake.clear()

    class _Claim:
        def __init__(self, path: Path, wait: bool):
            self.path, self.wait, self.fd = path, wait, None

        def __enter__(self) -> bool:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            while True:
                try:
                    fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    if not self.wait:
                        return False
                    time.sleep(0.5)

        def __exit__(self, *exc) -> None:
            os.close(self.fd)             # closing the descriptor releases the flock

    def _claim(self, wait: bool) -> "_Claim":
        return self._Claim(self.claim_path, wait)


def progress_text(p: tuple[int, int, int, int]) -> str:
    """向量索引 1,240/5,000 个片段（12/40 份文件）; 全部完成 when nothing is pending."""
    chunks_done, chunks, docs_done, docs = p
    if docs and docs_done == docs:
        return f"向量索引：已完成（{chunks:,} 个片段，{docs} 份文件）"
    return (f"向量索引 {chunks_done:,}/{chunks:,} 个片段（{docs_done}/{docs} 份文件）；"
            "尚无向量的文件已可按关键词检索")
