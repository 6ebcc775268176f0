"""One task, all its sources: a body-text task and the rows of the (yearly) 任务分解表 that implement
it become one task with yearly steps; rows that implement no body task stay tasks of their own.

Linking works within one document, on the fact store's task rows (``FactStore.tasks``), and uses no
names of any plan:

1. **direct**: a table row links to the body task whose text best contains the row's text — the
   share of the row's character bigrams, weighted by their rarity in this document (IDF over its
   tasks), found in the body task's heading and text; the row's task name (任务类型 / 任务名称)
   against the body task's heading counts too. Linked when the score reaches ``threshold``.
2. **across years**: a row not linked directly links to the body task of a row of another year's
   table that says the same (2025 "将“氧吧”概念不断深入到行业发展中" after 2024's row).
3. **category**: a row left over whose category cell (the merged 任务名称 of several rows) it shares
   with linked rows of its table that all implement one body task, and whose lead units take part
   in that task, implements it too.

A task's steps are its rows grouped by the table's plan year (a table without one: by the year
of the row's deadline); its current step is the step of today's year, else the next one, else the
last. Every source (the body paragraph and each row) is kept with its span and page.

The threshold was fitted on the 嘉定 海绵城市 plan of ``../shared/other-corpus`` and is reported on
that and the 门头沟 氧吧 plan (``python -m eval.task_links``).

Example:
    >>> tasks = plan_tasks(kb.facts.tasks(), today=date(2026, 11, 21))
    >>> t = next(t for t in tasks if t.name.startswith("开展“万级负氧离子体验区”"))
    >>> [s.year for s in t.steps], t.current_step.year, t.due
    ([2024, 2025], 2025, '2025-12')
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from ingest.deadlines import due_key

THRESHOLD = 0.32          # fitted on the 嘉定 plan (eval/gold/task_links.yaml): python -m eval.task_links --fit
NAME_WEIGHT = 0.5         # how much the row's task name against the body heading counts beside its text
UNIT_WEIGHT = 0.2         # how much the same responsible units count beside the words (fitted with it)

_KEEP = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]+")


def _grams(text: str) -> set[str]:
    """Character bigrams of the CJK / alphanumeric runs of ``text`` (a run of one character: itself)."""
    out: set[str] = set()
    for run in _KEEP.findall(text or ""):
        if len(run) == 1:
            out.add(run)
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def _is_row(t: Mapping[str, Any]) -> bool:
    return t.get("table_index") is not None


@dataclass
class _Scorer:
    """Rarity-weighted containment of one text's bigrams in another, IDF over one document's tasks."""
    idf: dict[str, float]

    @classmethod
    def over(cls, texts: Sequence[set[str]]) -> "_Scorer":
        df = Counter(g for gs in texts for g in gs)
        n = len(texts)
        return cls({g: math.log((1 + n) / (1 + c)) for g, c in df.items()})

    def contained(self, part: set[str], whole: set[str]) -> float:
        total = sum(self.idf.get(g, 0.0) for g in part)
        if total <= 0:
            return 0.0
        return sum(self.idf.get(g, 0.0) for g in part & whole) / total


def link_rows(tasks: Sequence[Mapping[str, Any]], threshold: float = THRESHOLD,
              name_weight: float = NAME_WEIGHT, unit_weight: float = UNIT_WEIGHT) -> dict[int, int]:
    """{position of a table row: position of the body task it implements} for one document's tasks
    (positions into ``tasks``). Rows not in the result implement no body task."""
    if not 0 < threshold <= 1 or not 0 <= name_weight <= 1 or not 0 <= unit_weight < 1:
        raise ValueError("threshold must be in (0, 1], name_weight in [0, 1] and unit_weight in [0, 1)")
    body = [i for i, t in enumerate(tasks) if not _is_row(t)]
    rows = [i for i, t in enumerate(tasks) if _is_row(t)]
    if not body or not rows:
        return {}
    content = [_grams(t.get("content") or "") for t in tasks]
    name = [_grams(t.get("name") or "") for t in tasks]
    full = [c | n for c, n in zip(content, name)]
    sc = _Scorer.over(full)
    units = [set(t.get("lead") or []) | set(t.get("co") or []) for t in tasks]

    def score(r: int, b: int) -> float:
        s = sc.contained(content[r] or name[r], full[b])
        if name[r] and name_weight:
            s = max(s, (1 - name_weight) * s + name_weight * sc.contained(name[r], name[b]))
        if unit_weight:
            both = units[r] | units[b]
            s = (1 - unit_weight) * s + unit_weight * (len(units[r] & units[b]) / len(both) if both else 0.0)
        return s

    links: dict[int, int] = {}
    for r in rows:
        best = max(body, key=lambda b: (score(r, b), -b))
        if score(r, best) >= threshold:
            links[r] = best
    # across years: the same words as a linked row of another table
    changed = True
    while changed:
        changed = False
        for r in rows:
            if r in links:
                continue
            others = [o for o in links if tasks[o]["table_index"] != tasks[r]["table_index"]]
            if not others:
                continue
            sim = {o: min(sc.contained(content[r], content[o]), 1.0) for o in others}
            sim = {o: max(s, sc.contained(content[o], content[r])) for o, s in sim.items()}
            o = max(others, key=lambda o: (sim[o], -o))
            if sim[o] >= threshold:
                links[r], changed = links[o], True
    # category: linked siblings of one table category agree on one body task the row's units take part in
    for r in rows:
        if r in links or not tasks[r].get("name"):
            continue
        sib = [links[o] for o in rows if o in links and o != r and tasks[o]["table_index"] == tasks[r]["table_index"]
               and tasks[o].get("name") == tasks[r]["name"]]
        if sib and len(set(sib)) == 1:
            b = sib[0]
            if set(tasks[r].get("lead") or []) & set((tasks[b].get("lead") or []) + (tasks[b].get("co") or [])):
                links[r] = b
    return links


# --- tasks with steps -------------------------------------------------------------------------
@dataclass
class Step:
    """One year of a task: what that year's table rows say, their units and deadline."""
    year: int | None
    sources: list[dict[str, Any]]

    @property
    def content(self) -> str:
        return "\n".join(s.get("content") or "" for s in self.sources)

    @property
    def lead(self) -> list[str]:
        return _union(s.get("lead") or [] for s in self.sources)

    @property
    def co(self) -> list[str]:
        lead = set(self.lead)
        return [u for u in _union(s.get("co") or [] for s in self.sources) if u not in lead]

    @property
    def due(self) -> str | None:
        dues = [s["due"] for s in self.sources if s.get("due")]
        return max(dues, key=due_key) if dues else None

    @property
    def deadline(self) -> str:
        d = self.due
        return next((s.get("deadline") for s in self.sources if s.get("due") == d and s.get("deadline")), "") or ""

    @property
    def kind(self) -> str:
        return next((s.get("deadline_kind") for s in self.sources if s.get("deadline_kind")), None) or "date"

    def to_json(self) -> dict[str, Any]:
        return {"year": self.year, "content": self.content, "lead": self.lead, "co": self.co, "deadline": self.deadline,
                "due": self.due, "sources": [_source_ref(s) for s in self.sources]}


