"""Structured facts of one parsed document: tasks (who leads, who cooperates, by when) and
indicators (what number, by when), each with its section and source span.

Indicators inside a task (its paragraph or table row) take that task's lead units as responsible
units, and a table row's 完成时间 as their date when the cell names none.

Example:
    >>> tasks, indicators = extract_facts(doc.text, doc.sections, doc.tables, doc.breadcrumb)
"""
from __future__ import annotations

from typing import Callable

from .deadlines import parse_deadline
from .indicators import Indicator, find_indicators, parse_indicators, split_sentences
from .model import Section, Table
from .tasks import CO_HEADER, LEAD_HEADER, TIME_HEADER, Task, extract_tasks, section_at

_SKIP_COLS = (LEAD_HEADER, CO_HEADER, TIME_HEADER)


def extract_facts(text: str, sections: list[Section], tables: list[Table],
                  breadcrumb: Callable[[int], list[str]]) -> tuple[list[Task], list[Indicator]]:
    tasks = extract_tasks(text, sections, tables)
    indicators = _body_indicators(text, tables) + _table_indicators(tables, tasks)
    for t in tasks:
        sec = section_at(sections, t.start)
        if t.table_index is not None:
            sec = next((s for s in sections if s.id == tables[t.table_index].section_id), sec)
        if sec:
            t.section_id, t.breadcrumb = sec.id, " › ".join(breadcrumb(sec.id))
    for ind in indicators:
        if ind.section_id is None:
            sec = section_at(sections, ind.start)
            ind.section_id = sec.id if sec else None
        if ind.section_id is not None and not ind.breadcrumb:
            ind.breadcrumb = " › ".join(breadcrumb(ind.section_id))
        if ind.task_index is None:
            ind.task_index = next((i for i, t in enumerate(tasks)
                                   if t.table_index is None and t.start <= ind.start < t.end), None)
        if ind.task_index is not None and not ind.units_responsible:
            ind.units_responsible = list(tasks[ind.task_index].lead)
    return tasks, indicators


def _body_indicators(text: str, tables: list[Table]) -> list[Indicator]:
    out: list[Indicator] = []
    pos = 0
    for t in sorted(tables, key=lambda t: t.start):
        out.extend(find_indicators(text[pos:t.start], pos))
        pos = max(pos, t.end)
    out.extend(find_indicators(text[pos:], pos))
    return out


def _table_indicators(tables: list[Table], tasks: list[Task]) -> list[Indicator]:
    out: list[Indicator] = []
    task_of = {(t.table_index, t.row_index): i for i, t in enumerate(tasks) if t.table_index is not None}
    for ti, t in enumerate(tables):
        cols = [h for h in t.headers if not any(x.search(h) for x in _SKIP_COLS)]
        time_col = next((h for h in t.headers if TIME_HEADER.search(h)), None)
        for r in t.rows:
            row_due = parse_deadline(r.cells.get(time_col, "")) if time_col else None
            for h in cols:
                for _, sent in split_sentences(r.cells.get(h, "")):
                    for ind in parse_indicators(sent, r.start):
                        if not ind.due and row_due and row_due.due:
                            ind.target, ind.due = row_due.raw, row_due.due
                        ind.end = r.end
                        ind.section_id = t.section_id
                        ind.task_index = task_of.get((ti, r.index))
                        ind.table_index = ti
                        out.append(ind)
    return out
