"""Rows out as an aligned text table, JSON or CSV (the formats of `policykb tasks/indicators/depts`).

Example:
    >>> print(render([{"单位": "区气象局", "牵头": 12}], "table"))
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any, Sequence

FORMATS = ("table", "json", "csv")


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return "、".join(map(str, v))
    return str(v).replace("\n", " ")


def render(rows: Sequence[dict[str, Any]], fmt: str = "table", columns: Sequence[str] | None = None,
           max_width: int = 40) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2)
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in cols])
        return buf.getvalue()
    cells = [[_clip(_cell(r.get(c)), max_width) for c in cols] for r in rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(cols)]
    lines = ["  ".join(_pad(c, widths[i]) for i, c in enumerate(cols)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(v, widths[i]) for i, v in enumerate(row)).rstrip() for row in cells]
    return "\n".join(lines)


def _clip(s: str, n: int) -> str:
    out, w = "", 0
    for ch in s:
        w += _width(ch)
        if w > n:
            return out + "…"
        out += ch
    return out


def _pad(s: str, n: int) -> str:
    return s + " " * (n - _width(s))
