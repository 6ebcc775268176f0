import datetime as dt

import pytest

from tests.conftest import CORPUS

TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="session")
def seed_kb(tmp_path_factory):
    """corpus/ in a knowledge base with the real bundled embedder (built once per test session)."""
    from kb import KnowledgeBase, Settings

    kb = KnowledgeBase(Settings(kb_dir=tmp_path_factory.mktemp("seedkb")))
    assert all(r.status == "ingested" for r in kb.ingest([CORPUS]))
    return kb


@pytest.fixture
def bot(seed_kb):
    from assistant import Assistant

    return Assistant(kb=seed_kb, today=TODAY)
