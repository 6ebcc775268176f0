"""Article references of a regulation: which 条, 款 and 项 a quoted span lies in ("第十一条第二款",
"第十六条第一款第三项"), read from the section tree (``structure`` makes 款 the children of their
article and 项 the children of their 款), so that a citation names the paragraph that holds it.

Works on ``Section`` objects and on their stored dicts alike.

Example:
    >>> clause_ref(doc.sections, start, end)
    '第十一条第二款'
    >>> refine_section("浙江省数字经济促进条例 › 第二章　数字基础设施 › 第十一条", doc.sections, start, end)
    '浙江省数字经济促进条例 › 第二章　数字基础设施 › 第十一条第二款'
"""
from __future__ import annotations

from typing import Any, Iterable

from .markers import match_marker

_ITEM_KINDS = ("cn_paren", "num_paren", "num_dot", "circled", "cn_dun")
_CN = "零一二三四五六七八九"


def _get(s: Any, key: str) -> Any:
    return s.get(key) if isinstance(s, dict) else getattr(s, key)


def _cn(n: int) -> str:
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def _inside(s: Any, start: int, end: int) -> bool:
    return _get(s, "start") <= start and end <= _get(s, "end")


def clause_ref(sections: Iterable[Any], start: int, end: int) -> str | None:
    """"第X条第Y款[第Z项]" when ``[start, end)`` lies inside one 款 of an article that has 款 nodes;
    None otherwise (not in an article, an article of one paragraph, or a span over two 款)."""
    secs = list(sections)
    by_parent: dict[Any, list[Any]] = {}
    for s in secs:
        by_parent.setdefault(_get(s, "parent"), []).append(s)
    articles = [s for s in secs if _get(s, "marker") == "tiao" and _inside(s, start, end)]
    if not articles:
        return None
    art = max(articles, key=lambda s: _get(s, "start"))
    clause = next((k for k in by_parent.get(_get(art, "id"), [])
                   if _get(k, "marker") == "kuan" and _inside(k, start, end)), None)
    if clause is None:
        return None
    ref = f"{_get(art, 'title')}{_get(clause, 'title')}"
    item = next((k for k in by_parent.get(_get(clause, "id"), [])
                 if _get(k, "marker") in _ITEM_KINDS and _inside(k, start, end)), None)
    if item is not None:
        m = match_marker(_get(item, "title"))
        if m is not None:
            ref += f"第{_cn(m.number)}项"
    return ref


def refine_section(section: str, sections: Iterable[Any], start: int, end: int) -> str:
    """A breadcrumb whose article part names the 款 (and 项) holding the span: "… › 第十一条" becomes
    "… › 第十一条第二款"; unchanged when ``clause_ref`` finds none or the breadcrumb has no article."""
    if start is None or end is None or start < 0 or end <= start:
        return section
    ref = clause_ref(sections, start, end)
    if not ref:
        return section
    crumbs = (section or "").split(" › ")
    article = ref[: ref.index("条") + 1]
    at = max((i for i, c in enumerate(crumbs) if c == article or c == ref), default=None)
    if at is None:
        return section
    return " › ".join(crumbs[:at] + [ref])
