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

# "发" alone issues only as "发的" ("是哪天发的", "哪个部门发的？"), not "补助什么时候发", "发放", "发展"
_SENT = r"(?:印发|发布|出台|批复|下发|公布|发文|签发|发(?=的))"
ASKS = {
    "date": re.compile(r"(?:印发|发布|出台|批复|下发|公布|发文|签发|落款|成文)的?(?:时间|日期)|(?:哪天|哪一天|什么时候|何时|哪一年|哪年|几月|哪个月)"
                       + _SENT + r"|(?:印发|发布|出台|批复|下发|公布)于?(?:哪天|哪一天|何时|哪一?年)"),
    "number": re.compile(r"文号|发文字号|几号文"),
    # whom a notice is sent to: its salutation ("各区人民政府，市有关部门：")
    "addressees": re.compile(r"(?:发|印发|下发|转发|送|发送)(?:给|至|到)了?(?:哪些|哪几|谁|什么)|主送|发往哪|下发范围"),
    # what a document is about, asked of one the question names by its 文号 or short name
    "subject": re.compile(r"(?:是|讲的?是?|说的?是?)关于什么(?:事情?|方面|内容)?的?"),
    "issuer": re.compile(r"发文机关|发文单位|(?:哪个|哪几个|什么|哪些|哪家|哪几家)(?:部门|单位|机关|机构)?(?:联合|共同|一起)?(?:印发|发布|出台|制定|下发|发文|发(?=的))"
                         r"|谁(?:联合|共同)?(?:印发|发布|出台|下发|发(?=的))的?|由谁印发"),
}
_ISSUED = re.compile(r"印发|发布|出台|批复|下发|公布|发文|签发")
_WHEN = re.compile(r"什么时候|何时|哪天|哪一天|哪一?年|几月|哪个月")
# words of the ask itself ("文号", "印发时间"): not what the document is about
_ASK_WORD = re.compile(r"(?:文号|发文字号|字号|发文|印发|发布|出台|批复|下发|公布|签发|日期|时间|机关|单位|部门|哪天|哪年|几号文?)+")
LABEL = {"date": "发布日期", "number": "文号", "issuer": "发文机关", "addressees": "主送", "subject": "标题"}
# a salutation line: the bodies a notice is sent to, before its colon
_SALUTATION = re.compile(r"^[ \t\u3000]*(?P<to>(?:各|全省|全市|全区|有关|[\u4e00-\u9fff（）()]{2,40}?(?:政府|部门|单位|局|委|厅|办|公司|企业|协会|机构)))"
                         r"(?P<rest>[^。；\n]{0,200}?)[：:][ \t\u3000]*$", re.M)


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
    bare = subjectless(ask.text)
    earlier = ctx.about if bare else []
    docs = list(dict.fromkeys(list(ctx.preferred) + earlier + [h.doc_id for h in ev.hits[:2]]))
    for doc_id in docs:
        doc = ctx.docs.get(doc_id)
        if not doc:
            continue
        named = doc_id in ctx.preferred
        # the document named ("…方案管到哪一年？是哪天发的？", "黄府办发[2021]11号是关于什么事的") needs no
        # title check; any other must be the one the question is about, not one it merely quotes
        told = bare and (named or doc_id in earlier) or named and "subject" in kinds
        if not told and topic and max(topic.coverage(doc["title"]), about.coverage(doc["title"]) if about else 0.0) < 0.6:
            continue
        meta = doc["meta"] or {}
        found = []
        for kind in kinds:
            if kind in ("addressees", "subject"):
                span = _addressees(doc["text"]) if kind == "addressees" else _title_span(doc["text"], doc["title"])
                if span and (kind == "addressees" or named):
                    found.append((kind, span))
                continue
            value = {"date": meta.get("date"), "number": meta.get("doc_number"), "issuer": meta.get("issuer")}[kind]
            for part in (re.split(r"[、，,\s]+", str(value)) if kind == "issuer" and value else [value]):
                span = _in_text(doc["text"], kind, part)
                if span:
                    found.append((kind, span))
        if found:
            return [Reading(1.6, _render(doc, found), "document", doc_id=doc_id)]
    return []


_FILLER = re.compile(r"[是的了呢吗啊呀又还也就都请问这那该其它份个篇件项多少几什么哪些谁和与及、，,？?。！!\s]")


def subjectless(text: str) -> bool:
    """The ask names nothing but what it asks ("是哪天发的？", "文号是多少？", "落款日期呢？"): it is about
    the document the question named before it.

    >>> subjectless("是哪天发的？"), subjectless("文号是多少？"), subjectless("黄浦区的通知是哪天发的？")
    (True, True, False)
    """
    rest = text
    for rx in ASKS.values():
        rest = rx.sub("", rest)
    rest = _FILLER.sub("", _ASK_WORD.sub("", rest))
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) < 2


HEAD = 600        # a salutation comes right under the title and 文号


def _addressees(text: str) -> tuple[int, int] | None:
    """The salutation under a notice's title, without its colon."""
    m = _SALUTATION.search(text[:HEAD])
    if not m or re.match(r"\s*(?:联系|附件|备注|注)", m.group(0)):
        return None
    return m.start("to"), m.end("rest")


def _title_span(text: str, title: str) -> tuple[int, int] | None:
    pos = text.find(title) if title else -1
    return (pos, pos + len(title)) if pos >= 0 else None


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
