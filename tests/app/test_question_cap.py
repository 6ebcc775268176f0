"""A question over ``max_question_chars`` gets the assistant's message through the app's /ask and
chat handlers, without retrieval (a 5,000-character question used to take 10 s)."""
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import pytest  # noqa: E402

from app import Handlers  # noqa: E402
from assistant import Assistant  # noqa: E402
from kb import KnowledgeBase, Settings  # noqa: E402
from tests.conftest import corpus_file  # noqa: E402

LONG = "万级负氧离子体验区由谁牵头？" * 360          # 5,040 characters


@pytest.fixture
def handlers(tmp_path, fake_embeddings, monkeypatch):
    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)
    kb.ingest([corpus_file("门头沟区_氧吧")])
    h = Handlers(Assistant(kb.settings, kb=kb))
    assert not h.api_ask("万级负氧离子体验区由谁牵头？")["refused"]        # a normal question is answered

    def no_search(*a, **kw):
        raise AssertionError("a capped question must not be searched")

    monkeypatch.setattr(kb, "retrieve", no_search)
    return h


def test_ask_api_caps_long_question(handlers):
    out = handlers.api_ask(LONG)
    assert out["refused"] and "过长" in out["answer"] and str(handlers.settings.max_question_chars) in out["answer"]
    assert not out["citations"]


def test_ask_api_caps_long_history(handlers):
    out = handlers.api_ask(LONG, [LONG] * 50)
    assert out["refused"] and "过长" in out["answer"]


def test_chat_shows_the_message(handlers):
    *_, (history, _answers, box) = list(handlers.chat(LONG, [], [], [], []))
    assert "过长" in str(history[-1]["content"]) and box == ""
