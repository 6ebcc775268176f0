import datetime as dt

import pytest

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def bot(seed_kb):
    from assistant import Assistant

    return Assistant(kb=seed_kb, today=TODAY)


def plan_assistant(tmp_path_factory, files: dict[str, str]):
    """An assistant over documents written in a test (file name -> text), keyword retrieval only."""
    from assistant import Assistant
    from kb import KnowledgeBase, Settings

    docs = tmp_path_factory.mktemp("docs")
    for name, text in files.items():
        (docs / name).write_text(text, encoding="utf-8")
    kb = KnowledgeBase(Settings(kb_dir=tmp_path_factory.mktemp("kb")))
    assert [r.status for r in kb.ingest([docs], embed=False)] == ["ingested"] * len(files)
    return Assistant(kb=kb, today=TODAY)
