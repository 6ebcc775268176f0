"""Extractive answers in Chinese, composed from matched facts and quoted passages.

Every sentence that states something ends with citation markers; each marker's quote has been
checked to be verbatim in its document (``Citations.add`` drops anything it cannot verify).

Example:
    >>> cites = Citations(doc_texts)
    >>> lead_line(tasks, ("lead",), cites)
    '“开展“万级负氧离子体验区”等“有氧”新项目”：牵头单位：区气象局、区文旅局；配合单位：百花山管理处、区委宣传部；完成时间：2024年12月。[1][2]'
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from ingest.articles import refine_section

from kb.retrievers import section_heading

from .evidence import Citation, DocTexts, span_text
from .timeframe import due_text, status

_WS = re.compile(r"\s+")


class Citations:
    """Numbered, verified citations of one answer; ``context`` keeps each source's longer text (for an LLM)."""

    def __init__(self, docs: DocTexts):
        self.docs = docs
        self.items: list[Citation] = []
        self.context: dict[int, str] = {}

    def add(self, doc_id: str, start: int, end: int, section: str, source: str = "passage",
            quote: str | None = None, context: str | None = None) -> str:
        """Cite ``doc.text[start:end]`` (trimmed) or ``quote``; returns "[n]", or "" when unverifiable."""
        text = self.docs.text(doc_id)
        if quote is None:
            start, end, quote = span_text(text, start, end)
        for c in self.items:
            if c.doc_id == doc_id and c.quote == quote:
                return f"[{c.n}]"
        doc = self.docs.get(doc_id)
        if doc is None:
            return ""
        if doc.get("sections"):                     # a regulation's 款 and 项: "… › 第十一条第二款"
            section = refine_section(section, doc["sections"], start, end)
        c = Citation(n=len(self.items) + 1, doc_id=doc_id, title=doc["title"], section=section,
                     page=self.docs.page_at(doc_id, start), quote=quote, start=start, end=end, source=source)
        if not self.docs.verify(c):
            return ""
        self.items.append(c)
        self.context[c.n] = context or quote
        return f"[{c.n}]"


def short(text: str, n: int = 36) -> str:
    text = _WS.sub("", text or "")
    return text if len(text) <= n else text[:n] + "…"


def units_text(units: list[str]) -> str:
    return "、".join(units) if units else "未列明"


def task_label(t: dict[str, Any]) -> str:
    """Where a task's units were read: the body text or a year's task table."""
    if t.get("source") == "table":
        return f"{t['plan_year']}年任务分解表" if t.get("plan_year") else "任务分解表"
    return "正文"


def cite_task(t: dict[str, Any], cites: Citations) -> str:
    return cites.add(t["doc_id"], t["start"], t["end"], t.get("breadcrumb") or "", source="task",
                     context=cites.docs.text(t["doc_id"])[t["start"]:t["end"]])


def role_fields(t: dict[str, Any], roles: tuple[str, ...], with_deadline: bool = True) -> str:
    parts = []
    order = ("co", "lead") if roles and roles[0] == "co" else ("lead", "co")
    for role in order:
        units = t.get(role) or []
        if role == "co" and not units and "co" not in roles:
            continue
        parts.append(f"{'牵头单位' if role == 'lead' else '配合单位'}：{units_text(units)}")
    if with_deadline and t.get("due"):
        parts.append(f"完成时间：{deadline_as_written(t)}")
    return "；".join(parts)


def task_name(t: dict[str, Any]) -> str:
    name = t.get("name") or ""
    content = t.get("content") or ""
    # Table rows often repeat a broad heading as the name; the content says what the task is.
    return short(content, 40) if t.get("source") == "table" and content else short(name or content, 40)


