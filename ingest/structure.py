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

    _close_spans(sections, len(text))
    return tree


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
