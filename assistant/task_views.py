"""What 任务分工 and ``policykb tasks`` show of tasks with yearly steps (``kb.task_links.PlanTask``):
one row per task with its steps and the status of its current step, or one row per step; a unit's
summary counted in tasks; every source of a task as passages; the deadlines as an iCalendar file
and as a 12-month timeline.

Example:
    >>> tasks = task_links.query(kb.facts, today, dept="区气象局")
    >>> task_row(tasks[0], today, titles)[3]
    '2024年12月 / 2025年12月 / 2026年12月（当前）'
    >>> ics = task_calendar(tasks, titles, "区气象局")      # bytes of a .ics file
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Iterable

from kb.retrievers import section_heading
from kb.task_links import PlanTask, Step

from .evidence import DocTexts
from .timeframe import due_text, month_of, status
from .views import esc, highlighted, passage_bounds, source_label

TASK_COLUMNS = ["文件", "章节", "任务", "年度步骤", "牵头单位", "配合单位", "完成时间", "状态"]
STEP_COLUMNS = ["文件", "任务", "年度", "本年度内容", "牵头单位", "配合单位", "完成时间", "状态", "来源"]
TASK_EXPORT_COLUMNS = TASK_COLUMNS + ["出处", "原文"]
_ORDER = ("已到期", "本月到期", "未到期", "持续", "未定")


def step_label(s: Step) -> str:
    """"2024年12月"; a step without a deadline: its year, or 未定."""
    return due_text(s.due, s.deadline) if s.due else (f"{s.year}年" if s.year else "未定")


def task_status(t: PlanTask, today: date) -> str:
    """The current step's status against today (a task without steps: its text's deadline)."""
    return status(t.due, today, t.deadline_kind)


def steps_text(t: PlanTask) -> str:
    cur = t.current_step
    if not t.steps:
        return "—"
    return " / ".join(step_label(s) + ("（当前）" if s is cur and len(t.steps) > 1 else "") for s in t.steps)


def _units(t: PlanTask, role: str) -> str:
    """The text's units, and the current step's table units beside them where they differ."""
    text = "、".join(getattr(t, role))
    cur = t.current_step
    if not cur or not t.text or set(getattr(cur, role)) == set(getattr(t, role)):
        return text or ("、".join(getattr(cur, role)) if cur else "")
    year = f"{cur.year}年表" if cur.year else "分解表"
    return f"{text or '未列明'}（正文）；{'、'.join(getattr(cur, role)) or '未列明'}（{year}）"


def task_row(t: PlanTask, today: date, titles: dict[str, str]) -> list[str]:
    return [titles.get(t.doc_id, t.title), section_heading(t.breadcrumb), t.name, steps_text(t), _units(t, "lead"),
            _units(t, "co"), t.deadline or due_text(t.due) or "", task_status(t, today)]


def _where(s: dict[str, Any]) -> str:
    if s.get("table_index") is None:
        return "正文"
    year = f"{s['plan_year']}年" if s.get("plan_year") else ""
    return f"{year}任务分解表第{(s.get('row_index') or 0) + 1}行"


def step_rows(t: PlanTask, today: date, titles: dict[str, str]) -> list[list[str]]:
    """One row per step (a task without steps: one row for its text)."""
    title = titles.get(t.doc_id, t.title)
    if not t.steps:
        return [[title, t.name, "—", (t.text or {}).get("content") or "", "、".join(t.lead), "、".join(t.co),
                 t.deadline or "", task_status(t, today), "正文"]]
    return [[title, t.name, f"{s.year}年" if s.year else "—", s.content, "、".join(s.lead), "、".join(s.co),
             s.deadline or due_text(s.due) or "", status(s.due, today, s.kind), "；".join(_where(x) for x in s.sources)]
            for s in t.steps]


def export_row(t: PlanTask, today: date, titles: dict[str, str]) -> list[str]:
    title = titles.get(t.doc_id, t.title)
    where = "；".join(source_label(title, s.get("breadcrumb"), s.get("page")) + f"（{_where(s)}）" for s in t.sources)
    text = "\n".join(f"[{_where(s)}] {s.get('content') or ''}" for s in t.sources)
    return task_row(t, today, titles) + [where, text]


def status_counts(tasks: Iterable[PlanTask], today: date) -> dict[str, int]:
    states = [task_status(t, today) for t in tasks]
    return {s: states.count(s) for s in _ORDER if states.count(s)}


def deadlines(tasks: Iterable[tuple[PlanTask, str]]) -> list[tuple[PlanTask, Step | None, str, str]]:
    """(task, step, role, due) of every dated step (a task without steps: its text's deadline)."""
    out = []
    for t, role in tasks:
        if t.steps:
            out += [(t, s, role, s.due) for s in t.steps if s.due]
        elif t.due:
            out.append((t, None, role, t.due))
    return sorted(out, key=lambda x: (month_of(x[3]), x[0].doc_id, x[0].head["idx"]))


def department_summary(summary: dict[str, Any], today: date, upcoming: int = 3) -> str:
    """Markdown: "区气象局：牵头 N 项，配合 M 项（按任务计）", statuses of the current steps, next deadlines."""
    lead, co = summary["lead"], summary["co"]
    canon = summary["canonical"]
    aliases = [n for n in summary["names"] if n != canon]
    head = f"**{esc(canon)}**" + (f"（含 {esc('、'.join(aliases))}）" if aliases else "")
    n_steps = sum(len(t.steps) for t in lead + co)
    lines = [f"{head}：牵头 **{len(lead)}** 项，配合 **{len(co)}** 项（按任务计，含 {n_steps} 个年度步骤）"]
    counts = status_counts(lead + co, today)
    if counts:
        lines.append("当前步骤状态：" + "，".join(f"{k} {v} 项" for k, v in counts.items()))
    cur = f"{today.year:04d}-{today.month:02d}"
    nxt = [x for x in deadlines([(t, "牵头") for t in lead] + [(t, "配合") for t in co]) if month_of(x[3]) >= cur]
    if nxt:
        lines.append("最近到期：")
        lines += [f"- {esc(due_text(d, s.deadline if s else t.deadline))}　{esc(t.name)}"
                  f"（{r}{'，' + str(s.year) + '年度' if s and s.year else ''}）" for t, s, r, d in nxt[:upcoming]]
    return "\n\n".join(lines[:2]) + ("\n\n" + "\n".join(lines[2:]) if len(lines) > 2 else "")


def task_sources(t: PlanTask, docs: DocTexts, title: str) -> str:
    """HTML: every source of a task (its text, then each year's rows) with its span highlighted."""
    parts = []
    for s in t.sources:
        doc = docs.get(s["doc_id"])
        if not doc:
            parts.append("<p>该文档已不在知识库中。</p>")
            continue
        start, end = s.get("start") or 0, s.get("end") or 0
        p0, p1 = passage_bounds(doc, start, end)
        units = f"牵头：{'、'.join(s.get('lead') or []) or '未列明'}；配合：{'、'.join(s.get('co') or []) or '未列明'}"
        when = s.get("deadline") or due_text(s.get("due")) or "未写明"
        label = f"{_where(s)} · {units} · 完成时间：{when} · {source_label(title, s.get('breadcrumb'), s.get('page'))}"
        parts.append(f'<div class="pk-fact-source"><div class="pk-sources-title">{esc(label)}</div>'
                     f'<div class="pk-passage">{highlighted(doc["text"], p0, p1, start, end)}</div></div>')
    return "".join(parts)


# --- calendar ----------------------------------------------------------------------------------
def _due_day(due: str) -> date:
    """The last day of a due month ("2024-12" -> 2024-12-31; a year: its 31 December; a full date: it)."""
    import calendar

    if len(due) >= 10:
        return date.fromisoformat(due[:10])
    y, m = int(due[:4]), int(month_of(due)[5:7])
    return date(y, m, calendar.monthrange(y, m)[1])


def task_calendar(tasks: Iterable[PlanTask], titles: dict[str, str], unit: str = "",
                  names: Iterable[str] = ()) -> bytes:
    """An iCalendar file: one all-day event per dated step, with the task, what that year's step
    says, its units, its source and the document."""
    from icalendar import Calendar, Event

    names = set(names)
    cal = Calendar()
    cal.add("prodid", "-//policykb//任务分工//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{unit or '全部单位'} 任务完成时间")
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for t, s, _, due in deadlines((t, t.role_of(names) or "") for t in tasks):
        title = titles.get(t.doc_id, t.title)
        role = t.role_of(names) if names else None
        lead = s.lead if s else t.lead
        co = s.co if s else t.co
        srcs = s.sources if s else [t.text or t.head]
        day = _due_day(due)
        ev = Event()
        year = f"（{s.year}年度）" if s and s.year else ""
        ev.add("summary", f"{'【牵头】' if role == 'lead' else '【配合】' if role == 'co' else ''}{t.name}{year}")
        ev.add("dtstart", day)
        ev.add("dtend", date.fromordinal(day.toordinal() + 1))
        ev.add("dtstamp", stamp)
        ev.add("uid", f"{t.doc_id}#{t.head['idx']}#{s.year if s and s.year else 'text'}@policykb")
        where = "；".join(source_label(title, x.get("breadcrumb"), x.get("page")) + f"（{_where(x)}）" for x in srcs)
        body = "\n".join(x.get("content") or "" for x in srcs)
        ev.add("description", f"任务：{t.name}\n本年度内容：{body}\n牵头单位：{'、'.join(lead) or '未列明'}\n"
                              f"配合单位：{'、'.join(co) or '未列明'}\n完成时间：{s.deadline if s else t.deadline}\n"
                              f"出处：{where}\n文件：《{title}》")
        ev.add("categories", [c for c in ("任务分工", "牵头" if role == "lead" else "配合" if role == "co" else "") if c])
        cal.add_component(ev)
    return cal.to_ical()


def timeline(tasks: Iterable[tuple[PlanTask, str]], today: date, months: int = 12,
             roles: tuple[str, ...] = ("牵头", "配合")) -> list[dict[str, Any]]:
    """Deadlines per month and role (``roles``: 牵头 / 配合, or one label such as 全部) over the next
    ``months`` months from this one, zero months included (rows for a bar chart: 月份, 角色, 到期数)."""
    start = today.year * 12 + today.month - 1
    keys = [f"{(start + i) // 12:04d}-{(start + i) % 12 + 1:02d}" for i in range(months)]
    count = {(k, r): 0 for k in keys for r in roles}
    for _, _, role, due in deadlines(tasks):
        k = month_of(due)
        if (k, role) in count:
            count[(k, role)] += 1
    return [{"月份": k, "角色": r, "到期数": n} for (k, r), n in count.items()]
