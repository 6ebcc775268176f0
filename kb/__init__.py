"""Knowledge base: settings, embeddings, Chroma vector store, SQLite registry, and the facade."""
from .knowledge_base import Hit, IngestResult, KnowledgeBase
from .settings import Settings

__all__ = ["Hit", "IngestResult", "KnowledgeBase", "Settings"]
