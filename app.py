"""policykb web app (Gradio). Started by `make run` on http://127.0.0.1:7860.

This page searches the knowledge base and lists its documents; the full chat UI builds on it.
"""
from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import gradio as gr  # noqa: E402

from kb import KnowledgeBase, Settings  # noqa: E402


def render_hits(kb: KnowledgeBase, query: str) -> str:
    if not query.strip():
        return "请输入要检索的内容。"
    r = kb.retrieve(query, k=5)
    hits = r.hits
    if not hits and r.scope.missing:
        return f"已收录的文件中没有关于{'、'.join(r.scope.missing)}的文件。"
    if not hits:
        return "已收录的文件中未找到相关段落。"
    parts = []
    for i, h in enumerate(hits, 1):
        page = f"，第{h.page}页" if h.page else ""
        parts.append(f"**[{i}] {h.title}**{page}  \n<small>{h.breadcrumb}</small>\n\n> {h.text}\n")
    return "\n".join(parts)


def render_docs(kb: KnowledgeBase) -> list[list]:
    return [[d["title"], d["meta"].get("region") or "", d["meta"].get("kind") or "", d["meta"].get("status") or "",
             d["n_chunks"], d["n_tables"]] for d in kb.documents()]


def build_app(kb: KnowledgeBase) -> gr.Blocks:
    with gr.Blocks(title="政策文件知识库") as demo:
        gr.Markdown("# 政策文件知识库\n检索已收录政策文件中的段落，结果注明文件与章节。")
        with gr.Tab("段落检索"):
            query = gr.Textbox(label="检索内容", placeholder="例如：森林覆盖率目标")
            btn = gr.Button("检索", variant="primary")
            out = gr.Markdown()
            btn.click(lambda q: render_hits(kb, q), query, out, api_name="search")
            query.submit(lambda q: render_hits(kb, q), query, out)
        with gr.Tab("文档库"):
            gr.Dataframe(value=render_docs(kb), headers=["标题", "地区", "类型", "状态", "片段数", "表格数"],
                         interactive=False)
    return demo


def main() -> None:
    settings = Settings()
    kb = KnowledgeBase(settings)
    if settings.host not in ("127.0.0.1", "localhost"):
        print(f"注意：应用将监听 {settings.host}，未配置登录")
    build_app(kb).launch(server_name=settings.host, server_port=settings.port, show_error=True)


if __name__ == "__main__":
    main()
