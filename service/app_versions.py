"""Web page parts for document versions and indicators across documents (used by ``app.py``).

- 文档库 › 版本与状态: every document's status (征求意见稿 / 送审稿 / 正式 / 已废止 / 已被替代), its current
  version and why; admins set a status, "是…的版本" and "被…替代/废止" (``kb.versions.set_status``,
  checked on the server like upload and delete);
- 文档库 › 版本对比: two documents → tasks, indicators, deadlines and units added, removed or
  changed (``kb.version_diff``), each with both sources; a row opens both passages;
- 指标要求 › 跨文件对比: one measure across documents and regions with the target year of each value
  (``kb.indicator_compare``), as a table and a bar chart (Gradio's own plot, drawn in the page).

Layout and events only; the data comes from ``kb.versions``, ``kb.version_diff`` and
``kb.indicator_compare``.

Example (inside ``gr.Blocks``, with the app's ``Handlers``):
    >>> v = VersionHandlers(handlers)
    >>> versions_panel(v, admin_visible=True)
    >>> compare_panel(v)
"""
from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from assistant import views
from kb.indicator_compare import compare, measures_with_several
from kb.version_diff import diff_documents, summary
from kb.versions import STATUSES, index_for, set_status

VERSION_COLUMNS = ["文档ID", "文档", "状态", "依据", "设定", "现行版本", "被替代/废止于", "日期"]
DIFF_COLUMNS = ["类别", "变化", "事项", "字段", "原（A）", "新（B）", "出处（A）", "出处（B）"]
COMPARE_COLUMNS = ["指标", "地区", "范围", "目标值", "年份", "年份依据", "文件", "原文"]
UNSET = "（不设定）"


