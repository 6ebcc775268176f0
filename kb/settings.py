"""All configuration in one typed object. Environment variables use the prefix POLICYKB_.

Example:
    >>> s = Settings(kb_dir="/tmp/kb")          # or POLICYKB_KB_DIR=/tmp/kb
    >>> s.sqlite_path.name
    'policykb.sqlite3'
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYKB_", env_file=".env", extra="ignore")

    kb_dir: Path = Field(Path("./data"), description="knowledge-base directory (Chroma store + SQLite)")
    corpus_dir: Path = Field(Path("./corpus"), description="bundled default corpus")
    collection: str = "policykb"

    embedding_backend: Literal["e5", "sentence-transformers"] = "e5"
    embedding_model: str | None = Field(None, description="model folder or cached name for sentence-transformers")
    embedding_batch_size: int = 32

    chunk_min_chars: int = 300
    chunk_max_chars: int = 600
    max_file_mb: float = 50.0

    host: str = "127.0.0.1"
    port: int = 7860

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
        if self.embedding_backend == "sentence-transformers" and not self.embedding_model:
            raise ValueError("embedding_backend=sentence-transformers needs POLICYKB_EMBEDDING_MODEL")
        return self

    @property
    def sqlite_path(self) -> Path:
        return self.kb_dir / "policykb.sqlite3"

    @property
    def chroma_dir(self) -> Path:
        return self.kb_dir / "chroma"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
