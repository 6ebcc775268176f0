"""The who reader: the units that lead (牵头/负责) or cooperate (配合/参与) on what the question names.

Three sources, each a scored reading:
- **tasks** (structured facts): lead and co units, with text-vs-table disagreements shown;
- **duties under a unit heading**: "（一）区建管委" followed by "牵头协调督促本区海绵城市建设工作落实"
  names 区建管委 as the lead of that duty;
- **clauses** of a passage: "由区绿化市容局牵头", "牵头单位：…", "…等部门配合".

Example:
    >>> read(ask, evidence, candidates, ctx)[0].render(cites)
    '“…”：牵头单位：区气象局；配合单位：百花山管理处。[1]'
"""
from __future__ import annotations

import re
from dataclasses import replace

from ingest.units import LABELLED_LIST
from kb.retrievers import section_heading

from .. import compose
from ..evidence import Topic
from ..facts_match import match_tasks
from ..read import UNIT, Candidate, inner_topic
from ..spans import ROLE_UNIT
from ..spans import HEADING_LIKE
from . import Reading, passage
from .passage import quote_line

_LEAD_VERB = re.compile(r"牵头|负责|主责|统筹|组织实施|主管")
_CO_VERB = re.compile(r"配合|协助|协同|参与|协办")
# a labelled list runs to the next label ("牵头单位：市住房保障办，配合单位：市规划局…") or the note's end
_LIST = LABELLED_LIST
_LEAD_CLAUSE = [re.compile(p) for p in (
    rf"牵头(?:单位|部门)[:：]\s*{_LIST}", rf"责任(?:单位|部门)[:：]\s*{_LIST}",
    r"由([^，,。；;：]{2,60}?)(?:牵头|负责|主责|统筹|组织)", r"([^，,。；;：（(]{2,40}?)(?:牵头|负责)")]
_CO_CLAUSE = [re.compile(p) for p in (
    rf"配合(?:单位|部门)[:：]\s*{_LIST}", r"(?:牵头|负责)[，,、]\s*([^，,。；;]{2,80}?)(?:等)?(?:部门|单位)?(?:配合|参与|协助)",
    r"([^，,。；;：（(]{2,80}?)(?:等)?(?:部门|单位)?(?:配合|参与|协助)")]


def read(ask, ev, cands: list[Candidate], ctx) -> list[Reading]:
    roles = ask.roles or ("lead",)
    out = _tasks(ask, ev, ctx, roles)
    role = "co" if roles[0] == "co" else "lead"
    for c in cands:
        units, how = _units_of(c, role, ctx)
        if units:
            bonus = 0.1 if how == "duty" else 0.0
            out.append(Reading(c.score + bonus, _render(c, role, units), how, slot="、".join(units),
                               doc_id=c.doc_id, quote=c.quote, own=c.own))
        elif UNIT.search(c.quote):     # a sentence that names who, without a 牵头/配合 clause: quoted as it is
            out += [replace(r, score=r.score - 0.1, slot=UNIT.search(c.quote).group(0))
                    for r in passage.read(ask, ev, [c], ctx)]
    return out


def _tasks(ask, ev, ctx, roles) -> list[Reading]:
    topic = Topic(inner_topic(ask.topic, ctx), ctx.idf)     # a named plan's title words name no task
    if not topic:
        return []
    matched = match_tasks(ev.tasks, topic, ask.years, question=ask.search_text)
    own = [x for x in matched if x[1]["doc_id"] in ctx.primary] or matched
    named = [x for x in own if x[1]["doc_id"] in ctx.preferred] if ctx.preferred else own
    if not named:
        return []
    tasks = [t for _, t in named]
    score = max(s for s, _ in named)
    yes_no = ask.departments[0] if ask.yes_no and ask.departments else None

    def render(cites):
        return compose.lead_answer(tasks, roles, cites, yes_no, ctx.directory.same if ctx.directory else None)
    return [Reading(1.0 + score, render, "task", facts=[compose.task_fact(t, ctx.today) for t in tasks],
                    doc_id=tasks[0]["doc_id"])]


def _units_of(c: Candidate, role: str, ctx) -> tuple[list[str], str]:
    """Units a candidate names in ``role``, and how ("duty" under a unit heading, or "clause")."""
    verb = _LEAD_VERB if role == "lead" else _CO_VERB
    heading = HEADING_LIKE.sub("", section_heading(c.hit.breadcrumb)).strip("：: ")
    if heading and len(heading) <= 24 and verb.search(c.quote):
        if UNIT.fullmatch(heading):              # the unit as the document writes it
            return [heading], "duty"
        names = ctx.directory(heading) if ctx.directory else []
        if names:
            return names[:3], "duty"
    for rx in (_LEAD_CLAUSE if role == "lead" else _CO_CLAUSE):
        for m in rx.finditer(c.quote):
            units = _split_units(m.group(1), ctx)
            if units:
                return units, "clause"
    return [], ""


# what comes before a unit's name in a clause ("由区住建委", "移交给相应小区的…", "督促…")
_LEADING = re.compile(r"^.*?(?:移交给|交给|交由|督促|要求|委托|指导|组织|协调|会同|由|的)(?=[\u4e00-\u9fff]{2})")


def _split_units(text: str, ctx) -> list[str]:
    found = ctx.directory(text) if ctx.directory else []
    if not found:           # no directory name: units as written and parties named by their role, in order
        named = [(m.start(), _LEADING.sub("", m.group(0))) for m in UNIT.finditer(text)]
        roles = [(m.start(), m.group(0)) for m in ROLE_UNIT.finditer(text)
                 if not any(a <= m.start() < a + len(u) + 8 and m.group(0) in u for a, u in named)]
        found = [u for _, u in sorted(named + roles)]
    return [u for u in dict.fromkeys(found) if len(u) >= 2][:8]


def _render(c: Candidate, role: str, units: list[str]):
    label = "牵头单位" if role == "lead" else "配合单位"

    def render(cites):
        line = quote_line(c, cites, prefix="原文：")
        return f"{label}：{'、'.join(units)}。{line}" if line else None
    return render
