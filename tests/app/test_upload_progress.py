"""The upload handler moves the page's progress bar page by page while a scan is read by OCR
(ingest.progress), also when Gradio runs each step of the generator on another thread."""
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from app import Handlers  # noqa: E402
from assistant import Assistant  # noqa: E402
from kb import KnowledgeBase, Settings  # noqa: E402
from tests.app.test_upload_handlers import Upload, _drive_on_many_threads  # noqa: E402
from tests.ingest.test_ocr import LINES, _scan, _text_pdf  # noqa: E402


class Progress:
    """Records what the handler tells the page's progress bar."""

    def __init__(self):
        self.calls = []

    def __call__(self, value, desc=None, **kw):
        self.calls.append((value, desc))


def test_upload_of_a_scan_reports_each_ocr_page(tmp_path, fake_embeddings, monkeypatch):
    from ingest import ocr

    monkeypatch.setattr(ocr, "ocr_pdf_page", lambda page: ["某区绿色出行行动方案", "到2025年底，全区绿色出行比例达到75%以上。"])
    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb", write_lock_timeout_s=5), embeddings=fake_embeddings)
    h = Handlers(Assistant(kb.settings, kb=kb))
    text_pdf = tmp_path / "text.pdf"
    _text_pdf(text_pdf, [LINES[:4], LINES[4:]])
    sent = tmp_path / "sent"
    sent.mkdir()
    _scan(text_pdf, sent / "盖章件.pdf", scale=1.0)
    (sent / "说明.txt").write_text("某区说明\n一、总体要求\n到2026年，全区森林覆盖率达到50%。\n", encoding="utf-8")
    bar = Progress()
    rows = _drive_on_many_threads(h.upload([Upload(sent / "说明.txt"), Upload(sent / "盖章件.pdf")], "ask", None, bar))
    assert [r[1] for r in rows] == ["已导入", "已导入"], rows
    pages = [(v, d) for v, d in bar.calls if d and "识别文字" in d]
    assert [d for _, d in pages] == ["盖章件.pdf：正在识别文字（OCR），第 1/2 页", "盖章件.pdf：正在识别文字（OCR），第 2/2 页"]
    # the second file of two: the bar moves from half way, a quarter per page
    assert [v for v, _ in pages] == [0.5, 0.75]
    assert not kb.write_lock.held
