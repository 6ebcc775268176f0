"""A table row's cells: the column that holds the asked figure, and the row's own label.

A table row is a chunk whose text is its table's caption, then "header：value；header：value"
(``ingest.tables.row_text``; merged and multi-row headers already joined, "收入预算·合计"). A figure
that only a table gives is answered with its row and column ("科技条件专项 · 收入预算·合计") and
the unit the caption states ("（单位：元）"): a bare number from a row of nine columns says nothing.

Which column: the numeric cell whose header the question's words cover best ("财政拨款收入" asked →
that column); among equals the first written amount, not a code (206 05 03) or a 序号.

Example:
    >>> c = asked_cell("2025年部门收入预算总表（单位：元）\\n项目·功能分类科目名称：科技条件专项；"
    ...                "收入预算·合计：17,200,000.00；收入预算·财政拨款收入：17,200,000.00", NUMBER, topic)
    >>> c.value, c.column, c.row, c.unit
    ('17,200,000.00', '收入预算·合计', '科技条件专项', '元')
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_UNIT = re.compile(r"(?<![制报算管填])单位[：:]\s*([^）)\s，,；;]{1,6})")     # not 编制单位 / 预算单位
_CODE_HEADER = re.compile(r"编码|代码|编号|序号|科目码")
WRITTEN = re.compile(r"\d[.,]\d|[^\d\s]$")         # 17,200,000.00 or 1.00万元, not a bare code (206 05 03)
WRITTEN_BONUS = 0.3     # how much a written amount counts over a bare number (read.find_slot too)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Cell:
    value: str          # as the row gives it
    column: str         # its header ("收入预算·合计")
    row: str            # the row's label: its text cells ("科技条件专项")
    unit: str = ""      # the caption's 单位, when the value carries none

    def label(self) -> str:
        """"科技条件专项 · 收入预算·合计" (row, then column)."""
        return " · ".join(x for x in (self.row, self.column) if x)


def labelled_cells(row_text: str) -> tuple[str, list[tuple[str, str]]]:
    """(caption, [(header, value)]) of a table-row chunk's text."""
    caption, _, body = row_text.rpartition("\n")
    pairs = []
    for part in body.split("；"):
        h, sep, v = part.partition("：")
        if sep and h.strip() and v.strip():
            pairs.append((h.strip(), v.strip()))
    return caption.strip(), pairs


def asked_cell(row_text: str, want: re.Pattern, topic) -> Cell | None:
    """The numeric cell of the row that the question asks for, or None when the text is no
    labelled row or holds no figure."""
    caption, pairs = labelled_cells(row_text)
    if not pairs:
        return None
    figures, labels = [], []
    for k, (h, v) in enumerate(pairs):
        m = want.fullmatch(v)
        if m and not _CODE_HEADER.search(h):
            written = WRITTEN_BONUS if WRITTEN.search(v) else 0.0
            cov = topic.coverage(h) if topic else 0.0
            figures.append((cov + written, -k, h, v))
        elif not _DIGIT.search(v) or not m:
            labels.append(v)
    if not figures:
        return None
    _, _, column, value = max(figures)
    units = _UNIT.findall(caption)
    unit = units[-1] if units else ""
    has_unit = not re.fullmatch(r"[\d,.\s\-]+", value)          # 3万元, 12%: the cell says its unit
    row = " ".join(dict.fromkeys(labels))[:40]
    return Cell(value, column, row, unit if not has_unit else "")
