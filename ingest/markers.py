"""Heading markers of Chinese official documents (第一部分, 一、, （一）, 1., （1）, ①, 一是 …) and of
regulations (第一编, 第一章, 第一节, 第一条).

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
    kind: str       # bian | part | jie | tiao | cn_dun | cn_paren | num_dot | num_paren | circled | shi | md1..md6
    number: int     # ordinal within its kind (0 for Markdown headings)
    end: int        # where the marker text ends in the line


# Order matters: more specific patterns first. Each pattern's group 1 is the ordinal.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("bian", re.compile(rf"^第([{_CN}\d]+)编(?=[\s　：:、]|$)[：:、\s]?")),
    ("part", re.compile(rf"^第([{_CN}\d]+)(?:部分|篇|章)[：:、\s]?")),
    ("jie", re.compile(rf"^第([{_CN}\d]+)节(?=[\s　：:、]|$)[：:、\s]?")),
    ("tiao", re.compile(rf"^第([{_CN}\d]+)条(?![件例款])[：:、\s　]?")),
    ("cn_dun", re.compile(rf"^([{_CN}]+)、(?![{_CN}]+[、级类])")),
    ("cn_paren", re.compile(rf"^[（(]([{_CN}]+)[）)]")),
    ("num_paren", re.compile(r"^[（(](\d{1,2})[）)]")),
    ("num_dot", re.compile(r"^(\d{1,2})(?:[.．](?![\d%％])|、|[.．](?=\d{1,4}[\u4e00-\u9fff]))")),
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
        if n is None or n == 0 or n > (999 if kind == "tiao" else 200):
            return None
        rest = line[m.end():].lstrip()
        if kind == "num_dot" and rest[:1].isdigit() and not _numbered_title(rest):
            return None                  # "2.5万元…" is a decimal, "11.121人才梯队项目。" a heading
        # "1. " followed by nothing, or a date/number right after the marker, is not a heading.
        if not rest or re.match(r"^\d{4}年", rest) and kind in ("num_dot",):
            return None
        return Marker(kind, n, m.end())
    return None


_DECIMAL_UNIT = "万亿元%％倍年月日号个次千百"
_AMOUNT = re.compile(r"\d[\d,，.．]*\s*(?:万元|亿元|元)")


def _numbered_title(rest: str) -> bool:
    """After "11." a title that starts with digits: "121人才梯队项目。…" (a name, short, no unit)."""
    m = re.match(r"^\d{1,4}([\u4e00-\u9fff])", rest)
    if not m or m.group(1) in _DECIMAL_UNIT:
        return False
    first = re.split(r"[。；;！？]", rest, maxsplit=1)[0]
    return len(first) <= 30 and not re.search(r"[，,]", first)


def runs_on(line: str, marker: Marker) -> bool:
    """A marked line that is a sentence stating an amount, not a heading: "（三）公务接待费1.00万元。与2024年…",
    "（一）因公出国（境）费0万元，与2024年预算持平。", "（一）全市城乡最低生活保障标准为每人每月1309元。" (its
    first sentence gives an amount of money and another clause or sentence follows, or it is one full
    sentence ending with "。")."""
    if marker.kind.startswith("md") or marker.kind in ("bian", "part", "jie", "tiao"):
        return False
    text = line.strip()
    stop = re.search(r"[。！？]", text)
    first = text[marker.end:stop.start()] if stop else text[marker.end:]
    clause = bool(stop and stop.end() < len(text)) or bool(re.search(r"[，,；;]", first))
    # one full sentence that states the amount: "（一）全市城乡最低生活保障标准为每人每月1309元。"
    sentence = bool(stop and stop.end() == len(text) and text.endswith("。"))
    return (clause or sentence) and bool(_AMOUNT.search(first))


def heading_marker(line: str) -> Marker | None:
    """The marker of a line that can be a heading (``match_marker`` minus run-on figure sentences)."""
    m = match_marker(line)
    return None if m is None or runs_on(line, m) else m


def heading_title(line: str, marker: Marker) -> tuple[str, bool]:
    """Split a marked line into (title, is_inline). Inline means body text follows on the same line,
    as in "（一）指导思想。以习近平…"; the title then stops at the first full stop."""
    text = line.strip()
    if marker.kind.startswith("md"):
        return text[marker.end:].strip(), False
    if marker.kind == "tiao":
        # an article is cited by its number: "第六十二条"; its text is the body
        label = text[:marker.end].strip(" 　：:、")
        return label, len(text) > marker.end
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
    if m.kind == "tiao":
        return not s[m.end:].strip()       # an article's text is content, however short
    return "。" not in s[:-1] and len(s) <= 60
