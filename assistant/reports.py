"""Files to take away: the task or indicator table as CSV (UTF-8 with BOM, opens in Excel) or
Excel, and a department brief (.docx) listing the department's lead and cooperating tasks,
deadlines, status and related indicators, each with its source, for a meeting.

Example:
    >>> write_table(Path("tasks.xlsx"), TASK_EXPORT_COLUMNS, rows)
    >>> department_brief(Path("brief.docx"), kb.facts, kb.documents(), "区气象局", date.today())
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from ingest.deadlines import due_key
from kb import task_links
from kb.task_links import PlanTask

from . import task_views
from .timeframe import due_text, status
from .views import doc_titles, source_label, task_row

TASK_EXPORT_COLUMNS = ["文件", "章节", "任务", "牵头单位", "配合单位", "完成时间", "状态", "出处", "原文"]
INDICATOR_EXPORT_COLUMNS = ["文件", "指标", "要求", "目标值", "单位", "时间", "责任单位", "来源", "原文"]


def task_export_row(t: dict[str, Any], today: date, titles: dict[str, str]) -> list[str]:
    """The page's task row plus where it comes from and its original text."""
    title = titles.get(t["doc_id"], t["doc_id"])
    return task_row(t, today, titles) + [source_label(title, t.get("breadcrumb"), t.get("page")),
                                         t.get("content") or ""]


def write_table(path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]], sheet: str = "Sheet1") -> Path:
    """CSV or XLSX by the path's suffix."""
    if path.suffix.lower() == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(columns)
            w.writerows(rows)
        return path
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"unsupported export type {path.suffix}")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append(list(columns))
    for r in rows:
        ws.append(["" if v is None else v for v in r])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for i, col in enumerate(columns, 1):
        longest = max([len(str(col))] + [len(str(r[i - 1] or "")) for r in rows]) if rows else len(col)
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest * 1.8))
        for cell in ws[get_column_letter(i)][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(path)
    return path


def related_indicators(facts, summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Indicators that name the department as responsible, or that belong to one of its tasks
    (tasks as fact rows, or ``kb.task_links.PlanTask`` with all their sources)."""
    names = set(summary["names"])
    own = set()
    for t in summary["lead"] + summary["co"]:
        own |= {(s["doc_id"], s["idx"]) for s in t.sources} if isinstance(t, PlanTask) else {(t["doc_id"], t["idx"])}
    return [i for i in facts.indicators()
            if names & set(i.get("units") or []) or (i["doc_id"], i.get("task_idx")) in own]


def department_brief(path: Path, facts, documents: list[dict[str, Any]], dept: str, today: date) -> Path:
    """A Word document for one department, counted in tasks (a body task and its yearly table rows
    are one task; each step with its deadline and status). Raises ``LookupError`` for a unit the
    corpus never names."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    summary = task_links.summary(facts, dept, today)
    if not summary["names"]:
        raise LookupError(f"知识库中没有名为“{dept}”的单位")
    titles = doc_titles(documents)
    canon = summary["canonical"]
    lead, co = summary["lead"], summary["co"]
    inds = related_indicators(facts, summary)

    d = Document()
    style = d.styles["Normal"]
    style.font.size = Pt(10.5)
    # Chinese text needs an East Asian font of its own; Word otherwise falls back per glyph.
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    d.add_heading(f"{canon} 任务与指标清单", level=1)
    aliases = [n for n in summary["names"] if n != canon]
    d.add_paragraph(f"生成日期：{today.isoformat()}。依据：知识库中 {len({t.doc_id for t in lead + co})} 份文件。"
                    + (f"含别名：{'、'.join(aliases)}。" if aliases else ""))
    counts = "，".join(f"{s} {n} 项" for s, n in task_views.status_counts(lead + co, today).items())
    d.add_paragraph(f"牵头 {len(lead)} 项，配合 {len(co)} 项（按任务计，正文任务与各年度任务分解表中的对应行合为一项）"
                    + (f"；当前步骤{counts}" if counts else "") + "。")

    def tasks_table(heading: str, rows: list, other: str, role: str) -> None:
        d.add_heading(heading, level=2)
        if not rows:
            d.add_paragraph("无。")
            return
        tbl = d.add_table(rows=1, cols=6)
        tbl.style = "Table Grid"
        for cell, h in zip(tbl.rows[0].cells, ["序号", "任务", "年度步骤与完成时间", "状态", other, "出处与原文"]):
            cell.text = h
        for n, t in enumerate(sorted(rows, key=lambda t: (due_key(t.due), t.doc_id, t.head["idx"])), 1):
            title = titles.get(t.doc_id, t.doc_id)
            cells = tbl.add_row().cells
            cells[0].text = str(n)
            cells[1].text = t.name
            cells[2].text = "\n".join(f"{s.year or ''}{'年' if s.year else ''}：{task_views.step_label(s)}"
                                       f"（{status(s.due, today, s.kind)}）" for s in t.steps) or (t.deadline or "未写明")
            cells[3].text = task_views.task_status(t, today)
            cells[4].text = task_views.task_row(t, today, titles)[5 if role == "lead" else 4] or "—"
            cells[5].text = "\n".join(f"{source_label(title, s.get('breadcrumb'), s.get('page'))}（{task_views._where(s)}）"
                                       f"\n“{(s.get('content') or '')[:200]}”" for s in t.sources)

    tasks_table("一、牵头任务", lead, "配合单位", "lead")
    tasks_table("二、配合任务", co, "牵头单位", "co")
    d.add_heading("三、相关指标", level=2)
    if not inds:
        d.add_paragraph("所收录文件未写明由该单位负责的量化指标。")
    for n, i in enumerate(inds, 1):
        title = titles.get(i["doc_id"], i["doc_id"])
        when = i.get("target") or due_text(i.get("due")) or ""
        p = d.add_paragraph(f"{n}. {i['measure']}：{i['value_text']}" + (f"（{when}）" if when else ""))
        p.add_run(f"\n出处：{source_label(title, i.get('breadcrumb'), i.get('page'))}\n原文：“{i['sentence']}”").italic = True
    d.save(path)
    return path
