"""Time in questions, resolved against today's date, and a task's status against today.

"今年年底前到期的任务" -> due within this year; "已经过期的任务" -> due before this month; "明年" -> next
year; "2025年" -> that year; "下个月", "本月", "三个月内", "上半年". Due dates come from the fact store
as "2024-12" or "2024" (a year alone means its end).

Example:
    >>> from datetime import date
    >>> w = find_window("今年年底前到期的任务有哪些", date(2026, 11, 21))
    >>> (w.start, w.end, w.label)
    ('2026-01', '2026-12', '2026年')
    >>> status("2026-11", date(2026, 11, 21)), status("2025-12", date(2026, 11, 21))
    ('本月到期', '已到期')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_CN_NUM = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}


@dataclass(frozen=True)
class TimeWindow:
    """Months ``start``..``end`` inclusive ("YYYY-MM"); ``label`` is how the answer names it."""
    start: str
    end: str
    label: str

    def contains(self, due: str | None) -> bool:
        return bool(due) and self.start <= month_of(due) <= self.end


def month_of(due: str) -> str:
    """"2024" -> "2024-12" (a year is due at its end); "2024-06-30" -> "2024-06"."""
    return due[:7] if len(due) >= 7 else f"{due[:4]}-12"


def _ym(y: int, m: int) -> str:
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return f"{y:04d}-{m:02d}"


def _num(s: str) -> int:
    return int(s) if s.isdigit() else _CN_NUM.get(s, 0)


def find_window(question: str, today: date) -> TimeWindow | None:
    """The due-date window a question asks about, or None."""
    q = question.replace(" ", "")
    y, m = today.year, today.month
    if re.search(r"已经?(?:过期|到期|逾期|超期)|过期|逾期|超期|已经到期|到期了", q) and not re.search(r"未到期|没到期", q):
        return TimeWindow("0000-01", _ym(y, m - 1), "已到期")
    if re.search(r"本月|这个月|当月", q):
        return TimeWindow(_ym(y, m), _ym(y, m), f"{y}年{m}月")
    if re.search(r"下个?月", q):
        return TimeWindow(_ym(y, m + 1), _ym(y, m + 1), f"{_ym(y, m + 1)[:4]}年{int(_ym(y, m + 1)[5:])}月")
    n = re.search(r"(?:近|未来|接下来|今后)?([一二两三四五六七八九十\d]{1,2})个月(?:内|以内|之内)", q)
    if n and _num(n.group(1)):
        end = _ym(y, m + _num(n.group(1)))
        return TimeWindow(_ym(y, m), end, f"{n.group(1)}个月内（至{end[:4]}年{int(end[5:])}月）")
    year = None
    if "今年" in q or "本年" in q or re.search(r"(?<!\d)年底前", q) and not re.search(r"\d{4}年", q):
        year = y
    elif "明年" in q:
        year = y + 1
    elif "后年" in q:
        year = y + 2
    elif "去年" in q:
        year = y - 1
    if year is None:
        ex = re.search(r"((?:19|20)\d{2})年", q)
        if ex and re.search(r"到期|截止|完成的|要完成|须完成|需完成|任务", q):
            year = int(ex.group(1))
    if year is None:
        return None
    if "上半年" in q:
        return TimeWindow(f"{year}-01", f"{year}-06", f"{year}年上半年")
    if "下半年" in q:
        return TimeWindow(f"{year}-07", f"{year}-12", f"{year}年下半年")
    return TimeWindow(f"{year}-01", f"{year}-12", f"{year}年")


def relative_years(question: str, today: date) -> list[int]:
    """Years a question names, with 今年/明年/去年 resolved: "明年的任务" -> [today.year + 1]."""
    out = [int(x) for x in re.findall(r"((?:19|20)\d{2})\s*年", question)]
    for word, delta in (("今年", 0), ("本年", 0), ("明年", 1), ("后年", 2), ("去年", -1)):
        if word in question:
            out.append(today.year + delta)
    return list(dict.fromkeys(out))


def status(due: str | None, today: date, kind: str = "date") -> str:
    """已到期 / 本月到期 / 未到期 against ``today``; 持续 for ongoing tasks; 未定 without a date."""
    if not due:
        return "持续" if kind == "ongoing" else "未定"
    cur = f"{today.year:04d}-{today.month:02d}"
    d = month_of(due)
    return "已到期" if d < cur else "本月到期" if d == cur else "未到期"


def due_text(due: str | None, raw: str = "") -> str:
    """"2024-12" -> "2024年12月"; "2024" -> "2024年"; falls back to the raw cell."""
    if not due:
        return raw
    if len(due) >= 7:
        return f"{due[:4]}年{int(due[5:7])}月"
    return f"{due[:4]}年"
