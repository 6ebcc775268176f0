"""All configuration in one typed object. Environment variables use the prefix POLICYKB_.

Example:
    >>> s = Settings(kb_dir="/tmp/kb")          # or POLICYKB_KB_DIR=/tmp/kb
    >>> s.sqlite_path.name
    'policykb.sqlite3'
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYKB_", env_file=".env", extra="ignore")

    kb_dir: Path = Field(Path("./data"), description="knowledge-base directory (Chroma store + SQLite)")
    corpus_dir: Path = Field(Path("./corpus"), description="bundled default corpus")
    collection: str = "policykb"

    embedding_backend: Literal["e5", "sentence-transformers", "openai"] = "e5"
    embedding_model: str | None = Field(None, description="sentence-transformers: model folder or cached name; "
                                                          "openai: the endpoint's model name")
    embedding_batch_size: int = 32
    embedding_query_prefix: str = Field("", description="e.g. bge's 为这个句子生成表示以用于检索相关文章：")
    embedding_passage_prefix: str = ""
    embedding_base_url: str | None = Field(None, description="OpenAI-compatible /v1 URL (TEI, vLLM, Ollama)")
    embedding_api_key: str = "EMPTY"
    embedding_timeout_s: float = 60.0
    embedding_threads: int = Field(0, description="e5 OpenMP threads (0: OpenMP's default, every core); "
                                                  "1 on a machine shared with other work (README, ingestion)")

    # Chroma: on disk under kb_dir unless a server is given (`chroma run`).
    chroma_host: str | None = None
    chroma_port: int = 8000

    # Retrieval (see kb.retrievers): hybrid BM25 + dense, weighted fusion of min-max scores.
    fusion: Literal["rrf", "weighted"] = "weighted"
    weight_dense: float = 0.5
    weight_bm25: float = 1.0
    candidates: int = 50
    bm25_bigram_weight: float = 0.5
    secondary_region_factor: float = Field(0.8, description="score factor for a named district's city documents")
    answer_type_bonus: float = Field(0.2, description="bonus (share of the top score) for passages that hold "
                                                      "the kind of answer asked for: date, number, units")
    reranker_model: str | None = Field(None, description="local cross-encoder folder; off when unset")
    reranker_top_n: int = 20

    # Assistant: extractive by default; an OpenAI-compatible chat endpoint rewrites the answer when set.
    llm_base_url: str | None = Field(None, description="OpenAI-compatible /v1 URL (vLLM, llama.cpp, Ollama, DeepSeek)")
    llm_model: str | None = None
    llm_api_key: str = "EMPTY"
    llm_temperature: float = 0.1
    llm_timeout_s: float = 60.0
    llm_max_tokens: int = 800
    today: date | None = Field(None, description="the date relative times are resolved against (default: today)")
    max_question_chars: int = Field(500, description="longer questions get a message instead of an answer")

    chunk_min_chars: int = 300
    chunk_max_chars: int = 600
    max_file_mb: float = 50.0
    write_lock_timeout_s: float = Field(600.0, description="how long a write waits for another writer of kb_dir")

    # Web app (app.py). Without `auth` everyone is an admin, so the app then binds to loopback only
    # unless `allow_remote_without_auth` says otherwise.
    host: str = "127.0.0.1"
    port: int = 7860
    auth: Path | None = Field(None, description="users file (`policykb user add`); enables login with roles")
    allow_remote_without_auth: bool = False
    max_upload_files: int = Field(20, description="files per upload")

    @field_validator("collection")
    @classmethod
    def _ascii_collection(cls, v: str) -> str:
        if not v.isascii() or not (3 <= len(v) <= 63):
            raise ValueError("Chroma collection names must be ASCII, 3-63 characters")
        return v

    @model_validator(mode="after")
    def _check(self) -> "Settings":
        if self.chunk_min_chars <= 0 or self.chunk_max_chars < self.chunk_min_chars:
            raise ValueError("need 0 < chunk_min_chars <= chunk_max_chars")
        if self.embedding_backend in ("sentence-transformers", "openai") and not self.embedding_model:
            raise ValueError(f"embedding_backend={self.embedding_backend} needs POLICYKB_EMBEDDING_MODEL")
        if self.embedding_backend == "openai" and not self.embedding_base_url:
            raise ValueError("embedding_backend=openai needs POLICYKB_EMBEDDING_BASE_URL")
        if self.candidates < 1 or self.reranker_top_n < 1:
            raise ValueError("candidates and reranker_top_n must be >= 1")
        if min(self.weight_dense, self.weight_bm25, self.bm25_bigram_weight, self.answer_type_bonus) < 0:
            raise ValueError("retrieval weights must be >= 0")
        if self.max_question_chars < 10:
            raise ValueError("need max_question_chars >= 10")
        if not 0 <= self.llm_temperature <= 2 or self.llm_timeout_s <= 0 or self.llm_max_tokens < 1:
            raise ValueError("need 0 <= llm_temperature <= 2, llm_timeout_s > 0, llm_max_tokens >= 1")
        if self.max_upload_files < 1 or self.max_file_mb <= 0 or self.write_lock_timeout_s < 0:
            raise ValueError("need max_upload_files >= 1, max_file_mb > 0, write_lock_timeout_s >= 0")
        if self.embedding_threads < 0:
            raise ValueError("embedding_threads must be >= 0")
        if not 1 <= self.port <= 65535:
            raise ValueError("port must be within 1-65535")
        if not 0 <= self.secondary_region_factor <= 1:
            raise ValueError("secondary_region_factor must be within [0, 1]")
        return self

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def sqlite_path(self) -> Path:
        return self.kb_dir / "policykb.sqlite3"

    @property
    def chroma_dir(self) -> Path:
        return self.kb_dir / "chroma"

    @property
    def upload_dir(self) -> Path:
        """Where the app stores uploaded files (inside kb_dir, so one directory holds the whole KB)."""
        return self.kb_dir / "uploads"

    @property
    def loopback_only(self) -> bool:
        return self.host in ("127.0.0.1", "localhost", "::1")

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
