"""The overview reader: the subsections of the section a question names (or, for a question about a
whole plan, of the document), each with its first sentence, each cited.

Example:
    >>> read(ask, evidence, candidates, ctx)[0].render(cites).splitlines()[0]
    '《…》“二、重点任务”包括以下 6 个方面：'
"""
from __future__ import annotations

import re
from typing import Any

from ingest.markers import cn_to_int, match_marker

from .. import compose
from ..evidence import Topic, sentences, span_text
from ..read import Candidate
from . import Reading


# a part named by its place in the plan ("第七部分“支撑保障”", "第三章"), and a question about a plan's
# parts ("分为哪几个部分", "分为几大部分")
ORDINAL_ASK = re.compile(r"第([零〇一二三四五六七八九十百\d]{1,4})(部分|篇|章)")
PARTS_ASK = re.compile(r"(?:哪|几|多少)[几个些大两]*(部分|篇|章)")
# the name quoted right after the place ("第七部分“支撑保障”"); a quote elsewhere is part of the
# plan's title ("静安“海绵城市”…实施方案第四部分") and names no part
_NAMED_AFTER = re.compile(r"[:：]?\s*“([^”]{2,16})”")
_ABOUT_ITSELF = re.compile(r"说明|政策解读")        # 起草说明, 编制说明 …
_NUMERALS = "零〇一二三四五六七八九十百0123456789"
NAMED_BY_PLACE = 0.5    # added to the title's coverage for the part at the asked place
PARTS = 0.75            # the section whose subsections are the parts asked for: above a whole plan's 0.5


def read(ask, ev, cands: list[Candidate], ctx, strict: bool = False) -> list[Reading]:
    """``strict``: only when a section heading clearly names the topic (a list question that is
    not an overview, "…有哪些").

    A question may name the section by its place ("第七部分“支撑保障”包括哪几方面": a heading
    "第七部分…" at any depth, else the plan's seventh top-level part "七、…"); the place adds to
    what the title covers, and a name the question quotes must be in it. Or it asks for the parts
    themselves ("分为哪几个部分": the section whose subsections are "第一部分…", "第二部分…", as in
    a 起草说明's 主要内容, unless the question is about the 说明 itself)."""
    ordinal = ORDINAL_ASK.search(ask.text)
    place = cn_to_int(ordinal.group(1)) if ordinal else None
    drop = {f"第{ordinal.group(1)}", ordinal.group(1), f"第{ordinal.group(1)}{ordinal.group(2)}", "第"} if ordinal else set()
    words = " ".join(w for w in ask.topic.split() if w not in drop)           # the place is no topic
    section_topic = Topic(f"{words} {ask.structure}", ctx.idf)
    topic = Topic(words, ctx.idf)
    if place is not None:       # a part named by its place: the rest of the question names the document
        topic = Topic(" ".join(w for w in words.split() if w not in ask.structure.split()) or words, ctx.idf)
    named = _NAMED_AFTER.match(ask.text, ordinal.end()) if ordinal else None
    quoted = [named.group(1)] if named else []
    parts = PARTS_ASK.search(ask.text) if not _ABOUT_ITSELF.search(ask.text) else None

    def residual(title: str) -> float:
        return sum(w for t, w in section_topic.terms.items() if t not in title)

    best = None
    at_place: dict[str, set[int]] = {}
    docs = [h.doc_id for h in ev.hits if topic and topic.coverage(f"{h.title} {h.breadcrumb} {h.text}") >= 0.5]
    for doc_id in dict.fromkeys(docs):
        doc = ctx.docs.get(doc_id)
        if not doc:                      # deleted while the question was answered
            continue
        if place is not None:
            at_place[doc_id] = _at_place(doc["sections"], place, ordinal.group(2))
        children: dict[int, list[dict[str, Any]]] = {}
        for s in doc["sections"]:
            if s.get("parent") is not None:
                children.setdefault(s["parent"], []).append(s)
        for s in doc["sections"]:
            kids = children.get(s["id"], [])
            if len(kids) < 2:
                continue
            root = s.get("parent") is None
            # the whole plan only when the question names nothing beyond the plan itself
            # (its title and opening lines name it: "全面推进美丽朝阳建设实施方案（征求意见稿）")
            score = (0.5 if not residual(f"{doc['title']} {doc['text'][:_first_heading(doc)]}") else 0.0) if root else \
                section_topic.coverage(s["title"], ignore=doc["title"])
            if place is not None:
                score = 0.0 if root else score       # a part was asked for, not the whole plan
                if s["id"] in at_place.get(doc_id, ()) and all(q in s["title"] for q in quoted):
                    score += NAMED_BY_PLACE
            if parts and sum(_is_part(k["title"]) for k in kids) * 2 >= len(kids):
                score = max(score, PARTS)
            if best is None or score > best[0]:
                best = (score, doc, s, kids)
    if best is None or best[0] < (0.6 if strict else 0.5):
        return []
    score, doc, parent, kids = best
    return [Reading(1.0 + score, lambda cites: _render(doc, parent, kids, cites), "overview", doc_id=doc["doc_id"])]