def _union(lists: Iterable[list[str]]) -> list[str]:
    return list(dict.fromkeys(u for xs in lists for u in xs))


def _source_ref(s: Mapping[str, Any]) -> dict[str, Any]:
    return {k: s.get(k) for k in ("id", "doc_id", "idx", "source", "plan_year", "table_index", "row_index", "breadcrumb",
                                  "page", "start", "end", "content", "lead", "co", "deadline", "due")}


@dataclass
class PlanTask:
    """A task of one document with all its sources: the body paragraph (``text``, None for a table row
    that implements no body task) and its yearly ``steps``."""
    doc_id: str
    title: str
    region: str
    text: dict[str, Any] | None
    steps: list[Step]
    today: date
    head: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.doc_id}#{self.head['idx']}"

    @property
    def name(self) -> str:
        h = self.head
        return h.get("name") or (h.get("content") or "")[:60]

    @property
    def breadcrumb(self) -> str:
        return self.head.get("breadcrumb") or ""

    @property
    def sources(self) -> list[dict[str, Any]]:
        return ([self.text] if self.text else []) + [s for st in self.steps for s in st.sources]

    @property
    def lead(self) -> list[str]:
        """Units the body text gives (for a table-only task: its rows')."""
        return list(self.text.get("lead") or []) if self.text else _union(st.lead for st in self.steps)

    @property
    def co(self) -> list[str]:
        return list(self.text.get("co") or []) if self.text else _union(st.co for st in self.steps)

    @property
    def current_step(self) -> Step | None:
        """The step of today's year, else the next one, else the last (None without steps)."""
        if not self.steps:
            return None
        dated = [s for s in self.steps if s.year is not None]
        same = [s for s in dated if s.year == self.today.year]
        if same:
            return same[0]
        later = [s for s in dated if s.year > self.today.year]
        return later[0] if later else self.steps[-1]

    def step_for(self, year: int) -> Step | None:
        return next((s for s in self.steps if s.year == year), None)

    @property
    def due(self) -> str | None:
        cur = self.current_step
        if cur and cur.due:
            return cur.due
        return self.text.get("due") if self.text else None

    @property
    def deadline(self) -> str:
        cur = self.current_step
        if cur and cur.due:
            return cur.deadline
        return (self.text.get("deadline") or "") if self.text else ""

    @property
    def deadline_kind(self) -> str:
        cur = self.current_step
        if cur and cur.due:
            return cur.kind
        return (self.text.get("deadline_kind") if self.text else None) or "date"

    def units_differ(self, step: Step | None = None) -> bool:
        """Whether a step's table gives other lead or co units than the body text."""
        step = step or self.current_step
        if not self.text or not step:
            return False
        return set(step.lead) != set(self.lead) or set(step.co) != set(self.co)

    def role_of(self, names: Iterable[str]) -> str | None:
        """"lead" when any of ``names`` leads in the text or any step, "co" when it only cooperates."""
        names = set(names)
        if any(names & set(s.get("lead") or []) for s in self.sources):
            return "lead"
        if any(names & set(s.get("co") or []) for s in self.sources):
            return "co"
        return None

    def to_json(self) -> dict[str, Any]:
        cur = self.current_step
        return {"key": self.key, "doc_id": self.doc_id, "title": self.title, "region": self.region, "name": self.name,
                "breadcrumb": self.breadcrumb, "lead": self.lead, "co": self.co, "deadline": self.deadline,
                "due": self.due, "deadline_kind": self.deadline_kind, "current_year": cur.year if cur else None,
                "text": _source_ref(self.text) if self.text else None, "steps": [s.to_json() for s in self.steps]}


