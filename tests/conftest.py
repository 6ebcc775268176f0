import hashlib
import os
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OTHER = ROOT.parent / "shared" / "other-corpus"


def corpus_file(prefix: str) -> Path:
    return next(p for p in CORPUS.glob("*.txt") if p.name.startswith(prefix))


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def other_corpus() -> list[Path]:
    if not OTHER.is_dir():
        pytest.skip("../shared/other-corpus not present")
    return sorted(p for p in OTHER.iterdir() if p.suffix in (".txt", ".md"))


class CharNgramEmbeddings(Embeddings):
    """Deterministic, fast stand-in for the real model in unit tests: hashed character bigrams."""

    dim = 256

    def _vec(self, text: str) -> list[float]:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(text, text[1:]):
            v[int(hashlib.md5((a + b).encode()).hexdigest()[:6], 16) % self.dim] += 1
        n = np.linalg.norm(v)
        return (v / n if n else v).tolist()

    def embed_documents(self, texts):
        return [self._vec(t) for t in texts]

    def embed_query(self, text):
        return self._vec(text)


@pytest.fixture
def fake_embeddings():
    return CharNgramEmbeddings()


@pytest.fixture(scope="session")
def seed_kb(tmp_path_factory):
    """corpus/ in a knowledge base with the real bundled embedder (built once per test session)."""
    from kb import KnowledgeBase, Settings

    kb = KnowledgeBase(Settings(kb_dir=tmp_path_factory.mktemp("seedkb")))
    assert all(r.status == "ingested" for r in kb.ingest([CORPUS]))
    return kb
