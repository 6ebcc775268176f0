"""The naive LangChain pipeline that policykb is compared with: RecursiveCharacterTextSplitter
(500 / 50, ``length_function=len``) over each document's text, the same embedder, dense-only
Chroma top-k. No structure, no BM25, no regions.

It is given policykb's cleaned document text (footnotes resolved, whitespace normalised) rather
than the raw files, so the comparison isolates chunking and retrieval, and errs in the baseline's
favour.

With ``cache_dir`` the index is kept on disk (a Chroma folder per signature of texts, splitter
and embedder), so a second run over the same documents does not embed them again.

Example:
    >>> base = NaiveBaseline(embeddings).build({doc_id: text, ...}, {doc_id: title, ...})
    >>> base.search("森林覆盖率", k=5)      # [(doc_id, start, end, text), …]
    >>> NaiveBaseline(embeddings).build(texts, cache_dir="/work/kbs/ncp/baseline", embedder="e5").reused
"""
from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings


class NaiveBaseline:
    def __init__(self, embeddings: Embeddings, chunk_size: int = 500, chunk_overlap: int = 50):
        self.embeddings = embeddings
        self.chunk_size, self.chunk_overlap = chunk_size, chunk_overlap
        self.store = None
        self.n_chunks = 0
        self.build_s = 0.0
        self.reused = False

    def signature(self, texts: dict[str, str], titles: dict[str, str] | None = None, embedder: str = "") -> str:
        """What the index depends on: texts, titles, splitter settings and the embedder (its class,
        and ``embedder``: e.g. the KB's ``registry.info("embedding")``)."""
        h = hashlib.sha256(json.dumps([self.chunk_size, self.chunk_overlap, type(self.embeddings).__name__,
                                       embedder]).encode())
        for doc_id in sorted(texts):
            h.update(json.dumps([doc_id, (titles or {}).get(doc_id, ""), texts[doc_id]], ensure_ascii=False).encode())
        return h.hexdigest()[:16]

    def build(self, texts: dict[str, str], titles: dict[str, str] | None = None,
              cache_dir: str | Path | None = None, embedder: str = "") -> "NaiveBaseline":
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        t = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(chunk_size=self.chunk_size, chunk_overlap=self.chunk_overlap,
                                                  length_function=len, add_start_index=True)
        docs: list[Document] = []
        for doc_id, text in texts.items():
            meta = {"doc_id": doc_id, "title": (titles or {}).get(doc_id, "")}
            docs += splitter.create_documents([text], metadatas=[meta])
        chroma = ChromaSettings(anonymized_telemetry=False)
        if cache_dir is None:
            client, name = chromadb.EphemeralClient(settings=chroma), f"baseline-{id(self)}"
        else:
            sig = self.signature(texts, titles, embedder)
            folder = Path(cache_dir) / sig
            done = folder / "complete.json"
            if folder.exists() and not done.exists():
                shutil.rmtree(folder)                     # an interrupted build
            self.reused = done.exists()
            client, name = chromadb.PersistentClient(path=str(folder), settings=chroma), "baseline"
        self.store = Chroma(collection_name=name, embedding_function=self.embeddings, client=client,
                            collection_metadata={"hnsw:space": "cosine"})
        if not self.reused:
            self.store.add_documents(docs)
            if cache_dir is not None:
                done.write_text(json.dumps({"chunks": len(docs), "documents": len(texts)}), encoding="utf-8")
        self.n_chunks = len(docs)
        self.build_s = time.perf_counter() - t
        return self

    def search(self, query: str, k: int = 5) -> list[tuple[str, int, int, str]]:
        out = []
        for d in self.store.similarity_search(query, k=k):
            start = int(d.metadata["start_index"])
            out.append((d.metadata["doc_id"], start, start + len(d.page_content), d.page_content))
        return out
