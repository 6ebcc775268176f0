"""Spreadsheets (.xlsx with openpyxl, .csv) → text: every sheet a table with its header rows.

Merged cells are filled over the whole range they cover, several header rows are joined into one
("收入预算·合计"), and title rows above the header (a merged banner such as "2024年重点任务分解表")
become the table's caption. A 任务分解表 sheet then yields tasks exactly like a table in a text
document: the task extractor reads its 任务 / 牵头单位 / 配合单位 / 完成时间 columns.

Example:
    >>> raw = load_xlsx(Path("任务分解表.xlsx"))
    >>> print(raw.text[:40])
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .errors import IngestError
from .model import RawDocument
from .tables import grid_text

MAX_ROWS = 20000


def load_xlsx(p: Path) -> RawDocument:
    import zipfile

    from openpyxl import load_workbook

    if not zipfile.is_zipfile(p):
        raise IngestError(str(p), "不是有效的 .xlsx 文件（文件损坏或实为其他格式）", "若为旧版 .xls，请另存为 .xlsx")
    try:
        wb = load_workbook(str(p), data_only=True)
    except Exception as exc:   # openpyxl raises several types for broken packages
        raise IngestError(str(p), f"无法打开 .xlsx：{exc.__class__.__name__}", "文件可能已损坏") from exc
    blocks: list[str] = []
    first_caption = ""
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        grid = _sheet_grid(ws)
        text = sheet_text(grid, ws.title)
        if text:
            blocks.append(text)
            if not first_caption:
                first_caption = text.split("\n", 1)[0] if not text.startswith("\t") else ""
    meta = {"标题": first_caption[:80]} if first_caption and len(first_caption) >= 4 else {}
    title = wb.properties.title if wb.properties else None
    if title and not meta:
        meta["标题"] = title
    if not blocks:
        raise IngestError(str(p), "表格中没有内容", "请确认工作表中有数据")
    return RawDocument(path=str(p), text="\n".join(blocks), front_matter=meta, source_format="xlsx")


def load_csv(p: Path) -> RawDocument:
    from .loaders import decode_bytes

    text = decode_bytes(p.read_bytes(), str(p))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    rows = [r for r in csv.reader(io.StringIO(text), dialect)][:MAX_ROWS]
    out = sheet_text(rows, Path(p).stem)
    if not out:
        raise IngestError(str(p), "CSV 文件中没有可读取的表格", "至少需要表头和一行数据")
    return RawDocument(path=str(p), text=out, front_matter={}, source_format="csv")


def _sheet_grid(ws) -> list[list[str]]:
    rows = []
    for r, row in enumerate(ws.iter_rows(values_only=True)):
        if r >= MAX_ROWS:
            break
        rows.append([_value(v) for v in row])
    for rng in ws.merged_cells.ranges:
        value = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(rows) else ""
        for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
            for c in range(rng.min_col - 1, rng.max_col):
                if c < len(rows[r]):
                    rows[r][c] = value
    return rows


def _value(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "strftime"):
        return v.strftime("%Y年%m月%d日") if getattr(v, "hour", 0) == 0 else v.strftime("%Y年%m月%d日 %H:%M")
    return str(v).strip()


def sheet_text(grid: list[list[str]], sheet_name: str) -> str:
    """Title rows (one distinct value across the row) become the caption; the rest is the table."""
    grid = [[str(c or "").strip() for c in row] for row in grid]
    grid = [r for r in grid if any(r)]
    if not grid:
        return ""
    caption_parts: list[str] = []
    notes: list[str] = []
    while grid and len({c for c in grid[0] if c}) == 1 and len(grid) > 2:
        caption_parts.append(next(c for c in grid[0] if c))
        grid = grid[1:]
    # trailing note rows ("注：…", "填报说明") are text, not table rows
    while grid and len({c for c in grid[-1] if c}) == 1 and re.match(r"^(注|备注|说明|填报)", next(c for c in grid[-1] if c)):
        notes.insert(0, next(c for c in grid[-1] if c))
        grid = grid[:-1]
    caption = caption_parts[0] if caption_parts else sheet_name
    if caption == sheet_name and re.fullmatch(r"(?i)sheet\d*|工作表\d*", sheet_name):
        caption = ""
    block = grid_text(grid, caption=caption)
    if not block:
        lines = [" ".join(c for c in r if c) for r in grid]
        return "\n".join(([caption] if caption else []) + lines + notes)
    return block + ("\n".join(notes) + "\n" if notes else "")