def lead_answer(tasks: list[dict[str, Any]], roles: tuple[str, ...], cites: Citations,
                yes_no_unit: str | None = None, same=None) -> str:
    """Who leads / cooperates, from one or more matched tasks. Sources that name different units
    (the body text vs. a year's task table) are shown side by side, each with its citation."""
    variants: dict[tuple, list[dict[str, Any]]] = {}
    for t in tasks:
        variants.setdefault((tuple(t.get("lead") or []), tuple(t.get("co") or [])), []).append(t)
    dues = [t for t in tasks if t.get("due")]
    lines = []
    if yes_no_unit:
        leads = {u for t in tasks for u in (t.get("lead") or [])} if "lead" in roles else \
                {u for t in tasks for u in (t.get("co") or [])}
        ok = any(same(yes_no_unit, u) if same else yes_no_unit == u for u in leads)
        lines.append(("是。" if ok else "否。") + (f"{yes_no_unit}是{'牵头' if 'lead' in roles else '配合'}单位之一。" if ok
                                                   else f"所列{'牵头' if 'lead' in roles else '配合'}单位中没有{yes_no_unit}。"))
    if len(variants) == 1:
        group = next(iter(variants.values()))
        t = group[0]
        marks = "".join(cite_task(x, cites) for x in group)
        body = role_fields(t, roles, with_deadline=False)
        if dues:
            distinct = list(dict.fromkeys(deadline_as_written(x) for x in dues))
            if len(distinct) == 1:
                body += f"；完成时间：{distinct[0]}"
            else:
                body += "；完成时间：" + "，".join(f"{deadline_as_written(x)}（{task_label(x)}）" for x in dues)
        lines.append(f"“{task_name(t)}”：{body}。{marks}")
    else:
        lines.append("不同出处所列单位不同，分别如下：")
        for group in variants.values():
            t = group[0]
            marks = "".join(cite_task(x, cites) for x in group)
            labels = "、".join(dict.fromkeys(task_label(x) for x in group))
            lines.append(f"- {labels}（“{task_name(t)}”）：{role_fields(t, roles)}。{marks}")
    return "\n".join(lines)


def deadline_as_written(t: dict[str, Any]) -> str:
    """A task's deadline as the document writes it ("2025年底前"), the normalised month after it in
    brackets when that says something else ("2025年底前（2025年12月）")."""
    raw = re.sub(r"\s+", "", t.get("deadline") or "")
    norm = due_text(t.get("due"), raw)
    if not raw or raw == norm:
        return norm
    return f"{raw}（{norm}）" if t.get("due") else raw


def deadline_answer(tasks: list[dict[str, Any]], cites: Citations, today: date) -> str:
    dated = [t for t in tasks if t.get("due")] or tasks
    lines = []
    for t in dated:
        mark = cite_task(t, cites)
        if t.get("due"):
            st = status(t["due"], today, t.get("deadline_kind") or "date")
            lines.append(f"“{task_name(t)}”的完成时间为{deadline_as_written(t)}"
                         f"（{task_label(t)}；截至{today.year}年{today.month}月{today.day}日{st}）。{mark}")
        else:
            lines.append(f"“{task_name(t)}”未写明完成时间{'（' + t['deadline'] + '）' if t.get('deadline') else ''}。{mark}")
    return "\n".join(lines)


def task_list(tasks: list[dict[str, Any]], cites: Citations, today: date, limit: int = 10,
              show_units: bool = False) -> list[str]:
    out = []
    for i, t in enumerate(tasks[:limit], 1):
        mark = cite_task(t, cites)
        if t.get("due"):
            when = f"完成时间：{deadline_as_written(t)}，{status(t['due'], today)}"
        else:
            when = "持续推进" if t.get("deadline_kind") == "ongoing" else "未写明完成时间"
        units = f"；牵头：{units_text(t.get('lead') or [])}" if show_units else ""
        out.append(f"{i}. {task_summary(t)}（《{short(t['title'], 20)}》，{when}{units}）{mark}")
    if len(tasks) > limit:
        out.append(f"……另有 {len(tasks) - limit} 项，可在“任务分工”页或用 policykb tasks 查看全部。")
    return out


def task_summary(t: dict[str, Any]) -> str:
    """A task's name and what it says: "推出门头沟“氧吧优品”系列农产品：将我区…"."""
    name = re.sub(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])", "", t.get("name") or "")
    content = t.get("content") or ""
    if not name or name in content:
        return short(content or name, 70)
    return f"{short(name, 30)}：{short(content, 50)}"


