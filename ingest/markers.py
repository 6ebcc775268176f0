"""Heading markers of Chinese official documents (第一部分, 一、, （一）, 1., （1）, ①, 一是 …).

Shared by the cleaner (which must not glue a heading to the next line) and the structure parser.

Example:
    >>> match_marker("（二）加强组织领导").kind
    'cn_paren'
    >>> match_marker("2024年底前完成") is None
    True
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100}
_CN = "零〇一二三四五六七八九十百"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_to_int(s: str) -> int | None:
    """Chinese numeral (up to the hundreds) or Arabic digits to int."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            cur = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (cur or 1) * CN_UNITS[ch]
            cur = 0
        else:
            return None
    return total + cur


@dataclass(frozen=True)
class Marker:
    kind: str       # part | cn_dun | cn_paren | num_dot | num_paren | circled | shi | md1..md6
    number: int     # ordinal within its kind (0 for Markdown headings)
    end: int        # where the marker text ends in the line


# Order matters: more specific patterns first. Each pattern's group 1 is the ordinal.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("part", re.compile(rf"^第([{_CN}\d]+)(?:部分|篇|章)[：:、\s]?")),
    ("cn_dun", re.compile(rf"^([{_CN}]+)、(?![{_CN}]+[、级类])")),
    ("cn_paren", re.compile(rf"^[（(]([{_CN}]+)[）)]")),
    ("num_paren", re.compile(r"^[（(](\d{1,2})[）)]")),
    ("num_dot", re.compile(r"^(\d{1,2})(?:[.．](?![\d%％])|、)")),
    ("circled", re.compile(rf"^([{CIRCLED}])")),
    ("shi", re.compile(r"^([一二三四五六七八九十]+)是(?=[\u4e00-\u9fff“])")),
]
_MD = re.compile(r"^(#{1,6})\s+")


def match_marker(line: str) -> Marker | None:
    """Return the heading marker at the start of ``line`` (already stripped), or None."""
    m = _MD.match(line)
    if m:
        return Marker(f"md{len(m.group(1))}", 0, m.end())
    for kind, pat in _PATTERNS:
        m = pat.match(line)
        if not m:
            continue
        if kind == "circled":
            n = CIRCLED.index(m.group(1)) + 1
        else:
            n = cn_to_int(m.group(1))
        if n is None or n == 0 or n > 200:
            return None
        rest = line[m.end():].lstrip()
        # "1. " followed by nothing, or a date/number right after the marker, is not a heading.
        if not rest or re.match(r"^\d{4}年", rest) and kind in ("num_dot",):
            return None
        return Marker(kind, n, m.end())
    return None


def heading_title(line: str, marker: Marker) -> tuple[str, bool]:
    """Split a marked line into (title, is_inline). Inline means body text follows on the same line,
    as in "（一）指导思想。以习近平…"; the title then stops at the first full stop."""
    text = line.strip()
    if marker.kind.startswith("md"):
        return text[marker.end:].strip(), False
    stop = re.search(r"[。！？]", text)
    if marker.kind == "shi":
        stop = re.search(r"[。；;！？]", text)
    if stop and stop.end() < len(text):
        title = text[: stop.start()]
        if len(title) > 60:
            title = _short(title)
        return title, True
    if len(text) <= 60:
        return text.rstrip("。；;：:，,"), False
    return _short(text), True


def _short(text: str) -> str:
    cut = re.search(r"[，,；;：:]", text[4:])
    if cut and cut.start() + 4 <= 40:
        return text[: cut.start() + 4]
    return text[:40] + "…"


def is_heading_only(line: str) -> bool:
    """A line that is a heading and nothing else (no body sentence after it)."""
    s = line.strip()
    m = match_marker(s)
    if not m:
        return False
    return "。" not in s[:-1] and len(s) <= 60
