"""The document reader: facts about a document itself — when it was issued (印发/发布/批复 …), its
文号, its issuer — from the document's metadata, quoted where its text states them (the date
line, the 文号 line, the header block).

Example:
    >>> read(ask, evidence, candidates, ctx)[0].render(cites)
    '《…》的发布日期：2022年12月23日。原文：“2022年12月23日”[1]'
"""
from __future__ import annotations

import re

from .. import compose
from ..evidence import Topic
from . import Reading

ASKS = {
    "date": re.compile(r"(?:印发|发布|出台|批复|下发|公布|发文|签发)的?(?:时间|日期)|(?:哪天|哪一天|什么时候|何时|哪一年|哪年|几月|哪个月)"
                       r"(?:印发|发布|出台|批复|下发|公布|发文|签发)|(?:印发|发布|出台|批复|下发|公布)于?(?:哪天|哪一天|何时|哪一?年)"),
    "number": re.compile(r"文号|发文字号|几号文"),
    "issuer": re.compile(r"发文机关|发文单位|(?:哪个|什么|哪些)(?:部门|单位|机关)(?:印发|发布|出台|制定|下发)|谁(?:印发|发布|出台|下发)的?|由谁印发"),
}
_ISSUED = re.compile(r"印发|发布|出台|批复|下发|公布|发文|签发")
_WHEN = re.compile(r"什么时候|何时|哪天|哪一天|哪一?年|几月|哪个月")
# words of the ask itself ("文号", "印发时间"): not what the document is about
_ASK_WORD = re.compile(r"(?:文号|发文字号|字号|发文|印发|发布|出台|批复|下发|公布|签发|日期|时间|机关|单位|部门|哪天|哪年|几号文?)+")
LABEL = {"date": "发布日期", "number": "文号", "issuer": "发文机关"}


def wanted(text: str) -> list[str]:
    return [k for k, rx in ASKS.items() if rx.search(text)]


def read(ask, ev, cands, ctx) -> list[Reading]:
    kinds = wanted(ask.text)
    if not kinds and ask.followup and _ISSUED.search(ask.context) and _WHEN.search(ask.text):
        kinds = ["date"]                 # "…是谁印发的？什么时候？"
    if not kinds:
        return []
    topic = Topic(ask.topic, ctx.idf)
    about = Topic(" ".join(w for w in ask.topic.split() if not _ASK_WORD.fullmatch(w)), ctx.idf)
    docs = list(dict.fromkeys(list(ctx.preferred) + [h.doc_id for h in ev.hits[:2]]))
    for doc_id in docs:
        doc = ctx.docs.get(doc_id)
        if not doc or (topic and max(topic.coverage(doc["title"]), about.coverage(doc["title"]) if about else 0.0) < 0.6):
            continue                     # the question is about something else the document says
        meta = doc["meta"] or {}
        found = []
        for kind in kinds:
            value = {"date": meta.get("date"), "number": meta.get("doc_number"), "issuer": meta.get("issuer")}[kind]
            for part in (re.split(r"[、，,\s]+", str(value)) if kind == "issuer" and value else [value]):
                span = _in_text(doc["text"], kind, part)
                if span:
                    found.append((kind, span))
        if found:
            return [Reading(1.6, _render(doc, found), "document", doc_id=doc_id)]
    return []


def _in_text(text: str, kind: str, value) -> tuple[int, int] | None:
    if not value:
        return None
    forms = [str(value)]
    if kind == "date":
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value))
        if m:
            y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
            forms = [f"{y}年{mo}月{d}日", f"{y}年{mo:02d}月{d:02d}日", str(value)]
    for f in forms:
        pos = text.rfind(f) if kind == "date" else text.find(f)       # a date line closes the text
        if pos >= 0:
            return pos, pos + len(f)
    return None


def _render(doc, found):
    def render(cites):
        parts = []
        for kind, (a, b) in found:
            mark = cites.add(doc["doc_id"], a, b, doc["title"], quote=doc["text"][a:b])
            if mark and parts and parts[-1][0] == kind:
                parts[-1] = (kind, f"{parts[-1][1]}、{doc['text'][a:b]}{mark}")
            elif mark:
                parts.append((kind, f"{LABEL[kind]}：{doc['text'][a:b]}{mark}"))
        parts = [p for _, p in parts]
        return f"《{compose.short(doc['title'], 40)}》" + "；".join(parts) + "。" if parts else None
    return render
