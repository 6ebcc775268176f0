"""The answer as plain text (the chat reply's content) and the message text of OpenAI content parts."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.core import answer_text, due_period
from service.openai_api import message_text

CITE = {"n": 1, "doc_id": "d", "title": "某行动计划", "section": "某行动计划 › 二、重点任务", "page": 3,
        "quote": "万级负氧离子\t体验区\n由区气象局牵头"}


def test_answer_with_sources():
    text = answer_text({"answer": "由区气象局牵头[1]。", "refused": False, "citations": [CITE], "notice": "",
                        "references": []})
    head, sources = text.split("\n\n来源：\n")
    assert head == "由区气象局牵头[1]。"
    assert sources.startswith("[1] 《某行动计划》 某行动计划 › 二、重点任务 第3页\n    “")
    assert "\n" not in sources.split("“", 1)[1] and "由区气象局牵头”" in sources      # the quote on one line


def test_refusal_lists_references_as_not_an_answer():
    ref = dict(CITE, page=None)
    text = answer_text({"answer": "已收录的文件中未找到……", "refused": True, "citations": [], "notice": "未采用大模型",
                        "references": [ref]})
    assert "来源：" not in text and "参考（最接近的段落，不是答案）：" in text and "（未采用大模型）" in text
    assert "第" not in text.split("参考")[1].split("\n")[1]                          # no page, no 第…页


def test_message_text():
    assert message_text("问题") == "问题"
    assert message_text([{"type": "text", "text": "那配合"}, {"type": "image_url", "image_url": {}},
                         {"type": "text", "text": "单位呢？"}]) == "那配合单位呢？"
    assert message_text(None) == ""


def test_models_select_the_llm_or_never_it(seed_kb):
    """`policykb` answers in the configured mode (here an LLM, faked over real HTTP);
    `policykb-extractive` never calls it."""
    import datetime as dt

    from assistant import Assistant
    from service.core import PolicyService
    from tests.assistant.fake_openai import FakeChat
    from tests.service.conftest import SEED_Q

    with FakeChat() as fake:
        fake.reply = "由区气象局、区文旅局牵头。[1]"
        settings = seed_kb.settings.model_copy(update={"llm_base_url": fake.url, "llm_model": "fake-qwen",
                                                       "today": dt.date(2026, 11, 21)})
        svc = PolicyService(Assistant(settings, kb=seed_kb))
        assert svc.ask(SEED_Q, model="policykb")["mode"] == "llm" and len(fake.requests) == 1
        a = svc.ask(SEED_Q, model="policykb-extractive")
        assert a["mode"] == "extractive" and "区气象局" in a["answer"] and len(fake.requests) == 1
        assert svc.assistant_for("policykb-extractive").kb is seed_kb           # one knowledge base for both
        assert "fake-qwen" in svc.models()[0].description


@given(st.integers(1900, 2099), st.integers(1, 12), st.sampled_from(["{y}-{m}", "{y}-{m:02d}", "{y}.{m:02d}",
                                                                       "{y}年{m}月", "{y}年{m}月底前", " {y} / {m} "]))
def test_due_period_months(y, m, form):
    assert due_period(form.format(y=y, m=m)) == f"{y}-{m:02d}"


@given(st.integers(1900, 2099))
def test_due_period_years(y):
    assert due_period(str(y)) == str(y) and due_period(f" {y} ") == str(y)


@pytest.mark.parametrize("bad", ["2025-13", "2025-0", "明年", "abc", "25-06"])
def test_due_period_refuses_what_it_cannot_read(bad):
    with pytest.raises(ValueError, match="无法识别"):
        due_period(bad)


def test_due_period_empty():
    assert due_period(None) is None and due_period("  ") is None