def _render(doc: dict[str, Any], parent: dict[str, Any], kids: list[dict[str, Any]], cites) -> str:
    text = doc["text"]
    by_id = {s["id"]: s for s in doc["sections"]}

    def crumb_of(s):
        return " › ".join(crumbs(s, by_id))
    lines = [f"《{doc['title']}》" + (f"“{parent['title']}”" if parent.get("parent") is not None else "")
             + f"包括以下 {len(kids)} 个方面："]
    lead_end = min(k["start"] for k in kids)
    if parent["heading_end"] and parent.get("parent") is not None:
        lead = [x for x in sentences(text[parent["heading_end"]:lead_end], parent["heading_end"]) if len(x[2]) >= 6]
        if lead and lead[0][1] - lead[0][0] <= 200:      # the plan's own lead-in ("围绕七个方面展开。")
            a, b, x = lead[0]
            mark = cites.add(doc["doc_id"], a, b, crumb_of(parent), quote=text[a:b])
            if mark:
                lines.append(f"原文：{x}{mark}")
    for i, s in enumerate(kids[:12], 1):
        hs, he, heading = span_text(text, s["start"], s["heading_end"] or s["start"] + len(s["title"]))
        mark = cites.add(doc["doc_id"], hs, he, crumb_of(s), source="outline", quote=heading)
        body = sentences(text[s["heading_end"]:s["end"]], s["heading_end"]) if s["heading_end"] else []
        first = next(((a, b, x) for a, b, x in body if len(x) >= 8), None)
        summary = ""
        if first and len(first[2]) <= 200 and not _in_child(first[0], s, doc["sections"]):
            summary = "：" + compose.short(first[2], 50)
            mark += cites.add(doc["doc_id"], first[0], first[1], crumb_of(s), quote=text[first[0]:first[1]])
        lines.append(f"{i}. {s['title'].strip()}{summary}{mark}")
    return "\n".join(lines)


def _at_place(sections: list[dict[str, Any]], place: int, noun: str = "部分") -> set[int]:
    """The sections at the asked place: headed "第七部分…" at any depth (the asked noun first: a
    question about 第三章 means "第三章…" over "第三部分…" when a plan has both; else 篇 and 章
    alike), else the seventh part right under the document's title ("七、…")."""
    marked = [s for s in sections if _is_part(s["title"]) and _ordinal(s["title"]) == place]
    same = {s["id"] for s in marked if s["title"].strip()[1:].lstrip(_NUMERALS).startswith(noun)}
    roots = {s["id"] for s in sections if s.get("parent") is None}
    return same or {s["id"] for s in marked} or {s["id"] for s in sections if s.get("parent") in roots and _ordinal(s["title"]) == place}


def _ordinal(title: str) -> int | None:
    """The ordinal of a heading's top-level marker: "七、…" and "第七部分…" are 7; None for others."""
    m = match_marker(title.strip())
    return m.number if m and m.kind in ("cn_dun", "part") else None


def _is_part(title: str) -> bool:
    """A heading "第一部分：总体要求" (篇 and 章 alike: the markers' ``part`` kind)."""
    m = match_marker(title.strip())
    return m is not None and m.kind == "part"


def _first_heading(doc: dict[str, Any], limit: int = 200) -> int:
    """Where the first section under the document's title starts (at most ``limit``): the lines before
    it are the title block ("（征求意见稿）", the issuer, the date)."""
    starts = [s["start"] for s in doc["sections"] if s.get("parent") is not None]
    return min([limit] + starts)


def _in_child(offset: int, section: dict[str, Any], sections: list[dict[str, Any]]) -> bool:
    """Whether ``offset`` is already inside a subsection of ``section`` (its body has no lead-in)."""
    return any(s.get("parent") == section["id"] and s["start"] <= offset for s in sections)


def crumbs(s: dict[str, Any], by_id: dict[int, dict[str, Any]]) -> list[str]:
    out = []
    while s is not None:
        out.append(s["title"])
        s = by_id.get(s.get("parent")) if s.get("parent") is not None else None
    return list(reversed(out))


_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、]|第[一二三四五六七八九十]+(?:部分|章|节)?[：:、]?)\s*")


_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇两\d]+条(?![一二三四五六七八九十百\d])")


def named_section(ask, ev, ctx) -> list[Reading]:
    """A section the question names by its heading ("…的工作目标是什么", "…的保障措施"): its
    subsections when it has some, else its opening sentences."""
    docs = [d for d in (ctx.docs.get(i) for i in dict.fromkeys(list(ctx.preferred) + [h.doc_id for h in ev.hits[:3]]))
            if d]
    articles = set(_ARTICLE.findall(ask.text))          # "第十条" names that article, never 第六十条
    best = next(((0, doc, s) for doc in docs for s in doc["sections"] if s["title"].strip() in articles), None)
    if best is None:
        for doc in docs:
            for s in doc["sections"]:
                name = _MARKER.sub("", s["title"]).strip("。：: ")
                if 3 <= len(name) <= 12 and name in ask.text and (best is None or len(name) > best[0]):
                    best = (len(name), doc, s)
    if best is None:
        return []
    _, doc, s = best
    kids = [k for k in doc["sections"] if k.get("parent") == s["id"]]
    if len(kids) >= 2:
        return [Reading(1.6, lambda cites: _render(doc, s, kids, cites), "overview", doc_id=doc["doc_id"])]
    start = s["heading_end"] or s["start"]
    body = [x for x in sentences(doc["text"][start:s["end"]], start) if len(x[2].strip()) >= 6][:2]
    if not body:
        return []
    a, b = body[0][0], body[-1][1]
    if b - a > 260:
        b = body[0][1]
    by_id = {x["id"]: x for x in doc["sections"]}

    def render(cites):
        quote = doc["text"][a:b].strip()
        mark = cites.add(doc["doc_id"], a, a + len(quote), " › ".join(crumbs(s, by_id)), quote=quote)
        if not mark:
            return None
        return f"《{compose.short(doc['title'], 30)}》“{s['title'].strip()}”：{compose.short(quote, 400)}{mark}"
    return [Reading(1.5, render, "overview", doc_id=doc["doc_id"])]
