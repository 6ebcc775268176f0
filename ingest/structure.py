"""Section tree of a Chinese official document, built from heading markers.

Nesting follows the order in which marker kinds appear (a document may go 一、 → 1. directly), so
no fixed level table is assumed. A numbered marker is a heading only if its number continues the
sequence of its kind (or restarts at 1), which keeps numbered sentences and dates out of the tree.
Tables become sections of their own: attachments (任务分解表, 附表 …) at the top level, in-text
tables (表2 …) under the section they appear in.

Example:
    >>> tree = build_sections(text, title="某区行动计划", tables=find_tables(text))
    >>> [s.title for s in tree.sections][:3]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .markers import heading_marker, heading_title, match_marker
from .model import Section
from .tables import TableSpan

_ATTACHMENT_LABEL = re.compile(r"^附件\s*[\d一二三四五六七八九十]*\s*[：:]?$")
_ATTACHMENT = re.compile(r"附件|附表|任务分解|分工|一览表|清单|考核指标|评价指标|指标体系")


@dataclass
class SectionTree:
    sections: list[Section]
    # (start, end, section_id) for every body line outside tables, in document order
    lines: list[tuple[int, int, int]] = field(default_factory=list)
    # table index -> section id
    table_sections: dict[int, int] = field(default_factory=dict)


def build_sections(text: str, title: str, tables: list[TableSpan] | None = None) -> SectionTree:
    tables = sorted(tables or [], key=lambda t: t.region_start)
    root = Section(id=0, title=title or "（无标题）", level=0, marker="root", start=0, end=len(text), parent=None)
    sections = [root]
    stack: list[tuple[str, int, Section]] = [("root", 0, root)]   # (kind, number, section)
    last_number: dict[str, int] = {}
    tree = SectionTree(sections=sections)
    title_key = re.sub(r"\s", "", title or "")

    regions = RegionCursor([((t.caption_start if t.caption_start is not None else t.region_start), t.region_end, k)
                            for k, t in enumerate(tables)])
    pending_attachment: Section | None = None
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        region = regions.at(start, end)
        if region is not None:
            k = region[2]
            if k not in tree.table_sections:
                span = tables[k]
                attach = bool(_ATTACHMENT.search(span.table.caption)) or not span.table.caption
                parent = root if attach else stack[-1][2]
                sec = _new(sections, span.table.caption or f"表格{k + 1}", parent, "table", region[0])
                sec.end = region[1]
                sec.heading_end = region[0]
                span.table.section_id = sec.id
                tree.table_sections[k] = sec.id
                if attach:
                    del stack[1:]
            continue
        s = line.strip()
        if not s:
            continue
        if pending_attachment is not None:
            # the line after "附件2" is the attachment's title
            if len(s) <= 60 and "。" not in s and not match_marker(s):
                pending_attachment.title = f"{pending_attachment.title} {s}"
                tree.lines.append((start, end, pending_attachment.id))
                pending_attachment = None
                continue
            pending_attachment = None
        if _ATTACHMENT_LABEL.match(s) and len(sections) > 1:
            # an attachment is a document of its own: its numbering restarts under the root
            sec = _new(sections, s.rstrip("：:"), root, "attachment", start)
            sec.heading_end = end
            del stack[1:]
            stack.append(("attachment", 0, sec))
            last_number.clear()
            pending_attachment = sec
            tree.lines.append((start, end, sec.id))
            continue
        marker = heading_marker(s)
        if marker and marker.kind.startswith("md") and re.sub(r"[\s#]", "", s) == title_key:
            marker = None                      # the Markdown title repeats the document title
        if marker and _accept(marker, stack, last_number):
            head, inline = heading_title(s, marker)
            # a numbered kind already open: close it and everything under it (new sibling)
            _pop_to(stack, marker.kind)
            parent = stack[-1][2]
            sec = _new(sections, head, parent, marker.kind, start)
            sec.heading_end = end if not inline else start + line.index(head[:1]) + len(head)
            stack.append((marker.kind, marker.number, sec))
            last_number[marker.kind] = marker.number
            tree.lines.append((start, end, sec.id))
            continue
        if stack[-1][0] == "shi":
            stack.pop()                        # 一是/二是 items are one paragraph each
        tree.lines.append((start, end, stack[-1][2].id))

    _add_clauses(text, tree, tables)
    _close_spans(tree.sections, len(text))
    return tree


_PARAGRAPH_END = re.compile(r"[。！？][”’）)]*\s*$")   # a line ending otherwise runs on (a wrapped line, "下列：")


def _add_clauses(text: str, tree: SectionTree, tables: list[TableSpan]) -> None:
    """款: the paragraphs of an article (第X条) with two or more become its children "第一款", "第二款" …,
    each holding its 项 ((一) …). The first 款 starts on the article's own line; every later line
    that is not an item and follows a finished sentence (。！？) starts the next one. Section ids are renumbered in document order."""
    sections = tree.sections
    kids: dict[int, list[Section]] = {}
    for sec in sections:
        if sec.parent is not None:
            kids.setdefault(sec.parent, []).append(sec)
    by_id = {sec.id: sec for sec in sections}
    article_of: dict[int, int] = {}                  # section id -> the article it lies in
    for sec in sections:
        if sec.marker == "tiao":
            todo = [sec.id]
            while todo:
                sid = todo.pop()
                article_of[sid] = sec.id
                todo.extend(k.id for k in kids.get(sid, []) if k.marker != "tiao")
    paragraphs: dict[int, list[int]] = {}            # article id -> indexes into tree.lines that open a 款
    prev_text: dict[int, str] = {}
    for n, (start, end, sid) in enumerate(tree.lines):
        art = article_of.get(sid)
        if art is None:
            continue
        line = text[start:end].strip()
        sec = by_id[sid]
        heading_line = start == sec.start
        if sid == art and heading_line:
            paragraphs[art] = [n]
        elif not heading_line and art in paragraphs and _PARAGRAPH_END.search(prev_text.get(art, "")):
            paragraphs[art].append(n)
        prev_text[art] = line
    new_id = len(sections)
    for art, opens in paragraphs.items():
        if len(opens) < 2 or tree.lines[opens[0]][0] != by_id[art].start:
            continue
        a = by_id[art]
        clauses = []
        for j, n in enumerate(opens, 1):
            start = tree.lines[n][0]
            c = Section(id=new_id, title=f"第{_cn_number(j)}款", level=a.level + 1, marker="kuan",
                        start=start, end=start, parent=a.id, heading_end=start)
            new_id += 1
            clauses.append(c)
            sections.append(c)
        starts = [c.start for c in clauses]

        def clause_at(offset: int) -> Section:
            k = max(i for i, s0 in enumerate(starts) if s0 <= offset) if offset >= starts[0] else 0
            return clauses[k]
        for child in kids.get(a.id, []):             # items and tables go under the 款 they are in
            child.parent = clause_at(child.start).id
            _deepen(child, kids)
        open_set = set(opens)
        for n, (start, end, sid) in enumerate(tree.lines):
            if sid == a.id or n in open_set:
                tree.lines[n] = (start, end, clause_at(start).id)
    if new_id == len(by_id):
        return
    order = sorted(sections, key=lambda x: (x.start, x.level, x.id))
    remap = {sec.id: i for i, sec in enumerate(order)}
    for sec in order:
        sec.id = remap[sec.id]
        sec.parent = remap[sec.parent] if sec.parent is not None else None
    sections[:] = order
    tree.lines = [(a0, b0, remap[sid]) for a0, b0, sid in tree.lines]
    tree.table_sections = {k: remap[v] for k, v in tree.table_sections.items()}
    for k, v in tree.table_sections.items():
        tables[k].table.section_id = v


def _deepen(sec: Section, kids: dict[int, list[Section]]) -> None:
    todo = [sec]
    while todo:
        s = todo.pop()
        s.level += 1
        todo.extend(kids.get(s.id, []))


def _cn_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def article_owner(sections: list[Section]) -> dict[int, int]:
    """Section id -> the id chunks and outlines use for it: a 款 counts as its article (an article's
    paragraphs are packed and outlined together, as before 款 were nodes); others map to themselves."""
    return {s.id: (s.parent if s.marker == "kuan" and s.parent is not None else s.id) for s in sections}


def _accept(marker, stack, last_number) -> bool:
    if marker.kind.startswith("md"):
        return True
    n = marker.number
    if n == 1:
        return True
    open_numbers = [num for kind, num, _ in stack if kind == marker.kind]
    if open_numbers and n == open_numbers[-1] + 1:
        return True
    return n == last_number.get(marker.kind, -10) + 1


def _pop_to(stack, kind: str) -> None:
    kinds = [k for k, _, _ in stack]
    if kind.startswith("md"):
        level = int(kind[2:])
        while len(stack) > 1 and not (stack[-1][0].startswith("md") and int(stack[-1][0][2:]) < level):
            stack.pop()
        return
    if kind in kinds:
        idx = len(kinds) - 1 - kinds[::-1].index(kind)
        del stack[idx:]


def _new(sections: list[Section], title: str, parent: Section, kind: str, start: int) -> Section:
    sec = Section(id=len(sections), title=title, level=parent.level + 1, marker=kind,
                  start=start, end=start, parent=parent.id)
    sections.append(sec)
    return sec


def _close_spans(sections: list[Section], text_end: int) -> None:
    """A section runs until the next section that is not inside it (tables keep their own span).

    One pass with a stack of open sections (levels increase from bottom to top): each new section
    closes the open ones of its level or deeper. Linear in the number of sections.
    """
    open_: list[Section] = []
    for nxt in sections[1:]:
        while open_ and open_[-1].level >= nxt.level and nxt.start > open_[-1].start:
            open_.pop().end = nxt.start
        if nxt.marker != "table":
            open_.append(nxt)
    for sec in open_:
        sec.end = text_end


class RegionCursor:
    """The table region holding a line, for lines visited in increasing order of start.

    Same answer as the first region (in the given order) with ``r0 <= start < r1`` or
    ``r0 <= start and end <= r1``, but regions are taken in by start and dropped once passed, so a
    document's lines cost O(lines + regions) instead of O(lines x regions).

    Example:
        >>> cur = RegionCursor([(10, 20, 0)])
        >>> cur.at(0, 5), cur.at(12, 15), cur.at(25, 30)
        (None, (10, 20, 0), None)
    """

    def __init__(self, regions: list[tuple[int, int, int]]):
        self.regions = list(regions)
        # indexes by region start, latest first, so that pop() gives the next region to open
        self.pending = sorted(range(len(self.regions)), key=lambda i: self.regions[i][0], reverse=True)
        self.active: list[int] = []
        self.last = -1

    def at(self, start: int, end: int) -> tuple[int, int, int] | None:
        if start < self.last:
            raise ValueError("RegionCursor needs lines in increasing order")
        self.last = start
        rs = self.regions
        while self.pending and rs[self.pending[-1]][0] <= start:
            self.active.append(self.pending.pop())
        # a region stays while a later line may still fall in it (start <= r1)
        self.active = [i for i in self.active if start <= rs[i][1]]
        hits = [i for i in self.active if start < rs[i][1] or end <= rs[i][1]]
        return rs[min(hits)] if hits else None