class VersionHandlers:
    """Event handlers over the app's ``Handlers`` (its assistant, knowledge base and admin check)."""

    def __init__(self, handlers):
        self.h = handlers
        self.kb = handlers.kb

    def _titles(self) -> dict[str, str]:
        """Titles for the page, with the document id where two versions share a title."""
        titles = self.h.titles()
        seen: dict[str, int] = {}
        for t in titles.values():
            seen[t] = seen.get(t, 0) + 1
        return {d: (f"{t}（{d}）" if seen[t] > 1 else t) for d, t in titles.items()}

    def choices(self) -> list[tuple[str, str]]:
        return [(t, d) for d, t in self._titles().items()]

    # --- 版本与状态 ---
    def version_table(self) -> list[list[Any]]:
        titles = self._titles()
        return [[d.doc_id, titles.get(d.doc_id, d.doc_id), d.status, d.basis[:120], d.set_by,
                 titles.get(d.current, d.current) if d.current else "",
                 titles.get(d.replaced_by, d.replaced_by) if d.replaced_by else "", d.date]
                for d in index_for(self.kb).rows()]

    def save_status(self, doc_id: str | None, status: str | None, version_of: str | None, replaced_by: str | None,
                    note: str | None, request: gr.Request = None):
        self.h.require_admin(request, "设定文档状态")
        if not doc_id:
            raise gr.Error("请先选择文档。")
        try:
            entry = set_status(self.kb, doc_id, None if status in (None, "", UNSET) else status,
                               version_of=version_of or None, replaced_by=replaced_by or None,
                               note=(note or "").strip() or None)
        except ValueError as exc:
            raise gr.Error(str(exc)) from None
        title = self._titles().get(doc_id, doc_id)
        msg = f"已保存：{views.esc(title)} → {views.esc(entry.get('status') or '（状态按检测）')}" if entry else \
            f"已清除 {views.esc(title)} 的管理员设定，状态按检测结果。"
        return self.version_table(), msg

    # --- 版本对比 ---
    def diff(self, doc_a: str | None, doc_b: str | None):
        if not doc_a or not doc_b:
            raise gr.Error("请选择要对比的两个文档（A 为旧版本，B 为新版本）。")
        for d in (doc_a, doc_b):
            if not self.kb.registry.get(d):
                raise gr.Error(f"知识库中没有文档 {d}。")
        changes = diff_documents(self.kb.facts, doc_a, doc_b)
        rows = [[c.kind, c.change, c.item, c.field, c.old, c.new, c.source_a, c.source_b] for c in changes]
        titles = self._titles()
        head = f"**A**：{views.esc(titles.get(doc_a, doc_a))}　**B**：{views.esc(titles.get(doc_b, doc_b))}\n\n"
        return rows, [c.to_json() for c in changes], head + summary(changes), ""

    def diff_source(self, changes: list[dict], rows, evt: gr.SelectData) -> str:
        """Both passages of the clicked change (A's and B's), matched by content so sorting is harmless."""
        i = views.clicked_row(evt.index, evt.row_value, rows)
        if not changes or i is None or i >= len(changes):
            return ""
        c, titles, out = changes[i], self._titles(), []
        for side, ref in (("A", c.get("ref_a")), ("B", c.get("ref_b"))):
            if ref:
                fact = dict(ref, breadcrumb="", page=None)
                out.append(f"<h4>{side}</h4>" + views.fact_source(fact, self.h.bot.docs,
                                                                  titles.get(ref["doc_id"], ref["doc_id"])))
            else:
                out.append(f"<h4>{side}</h4><p>（{side} 中没有此项）</p>")
        return "".join(out)

    # --- 跨文件对比 ---
    def measures(self) -> list[str]:
        return [m for m, _ in measures_with_several(self.kb.facts, index_for(self.kb).current_only())]

    def compare(self, measure: str | None):
        measure = (measure or "").strip()
        if not measure:
            return [], [], "请输入或选择一个指标，如 森林覆盖率。", None, ""
        current = index_for(self.kb).current_only()
        rows = compare(self.kb.facts, measure, self.h.documents(), self.h.bot.docs.text, doc_ids=current)
        table = [[r.name, r.region, r.scope, r.value_text, r.year or "未写明", r.year_basis, r.title, r.sentence]
                 for r in rows]
        facts = [{"doc_id": r.doc_id, "start": r.start, "end": r.end, "breadcrumb": r.breadcrumb, "page": r.page}
                 for r in rows]
        plotted = [r for r in rows if r.value is not None]
        units = sorted({r.value_text.lstrip("≥≤<>≈=").lstrip("0123456789.–") for r in plotted})
        frame = pd.DataFrame({"地区": [_label(r) for r in plotted], "目标值": [float(r.value) for r in plotted],
                              "年份": [str(r.year or "未写明") for r in plotted]})
        note = (f"**{views.esc(measure)}**：{len(rows)} 个目标值，{len({r.region for r in rows})} 个地区，"
                f"{len({r.doc_id for r in rows})} 份文件（只计现行版本；单位：{'、'.join(u for u in units if u) or '—'}）"
                if rows else f"已收录的文件中没有“{views.esc(measure)}”的目标值。")
        return table, facts, note, frame, ""


def _label(r) -> str:
    scope = r.scope or ""
    if scope and scope not in ("全区", "全市", "全县", "全省", r.region):
        parts = scope.split("、")
        scope = f"{parts[0]}等{len(parts)}区" if len(parts) > 2 else scope[:10]
        return f"{r.region}（{scope}）"
    return r.region or r.title[:10]


