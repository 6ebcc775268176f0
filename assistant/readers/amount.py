"""The amount reader: a value, threshold or quantity (森林覆盖率达到50%, 不低于27.5%, 1.00万元).

Sources: indicators (structured facts: measure, comparator, value, unit, target date), then the
number clause of a passage nearest the question's words. A unit the question asks in ("多少座",
"多少万元") must be the answer's unit.

Example:
    >>> read(ask, evidence, candidates, ctx)[0].render(cites)
    '森林覆盖率：到2025年，森林覆盖率达到50%。[1]'
"""
from __future__ import annotations

from .. import compose
from ..evidence import Topic
from ..facts_match import match_indicators
from ..read import Candidate, asked_unit, in_unit, inner_topic, region_ok
from . import Reading
from .passage import quote_line

def read(ask, ev, cands: list[Candidate], ctx) -> list[Reading]:
    out = indicator_readings(ask, ev, ctx)
    unit = asked_unit(ask.text)
    for c in cands[:6]:
        if c.slot and in_unit(c.slot, unit):       # a table cell's figure is not read by find_slot
            out.append(Reading(c.score, _render(c), "passage", slot=c.slot, doc_id=c.doc_id, quote=c.quote, own=c.own,
                               where=f"{c.hit.breadcrumb} {c.hit.title}"))
    return out


def indicator_readings(ask, ev, ctx, dated: bool = False) -> list[Reading]:
    topic = Topic(inner_topic(ask.topic, ctx), ctx.idf)
    if not topic:
        return []
    matched = match_indicators(ev.indicators, topic, ask.indicator, min_score=0.75 if dated else 0.6,
                               unit=asked_unit(ask.text))
    matched = [(s, i) for s, i in matched if region_ok(i["sentence"], ask, ctx.regions) and (not dated or i.get("due"))]
    own = [x for x in matched if x[1]["doc_id"] in ctx.primary] or matched
    own = [x for x in own if x[1]["doc_id"] in ctx.preferred] if ctx.preferred else own
    if not own:
        return []
    score = 1.0 + max(s for s, _ in own)          # a matched indicator outranks a quoted passage

    def render(cites):
        lines, seen = [], set()
        for _, ind in own[:3]:
            clause = compose.indicator_clause(ind, ctx.docs.text(ind["doc_id"]))
            if clause[2] in seen:
                continue
            line = compose.indicator_line(ind, cites, clause)
            if line.endswith("]"):
                seen.add(clause[2])
                lines.append(line)
        return "\n".join(lines) or None
    return [Reading(score, render, "indicator", facts=[compose.indicator_fact(i) for _, i in own[:3]],
                    slot=str(own[0][1].get("value_text") or ""), doc_id=own[0][1]["doc_id"])]


def _render(c: Candidate):
    # a table's figure names its row and column: "数值：17,200,000.00元（科技条件专项 · 收入预算·合计）"
    where = f"（{c.cell.label()}）" if c.cell and c.cell.label() else ""
    unit = c.cell.unit if c.cell else ""

    def render(cites):
        line = quote_line(c, cites, prefix="原文：")
        return f"数值：{c.slot}{unit}{where}。{line}" if line else None
    return render
