"""The app without a browser: start-up rules for binding and login, the page builds on any
knowledge base, date filters parse, handlers enforce roles."""
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
import pytest  # noqa: E402

from app import Handlers, _month, build_app, launch_options, startup_check  # noqa: E402
from assistant import Assistant  # noqa: E402
from kb import KnowledgeBase, Settings  # noqa: E402
from kb.access import Users  # noqa: E402
from tests.conftest import corpus_file  # noqa: E402


def test_without_login_only_loopback(tmp_path):
    users, note = startup_check(Settings(kb_dir=tmp_path))
    assert users is None and "只监听 127.0.0.1" in note and "仅本机" in note
    with pytest.raises(SystemExit, match="POLICYKB_AUTH"):
        startup_check(Settings(kb_dir=tmp_path, host="0.0.0.0"))
    users, note = startup_check(Settings(kb_dir=tmp_path, host="0.0.0.0", allow_remote_without_auth=True))
    assert users is None and "警告" in note


def test_with_login(tmp_path):
    f = tmp_path / "users.txt"
    with pytest.raises(SystemExit, match="找不到用户文件"):
        startup_check(Settings(kb_dir=tmp_path, auth=f))
    u = Users(path=f)
    u.set("li", "admin", "pw-1")
    u.save()
    users, note = startup_check(Settings(kb_dir=tmp_path, auth=f, host="0.0.0.0"))
    assert users.check("li", "pw-1") == "admin" and "已启用登录" in note
    opts = launch_options(Settings(kb_dir=tmp_path, auth=f), users)
    assert opts["auth"]("li", "pw-1") and not opts["auth"]("li", "nope") and not opts["auth"]("x", "pw-1")
    assert opts["max_file_size"] == "50mb"


def test_theme_uses_no_web_fonts(tmp_path):
    theme = launch_options(Settings(kb_dir=tmp_path))["theme"]
    assert not any(isinstance(f, gr.themes.GoogleFont) for f in theme._font + theme._font_mono)


@pytest.mark.parametrize("raw, want", [("", None), ("2024", "2024"), ("2024-6", "2024-06"), ("2024年6月", "2024-06"),
                                       ("2024.06", "2024-06"), (" 2025-12 ", "2025-12")])
def test_month_filter(raw, want):
    assert _month(raw) == want


def test_month_filter_rejects_garbage():
    with pytest.raises(gr.Error):
        _month("明年")


def test_roles(tmp_path, fake_embeddings):
    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)
    f = tmp_path / "users.txt"
    u = Users(path=f)
    u.set("r", "reader", "x")
    u.set("a", "admin", "y")
    u.save()
    h = Handlers(Assistant(kb.settings.model_copy(update={"auth": f}), kb=kb), Users.load(f))

    class Req:
        def __init__(self, name):
            self.username = name

    assert h.role(Req("a")) == "admin" and h.role(Req("r")) == "reader" and h.role(Req("ghost")) == "reader"
    with pytest.raises(gr.Error):
        h.require_admin(Req("r"))
    with pytest.raises(gr.Error):
        next(h.upload([], Req("r")))
    u.set("r", "admin", "x")                     # the users file is re-read when it changes
    os.utime(u.save(), (1, 1))
    assert h.role(Req("r")) == "admin"
    assert Handlers(Assistant(kb=kb), None).role(None) == "admin"   # no login configured: local admin


def test_page_builds_on_empty_and_loaded_kb(tmp_path, fake_embeddings):
    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)
    assert isinstance(build_app(Assistant(kb=kb)), gr.Blocks)          # nothing ingested yet
    kb.ingest([corpus_file("门头沟区_氧吧")])
    h = Handlers(Assistant(kb=kb))
    rows, facts, summary, count, _ = h.show_tasks("区气象局", "全部", "", "全部", "", "")
    assert len(rows) == len(facts) == 13 and "牵头 **13** 项，配合 **0** 项" in summary     # tasks, not table rows
    rows, facts, summary, count, _ = h.show_tasks("区宇航局", "全部", "", "全部", "", "")
    assert rows == [] and "没有名为" in summary
    rows, inds, count, _ = h.show_indicators("森林覆盖率", "", "全部")
    assert rows and all(r[1] == "森林覆盖率" for r in rows)
    md, chunks = h.inspect_doc(kb.documents()[0]["doc_id"])
    assert "章节结构" in md and len(chunks) == kb.documents()[0]["n_chunks"]


@pytest.mark.integration
def test_chat_handler_streams_llm_text_then_the_checked_answer(seed_kb):
    from tests.assistant.fake_openai import FakeChat
    from tests.assistant.test_llm import llm_bot

    with FakeChat() as fake:
        fake.reply = "牵头单位为区气象局、区文旅局，配合单位为百花山管理处、区委宣传部。[1][2]"
        h = Handlers(llm_bot(seed_kb, fake.url))
        updates = [(hist[-1]["content"], list(ans)) for hist, ans, box in
                   h.chat("万级负氧离子体验区由谁牵头？", [], [], [], [])]
    assert updates[0][0] == "正在检索……"
    streamed = [c for c, _ in updates[1:-1]]
    assert streamed and all(not c.startswith("<") for c in streamed)        # raw model text while it streams
    final, answers = updates[-1]
    assert 'class="pk-badge pk-llm"' in final and '<details class="pk-source">' in final
    assert len(answers) == 1 and answers[0].mode == "llm"
    with FakeChat() as fake:                                                  # a follow-up uses the kept answer
        fake.reply = "配合单位为百花山管理处、区委宣传部。[1]"
        h = Handlers(llm_bot(seed_kb, fake.url))
        *_, (hist, ans, _) = h.chat("那配合单位呢？", [], answers, [], [])
    assert "百花山管理处" in hist[-1]["content"] and len(ans) == 2
