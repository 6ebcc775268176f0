"""policykb web app (Gradio Blocks, Chinese UI). Started by `make run` on http://127.0.0.1:7860.

Tabs: 智能问答 (chat with expandable sources), 任务分工 (tasks by department, with exports and a
department brief), 指标要求 (indicators), 文档库 (documents: upload, delete, re-index, inspect).
This module only lays out the page and wires events; what is shown comes from
``assistant.views`` and ``assistant.reports``, who may do what from ``kb.access``.

Access: with ``POLICYKB_AUTH=users.txt`` (``policykb user add NAME --role admin``) the page asks for
a login; readers ask and browse, admins also upload, delete and re-index. Without it everyone is
an admin, so the app then listens on 127.0.0.1 only unless ``POLICYKB_ALLOW_REMOTE_WITHOUT_AUTH``.

Example:
    >>> demo = build_app(Assistant(Settings(kb_dir="data")))
    >>> demo.launch(**launch_options(Settings()))
"""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import logging  # noqa: E402
import sys  # noqa: E402
from functools import partial  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gradio as gr  # noqa: E402

from assistant import Assistant  # noqa: E402
from assistant import reports, task_views, views  # noqa: E402
from kb import Settings, task_links  # noqa: E402
from ingest.progress import page_progress  # noqa: E402
from kb.access import Users, check_uploads  # noqa: E402
from kb.locking import KBBusyError  # noqa: E402
from kb.embed_worker import EmbeddingWorker, progress_text  # noqa: E402
from kb.uploads import ON_CONFLICT, ingest_upload  # noqa: E402
from service import app_versions  # noqa: E402  (版本与状态, 版本对比, 跨文件指标对比)

ALL = "全部"
ROLES = {"牵头": "lead", "配合": "co"}
CSS = """
.pk-badge{display:inline-block;padding:1px 8px;margin-right:6px;border-radius:10px;font-size:.85em}
.pk-refused{background:#fde2e1;color:#a4262c}.pk-fallback{background:#fff4ce;color:#7a5d00}
.pk-llm{background:#e0f0ff;color:#0b5394}.pk-note{background:#eef1f5;color:#44546a}
.pk-sources{margin-top:6px;font-size:.92em}.pk-sources-title{color:#666;margin:4px 0}
.pk-source summary{cursor:pointer}.pk-passage{padding:6px 10px;border-left:3px solid #ccc;margin:4px 0 8px}
.pk-reference summary{color:#777}.pk-passage mark{background:#ffe58f;padding:0 1px}
img.pk-page{max-width:100%;border:1px solid #ddd;margin:4px 0}.pk-page-note{color:#666;font-size:.9em;margin:4px 0}
"""


def _month(value: str | None) -> str | None:
    """"2024", "2024-6", "2024年6月", "2024.06" -> "2024" / "2024-06"; empty -> None."""
    import re

    v = (value or "").strip()
    if not v:
        return None
    m = re.fullmatch(r"((?:19|20)\d{2})\s*(?:[-./年]\s*(\d{1,2})\s*月?)?", v)
    if not m:
        raise gr.Error(f"无法识别的时间“{v}”，请写成 2024 或 2024-06。")
    return m.group(1) + (f"-{int(m.group(2)):02d}" if m.group(2) else "")


def _pages_to(progress, n: int, total: int):
    """A page-progress listener (``ingest.progress``) that moves the page's bar within file ``n`` of ``total``."""
    return lambda p: progress((n + p.fraction) / max(total, 1), desc=p.message())


RESULT_COLUMNS = ["文件", "结果", "片段数", "说明"]
_STATUS = {"ingested": "已导入", "unchanged": "未变化（已在库中）", "error": "失败", "conflict": "待确认"}
log = logging.getLogger("policykb.app")


