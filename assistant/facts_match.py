"""Structured facts for a question: the department directory's names in a question, and the tasks
and indicators whose text covers the question's topic.

Example:
    >>> units = Directory(kb.facts)
    >>> units("园林局配合哪些工作")
    ['区园林绿化局']
    >>> match_tasks(kb.facts.tasks(), Topic("万级负氧离子体验区", idf))[0][1]["lead"]
    ['区气象局', '区文旅局']
"""
from __future__ import annotations

from typing import Any

from ingest.units import is_alias
from kb.retrievers import section_heading
from kb.task_links import step_rows

from .evidence import Topic


class Directory:
    """Callable: text -> canonical names of the departments it mentions, in order of mention.

    A name counts when it appears whole, without its 区/市/县 prefix (园林局 for 区园林局), without a
    区委/市委 prefix (宣传部 for 区委宣传部), or, for a short text, as a contraction (is_alias)."""

    def __init__(self, facts):
        rows = facts.con.execute("SELECT name, canonical FROM departments WHERE kind='department'").fetchall()
        self.canonical = dict(rows)
        self.forms: list[tuple[str, str]] = []
        for name, canon in rows:
            forms = {name}
            if name[:1] in "区市县" and len(name) >= 4:
                forms.add(name[1:])
            if name[:2] in ("区委", "市委", "县委") and len(name) >= 5:
                forms.add(name[2:])
            self.forms += [(f, canon) for f in forms]
        self.forms.sort(key=lambda x: -len(x[0]))

    def __call__(self, text: str) -> list[str]:
        taken: list[tuple[int, int, str]] = []
        for form, canon in self.forms:
            start = text.find(form)
            while start >= 0:
                end = start + len(form)
                if not any(a <= start and end <= b for a, b, _ in taken):
                    taken.append((start, end, canon))
                start = text.find(form, end)
        if not taken and 3 <= len(text) <= 10:
            for probe in (text, "区" + text, "区委" + text, "市" + text):
                hits = [c for n, c in self.canonical.items() if is_alias(probe, n)]
                if len(set(hits)) == 1:
                    return hits[:1]
        return list(dict.fromkeys(c for _, _, c in sorted(taken)))

    def same(self, a: str, b: str) -> bool:
        return self.canonical.get(a, a) == self.canonical.get(b, b)


def task_text(t: dict[str, Any]) -> str:
    heading = section_heading(t.get("breadcrumb") or "")
    return f"{t.get('name') or ''} {t.get('content') or ''} {heading}"


NAMED_TASK = 0.2     # what a task whose whole name the question quotes gains (beyond any coverage)


def match_tasks(tasks: list[dict[str, Any]], topic: Topic, years: list[int] = (), min_score: float = 0.5,
                margin: float = 0.08, limit: int = 4, question: str = "") -> list[tuple[float, dict[str, Any]]]:
    """Tasks whose text covers the topic, best first: all within ``margin`` of the best one.
    A task whose name (5 characters or more) the ``question`` holds whole is the asked one ("完善农机
    装备创新体系由哪个部门牵头"); a task of a named year's table (2025年…) is preferred to other years'."""
    if not topic:
        return []
    scored = []
    dated = bool(years) and any(t.get("plan_year") in years for t in tasks)
    named = _named_tasks(tasks, question)
    for t in tasks:
        s = topic.coverage(task_text(t))
        if _name(t) in named:
            s = max(s, 1.0) + NAMED_TASK
        if dated:        # a named year: that year's table row first, then the body text, then other years
            s += 0.08 if t.get("plan_year") in years else -0.04 if not t.get("plan_year") else -0.08
        scored.append((s, t))
    scored = [x for x in scored if x[0] >= min_score]
    if not scored:
        return []
    best = max(s for s, _ in scored)
    keep = [x for x in scored if x[0] >= best - margin]
    keep.sort(key=lambda x: (-round(x[0], 3), x[1].get("source") == "table", x[1].get("plan_year") or 0))
    if years:   # a named year (今年, 2025年): a task with yearly steps answers with that year's rows (kb.task_links)
        keep = list({id(r): (s, r) for s, t in keep for r in (step_rows(t, years) or [t])}.values())
    return keep[:limit]


def _name(t: dict[str, Any]) -> str:
    return "".join((t.get("name") or "").split()).rstrip("。；;")


def _named_tasks(tasks: list[dict[str, Any]], question: str) -> set[str]:
    """The task names (5 characters or more) the question holds whole, without those inside a longer
    one it holds ("推进垃圾分类" in "推进垃圾分类示范片区建设")."""
    asked = "".join(question.split())
    names = {n for n in map(_name, tasks) if len(n) >= 5 and n in asked} if asked else set()
    return {n for n in names if not any(n != m and n in m for m in names)}


def match_indicators(indicators: list[dict[str, Any]], topic: Topic, measure: str | None = None,
                     min_score: float = 0.6, margin: float = 0.1, limit: int = 4,
                     unit: str | None = None) -> list[tuple[float, dict[str, Any]]]:
    """Indicators whose measure and sentence cover the topic, with a measure that shares some of the
    topic (the sentence "已累计完成呼叫65.6万次，接通率达85%" covers a question about 呼叫次数, its
    接通率 does not); a named indicator must be the measure, and a unit the question asks in
    ("多少座") must be the indicator's."""
    if not topic:
        return []
    if measure and any(measure in ind["measure"] for ind in indicators):
        indicators = [ind for ind in indicators if measure in ind["measure"]]    # the named indicator itself
    if unit:
        indicators = [ind for ind in indicators if unit in (ind.get("unit") or "")]
    scored = []
    for ind in indicators:
        if measure and measure not in ind["measure"] and measure not in ind["sentence"]:
            continue
        if ind["measure"] and not topic.coverage(ind["measure"]):
            continue
        s = topic.coverage(f"{ind['measure']} {ind['sentence']}")
        if s >= min_score:
            scored.append((s, ind))
    if not scored:
        return []
    best = max(s for s, _ in scored)
    keep = sorted((x for x in scored if x[0] >= best - margin), key=lambda x: -x[0])
    return keep[:limit]
