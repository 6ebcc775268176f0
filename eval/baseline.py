"""The naive LangChain pipeline that policykb is compared with: RecursiveCharacterTextSplitter
(500 / 50, ``length_function=len``) over each document's text, the same embedder, dense-only
Chroma top-k. No structure, no BM25, no regions.

It is given policykb's cleaned document text (footnotes resolved, whitespace normalised) rather
than the raw files, so the comparison isolates chunking and retrieval, and errs in the baseline's
favour.

Example:
    >>> base = NaiveBaseline(embeddings).build({doc_id: text, ...}, {doc_id: title, ...})
    >>> base.search("森林覆盖率", k=5)      # [(doc_id, start, end, text), …]
"""
from __future__ import annotations

import time

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings


class NaiveBaseline:
    def __init__(self, embeddings: Embeddings, chunk_size: int = 500, chunk_overlap: int = 50):
        self.embeddings = embeddings
        self.chunk_size, self.chunk_overlap = chunk_size, chunk_overlap
        self.store = None
        self.n_chunks = 0
        self.build_s = 0.0

    def build(self, texts: dict[str, str], titles: dict[str, str] | None = None) -> "NaiveBaseline":
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
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        name = f"baseline-{id(self)}"
        self.store = Chroma(collection_name=name, embedding_function=self.embeddings, client=client,
                            collection_metadata={"hnsw:space": "cosine"})
        self.store.add_documents(docs)
        self.n_chunks = len(docs)
        self.build_s = time.perf_counter() - t
        return self

    def search(self, query: str, k: int = 5) -> list[tuple[str, int, int, str]]:
        out = []
        for d in self.store.similarity_search(query, k=k):
            start = int(d.metadata["start_index"])
            out.append((d.metadata["doc_id"], start, start + len(d.page_content), d.page_content))
        return out
