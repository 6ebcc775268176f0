"""Table recovery from normalised text.

Three layouts are recognised:
- tab cells (Word's plain-text export, and our .docx loader): every cell starts with a tab on its
  own line, continuation lines follow without a tab, rows may spill over blank lines; a line with a
  space before the tab starts a row whose leading (merged) cells are missing.
- Markdown pipe tables (``| a | b |`` with a ``|---|`` separator line).
- cell streams: cells separated by lone ``|`` lines, or by blank lines after a ``表N …`` caption.
  Rows are rebuilt from the header width and a numbered key column (序号, "1.…").

Blank cells in grouping columns (任务名称 …) and cells missing because of vertical merges are
carried down from the row above. Rows with nothing but a 序号 are dropped.

Example:
    >>> tables = find_tables(text)
    >>> tables[0].rows[0].cells["牵头单位"]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .markers import is_heading_only, match_marker
from .model import Table, TableRow

_NO_CARRY = re.compile(r"牵头|配合|责任|主责|协办|时间|时限|完成|备注|序号|编号|编码|代码|内容|说明|目标值|数值")
_CARRY = re.compile(r"任务名称|名称|类别|类型|领域|分类|一级|二级|板块|方面|任务$|重点任务|项目类型")
_SEQ_HEADER = re.compile(r"^(序号|编号|序)$")
_CAPTION_HINT = re.compile(r"表|清单|附件|指标|目录|一览")
_TABLE_CAPTION = re.compile(r"^(?:附件[\d一二三四五六七八九十]*[：:]?\s*)?(?:附?表\s*\d+|.{2,60}(?:任务分解表|分工表|清单|一览表|计划表|任务表|指标表))")


# A cell whose lines all end like unit names is a list of units, one per line.
_ORG_END = re.compile(r"(局|委|办|处|镇|街|部|中心|院|会|所|站|公司|集团|政府|单位|分局|镇街|街道|景区|区|等)[、，]?$")


@dataclass
class _Cell:
    lines: list[str]
    start: int
    end: int
    row_start: bool = False   # ' \t' prefix: a row whose merged leading cells are left out

    @property
    def text(self) -> str:
        parts = [ln.strip() for ln in self.lines if ln.strip()]
        if not parts:
            return ""
        if len(parts) > 1 and all(_ORG_END.search(p) for p in parts):
            joined = []
            for p in parts:   # "区水务局、" + "区交通委" -> no doubled 、
                joined.append(p if not joined or joined[-1].endswith(("、", "，")) else "、" + p)
            return "".join(joined)
        return "".join(parts)


@dataclass
class _Line:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class TableSpan:
    """Where a table sits in the text: caption lines (if any) through its last cell."""
    table: Table
    region_start: int
    region_end: int
    caption_start: int | None = None


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for t in text.split("\n"):
        out.append(_Line(t, pos))
        pos += len(t) + 1
    return out


def _is_tab_cell(t: str) -> bool:
    return bool(re.match(r"^ ?\t", t))


def find_tables(text: str) -> list[TableSpan]:
    lines = _lines(text)
    spans: list[TableSpan] = []
    i = 0
    while i < len(lines):
        t = lines[i].text
        found: tuple[TableSpan | None, int] | None = None
        if _is_tab_cell(t):
            found = _tab_table(lines, i)
        elif t.startswith("|") and i + 1 < len(lines) and re.match(r"^\|?\s*:?-{2,}", lines[i + 1].text):
            found = _gfm_table(lines, i)
        elif t.strip() == "|":
            found = _pipe_stream_table(lines, i)
        elif (_TABLE_CAPTION.match(t.strip()) and len(t.strip()) <= 80 and not t.strip().endswith("。")
              and not (i + 1 < len(lines) and _is_tab_cell(lines[i + 1].text))):
            found = _blank_stream_table(lines, i)
        if found and found[0] is not None:
            spans.append(found[0])
            i = found[1]
        else:
            i += 1
    return spans


# --- caption ------------------------------------------------------------------

def _caption_before(lines: list[_Line], i: int) -> tuple[str, int | None]:
    """Up to three non-blank lines directly above line i, if they read like a caption."""
    parts: list[_Line] = []
    j = i - 1
    while j >= 0 and lines[j].text.strip() and len(parts) < 3:
        prev = lines[j].text.strip()
        if _is_tab_cell(lines[j].text) or prev == "|" or prev.endswith(("。", "；", "：")):
            break
        parts.insert(0, lines[j])
        j -= 1
    if j >= 0 and lines[j].text.strip() and len(parts) == 3:
        parts = parts[1:]        # a long run of text above: only the nearest lines can be the caption
    text = "".join(p.text.strip() for p in parts)
    if not parts or len(text) > 100 or text.endswith(("。", "；")) or match_marker(text) and not _CAPTION_HINT.search(text):
        return "", None
    return text, parts[0].start


# --- tab-cell tables ------------------------------------------------------------

def _tab_table(lines: list[_Line], i: int) -> tuple[TableSpan | None, int]:
    cells: list[_Cell] = []
    blank_since_cell = False
    header_n = 0
    j = i
    while j < len(lines):
        t = lines[j].text
        if _is_tab_cell(t):
            body = t.split("\t", 1)[1]
            cells.append(_Cell([body], lines[j].start + t.index("\t") + 1, lines[j].end,
                               row_start=t.startswith(" ") and bool(cells)))
            blank_since_cell = False
        elif not t.strip() or t == "\f":
            if not header_n and cells:
                header_n = len(cells)
            blank_since_cell = True
        elif cells and not blank_since_cell:
            cells[-1].lines.append(t)
            cells[-1].end = lines[j].end
        else:
            break
        j += 1
    header_n = header_n or len(cells)
    if header_n < 2 or len(cells) <= header_n:
        return None, i + 1
    headers = [c.text or f"列{k + 1}" for k, c in enumerate(cells[:header_n])]
    raw_rows: list[list[_Cell | None]] = []
    cur: list[_Cell] = []
    for c in cells[header_n:]:
        if cur and (c.row_start or len(cur) == header_n):
            raw_rows.append(_right_align(cur, header_n))
            cur = []
        cur.append(c)
    if cur:
        raw_rows.append(_right_align(cur, header_n))
    caption, cap_start = _caption_before(lines, i)
    table = _build_table(caption, headers, raw_rows)
    end = cells[-1].end
    return TableSpan(table, cells[0].start - 1, end, cap_start), j


def _right_align(cells: list, n: int) -> list:
    """Cells missing at the start of a short row belong to merged cells of the rows above."""
    if len(cells) >= n:
        return cells[:n]
    return [None] * (n - len(cells)) + cells


def _build_table(caption: str, headers: list[str], raw_rows: list[list[_Cell | None]]) -> Table:
    n = len(headers)
    carry_cols = {k for k, h in enumerate(headers) if _CARRY.search(h) and not _NO_CARRY.search(h)}
    seq_cols = {k for k, h in enumerate(headers) if _SEQ_HEADER.match(h)}
    rows: list[TableRow] = []
    prev: list[str] = [""] * n
    for raw in raw_rows:
        values: list[str] = []
        for k in range(n):
            c = raw[k]
            if c is None:                              # merged with the row above
                values.append(prev[k] if k not in seq_cols else "")
            elif not c.text and k in carry_cols:        # blank grouping cell: same group as above
                values.append(prev[k])
            else:
                values.append(c.text)
        present = [c for c in raw if c is not None]
        own = [c.text for k, c in enumerate(raw) if c is not None and k not in seq_cols and c.text]
        if not own:
            continue                                   # an empty row that only has a 序号
        start, end = present[0].start, present[-1].end
        rows.append(TableRow(cells=dict(zip(headers, values)), start=start, end=end, index=len(rows)))
        prev = values
    start = rows[0].start if rows else 0
    end = rows[-1].end if rows else 0
    return Table(caption=caption, headers=headers, rows=rows, start=start, end=end)


# --- Markdown pipe tables -------------------------------------------------------

def _split_pipe(t: str) -> list[str]:
    t = t.strip()
    if t.startswith("|"):
        t = t[1:]
    if t.endswith("|"):
        t = t[:-1]
    return [c.strip().replace("<br>", "\n") for c in re.split(r"(?<!\\)\|", t)]


def _gfm_table(lines: list[_Line], i: int) -> tuple[TableSpan | None, int]:
    headers = [h or f"列{k + 1}" for k, h in enumerate(_split_pipe(lines[i].text))]
    j = i + 2
    raw_rows = []
    while j < len(lines) and lines[j].text.strip().startswith("|"):
        vals = _split_pipe(lines[j].text)
        vals = (vals + [""] * len(headers))[: len(headers)]
        ln = lines[j]
        raw_rows.append([_Cell([v], ln.start, ln.end) for v in vals])
        j += 1
    if not raw_rows:
        return None, i + 1
    caption, cap_start = _caption_before(lines, i)
    return TableSpan(_build_table(caption, headers, raw_rows), lines[i].start, lines[j - 1].end, cap_start), j


# --- cell streams (| separators, or blank lines under a 表N caption) ------------

_KEY = re.compile(r"^(\d{1,3})(?:[.．、](?!\d)|\s|$)")


def _stream_rows(cells: list[_Cell]) -> tuple[list[str], list[list[_Cell | None]]] | None:
    """Rebuild rows from a flat list of cells: header = leading short label cells; rows are anchored
    on a numbered key column, or, failing that, cut at the header width."""
    h = 0
    while h < len(cells) and _header_like(cells[h].text):
        h += 1
    if h < 2:
        return None
    data = cells[h:]
    keys = _key_positions(data)
    if len(keys) >= 2:
        gaps = [b - a for a, b in zip(keys, keys[1:])]
        trailing = min(gaps) - 1
        k = h - 1 - trailing
        seq = [x for x, c in enumerate(cells[:h]) if _SEQ_HEADER.match(c.text)]
        if k < 0 or (seq and seq[0] != k):
            return None
        headers = [c.text for c in cells[:h]]
        rows = []
        leading_from = 0
        for idx, pos in enumerate(keys):
            lead = data[leading_from:pos][-k:] if k else []
            row = [None] * (k - len(lead)) + lead + data[pos:pos + trailing + 1]
            row = (row + [None] * h)[:h]
            rows.append(row)
            leading_from = pos + trailing + 1
        return headers, rows
    # No key column: choose the width (<= header cells) that makes columns most regular.
    best = None
    for n in range(2, h + 1):
        body = cells[n:]
        if not body or len(body) % n:
            continue
        cols = [[len(c.text) > 20 for c in body[k::n]] for k in range(n)]
        score = sum(max(col.count(True), col.count(False)) for col in cols) / len(body)
        if best is None or score > best[0] + 1e-9:
            best = (score, n)
    if not best or best[0] < 0.9:
        return None
    n = best[1]
    headers = [c.text for c in cells[:n]]
    body = cells[n:]
    if all(_header_like(c.text) for c in body[:n]):
        return None          # the header is wider than guessed (e.g. two header rows): give up
    return headers, [body[r:r + n] for r in range(0, len(body), n)]


def _header_like(t: str) -> bool:
    return 0 < len(t) <= 16 and not re.search(r"\d|[。；，,]", t) and not match_marker(t)


def _key_positions(data: list[_Cell]) -> list[int]:
    out, want = [], 1
    for p, c in enumerate(data):
        m = _KEY.match(c.text)
        if m and int(m.group(1)) == want:
            out.append(p)
            want += 1
    return out


def _pipe_stream_table(lines: list[_Line], i: int) -> tuple[TableSpan | None, int]:
    cells: list[_Cell] = []
    j = i
    while j < len(lines):
        t = lines[j].text
        if t.strip() == "|":
            cells.append(_Cell([], lines[j].end + 1, lines[j].end + 1))
        elif t.strip() and cells:
            if match_marker(t.strip()) and is_heading_only(t) and cells[-1].lines:
                break
            cells[-1].lines.append(t)
            cells[-1].end = lines[j].end
        elif not t.strip() and cells and cells[-1].lines:
            break
        j += 1
    cells = [c for c in cells if c.lines]
    return _stream_table(lines, i, cells, j)


def _blank_stream_table(lines: list[_Line], i: int) -> tuple[TableSpan | None, int]:
    caption = lines[i].text.strip()
    cells: list[_Cell] = []
    j = i + 1
    new_cell = True
    while j < len(lines):
        t = lines[j].text
        s = t.strip()
        if not s:
            new_cell = True
        else:
            if new_cell and (is_heading_only(s) or _TABLE_CAPTION.match(s) and cells):
                break
            if new_cell:
                cells.append(_Cell([t], lines[j].start, lines[j].end))
            else:
                cells[-1].lines.append(t)
                cells[-1].end = lines[j].end
            new_cell = False
        j += 1
    if len(cells) < 4:
        return None, i + 1
    span = _stream_table(lines, i, cells, j, caption=caption, caption_start=lines[i].start)
    if span[0] is None:
        return None, i + 1
    return span


def _stream_table(lines, i, cells, j, caption=None, caption_start=None):
    built = _stream_rows(cells) if cells else None
    if not built:
        return None, i + 1
    headers, rows = built
    if caption is None:
        caption, caption_start = _caption_before(lines, i)
    table = _build_table(caption, headers, rows)
    if not table.rows:
        return None, i + 1
    return TableSpan(table, cells[0].start, cells[-1].end, caption_start), j


def row_text(table: Table, row: TableRow) -> str:
    """A row as readable text: caption, then 'header：value' for every non-empty cell."""
    cells = "；".join(f"{h}：{v}" for h, v in row.cells.items() if v and not _SEQ_HEADER.match(h))
    return f"{table.caption}\n{cells}" if table.caption else cells


# --- grids from structured sources (PDF tables, spreadsheets, HTML, OFD) --------------

_NUMERIC_CELL = re.compile(r"^[\s\-－—+]*[\d,，.．%％]+(?:万元|元|亿元|万|人|个|项)?\s*$")


def grid_text(grid: list[list[str]], caption: str = "", header_rows: int | None = None) -> str:
    """A grid of cells (merged cells already filled in) as tab-cell text that ``find_tables`` reads
    back: header rows joined into one ("收入预算·合计"), one block per row, caption line above.

    Example:
        >>> grid_text([["任务", "牵头单位"], ["建设体验区", "区园林绿化局"]], caption="任务分解表")
        '任务分解表\\n\\t任务\\n\\t牵头单位\\n\\n\\t建设体验区\\n\\t区园林绿化局\\n\\n'
    """
    parts = grid_pages(grid, caption, header_rows)
    return parts[0][1] if parts else ""


def grid_pages(grid: list[list[str]], caption: str = "", header_rows: int | None = None,
               row_pages: list[int] | None = None) -> list[tuple[int, str]]:
    """Like ``grid_text`` for a table printed over several pages: ``row_pages`` gives each grid row's
    page; the text comes back per page, the header only on the first, so that each row keeps the
    page it is printed on (the table parser reads the rows on across the page break)."""
    pages = list(row_pages) if row_pages else [0] * len(grid)
    grid = [[_flat(c) for c in row] for row in grid]
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    # drop columns and rows that are empty everywhere
    keep = [k for k in range(width) if any(r[k] for r in grid)]
    rows = [([r[k] for k in keep], pg) for r, pg in zip(grid, pages)]
    rows = [(r, pg) for r, pg in rows if any(r)]
    banner: list[str] = []
    while len(rows) > 2 and len({c for c in rows[0][0] if c}) == 1 and len(rows[0][0]) > 1:
        banner.append(next(c for c in rows[0][0] if c))      # a title row spanning the table
        rows = rows[1:]
    if banner and not caption.strip():
        caption = "".join(banner)
    if not rows or len(rows[0][0]) < 2:
        return []
    n = max(header_rows if header_rows is not None else count_header_rows([r for r, _ in rows]), 1)
    headers = join_headers([r for r, _ in rows[:n]])
    body = rows[n:]
    if not body:
        return []
    out: list[tuple[int, list[str]]] = [(rows[0][1], ["\n".join("\t" + h for h in headers)])]
    for r, pg in body:
        if pg != out[-1][0]:
            out.append((pg, []))
        out[-1][1].append("\n".join("\t" + c for c in r))
    cap = caption.strip() + "\n" if caption.strip() else ""
    return [(pg, (cap if k == 0 else "") + "\n\n".join(blocks) + "\n\n") for k, (pg, blocks) in enumerate(out)]


def _flat(cell) -> str:
    s = "" if cell is None else str(cell)
    s = re.sub(r"(?<=[^\x00-\x7f])\s*\n\s*|\s*\n\s*(?=[^\x00-\x7f])", "", s.strip())
    s = s.replace("\n", " ")
    return re.sub(r"[\t\u3000 ]+", " ", s).strip()


def count_header_rows(grid: list[list[str]], limit: int = 4) -> int:
    """Leading rows that are labels: no numeric cell, and either the first row or a row under a
    header with merged (repeated) cells or blank cells."""
    n = 0
    for i, row in enumerate(grid[:limit]):
        if any(_NUMERIC_CELL.match(c) for c in row if c):
            break
        if i == 0:
            n = 1
            continue
        prev = grid[i - 1]
        merged_above = any(prev[k] == prev[k - 1] and prev[k] for k in range(1, len(prev))) or any(
            not c for c in prev) or any(row[k] == prev[k] and row[k] for k in range(len(row)))
        if not merged_above or sum(1 for c in row if len(c) > 20) > 0:
            break
        n = i + 1
    return max(n, 1)


def join_headers(rows: list[list[str]]) -> list[str]:
    """One header per column from several header rows: distinct labels top-down joined with '·',
    made unique."""
    width = len(rows[0])
    out: list[str] = []
    for k in range(width):
        parts: list[str] = []
        for r in rows:
            v = r[k].strip()
            if v and v not in parts:
                parts.append(v)
        out.append("·".join(parts) or f"列{k + 1}")
    seen: dict[str, int] = {}
    for k, h in enumerate(out):
        if h in seen:
            seen[h] += 1
            out[k] = f"{h}{seen[h]}"
        else:
            seen[h] = 1
    return out