class Handlers:
    """The event handlers, shared by all browser sessions: the assistant, its knowledge base, users."""

    def __init__(self, bot: Assistant, users: Users | None = None, worker: EmbeddingWorker | None = None):
        """``worker``: the background embedder, woken after uploads (None: vectors wait for the next
        worker that runs on this knowledge base, e.g. `policykb ingest`)."""
        self.bot, self.kb, self.settings = bot, bot.kb, bot.settings
        self.users = users
        self.worker = worker
        self._users_mtime = self._mtime()

    def _mtime(self) -> float:
        p = self.settings.auth
        return p.stat().st_mtime if p and p.exists() else 0.0

    def role(self, request: gr.Request | None) -> str:
        """admin without login configured; otherwise the users file decides (re-read when edited)."""
        if self.users is None:
            return "admin"
        if self._mtime() != self._users_mtime:
            self.users, self._users_mtime = Users.load(self.settings.auth), self._mtime()
        return self.users.role(getattr(request, "username", None)) or "reader"

    def require_admin(self, request: gr.Request | None, action: str = "修改") -> None:
        """Refuse a non-admin on the server; one log line, not a traceback (a refusal is no error)."""
        if self.role(request) != "admin":
            log.warning("已拒绝：用户 %s（只读）请求%s", getattr(request, "username", None) or "?", action)
            raise gr.Error("只有管理员可以上传、删除或重新索引文件。", title="没有权限", print_exception=False)

    @property
    def today(self) -> date:
        return self.bot.today

    def documents(self) -> list[dict[str, Any]]:
        return self.kb.documents(parsed=False)

    def titles(self) -> dict[str, str]:
        # titles only: the registry rows without parsed text or per-document fact counts
        return views.doc_titles(self.kb.registry.all(parsed=False))

    # --- 智能问答 ---
    def chat(self, message: str, history: list, answers: list, regions: list[str] | None,
             doc_ids: list[str] | None):
        """Stream one turn: the question, a placeholder, the LLM's text as it arrives, then the final
        answer with its sources. ``answers`` (a State) keeps earlier answers for follow-ups."""
        message = (message or "").strip()
        history = list(history or [])
        if not message:
            yield history, answers, ""
            return
        history += [{"role": "user", "content": message}, {"role": "assistant", "content": "正在检索……"}]
        yield history, answers, ""
        text = ""
        for item in self.bot.stream(message, (answers or [])[-6:], doc_ids=doc_ids or None, regions=regions or None):
            if isinstance(item, str):
                text += item
                history[-1] = {"role": "assistant", "content": text}
            else:
                history[-1] = {"role": "assistant",
                               "content": views.answer_message(item, self.bot.docs, self.settings.llm_enabled)}
                answers = (answers or []) + [item]
            yield history, answers, ""

    def api_ask(self, question: str, history: list[str] | None = None, regions: list[str] | None = None,
                doc_ids: list[str] | None = None) -> dict:
        """The ``/ask`` API: answer, refused, citations (document, section, page, quote), facts, mode, notice."""
        # the last six earlier questions, as the chat keeps: a client cannot make one call do unbounded work
        return self.bot.ask(question, (history or [])[-6:], doc_ids=doc_ids or None, regions=regions or None).to_json()

    # --- 任务分工 ---
    def task_query(self, dept: str | None, role: str, doc: str | None, region: str | None,
                   due_from: str | None, due_to: str | None) -> tuple[list, str, list]:
        """Tasks with their yearly steps (kb.task_links), the unit's summary, and (task, 牵头/配合) pairs."""
        kw = dict(doc=doc or None, region=None if region in (None, "", ALL) else region,
                  due_after=_month(due_from), due_before=_month(due_to))
        dept = (dept or "").strip()
        if not dept:
            tasks = task_links.query(self.kb.facts, self.today, **kw)
            return tasks, "", [(t, "") for t in tasks]
        roles = (ROLES[role],) if role in ROLES else ("lead", "co")
        summary = task_links.summary(self.kb.facts, dept, self.today, roles=roles, **kw)
        if not summary["names"]:
            return [], f"知识库中没有名为“{views.esc(dept)}”的单位。", []
        pairs = [(t, "牵头") for t in summary["lead"]] + [(t, "配合") for t in summary["co"]]
        pairs.sort(key=lambda p: (p[0].doc_id, p[0].head["idx"]))
        return [t for t, _ in pairs], task_views.department_summary(summary, self.today), pairs

    def show_tasks(self, dept, role, doc, region, due_from, due_to):
        tasks, summary, _ = self.task_query(dept, role, doc, region, due_from, due_to)
        titles = self.titles()
        rows = [task_views.task_row(t, self.today, titles) for t in tasks]
        count = f"共 **{len(rows)}** 项任务（按任务计，年度步骤见“年度步骤”列；状态为当前步骤按 {self.today.isoformat()} 计）"
        return rows, tasks, summary, count, ""

    def task_timeline(self, dept, role, doc, region, due_from, due_to):
        """The next 12 months of deadlines (task steps) of the selected unit, per month and role."""
        import pandas as pd

        _, _, pairs = self.task_query(dept, role, doc, region, due_from, due_to)
        roles = ((role,) if role in ROLES else ("牵头", "配合")) if (dept or "").strip() else ("全部",)
        return pd.DataFrame(task_views.timeline([(t, r or "全部") for t, r in pairs], self.today, roles=roles))

    def export_tasks(self, suffix: str, dept, role, doc, region, due_from, due_to) -> str:
        tasks, _, _ = self.task_query(dept, role, doc, region, due_from, due_to)
        titles = self.titles()
        rows = [task_views.export_row(t, self.today, titles) for t in tasks]
        name = f"任务分工{'_' + dept.strip() if dept and dept.strip() else ''}_{self.today:%Y%m%d}{suffix}"
        path = Path(tempfile.mkdtemp(prefix="policykb-")) / name.replace("/", "_")
        return str(reports.write_table(path, task_views.TASK_EXPORT_COLUMNS, rows, sheet="任务分工"))

    def export_calendar(self, dept, role, doc, region, due_from, due_to) -> str:
        """The deadlines of the shown tasks' steps as an iCalendar file (one event per deadline)."""
        tasks, _, _ = self.task_query(dept, role, doc, region, due_from, due_to)
        dept = (dept or "").strip()
        names = self.kb.facts.resolve(dept) if dept else []
        name = f"任务日历{'_' + dept if dept else ''}_{self.today:%Y%m%d}.ics"
        path = Path(tempfile.mkdtemp(prefix="policykb-")) / name.replace("/", "_")
        path.write_bytes(task_views.task_calendar(tasks, self.titles(), dept, names))
        return str(path)

    def task_source(self, tasks: list, rows: list[list], evt: gr.SelectData) -> str:
        """Every source (text and each year's rows) of the clicked task (matched by content, so sorting is harmless)."""
        i = views.clicked_row(evt.index, evt.row_value, rows)
        if not tasks or i is None or i >= len(tasks):
            return ""
        t = tasks[i]
        return task_views.task_sources(t, self.bot.docs, self.titles().get(t.doc_id, t.title))

    def brief(self, dept: str | None) -> str:
        dept = (dept or "").strip()
        if not dept:
            raise gr.Error("请先在“单位”中选择一个单位。")
        path = Path(tempfile.mkdtemp(prefix="policykb-")) / f"{dept.replace('/', '_')}_任务清单_{self.today:%Y%m%d}.docx"
        try:
            reports.department_brief(path, self.kb.facts, self.documents(), dept, self.today)
        except LookupError as exc:
            raise gr.Error(str(exc)) from None
        return str(path)

    def row_source(self, facts: list[dict], rows: list[list], evt: gr.SelectData) -> str:
        """The source passage of the clicked table row (matched by content, so sorting is harmless)."""
        i = views.clicked_row(evt.index, evt.row_value, rows)
        if not facts or i is None or i >= len(facts):
            return ""
        f = facts[i]
        return views.fact_source(f, self.bot.docs, self.titles().get(f["doc_id"], f["doc_id"]))

    # --- 指标要求 ---
    def show_indicators(self, query: str | None, doc: str | None, region: str | None):
        inds = self.kb.facts.indicators((query or "").strip() or None, doc=doc or None,
                                     region=None if region in (None, "", ALL) else region)
        titles = self.titles()
        rows = [views.indicator_row(i, titles) for i in inds]
        return rows, inds, f"共 **{len(rows)}** 项指标。点击一行查看原文。", ""

    def export_indicators(self, query, doc, region) -> str:
        rows, inds, _, _ = self.show_indicators(query, doc, region)
        rows = [r + [i["sentence"]] for r, i in zip(rows, inds)]
        path = Path(tempfile.mkdtemp(prefix="policykb-")) / f"指标要求_{self.today:%Y%m%d}.xlsx"
        return str(reports.write_table(path, reports.INDICATOR_EXPORT_COLUMNS, rows, sheet="指标要求"))

    # --- 文档库 ---
    def upload(self, files: list | None, on_conflict: str = "ask", request: gr.Request = None,
               progress=gr.Progress()):
        """Vet, store and ingest uploaded files one by one, yielding the per-file results as they come.
        A file named like a document already in the knowledge base waits for the user's choice
        (``on_conflict``: ask, replace, new). The write lock is taken per file inside one call, never
        held across a yield: Gradio resumes a generator on whichever worker thread is free."""
        self.require_admin(request, "上传")
        files = files or []
        if not files:
            raise gr.Error("请先选择要上传的文件。")
        if on_conflict not in ON_CONFLICT:
            raise gr.Error(f"on_conflict 应为 {' / '.join(ON_CONFLICT)}")
        pairs = [(getattr(f, "orig_name", None) or Path(str(f)).name, Path(getattr(f, "path", None) or str(f)))
                 for f in files]
        checks = check_uploads(pairs, self.settings.max_upload_files, self.settings.max_file_bytes)
        rows: list[list[Any]] = [[c.name, "等待中" if c.ok else "未接受", "", c.error] for c in checks]
        yield rows
        changed = False
        for n, c in enumerate(checks):
            if not c.ok:
                continue
            progress((n, len(checks)), desc=f"正在导入 {c.name}")
            rows[n][1] = "正在导入……"
            yield rows
            try:
                with page_progress(_pages_to(progress, n, len(checks))):    # OCR page by page
                    out = ingest_upload(self.kb, c, self.settings.upload_dir, on_conflict)
            except KBBusyError as exc:
                rows[n][1:] = ["失败", "", str(exc)]
                yield rows
                continue
            changed |= out.status == "ingested"
            rows[n][1:] = [_STATUS[out.status], out.chunks if out.status in ("ingested", "unchanged") else "",
                           out.message or self._detail(out)]
            yield rows
        if changed:
            progress((len(checks), len(checks)), desc="正在更新检索索引")
            self.kb.bm25                              # rebuild now rather than on the next question
            if self.worker:
                self.worker.wake()                    # vectors follow in the background
        yield rows

    def upload_replace(self, files: list | None, request: gr.Request, progress=gr.Progress()):
        """The page's answer to a same-name conflict: the uploads replace the documents they name."""
        yield from self.upload(files, "replace", request, progress)

    def upload_new(self, files: list | None, request: gr.Request, progress=gr.Progress()):
        """The page's answer to a same-name conflict: the uploads become documents of their own."""
        yield from self.upload(files, "new", request, progress)

    def _detail(self, r) -> str:
        if r.status == "unchanged":
            return "内容与已导入的版本相同"
        counts = self.kb.facts.counts(r.doc_id)
        return f"文档ID {r.doc_id}；任务 {counts['tasks']} 项，指标 {counts['indicators']} 项"

    def delete_doc(self, doc_id: str | None, request: gr.Request) -> str:
        self.require_admin(request, "删除")
        if not doc_id:
            raise gr.Error("请先选择要删除的文档。")
        row = self.kb.registry.get(doc_id)
        try:
            gone = self.kb.delete(doc_id)
        except KBBusyError as exc:
            raise gr.Error(str(exc)) from None
        if not gone:
            return f"文档 {views.esc(doc_id)} 已不在知识库中。"
        src = Path(row["path"]) if row else None
        note = ""
        if src and src.resolve().parent == self.settings.upload_dir.resolve():
            src.unlink(missing_ok=True)
        elif src:
            note = f"（原文件 {views.esc(src)} 未删除；再次导入该文件夹时会重新收录）"
        return f"已删除：{views.esc(row['title'] if row else doc_id)}{note}"

    def reindex(self, request: gr.Request, progress=gr.Progress()):
        """Parse and embed every document again from its file (after a parser or model update)."""
        self.require_admin(request, "重新索引")
        docs = self.documents()
        rows: list[list[Any]] = [[Path(d["path"]).name, "等待中", "", ""] for d in docs]
        yield rows
        for n, d in enumerate(docs):            # the lock is taken per document, never across a yield
            progress((n, len(docs)), desc=f"正在重新索引 {d['doc_id']}")
            if not Path(d["path"]).is_file():
                rows[n][1:] = ["失败", "", f"找不到原文件 {d['path']}"]
                continue
            try:
                with page_progress(_pages_to(progress, n, len(docs))):
                    r = self.kb.upsert_file(d["path"], force=True, doc_id=d["doc_id"])
            except KBBusyError as exc:
                raise gr.Error(str(exc)) from None
            rows[n][1:] = [_STATUS[r.status], r.chunks if r.status != "error" else "", r.message]
            yield rows
        self.kb.bm25
        if self.worker:
            self.worker.wake()
        yield rows

    def vector_status(self) -> str:
        """The 文档库 progress line: 向量索引 n/m 个片段 (documents without vectors are keyword-searchable)."""
        text = progress_text(self.kb.registry.vector_progress())
        err = self.worker.last_error if self.worker else None
        return text + (f"（上次出错：{views.esc(err)}，稍后自动重试）" if err else "")

    def inspect_doc(self, doc_id: str | None):
        row = self.kb.inspect(doc_id) if doc_id else None
        if not row:
            return "请选择一个文档。", []
        return views.structure_markdown(row), views.chunk_rows(row)

    def inspect_first_page(self, doc_id: str | None) -> str:
        """A PDF, OFD or scan's first page beside its parse (the page of a clicked chunk follows)."""
        row = self.kb.inspect(doc_id) if doc_id else None
        return views.inspect_page_html(row)

    def inspect_chunk_page(self, doc_id: str | None, evt: gr.SelectData) -> str:
        """The page of the clicked chunk, its opening highlighted (the row's 序号 names the chunk)."""
        row = self.kb.inspect(doc_id) if doc_id else None
        chunks = ((row or {}).get("parsed") or {}).get("chunks") or []
        first = (evt.row_value or [None])[0]
        i = int(first) if str(first).isdigit() else views.clicked_row(evt.index, None, None)
        return views.inspect_page_html(row, chunks[i] if i is not None and 0 <= i < len(chunks) else None)


