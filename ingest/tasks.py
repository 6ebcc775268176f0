"""Tasks: who leads, who cooperates, by when. Read from four shapes of text:

- table rows with unit columns (牵头单位 / 配合单位 / 责任单位 / 主责单位 / 协办单位 …) and a time column;
- ``牵头单位：… 配合单位：…`` lines after a task paragraph or a bare task heading (they belong to it;
  also ``【牵头单位】…``, ``牵头：…`` and several roles on one line);
- bracketed notes closing a task: ``（牵头单位：区绿化市容局；配合单位：区规划资源局）``,
  ``（责任单位：…）``, ``（生态环境部牵头，国家发展改革委参与）``, ``（A、B等负责）`` (first listed leads);
- duty lines: ``（一）区发展改革委：负责公园绿地等建设项目的审批…``.

Example:
    >>> tasks = extract_tasks(doc.text, doc.sections, doc.tables)
    >>> tasks[0].lead, tasks[0].co, tasks[0].deadline.due
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .deadlines import Deadline, find_deadline, parse_deadline
from .markers import match_marker
from .model import Section, Table
from .units import looks_like_unit, split_units

LEAD_HEADER = re.compile(r"牵头|责任单位|责任部门|主责|负责单位|负责部门|承办单位|实施单位|主办")
CO_HEADER = re.compile(r"配合|协办|协同|参与")
TIME_HEADER = re.compile(r"完成时间|完成时限|时间节点|时限|进度|完成期限|时间安排|时间")
NAME_HEADER = re.compile(r"任务名称|任务类型|项目名称|重点任务|工作任务|任务类别|名称|类别|领域")
CONTENT_HEADER = re.compile(r"任务内容|重点内容|工作内容|具体内容|建设内容|主要内容|工作措施|具体措施|具体任务|内容|措施|任务")
_PLAN_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*[）)]?\s*(?:度)?\s*(?:重点)?(?:任务|工作|行动|项目)")

# "牵头单位：区园林绿化局、区生态环境局" as a line of its own; also "【牵头单位】…", "牵头：…", and several
# roles on one line ("牵头单位：A  配合单位：B").
_ROLE_WORDS = (r"牵头单位|牵头部门|责任单位|责任部门|主责单位|主责部门|配合单位|配合部门|协办单位|参与单位|"
               r"完成时间|完成时限|时间节点|完成期限")
_ROLE_LINE = re.compile(rf"^\s*(?:[【\[]\s*({_ROLE_WORDS}|牵头|配合|责任)\s*[】\]]\s*[：:]?|({_ROLE_WORDS}|牵头|配合)\s*[：:])"
                        r"\s*(.*?)\s*$")
_ROLE_SPLIT = re.compile(rf"[；;，,。\s]+(?=[【\[]?(?:{_ROLE_WORDS})[】\]]?\s*[：:】\]])")


def role_segments(line: str) -> list[tuple[str, str]]:
    """(role word, value) of a role line, several when one line names several roles; [] otherwise."""
    out = []
    for part in _ROLE_SPLIT.split(line.strip()):
        m = _ROLE_LINE.match(part)
        if not m:
            return out if out else []
        out.append((m.group(1) or m.group(2), m.group(3).strip().rstrip("。；;")))
    return out


# A closing note, full- or half-width brackets.
_NOTE = re.compile(r"[（(]([^（）()]{2,200}?)[）)]")
_NOTE_ROLE = re.compile(r"(牵头单位|牵头部门|责任单位|责任部门|主责单位|配合单位|配合部门|协办单位|参与单位)\s*[：:]\s*")
_NOTE_VERB = re.compile(r"^(?P<lead>[^，,；;。]+?)(?:牵头负责|牵头|负责|指导)(?:[，,；;]\s*(?P<co>[^，,；;。]+?)(?:配合|参与|协助|协办))?"
                        r"(?:[。．.，,；;].*)?$")
_DUTY = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.．])?\s*(?P<unit>[^：:，,。；\s]{3,24})[：:]"
                   r"\s*(?P<body>(?:牵头|负责|主要负责|统筹).+)$")


@dataclass
class Task:
    name: str
    content: str
    lead: list[str]
    co: list[str]
    deadline: Deadline
    source: str                       # table | lines | note | duty
    start: int                        # span of the task in the document text
    end: int
    plan_year: int | None = None
    section_id: int | None = None
    breadcrumb: str = ""
    table_index: int | None = None
    row_index: int | None = None
    role_text: str = ""               # the words the units were given with: 牵头单位, 责任单位, 负责, 指导 …


def _strip_marker(title: str) -> str:
    m = match_marker(title)
    return title[m.end:].strip() if m else title.strip()


def _first_sentence(text: str, limit: int = 40) -> str:
    s = re.split(r"[。；;\n]", text.strip(), maxsplit=1)[0]
    s = _strip_marker(s)
    return s if len(s) <= limit else s[:limit] + "…"


def _deadline_in(text: str) -> Deadline:
    """The explicit deadline a paragraph names ("2019年6月底前"), or none."""
    return find_deadline(text) or parse_deadline("")


def _cols(headers: list[str], rx: re.Pattern, exclude: tuple[re.Pattern, ...] = ()) -> list[str]:
    return [h for h in headers if rx.search(h) and not any(x.search(h) for x in exclude)]


def extract_tasks(text: str, sections: list[Section], tables: list[Table]) -> list[Task]:
    tasks = _table_tasks(tables) + _body_tasks(text, sections, tables)
    _resplit_units(tasks)
    tasks.sort(key=lambda t: (t.start, t.row_index or 0))
    return tasks


# --- tables ---------------------------------------------------------------------------------
def _table_tasks(tables: list[Table]) -> list[Task]:
    out: list[Task] = []
    for ti, t in enumerate(tables):
        lead_cols = _cols(t.headers, LEAD_HEADER, (CO_HEADER,))
        co_cols = _cols(t.headers, CO_HEADER)
        if not lead_cols and not co_cols:
            continue
        time_cols = _cols(t.headers, TIME_HEADER)
        name_cols = _cols(t.headers, NAME_HEADER, (LEAD_HEADER, CO_HEADER, TIME_HEADER))
        # a task column names the task better than a category column (任务类别 / 领域) beside it
        name_cols.sort(key=lambda h: not re.search(r"任务|项目|名称", h) or bool(re.search(r"类别|类型|领域", h)))
        content_cols = [h for h in _cols(t.headers, CONTENT_HEADER, (LEAD_HEADER, CO_HEADER, TIME_HEADER))
                        if h not in name_cols]
        py = _PLAN_YEAR.search(t.caption)
        for r in t.rows:
            c = r.cells
            content = "".join(c.get(h, "") for h in content_cols).strip()
            lead_raw = "、".join(x for x in (c.get(h, "") for h in lead_cols) if x)
            co_raw = "、".join(x for x in (c.get(h, "") for h in co_cols) if x)
            raw_name = c.get(name_cols[0], "") if name_cols else ""
            if not (content or raw_name) or not (lead_raw or co_raw):
                continue
            name = _strip_marker(raw_name)
            deadline = parse_deadline(c.get(time_cols[0], "")) if time_cols else _deadline_in(content)
            out.append(Task(name=name or _first_sentence(content), content=content or name,
                            lead=split_units(lead_raw), co=split_units(co_raw), deadline=deadline, source="table",
                            start=r.start, end=r.end, plan_year=int(py.group(1)) if py else None,
                            table_index=ti, row_index=r.index, role_text="/".join(lead_cols + co_cols)))
    return out


# --- body text ------------------------------------------------------------------------------
def _body_tasks(text: str, sections: list[Section], tables: list[Table]) -> list[Task]:
    spans = [(t.start, t.end) for t in tables]
    out: list[Task] = []
    # Paragraph lines that belong to the current task, with their offsets.
    pending: list[tuple[int, str]] = []
    roles: dict[str, str] = {}
    role_end = 0
    last_heading: tuple[int, str] | None = None   # a bare heading right above: the task a role line closes

    def owner_title(sec: Section | None) -> str:
        return _strip_marker(sec.title) if sec and sec.marker not in ("root", "table") else ""

    def flush() -> None:
        nonlocal pending, roles
        if roles and pending:
            start = pending[0][0]
            content = "\n".join(s for _, s in pending)
            sec = section_at(sections, start)
            body = content
            if match_marker(pending[0][1]) and sec and sec.start == start:
                # the heading line carries the body: "1.厚植生态本底…。全面提升…"
                body = text[sec.heading_end:start + len(pending[0][1])].lstrip("。．.：: ") + content[len(pending[0][1]):]
            dl = parse_deadline(roles["time"]) if roles.get("time") else _deadline_in(content)
            out.append(Task(name=owner_title(sec) or _first_sentence(content), content=body.strip() or _strip_marker(content),
                            lead=split_units(roles.get("lead", "")), co=split_units(roles.get("co", "")), deadline=dl,
                            source="lines", start=start, end=role_end, role_text=roles.get("role_text", "")))
        pending, roles = [], {}

    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if any(a <= start < b for a, b in spans):
            flush()
            continue
        if not line.strip():
            continue
        nm = re.fullmatch(r"\s*[（(]([^（）()]+)[）)]\s*", line)
        note = _parse_note(nm.group(1)) if nm and pending else None
        if note:
            # a note on a line of its own closes the paragraph(s) above it
            roles.update(lead=note[0], co=note[1], role_text=note[2])
            role_end = start + len(line)
            continue
        segs = role_segments(line)
        if segs and not pending and last_heading is not None:
            pending = [last_heading]      # "（一）建设口袋公园" then "牵头单位：…": the heading is the task
        if segs and pending:
            for word, value in segs:
                if word.startswith(("配合", "协办", "参与")):
                    roles["co"] = value
                elif word.startswith(("完成", "时间")):
                    roles["time"] = value
                else:
                    roles["lead"] = value
                roles["role_text"] = "/".join(x for x in (roles.get("role_text"), word) if x)
            role_end = start + len(line)
            last_heading = None
            continue
        if roles:
            flush()
        sec = section_at(sections, start)
        heading_line = bool(sec) and sec.start == start
        if heading_line and sec.marker not in ("root", "table"):
            pending = []          # a new heading starts a new task candidate
        out.extend(_note_tasks(line, start, owner_title(sec) if heading_line else ""))
        duty = _duty_task(line, start)
        if duty:
            out.append(duty)
        if len(line) > 40 or not _is_bare_heading(line):
            pending.append((start, line))
            last_heading = None
        else:
            last_heading = (start, line) if heading_line else None
    flush()
    return out


def _is_bare_heading(line: str) -> bool:
    m = match_marker(line)
    return bool(m) and not re.search(r"[。；]", line[m.end:].rstrip("。"))


def section_at(sections: list[Section], pos: int) -> Section | None:
    best = None
    for s in sections:
        if s.start <= pos < s.end and (best is None or s.level >= best.level):
            best = s
    return best


def _parse_note(inner: str) -> tuple[str, str, str] | None:
    """(lead text, co text, role words) of a bracketed note, or None if it is not a note naming units."""
    parsed = _read_note(inner.strip())
    if not parsed:
        return None
    units = split_units(parsed[0]) + split_units(parsed[1])
    return parsed if units and all(looks_like_unit(u) for u in units) else None


def _read_note(inner: str) -> tuple[str, str, str] | None:
    if _NOTE_ROLE.search(inner):
        lead, co, words = [], [], []
        for part in re.split(r"[；;]|[，,](?=\s*(?:牵头|责任|主责|配合|协办|参与)(?:单位|部门))", inner):
            m = _NOTE_ROLE.search(part)
            if not m:
                continue
            words.append(m.group(1))
            (co if m.group(1).startswith(("配合", "协办", "参与")) else lead).append(part[m.end():])
        return "、".join(lead), "、".join(co), "/".join(words)
    m = _NOTE_VERB.match(inner)
    if m:
        lead_units = split_units(m.group("lead"))
        if not lead_units or not all(looks_like_unit(u) for u in lead_units):
            return None
        verb = re.search(r"牵头负责|牵头|负责|指导", inner).group(0)
        co = m.group("co") or ""
        if verb in ("负责", "指导") and not co and len(lead_units) > 1:
            # "（A、B等负责）": the first listed unit leads, the others cooperate.
            return lead_units[0], "、".join(lead_units[1:]), verb
        return "、".join(lead_units), co, verb + ("/参与" if co else "")
    return None


def _note_tasks(line: str, line_start: int, title: str) -> list[Task]:
    out: list[Task] = []
    seg_start = 0
    head = match_marker(line)
    if head:
        seg_start = head.end
    for m in _NOTE.finditer(line):
        parsed = _parse_note(m.group(1))
        if not parsed:
            continue
        lead_raw, co_raw, words = parsed
        lead, co = split_units(lead_raw), split_units(co_raw)
        content = line[seg_start:m.start()].strip().lstrip("。；;，, ")
        if not content:
            continue
        first = out == [] and seg_start == (head.end if head else 0)
        name = title if first and title else _first_sentence(content)
        out.append(Task(name=name, content=content, lead=lead, co=co, deadline=_deadline_in(content), source="note",
                        start=line_start + seg_start, end=line_start + m.end(), role_text=words))
        seg_start = m.end()
    return out


def _duty_task(line: str, start: int) -> Task | None:
    m = _DUTY.match(line)
    if not m:
        return None
    units = split_units(m.group("unit"))
    if len(units) != 1 or not looks_like_unit(units[0]) or units[0].endswith(("镇", "街")):
        return None
    body = m.group("body").strip()
    return Task(name=_first_sentence(body), content=body, lead=units, co=[], deadline=_deadline_in(body),
                source="duty", start=start, end=start + len(line), role_text="负责")


def _resplit_units(tasks: list[Task]) -> None:
    """Cut glued names ("区市场监管局区商务局") at names listed separately elsewhere in the document."""
    known = {u for t in tasks for u in t.lead + t.co if len(u) <= 12}
    for t in tasks:
        t.lead = split_units("、".join(t.lead), known)
        t.co = [u for u in split_units("、".join(t.co), known) if u not in t.lead]
