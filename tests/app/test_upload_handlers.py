"""The 文档库 handlers under concurrent questions, driven the way Gradio drives them: each step of the
upload generator on whichever worker thread is free. Small stand-in embedder, no server."""
import os
import threading
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
import pytest  # noqa: E402

from app import Handlers  # noqa: E402
from assistant import Assistant  # noqa: E402
from kb import KnowledgeBase, Settings  # noqa: E402
from tests.conftest import corpus_file  # noqa: E402

PLAN = "某区{n}绿化行动方案\n一、总体要求\n到2026年，全区森林覆盖率达到5{n}%。\n二、重点任务\n（一）建设绿道\n建设绿道{n}0公里。\n牵头单位：区园林绿化局\n"


class Upload:
    """What Gradio hands the handler for an uploaded file."""

    def __init__(self, path, name=None):
        self.path, self.orig_name = str(path), name or path.name


@pytest.fixture
def handlers(tmp_path, fake_embeddings):
    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb", write_lock_timeout_s=5), embeddings=fake_embeddings)
    kb.ingest([corpus_file("门头沟区_氧吧")])
    return Handlers(Assistant(kb.settings, kb=kb))


def _files(tmp_path, names):
    out = []
    for n, name in enumerate(names):
        p = tmp_path / "sent" / name
        p.parent.mkdir(exist_ok=True)
        p.write_text(PLAN.format(n=n), encoding="utf-8")
        out.append(Upload(p))
    return out


def _drive_on_many_threads(gen):
    """Run each ``next()`` on a fresh thread, as Gradio's worker pool may; the last value."""
    last = None
    with ThreadPoolExecutor(max_workers=4) as pool:
        while True:
            try:
                last = pool.submit(next, gen).result(timeout=60)
            except StopIteration:
                return last


def test_upload_during_questions_finishes_and_leaves_no_lock(handlers, tmp_path):
    stop, errors, answered = threading.Event(), [], []

    def asker():
        while not stop.is_set():
            try:
                answered.append(handlers.api_ask("万级负氧离子体验区由谁牵头？")["answer"])
            except Exception as exc:        # noqa: BLE001 - recorded for the assertion
                errors.append(exc)

    askers = [threading.Thread(target=asker) for _ in range(16)]
    for t in askers:
        t.start()
    try:
        rows = _drive_on_many_threads(handlers.upload(_files(tmp_path, ["甲.txt", "乙.txt"]), "ask", None))
    finally:
        stop.set()
        for t in askers:
            t.join()
    assert [r[1] for r in rows] == ["已导入", "已导入"], rows
    assert errors == [] and answered
    assert not handlers.kb.write_lock.held
    with handlers.kb.write_lock:                    # the next writer gets the lock at once
        pass
    assert {"甲", "乙"} <= {d["doc_id"] for d in handlers.documents()}


def test_reindex_on_many_threads_leaves_no_lock(handlers):
    rows = _drive_on_many_threads(handlers.reindex(None))
    assert [r[1] for r in rows] == ["已导入"] and not handlers.kb.write_lock.held


def test_same_named_upload_waits_for_the_choice(handlers, tmp_path):
    src = corpus_file("门头沟区_氧吧")
    sent = tmp_path / "sent" / src.name
    sent.parent.mkdir()
    sent.write_text(src.read_text(encoding="utf-8").replace("万级负氧离子体验区", "十万级负氧离子体验区"),
                    encoding="utf-8")
    (row,) = _drive_on_many_threads(handlers.upload([Upload(sent)], "ask", None))
    assert row[1] == "待确认" and "同名" in row[3]
    assert len(handlers.documents()) == 1
    (row,) = _drive_on_many_threads(handlers.upload_new([Upload(sent)], None))
    assert row[1] == "已导入" and len(handlers.documents()) == 2
    (row,) = _drive_on_many_threads(handlers.upload_replace([Upload(sent)], None))
    assert row[1] == "未变化（已在库中）" and len(handlers.documents()) == 2     # same content as that upload


def test_reader_refusal_is_one_log_line(tmp_path, fake_embeddings, caplog):
    from kb.access import Users

    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)
    f = tmp_path / "users.txt"
    u = Users(path=f)
    u.set("r", "reader", "x")
    u.save()
    h = Handlers(Assistant(kb.settings.model_copy(update={"auth": f}), kb=kb), Users.load(f))

    class Req:
        username = "r"

    with caplog.at_level("WARNING", logger="policykb.app"):
        with pytest.raises(gr.Error) as info:
            next(h.upload([], "ask", Req()))
    assert info.value.print_exception is False                   # Gradio prints no traceback for it
    assert [r.getMessage() for r in caplog.records] == ["已拒绝：用户 r（只读）请求上传"]