# --- page ---------------------------------------------------------------------------------------
def build_app(bot: Assistant, users: Users | None = None, worker: EmbeddingWorker | None = None) -> gr.Blocks:
    s = Handlers(bot, users, worker)
    v = app_versions.VersionHandlers(s)

    def choices():
        docs = s.documents()
        titles = views.doc_titles(docs)
        doc_choices = [(titles[d["doc_id"]], d["doc_id"]) for d in docs]
        regions = sorted({d["meta"].get("region") for d in docs if d["meta"].get("region")})
        depts = [d["name"] for d in s.kb.facts.departments() if d["kind"] == "department"]
        return docs, doc_choices, regions, depts

    docs, doc_choices, regions, depts = choices()
    mode = ("回答方式：大模型改写（" + views.esc(s.settings.llm_model) + "），数字、日期与单位逐一核对出处"
            if s.settings.llm_enabled else "回答方式：原文摘录（未配置大模型）")

    with gr.Blocks(title="政策文件知识库") as demo:
        with gr.Row():
            gr.Markdown("## 政策文件知识库\n回答均引用原文，注明文件、章节与页码；文件未写明的内容会明确说明。")
            whoami = gr.Markdown(elem_id="pk-user")
            if s.users is not None:
                gr.Button("退出登录", link="/logout", size="sm", scale=0)
        answers = gr.State([])
        with gr.Tabs():
            # 智能问答
            with gr.Tab("智能问答", id="chat"):
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(label="对话", height=560, elem_id="pk-chat", buttons=["copy"],
                                             feedback_options=None, placeholder="请在下方输入问题，或点击右侧示例问题。")
                        with gr.Row():
                            question = gr.Textbox(show_label=False, scale=6, elem_id="pk-question", lines=1,
                                                  placeholder="例如：某项任务由谁牵头？什么时候完成？某指标要达到多少？")
                            send = gr.Button("发送", variant="primary", scale=1, elem_id="pk-send")
                        clear = gr.Button("清空对话", size="sm", elem_id="pk-clear")
                    with gr.Column(scale=1):
                        region_f = gr.Dropdown(regions, value=[], multiselect=True, label="限定地区", elem_id="pk-region")
                        doc_f = gr.Dropdown(doc_choices, value=[], multiselect=True, label="限定文件", elem_id="pk-docs")
                        examples = gr.Dataset(components=[question], label="示例问题（取自已收录文件）",
                                              samples=[[q] for q in views.example_questions(s.kb.facts, docs)],
                                              elem_id="pk-examples")
                        gr.Markdown(mode, elem_id="pk-mode")
                ask_inputs = [question, chatbot, answers, region_f, doc_f]
                ask_outputs = [chatbot, answers, question]
                send.click(s.chat, ask_inputs, ask_outputs, api_name="chat")
                question.submit(s.chat, ask_inputs, ask_outputs,
                                api_visibility="private")
                examples.click(lambda x: x[0], examples, question, api_visibility="private").then(
                    s.chat, ask_inputs, ask_outputs, api_visibility="private")
                clear.click(lambda: ([], [], ""), None, [chatbot, answers, question], api_visibility="private")
                chatbot.clear(lambda: [], None, answers, api_visibility="private")

            # 任务分工
            with gr.Tab("任务分工", id="tasks"):
                with gr.Row():
                    dept = gr.Dropdown(depts, value=None, allow_custom_value=True, label="单位（可输入简称，如 区园林局）",
                                       elem_id="pk-dept", scale=2)
                    role = gr.Radio([ALL, "牵头", "配合"], value=ALL, label="角色", elem_id="pk-role")
                    tdoc = gr.Dropdown([(ALL, "")] + doc_choices, value="", label="文件", elem_id="pk-tdoc", scale=2)
                    tregion = gr.Dropdown([ALL] + regions, value=ALL, label="地区", elem_id="pk-tregion")
                with gr.Row():
                    due_from = gr.Textbox(label="完成时间起", placeholder="如 2024 或 2024-06", elem_id="pk-due-from")
                    due_to = gr.Textbox(label="完成时间止", placeholder="如 2025-12", elem_id="pk-due-to")
                    tsearch = gr.Button("查询", variant="primary", elem_id="pk-task-search")
                tsummary = gr.Markdown(elem_id="pk-dept-summary")
                tcount = gr.Markdown(elem_id="pk-task-count")
                ttable = gr.Dataframe(headers=task_views.TASK_COLUMNS, interactive=False, wrap=True, max_height=520,
                                      elem_id="pk-task-table",
                                      column_widths=["11%", "11%", "18%", "14%", "15%", "14%", "10%", "7%"])
                tsource = gr.HTML(elem_id="pk-task-source")
                task_facts = gr.State([])
                with gr.Row():
                    csv_btn = gr.Button("导出 CSV", elem_id="pk-export-csv")
                    xlsx_btn = gr.Button("导出 Excel", elem_id="pk-export-xlsx")
                    brief_btn = gr.Button("生成部门简报（Word）", elem_id="pk-brief")
                    ics_btn = gr.Button("导出日历（.ics）", elem_id="pk-export-ics")
                tfile = gr.File(label="下载", interactive=False, height=90, elem_id="pk-task-file")
                tplot = gr.BarPlot(x="月份", y="到期数", color="角色", label="未来12个月到期的任务步骤",
                                   elem_id="pk-task-timeline", height=260)
                t_in = [dept, role, tdoc, tregion, due_from, due_to]
                t_out = [ttable, task_facts, tsummary, tcount, tsource]
                show = s.show_tasks
                tsearch.click(show, t_in, t_out, api_name="tasks").then(s.task_timeline, t_in, tplot,
                                                                         api_visibility="private")
                for c in (dept, role, tdoc, tregion):
                    c.change(show, t_in, t_out, api_visibility="private").then(s.task_timeline, t_in, tplot,
                                                                              api_visibility="private")
                for c in (due_from, due_to):
                    c.submit(show, t_in, t_out, api_visibility="private").then(s.task_timeline, t_in, tplot,
                                                                              api_visibility="private")
                ttable.select(s.task_source, [task_facts, ttable], tsource,
                              api_visibility="private")
                ics_btn.click(s.export_calendar, t_in, tfile, api_visibility="private")
                csv_btn.click(partial(s.export_tasks, ".csv"), t_in, tfile, api_visibility="private")
                xlsx_btn.click(partial(s.export_tasks, ".xlsx"), t_in, tfile, api_visibility="private")
                brief_btn.click(s.brief, dept, tfile, api_name="brief")

            # 指标要求
            with gr.Tab("指标要求", id="indicators"):
                with gr.Row():
                    iquery = gr.Textbox(label="指标关键词", placeholder="如 森林覆盖率、空气质量、负氧离子", scale=3,
                                        elem_id="pk-ind-query")
                    idoc = gr.Dropdown([(ALL, "")] + doc_choices, value="", label="文件", scale=2, elem_id="pk-idoc")
                    iregion = gr.Dropdown([ALL] + regions, value=ALL, label="地区", elem_id="pk-iregion")
                    isearch = gr.Button("搜索", variant="primary", elem_id="pk-ind-search")
                icount = gr.Markdown(elem_id="pk-ind-count")
                itable = gr.Dataframe(headers=views.INDICATOR_COLUMNS, interactive=False, wrap=True, max_height=520,
                                      elem_id="pk-ind-table",
                                      column_widths=["18%", "11%", "9%", "7%", "5%", "9%", "14%", "27%"])
                isource = gr.HTML(elem_id="pk-ind-source")
                ind_facts = gr.State([])
                ixlsx = gr.Button("导出 Excel", elem_id="pk-ind-export")
                ifile = gr.File(label="下载", interactive=False, height=90, elem_id="pk-ind-file")
                i_in, i_out = [iquery, idoc, iregion], [itable, ind_facts, icount, isource]
                ishow = s.show_indicators
                isearch.click(ishow, i_in, i_out, api_name="indicators")
                iquery.submit(ishow, i_in, i_out, api_visibility="private")
                for c in (idoc, iregion):
                    c.change(ishow, i_in, i_out, api_visibility="private")
                itable.select(s.row_source, [ind_facts, itable], isource,
                              api_visibility="private")
                ixlsx.click(s.export_indicators, i_in, ifile, api_visibility="private")
                compare_parts = app_versions.compare_panel(v)

            # 文档库
            with gr.Tab("文档库", id="docs"):
                vec_status = gr.Markdown(s.vector_status(), elem_id="pk-vectors")
                gr.Timer(5).tick(s.vector_status, None, vec_status, api_visibility="private")
                doc_table = gr.Dataframe(value=[views.document_row(d) for d in docs], headers=views.DOCUMENT_COLUMNS,
                                         interactive=False, wrap=True, elem_id="pk-doc-table")
                version_parts = app_versions.versions_panel(v, s.users is None)
                with gr.Group(visible=s.users is None, elem_id="pk-admin") as admin:
                    gr.Markdown(f"**上传文件**：txt、md、docx、pdf、扫描件（png/jpg/tif）、网页（html）、ofd、xlsx、csv、"
                                f"doc、wps、xls、et，每个不超过 {s.settings.max_file_mb:g} MB，"
                                f"一次最多 {s.settings.max_upload_files} 个。与已有文档同名的文件会先询问：替换该文档，或另存为新文档。")
                    # no file_types here: the server checks types itself and gives each refused file
                    # its own reason (a .doc gets "save as .docx") instead of failing the whole batch
                    files = gr.File(file_count="multiple", label="选择文件", height=140, elem_id="pk-upload")
                    up_btn = gr.Button("上传并导入", variant="primary", elem_id="pk-upload-btn")
                    # API only (/upload's second parameter): what to do with a same-named file
                    on_conflict = gr.Radio(list(ON_CONFLICT), value="ask", visible=False, label="同名文件")
                    results = gr.Dataframe(headers=RESULT_COLUMNS, interactive=False, wrap=True, label="导入结果",
                                           elem_id="pk-upload-results")
                    with gr.Group(visible=False, elem_id="pk-conflict") as conflict_box:
                        gr.Markdown("**有文件与已有文档同名**（见上表“待确认”）。是新版本就替换，是另一份文件就另存：")
                        with gr.Row():
                            replace_btn = gr.Button("替换同名文档", variant="primary", elem_id="pk-replace")
                            keep_btn = gr.Button("另存为新文档", elem_id="pk-keep-both")
                    with gr.Row():
                        # allow_custom_value: an API client names a document uploaded after its page was built;
                        # the handler checks the id against the registry
                        del_sel = gr.Dropdown(doc_choices, value=None, label="删除文档", elem_id="pk-del-sel", scale=3,
                                              allow_custom_value=True)
                        del_btn = gr.Button("删除", variant="stop", elem_id="pk-del-btn")
                        re_btn = gr.Button("全部重新索引", elem_id="pk-reindex")
                    admin_msg = gr.Markdown(elem_id="pk-admin-msg")
                reader_note = gr.Markdown("当前账号为只读用户：可以提问和浏览，上传与删除需管理员账号。",
                                          visible=False, elem_id="pk-reader-note")
                insp_sel = gr.Dropdown(doc_choices, value=None, label="查看解析结果", elem_id="pk-inspect")
                insp_md = gr.Markdown(elem_id="pk-structure")
                insp_chunks = gr.Dataframe(headers=["序号", "类型", "章节", "页", "字数", "内容"], interactive=False,
                                           wrap=True, max_height=420, label="片段（点击一行查看所在页）",
                                           elem_id="pk-inspect-chunks")
                insp_page = gr.HTML(elem_id="pk-inspect-page")
                insp_sel.change(s.inspect_doc, insp_sel, [insp_md, insp_chunks], api_visibility="private").then(
                    s.inspect_first_page, insp_sel, insp_page, api_visibility="private")
                insp_chunks.select(s.inspect_chunk_page, insp_sel, insp_page, api_visibility="private")

        def refresh_lists():
            docs, doc_choices, regions, depts = choices()
            return (gr.Dropdown(choices=regions), gr.Dropdown(choices=doc_choices),
                    gr.Dataset(samples=[[q] for q in views.example_questions(s.kb.facts, docs)]),
                    gr.Dropdown(choices=depts), gr.Dropdown(choices=[(ALL, "")] + doc_choices),
                    gr.Dropdown(choices=[ALL] + regions), gr.Dropdown(choices=[(ALL, "")] + doc_choices),
                    gr.Dropdown(choices=[ALL] + regions), [views.document_row(d) for d in docs],
                    gr.Dropdown(choices=doc_choices, value=None), gr.Dropdown(choices=doc_choices, value=None))

        lists = [region_f, doc_f, examples, dept, tdoc, tregion, idoc, iregion, doc_table, del_sel, insp_sel]
        def conflicts_shown(rows) -> gr.Group:
            if hasattr(rows, "values"):                  # a DataFrame from the page
                rows = rows.values.tolist()
            elif isinstance(rows, dict):
                rows = rows.get("data", [])
            rows = rows or []
            return gr.Group(visible=any(len(r) > 1 and r[1] == _STATUS["conflict"] for r in rows))

        up_btn.click(s.upload, [files, on_conflict], results, api_name="upload").then(
            refresh_lists, None, lists, api_visibility="private").then(
            conflicts_shown, results, conflict_box, api_visibility="private")
        for btn, handler in ((replace_btn, s.upload_replace), (keep_btn, s.upload_new)):
            btn.click(handler, files, results, api_visibility="private").then(
                refresh_lists, None, lists, api_visibility="private").then(
                conflicts_shown, results, conflict_box, api_visibility="private")
        del_btn.click(s.delete_doc, del_sel, admin_msg, api_name="delete").then(
            refresh_lists, None, lists, api_visibility="private")
        re_btn.click(s.reindex, None, results,
                     api_name="reindex").then(refresh_lists, None, lists, api_visibility="private")

        def on_load(request: gr.Request):
            role_name = s.role(request)
            user = getattr(request, "username", None)
            who = (f"当前用户：{views.esc(user)}（{'管理员' if role_name == 'admin' else '只读'}）" if user
                   else "本机访问（未启用登录）")
            return who, gr.Group(visible=role_name == "admin"), gr.Markdown(visible=role_name != "admin")

        demo.load(on_load, None, [whoami, admin, reader_note], api_visibility="private")
        demo.load(s.vector_status, None, vec_status, api_visibility="private")
        demo.load(show, t_in, t_out, api_visibility="private").then(s.task_timeline, t_in, tplot,
                                                                   api_visibility="private")
        demo.load(ishow, i_in, i_out, api_visibility="private")
        def ask(question: str, history: list[str] | None = None, regions: list[str] | None = None,
                doc_ids: list[str] | None = None) -> dict:
            """One question (earlier questions of the conversation in ``history``) -> the cited answer as JSON."""
            return s.api_ask(question, history, regions, doc_ids)

        gr.api(ask, api_name="ask")
        app_versions.wire_load(demo, v, version_parts, compare_parts)
    return demo


