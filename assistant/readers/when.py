"""The when reader: the deadline (完成时间, "2025年底前", "4月底前") of what the question names.

Sources: tasks with a deadline (quoted as the document writes it, the normalised month in
brackets), indicators with a target date, and the date clause of a passage nearest the asked
action — a paragraph that sets different deadlines for different actions answers with the one
whose clause covers the question.

Example:
    >>> read(ask, evidence, candidates, ctx)[0].render(cites)
    '“…”的完成时间为2024年底前（2024年12月；正文；截至2026年12月1日已到期）。[1]'
"""
from __future__ import annotations

from .. import compose
from ..evidence import Topic
from ..facts_match import match_tasks
from ..read import DATE, Candidate, inner_topic
from . import Reading
from .amount import indicator_readings
from .passage import quote_line


def read(ask, ev, cands: list[Candidate], ctx) -> list[Reading]:
    out: list[Reading] = []
    topic = Topic(inner_topic(ask.topic, ctx), ctx.idf)     # a named plan's title words name no task
    if topic:
        matched = match_tasks(ev.tasks, topic, ask.years, question=ask.search_text)
        own = [x for x in matched if x[1]["doc_id"] in ctx.primary] or matched
        own = [x for x in own if x[1]["doc_id"] in ctx.preferred] if ctx.preferred else own
        tasks = [t for _, t in own if t.get("due")]
        if tasks:
            span = ctx.docs.text(tasks[0]["doc_id"])[tasks[0]["start"]:tasks[0]["end"]]
            several = len({m.group(0) for m in DATE.finditer(span)}) >= 2    # the clause decides, not the task
            score = max(s for s, t in own if t.get("due")) + (0.3 if several else 1.0)
            out.append(Reading(score, lambda cites, ts=tasks: compose.deadline_answer(ts, cites, ctx.today), "task",
                               facts=[compose.task_fact(t, ctx.today) for t in tasks], doc_id=tasks[0]["doc_id"]))
        out += indicator_readings(ask, ev, ctx, dated=True)
    for c in cands[:6]:
        if c.slot:
            out.append(Reading(c.score, _render(c), "passage", slot=c.slot, doc_id=c.doc_id, quote=c.quote, own=c.own,
                               where=f"{c.hit.breadcrumb} {c.hit.title}"))
    return out


def _render(c: Candidate):
    def render(cites):
        line = quote_line(c, cites, prefix="原文：")
        return f"时间：{c.slot}。{line}" if line else None
    return render
