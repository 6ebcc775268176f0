"""The department reader: what a unit leads and cooperates on (or, with a time window and no unit,
the tasks due in it), with deadlines and status against today; the tasks that match the question's
words come first.

Example:
    >>> read(ask, evidence, candidates, ctx)[0].render(cites).splitlines()[0]
    '区气象局在已收录文件中：牵头 34 项、配合 1 项。'
"""
from __future__ import annotations

import re
from typing import Any

from .. import compose
from ingest.units import looks_like_unit

from ..evidence import Topic, span_text
from . import Reading
from .overview import crumbs

# a section's marker ("(十七)", "3.", "一、")
_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十百\d]{1,4}[）)]|[一二三四五六七八九十]+、|\d{1,2}[.．、])\s*")
DUTY_CHARS = 300        # a duty section is quoted up to a sentence end within this many characters


def read(ask, ev, cands, ctx) -> list[Reading]:
    allowed = {t["doc_id"] for t in ev.tasks}
    if ctx.preferred:       # "普府办〔2025〕1号里，生态环境局要管什么": that plan's tasks only (none: its passages)
        allowed &= set(ctx.preferred)
    topic = Topic(ask.topic, ctx.idf)
    rows: dict[str, list[dict[str, Any]]] = {}
    if ask.departments:
        head = ask.departments[0]
        for role in ask.roles or ("lead", "co"):
            rows[role] = [t for t in ctx.facts.tasks(dept=head, role=role) if t["doc_id"] in allowed]
    else:
        head = ""
        rows["all"] = list(ev.tasks)
    for role, ts in rows.items():
        if ask.window:
            ts = [t for t in ts if ask.window.contains(t.get("due"))]
        elif ask.years:
            years = {str(y) for y in ask.years}
            ts = [t for t in ts if t.get("plan_year") in ask.years or (t.get("due") or "")[:4] in years]
        if topic:
            ts = sorted(ts, key=lambda t: (-round(topic.coverage(task_words(t)), 1), not t.get("due"), t.get("due") or ""))
        else:
            ts = sorted(ts, key=lambda t: (not t.get("due"), t.get("due") or ""))
        rows[role] = ts
    total = sum(len(v) for v in rows.values())
    # what a unit must do, not only what it leads or cooperates on: its own duty sections come first
    both = set(ask.roles or ("lead", "co")) == {"lead", "co"}
    duties = duty_sections(head, ev, ctx) if head and both and not ask.window else []
    if duties:      # a duty item that is also read as a task is quoted once, as the duty
        inside = {(d["doc_id"], sec["start"], sec["end"]) for d, sec in duties}
        rows = {r: [t for t in ts if not any(t["doc_id"] == i and a <= (t.get("start") or -1) < b for i, a, b in inside)]
                for r, ts in rows.items()}
        total = sum(len(v) for v in rows.values())
    if total == 0 and not duties:
        return []
    used = [t for ts in rows.values() for t in ts[:10]]

    def render(cites) -> str:
        today = ctx.today
        when = f"（{ask.window.label}）" if ask.window else ""
        lines = [x for x in (duty_line(head, doc, sec, cites) for doc, sec in duties) if x]
        if head and total == 0:
            return "\n".join(lines)
        if head:
            counts = "、".join(f"{'牵头' if r == 'lead' else '配合'} {len(v)} 项" for r, v in rows.items())
            lines.append(f"{head}{when}在已收录文件中：{counts}。")
        else:
            label = ask.window.label if ask.window else "符合条件"
            lines = [f"{label}的任务共 {total} 项（今天是{today.year}年{today.month}月{today.day}日）："]
        for role, ts in rows.items():
            if not ts:
                continue
            if head:
                lines.append(f"{'牵头' if role == 'lead' else '配合'}的任务：")
            lines += compose.task_list(ts, cites, today, show_units=not head)
        return "\n".join(lines)
    return [Reading(2.0, render, "dept", facts=[compose.task_fact(t, ctx.today) for t in used])]


def duty_sections(head: str, ev, ctx, limit: int = 3) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Sections headed by the unit itself, a plan's 职责分工 ("(十七)区民防办：结合公园建设，开展避难场所
    规划建设。", "（一）区建管委" over its duties), in the named documents or else the retrieved ones."""
    out = []
    ids = list(ctx.preferred) or [h.doc_id for h in ev.hits]
    for doc_id in dict.fromkeys(ids):
        doc = ctx.docs.get(doc_id)
        if not doc:
            continue
        for sec in doc["sections"]:
            if sec.get("parent") is None:
                continue
            name = re.split(r"[：:]", _MARKER.sub("", sec["title"]), maxsplit=1)[0].strip(" 。")
            # the unit alone or before a colon: "（三）区财政局要加大资金投入" is a task of 区财政局, not its duties
            if looks_like_unit(name) and (name == head or ctx.directory is not None and ctx.directory(name) == [head]):
                out.append((doc, sec))
    return out[:limit]


def duty_line(head: str, doc: dict[str, Any], sec: dict[str, Any], cites) -> str | None:
    """"区民防办的职责（《…公园城市建设实施意见》“三、工作职责”）：结合公园建设，开展避难场所规划建设。[1]"."""
    text = doc["text"]
    a, b, quote = span_text(text, sec["start"], sec["end"], limit=DUTY_CHARS)
    by_id = {s["id"]: s for s in doc["sections"]}
    mark = cites.add(doc["doc_id"], a, b, " › ".join(crumbs(sec, by_id)), quote=quote)
    if not mark:
        return None
    parent = by_id.get(sec.get("parent"))
    where = f"“{parent['title'].strip()}”" if parent is not None and parent.get("parent") is not None else ""
    quote = re.sub(r"\s*\n\s*", " ", quote.strip())        # a heading-only item ("（一）区建管委") and its body
    return f"{head}的职责（《{compose.short(doc['title'], 30)}》{where}）：{quote}{mark}"


def task_words(t: dict[str, Any]) -> str:
    return f"{t['title']} {t.get('name') or ''} {t.get('content') or ''}"