def _step_year(row: Mapping[str, Any]) -> int | None:
    """The plan year of the row's table, else the year of the row's own deadline (an undated table)."""
    if row.get("plan_year"):
        return int(row["plan_year"])
    due = str(row.get("due") or "")
    return int(due[:4]) if re.match(r"(?:19|20)\d{2}", due) else None


_CACHE: dict[tuple, dict[int, int]] = {}


def _links_of(ts: list[dict[str, Any]]) -> dict[int, int]:
    """``link_rows`` of one document's tasks, remembered per version of its facts (row ids and texts)."""
    key = tuple((t.get("id"), t["idx"], t.get("content"), t.get("name"), tuple(t.get("lead") or ()),
                 tuple(t.get("co") or ())) for t in ts)
    links = _CACHE.get(key)
    if links is None:
        links = link_rows(ts)
        if len(_CACHE) > 4096:
            _CACHE.clear()
        _CACHE[key] = links
    return links


def _by_doc(rows: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_doc[r["doc_id"]].append(r)
    return {d: sorted(ts, key=lambda t: t["idx"]) for d, ts in by_doc.items()}


def annotate(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Put the links on fact-store rows (all tasks of their documents), in place: a body task with
    rows gets ``steps`` ([{"year", "rows": [row, …]}], rows in table order), a linked row
    ``linked_to`` (its body task's idx). Returns ``rows``."""
    for ts in _by_doc(rows).values():
        links = _links_of(ts)
        steps: dict[int, dict[int | None, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for r, b in sorted(links.items()):
            ts[r]["linked_to"] = ts[b]["idx"]
            steps[b][_step_year(ts[r])].append(ts[r])
        for b, years in steps.items():
            ts[b]["steps"] = [{"year": y, "rows": years[y]} for y in sorted(years, key=lambda y: (y is None, y or 0))]
    return rows


def step_rows(task: Mapping[str, Any], years: Iterable[int]) -> list[dict[str, Any]]:
    """The rows of a body task's step in one of ``years`` (first year with a step), or []."""
    by_year = {s["year"]: s["rows"] for s in task.get("steps") or []}
    return next((by_year[y] for y in years if y in by_year), [])


def plan_tasks(rows: Sequence[dict[str, Any]], today: date, threshold: float = THRESHOLD) -> list[PlanTask]:
    """Fact-store task rows (all tasks of each document they come from) -> tasks with steps, in
    document order. Rows of a document are linked among themselves only."""
    out: list[PlanTask] = []
    for doc_id, ts in _by_doc(rows).items():
        links = _links_of(ts) if threshold == THRESHOLD else link_rows(ts, threshold)
        members: dict[int, list[int]] = defaultdict(list)
        for r, b in links.items():
            members[b].append(r)
        for i, t in enumerate(ts):
            if i in links:
                continue
            own = [ts[r] for r in sorted(members.get(i, []))] if not _is_row(t) else [t]
            years: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
            for s in own:
                years[_step_year(s)].append(s)
            steps = [Step(y, years[y]) for y in sorted(years, key=lambda y: (y is None, y or 0))]
            out.append(PlanTask(doc_id=doc_id, title=t.get("title") or doc_id, region=t.get("region") or "",
                                text=None if _is_row(t) else t, steps=steps, today=today, head=t))
    return out


def parsed_rows(doc: Any) -> list[dict[str, Any]]:
    """A parsed document's tasks (``ingest.model.ParsedDocument``) as fact-store rows, for linking
    without a knowledge base (evaluation, tests)."""
    return [{"id": None, "doc_id": doc.doc_id, "idx": i, "title": doc.meta.title, "region": doc.meta.region or "",
             "name": t.name, "content": t.content, "lead": list(t.lead), "co": list(t.co), "deadline": t.deadline.raw,
             "due": t.deadline.due, "deadline_kind": t.deadline.kind, "plan_year": t.plan_year,
             "section_id": t.section_id, "breadcrumb": t.breadcrumb, "source": t.source, "start": t.start, "end": t.end,
             "page": doc.page_at(t.start), "table_index": t.table_index, "row_index": t.row_index,
             "role_text": t.role_text} for i, t in enumerate(doc.tasks)]


def _in_range(due: str | None, after: str | None, before: str | None) -> bool:
    if not due:
        return False
    if before and due_key(due) > due_key(before):
        return False
    if after:
        parts = after.split("-")
        if due_key(due) < f"{parts[0]}-{parts[1] if len(parts) > 1 else '01'}-00":
            return False
    return True


def query(facts: Any, today: date, dept: str | None = None, role: str | None = None, doc: str | None = None,
          region: str | None = None, due_after: str | None = None, due_before: str | None = None) -> list[PlanTask]:
    """Tasks with steps from a ``FactStore``: a unit's (any alias; ``role`` lead/co as in
    ``PlanTask.role_of``), of a document or region, with a deadline (of any step) in a range."""
    tasks = plan_tasks(facts.tasks(doc=doc, region=region), today)
    if dept:
        names = facts.resolve(dept)
        tasks = [t for t in tasks if names and t.role_of(names) and (role is None or t.role_of(names) == role)]
    if due_after or due_before:
        tasks = [t for t in tasks if any(_in_range(d, due_after, before=due_before)
                                         for d in [s.due for s in t.steps] + [(t.text or {}).get("due")])]
    return tasks


def summary(facts: Any, dept: str, today: date, roles: tuple[str, ...] = ("lead", "co"), **filters: Any) -> dict[str, Any]:
    """A unit's tasks (not rows): {"query", "names", "canonical", "lead": [PlanTask], "co": [PlanTask]};
    each task counts once, as lead when the unit leads in its text or any year's table."""
    base = facts.department_summary(dept, roles=())
    out = {"query": dept, "names": base["names"], "canonical": base["canonical"], "lead": [], "co": []}
    if base["names"]:
        for t in query(facts, today, dept=dept, **filters):
            r = t.role_of(base["names"])
            if r in roles:
                out[r].append(t)
    return out
