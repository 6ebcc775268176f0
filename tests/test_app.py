"""The minimal Gradio page builds and renders search results with sources."""
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from app import build_app, render_docs, render_hits  # noqa: E402
from kb import KnowledgeBase, Settings  # noqa: E402
from tests.conftest import corpus_file  # noqa: E402


def test_app_builds_and_renders(tmp_path, fake_embeddings):
    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)
    assert "未找到" in render_hits(kb, "森林覆盖率")
    kb.ingest([corpus_file("门头沟区_氧吧")])
    md = render_hits(kb, "全区森林覆盖率达到50%")
    assert "“中国天然氧吧”助力“绿水青山门头沟”" in md and "›" in md
    assert render_docs(kb)[0][1] == "门头沟区"
    assert render_hits(kb, "海淀区森林覆盖率") == "已收录的文件中没有关于海淀区的文件。"
    assert build_app(kb) is not None