def launch_options(settings: Settings, users: Users | None = None) -> dict[str, Any]:
    """Everything ``launch()`` needs: address, login, upload size cap, offline theme and CSS."""
    theme = gr.themes.Default(font=["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"],
                              font_mono=["Noto Sans Mono CJK SC", "ui-monospace", "monospace"])
    opts: dict[str, Any] = dict(server_name=settings.host, server_port=settings.port, show_error=True, theme=theme,
                                css=CSS, max_file_size=f"{settings.max_file_mb:g}mb", footer_links=[], quiet=True)
    if users is not None:
        opts["auth"] = lambda name, password: users.check(name, password) is not None
        opts["auth_message"] = "政策文件知识库：请登录"
    return opts


def startup_check(settings: Settings) -> tuple[Users | None, str]:
    """Users (or None) and the start-up notice; raises SystemExit for an exposed app without login."""
    if settings.auth:
        if not settings.auth.exists():
            raise SystemExit(f"找不到用户文件 {settings.auth}（POLICYKB_AUTH）。用 policykb user add 名字 --role admin 创建。")
        users = Users.load(settings.auth)
        if not users.by_name:
            raise SystemExit(f"用户文件 {settings.auth} 中没有用户。")
        return users, f"已启用登录（{len(users.by_name)} 个用户），监听 {settings.host}:{settings.port}"
    if not settings.loopback_only and not settings.allow_remote_without_auth:
        raise SystemExit(f"未配置登录（POLICYKB_AUTH）时不能监听 {settings.host}：任何人都将拥有管理员权限。"
                         "请配置 POLICYKB_AUTH，或明确设置 POLICYKB_ALLOW_REMOTE_WITHOUT_AUTH=true。")
    if settings.loopback_only:
        return None, (f"未配置登录（POLICYKB_AUTH）：只监听 {settings.host}:{settings.port}，仅本机可以访问，"
                      "访问者均有管理员权限。")
    return None, f"警告：未配置登录却监听 {settings.host}:{settings.port}，任何能访问的人都有管理员权限。"


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings()
    users, notice = startup_check(settings)
    print(notice, file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    bot = Assistant(settings)
    if bot.kb.registry.ready_hashes():
        bot.ask("森林覆盖率")            # load the embedder and indexes now, not on the first user's question
    # vectors of documents still without them (new uploads, an interrupted run) are added in the
    # background; only one process per knowledge base embeds at a time (KB/.embed.lock)
    worker = EmbeddingWorker(bot.kb).start()
    print(f"知识库 {settings.kb_dir}：{len(bot.kb.registry.ready_hashes())} 份文件，载入 {time.perf_counter() - t0:.1f} 秒",
          file=sys.stderr, flush=True)
    demo = build_app(bot, users, worker).queue(default_concurrency_limit=4)
    # quiet: Gradio's own start-up lines suggest share=True, which a loopback-only app must not do
    from service.http import gradio_lifespan            # OpenAI-compatible /v1 and MCP /mcp on the same app

    demo.launch(**launch_options(settings, users), prevent_thread_lock=True, app_kwargs={"lifespan": gradio_lifespan(bot)})
    print(f"网页地址：http://{settings.host}:{settings.port}/", file=sys.stderr, flush=True)
    demo.block_thread()


if __name__ == "__main__":
    main()
