"""The department reader: what a unit leads and cooperates on (or, with a time window and no unit,
the tasks due in it), with deadlines and status against today; the tasks that match the question's
words come first.

Example:
    >>> read(ask, evidence, candidates, ctx)[0].render(cites).splitlines()[0]
    '区气象局在已收录文件中：牵头 34 项、配合 1 项。'
"""
from __future__ import annotations

from typing import Any

from .. import compose
from ..evidence import Topic
from . import Reading


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
    if total == 0:
        return []
    used = [t for ts in rows.values() for t in ts[:10]]

    def render(cites) -> str:
        today = ctx.today
        when = f"（{ask.window.label}）" if ask.window else ""
        if head:
            counts = "、".join(f"{'牵头' if r == 'lead' else '配合'} {len(v)} 项" for r, v in rows.items())
            lines = [f"{head}{when}在已收录文件中：{counts}。"]
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


def task_words(t: dict[str, Any]) -> str:
    return f"{t['title']} {t.get('name') or ''} {t.get('content') or ''}"
