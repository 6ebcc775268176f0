"""Deadlines: "2024年12月", "2023年底前", "2019年6月底前", "2025年6月30日前", "持续推进", "长期", "每年".

``parse_deadline`` reads a whole cell or phrase; ``find_deadline`` finds the first explicit deadline
("…前", "…完成") inside a task paragraph. ``due`` is the last day the deadline allows, as ISO text at
the precision the source gives: ``2023-12`` for 2023年底前, ``2025-06-30`` for 2025年6月30日前.

Example:
    >>> parse_deadline("2023年底前").due
    '2023-12'
    >>> parse_deadline("持续推进").kind
    'ongoing'
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"(?:\d{1,4}|[〇零一二两三四五六七八九十]{1,4})"
_YEAR = r"(?P<y>(?:19|20)\d{2})\s*年"
_MONTH = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号]"
_QUARTER = r"(?:第)?(?P<q>[一二三四1-4])\s*季度"
_HALF = r"(?P<h>上|下)半年"
_ONGOING = re.compile(r"持续|长期|常态|长效|逐年|动态|每年|年度|按年|定期|滚动|全年|常年")
_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}

_DATE = re.compile(
    _YEAR + r"(?:(?:" + _MONTH + r"(?:\s*" + _DAY + r")?(?:底|末|中旬|上旬|下旬|份)?)|(?:" + _QUARTER + r")|(?:" + _HALF
    + r")|(?P<end>底|末|年底|年末))?")
# An explicit deadline inside prose: a date followed by 前/以前/之前/完成/底前, or 于/在 … 前.
_PROSE = re.compile(
    r"(?:(?:到|至|截至|在|于)\s*)?" + _YEAR.replace("?P<y>", "?P<py>") + r"(?:[^，。；\n]{0,8}?)(?:底|末)?\s*(?:前|以前|之前)")


@dataclass(frozen=True)
class Deadline:
    raw: str
    due: str | None        # ISO date at the given precision: 2024 | 2024-12 | 2024-12-31
    kind: str              # date | ongoing | none


def _month(s: str) -> int:
    return int(s) if s.isdigit() else _CN_MONTH[s]


def _due(m: re.Match) -> str:
    y = int(m.group("y"))
    if m.group("m"):
        mo = _month(m.group("m"))
        if m.group("d"):
            return f"{y:04d}-{mo:02d}-{int(m.group('d')):02d}"
        return f"{y:04d}-{mo:02d}"
    if m.group("q"):
        q = "一二三四".find(m.group("q")) + 1 if not m.group("q").isdigit() else int(m.group("q"))
        return f"{y:04d}-{q * 3:02d}"
    if m.group("h"):
        return f"{y:04d}-{6 if m.group('h') == '上' else 12:02d}"
    if m.group("end"):
        return f"{y:04d}-12"
    return f"{y:04d}"


def parse_deadline(text: str | None) -> Deadline:
    """Read a deadline cell or phrase. A range ("2024-2026年", "2024年至2026年") is due at its end."""
    raw = (text or "").strip()
    if not raw:
        return Deadline("", None, "none")
    compact = raw.replace(" ", "")
    rng = re.search(r"((?:19|20)\d{2})\s*(?:年)?\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年", compact)
    if rng and not re.search(r"\d{4}年\d", compact[rng.end() - 1:rng.end() + 1]):
        tail = compact[rng.end():]
        m = _DATE.match(rng.group(2) + "年" + tail)
        return Deadline(raw, _due(m) if m else rng.group(2), "date")
    dates = list(_DATE.finditer(compact))
    if dates:
        return Deadline(raw, _due(dates[-1]) if len(dates) > 1 and _is_range(compact) else _due(dates[0]), "date")
    if _ONGOING.search(compact):
        return Deadline(raw, None, "ongoing")
    return Deadline(raw, None, "none")


def _is_range(s: str) -> bool:
    return bool(re.search(r"至|到|—|–|-|~|～", s))


def find_deadline(text: str) -> Deadline | None:
    """The first explicit deadline in prose, e.g. "2019年6月底前，研究建立…" -> 2019-06.

    Targets such as "到2026年…覆盖率达91%" are not deadlines of the task (they are indicator dates).
    """
    for m in _PROSE.finditer(text or ""):
        phrase = m.group(0).lstrip("到至截在于 ")
        d = parse_deadline(phrase)
        if d.due:
            return Deadline(phrase, d.due, "date")
    return None


def due_key(due: str | None) -> str:
    """Sortable end-of-period key: '2024' -> '2024-12-31', '2024-06' -> '2024-06-31' (string order only)."""
    if not due:
        return "9999-99-99"
    parts = due.split("-")
    if len(parts) == 1:
        return f"{parts[0]}-12-31"
    if len(parts) == 2:
        return f"{parts[0]}-{parts[1]}-31"
    return due
