"""The vector store: Chroma behind langchain's ``VectorStore`` interface, on disk (PersistentClient)
or, when ``chroma_host`` is set, on a Chroma server (``chroma run``, HttpClient).

Chroma's own default embedding function downloads a model, so an ``Embeddings`` is always passed.

Example:
    >>> store = open_vector_store(settings, embeddings)
    >>> store.similarity_search_with_score("森林覆盖率", k=3)
"""
from __future__ import annotations

import os

from langchain_core.embeddings import Embeddings

from .settings import Settings

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def open_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                   settings=ChromaSettings(anonymized_telemetry=False))
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir),
                                     settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False))


def open_vector_store(settings: Settings, embeddings: Embeddings, client=None):
    from langchain_chroma import Chroma

    return Chroma(collection_name=settings.collection, embedding_function=embeddings,
                  client=client or open_client(settings), collection_metadata={"hnsw:space": "cosine"})