def versions_panel(v: VersionHandlers, admin_visible: bool) -> dict[str, Any]:
    """版本与状态 and 版本对比 (inside the 文档库 tab). Returns the components the page refreshes."""
    doc_choices = v.choices()
    with gr.Accordion("版本与状态", open=False, elem_id="pk-versions"):
        gr.Markdown("状态由文本检测（征求意见稿、“……同时废止”“原《……》废止”、同名文件的日期），管理员可修改。"
                    "问答默认只用现行版本；旧版本或征求意见稿的说法不同时会注明。")
        vtable = gr.Dataframe(value=v.version_table(), headers=VERSION_COLUMNS, interactive=False, wrap=True,
                              elem_id="pk-version-table")
        with gr.Group(visible=admin_visible, elem_id="pk-version-admin") as vadmin:
            with gr.Row():
                vdoc = gr.Dropdown(doc_choices, value=None, label="文档", allow_custom_value=True, scale=3,
                                   elem_id="pk-version-doc")
                vstatus = gr.Dropdown([UNSET, *STATUSES], value=UNSET, label="状态", elem_id="pk-version-status")
            with gr.Row():
                vof = gr.Dropdown([("", "")] + doc_choices, value="", label="是哪份文档的版本（可空）",
                                  allow_custom_value=True, elem_id="pk-version-of")
                vby = gr.Dropdown([("", "")] + doc_choices, value="", label="被哪份文档替代或废止（可空）",
                                  allow_custom_value=True, elem_id="pk-version-by")
                vnote = gr.Textbox(label="说明（可空）", elem_id="pk-version-note")
            vsave = gr.Button("保存状态", variant="primary", elem_id="pk-version-save")
            vmsg = gr.Markdown(elem_id="pk-version-msg")
        vsave.click(v.save_status, [vdoc, vstatus, vof, vby, vnote], [vtable, vmsg], api_name="set_status")

    with gr.Accordion("版本对比", open=False, elem_id="pk-diff"):
        with gr.Row():
            da = gr.Dropdown(doc_choices, value=None, label="A（旧版本）", allow_custom_value=True, scale=2,
                             elem_id="pk-diff-a")
            db = gr.Dropdown(doc_choices, value=None, label="B（新版本）", allow_custom_value=True, scale=2,
                             elem_id="pk-diff-b")
            dbtn = gr.Button("对比", variant="primary", elem_id="pk-diff-btn")
        dsum = gr.Markdown(elem_id="pk-diff-summary")
        dtable = gr.Dataframe(headers=DIFF_COLUMNS, interactive=False, wrap=True, max_height=520, elem_id="pk-diff-table",
                              column_widths=["6%", "6%", "13%", "8%", "16%", "16%", "17%", "18%"])
        dsource = gr.HTML(elem_id="pk-diff-source")
        dstate = gr.State([])
        dbtn.click(v.diff, [da, db], [dtable, dstate, dsum, dsource], api_name="diff")
        dtable.select(v.diff_source, [dstate, dtable], dsource, api_visibility="private")
    return {"table": vtable, "admin": vadmin, "docs": [vdoc, da, db], "optional_docs": [vof, vby]}


def compare_panel(v: VersionHandlers) -> dict[str, Any]:
    """跨文件对比 (inside the 指标要求 tab)."""
    with gr.Accordion("跨文件、跨地区对比同一指标", open=True, elem_id="pk-compare"):
        with gr.Row():
            cm = gr.Dropdown(v.measures(), value=None, allow_custom_value=True, scale=3,
                             label="指标（列出两份以上文件都有的指标，也可输入）", elem_id="pk-compare-measure")
            cbtn = gr.Button("对比", variant="primary", elem_id="pk-compare-btn")
        cnote = gr.Markdown(elem_id="pk-compare-note")
        ctable = gr.Dataframe(headers=COMPARE_COLUMNS, interactive=False, wrap=True, max_height=420,
                              elem_id="pk-compare-table", column_widths=["10%", "8%", "14%", "7%", "6%", "12%", "18%", "25%"])
        # no initial value: an empty frame would fix the axes as numbers and the chart would stay empty
        cplot = gr.BarPlot(None, x="地区", y="目标值", color="年份",
                           label="目标值对比", height=320, elem_id="pk-compare-plot")
        csource = gr.HTML(elem_id="pk-compare-source")
        cstate = gr.State([])
        outs = [ctable, cstate, cnote, cplot, csource]
        cbtn.click(v.compare, cm, outs, api_name="compare")
        cm.change(v.compare, cm, outs, api_visibility="private")
        ctable.select(v.h.row_source, [cstate, ctable], csource, api_visibility="private")
    return {"measure": cm}


def wire_load(demo: gr.Blocks, v: VersionHandlers, versions: dict[str, Any], compare: dict[str, Any]) -> None:
    """On each page load: the admin part shown to admins only (the server checks again on save), and
    the document and measure lists as they are now (after uploads)."""
    def on_load(request: gr.Request):
        choices = v.choices()
        return ([gr.Group(visible=v.h.role(request) == "admin"), v.version_table()]
                + [gr.Dropdown(choices=choices) for _ in versions["docs"]]
                + [gr.Dropdown(choices=[("", "")] + choices) for _ in versions["optional_docs"]]
                + [gr.Dropdown(choices=v.measures())])

    demo.load(on_load, None, [versions["admin"], versions["table"], *versions["docs"], *versions["optional_docs"],
                              compare["measure"]], api_visibility="private")