def indicator_line(ind: dict[str, Any], cites: Citations, clause: tuple[int, int, str]) -> str:
    start, end, text = clause
    mark = cites.add(ind["doc_id"], start, end, ind.get("breadcrumb") or "", source="indicator", quote=text,
                     context=ind["sentence"])
    when = f"（{ind['target']}）" if ind.get("target") and ind["target"] not in text else ""
    return f"{ind['measure']}：{text.rstrip('。；，')}{when}。{mark}"


def passage_line(quote: Citation | None, mark: str) -> str:
    if quote is None:
        return ""
    return f"{quote.display_quote.rstrip('。；;')}。{mark}" if mark else ""


def refusal(subject: str, references: list[Citation], reason: str = "") -> str:
    lines = [f"已收录的文件中未找到{subject}。{reason}".rstrip()]
    if references:
        lines.append("参考（以下为最接近的段落，并非答案）：")
        for i, c in enumerate(references, 1):
            lines.append(f"参考{i}. 《{c.title}》{_crumb_tail(c.section)}：{short(c.display_quote, 80)}")
    return "\n".join(lines)


def unplaced_note(titles: list[str], places: list[str]) -> str:
    """The note under an answer quoted from documents that name no place (``AnswerScope.unplaced``)."""
    docs = "、".join(f"《{t}》" for t in dict.fromkeys(titles))
    return f"（注：{docs}未写明适用地区，请核对是否适用于{'、'.join(places)}。）"


def borrowed_note(area: str, docs: list[tuple[str, str]]) -> str:
    """The note under an answer for ``area`` quoted from its province's or national documents
    (``AnswerScope.borrowed``): ``docs`` are (title, region) pairs."""
    whose = "、".join(f"《{t}》（{'全国性文件' if r == '全国' else r + '文件'}）" for t, r in dict.fromkeys(docs))
    return f"（注：知识库中没有{area}本级的文件；以上引自{whose}，请核对在{area}的适用情况。）"


def _crumb_tail(section: str) -> str:
    tail = section_heading(section) if section else ""
    return f"“{tail}”" if tail else ""


def indicator_clause(ind: dict[str, Any], text: str) -> tuple[int, int, str]:
    """The comma clause of an indicator's sentence that holds its value (verbatim), or the sentence."""
    start, sentence = ind["start"], ind["sentence"]
    if text[start:start + len(sentence)] != sentence:
        pos = text.find(sentence)
        start = pos if pos >= 0 else start
    pieces, pos = [], 0
    for part in re.split(r"(?<=[，,；;])", sentence):
        pieces.append((start + pos, start + pos + len(part), part))
        pos += len(part)
    num = re.sub(r"\.0$", "", str(ind["value"])) if ind.get("value") is not None else ""
    for a, b, p in pieces:
        if ind["measure"] in p and num in p:
            return a, b, p.rstrip("，,；;")
    for a, b, p in pieces:
        if num and num in p:
            return a, b, p.rstrip("，,；;")
    return start, start + len(sentence), sentence


def task_fact(t: dict[str, Any], today: date) -> dict[str, Any]:
    return {"type": "task", "doc_id": t["doc_id"], "title": t["title"], "name": t.get("name"),
            "content": t.get("content"), "lead": t.get("lead") or [], "co": t.get("co") or [],
            "deadline": t.get("deadline") or "", "due": t.get("due"), "plan_year": t.get("plan_year"),
            "status": status(t.get("due"), today, t.get("deadline_kind") or "date"), "section": t.get("breadcrumb"),
            "source": t.get("source")}


def indicator_fact(i: dict[str, Any]) -> dict[str, Any]:
    return {"type": "indicator", "doc_id": i["doc_id"], "title": i["title"], "measure": i["measure"],
            "comparator": i["comparator"], "value": i["value"], "value_max": i.get("value_max"), "unit": i["unit"],
            "value_text": i["value_text"], "target": i.get("target"), "due": i.get("due"), "sentence": i["sentence"],
            "section": i.get("breadcrumb")}
