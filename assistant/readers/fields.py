"""The field reader: what a notice states in labelled lines — a meeting's 时间 and 地点, its 主办 /
承办 / 协办单位, 联系人 and 邮箱, 费用 — for questions that ask for that field of a document
("CIO会议在哪开？", "由谁承办？", "联系人是谁？").

Such a line shares no word with the question ("地点：深圳国际会展中心" answers "在哪开"), so the
passage reader cannot find it by its topic words; its label says what it is. A field is read from a
document the question is about: one it names (title, 文号), one an earlier ask of the same question
was answered from when this ask names nothing else ("…什么时候开？在哪开？"), or a top passage's
document whose title holds most of the question's other words. A label's value runs on over the
lines that follow it while they are bare values ("承办单位：A" / "B" / "协办单位：…").

Example:
    >>> read(ask, evidence, candidates, ctx)[0].render(cites)
    '《中国建筑业协会关于举办建筑业数字化转型CIO会议…》承办单位：中国建筑业协会工程技术与BIM应用分会、北京中建协认证中心有限公司[1]。'
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import compose
from ..evidence import Topic
from . import Reading
from .document import subjectless

SCORE = 1.7           # a labelled field of the asked document beats a passage that merely shares words, and a
                      # unit list read as a task ("主办单位：…" lines are no 牵头单位)
CONTACTS = 3          # contact lines given at most (联系人及电话, 电子邮箱, 地址)

# what a notice of an event is about; the question or, for an ask that names nothing, the document
# before it must name one (a plan's "重点在哪些地方开展" is no place of a meeting)
_EVENT = re.compile(r"会议|大会|论坛|峰会|年会|培训班?|活动|展会|博览会|展览会?|交易会|比赛|大赛|竞赛|交流会|研讨会|座谈会|推介会|对接会|洽谈会|"
                    r"报告会|观摩会|发布会|招聘会|运动会|讲座|典礼|仪式|考试")
# field -> (how a question asks for it, the labels that give it)
FIELDS: dict[str, tuple[re.Pattern, re.Pattern]] = {
    "place": (re.compile(r"在哪(?:里|儿)?(?!些)(?:开|办|举办|举行|召开|报到|进行|集合)?(?=[？?，,。；;！!]|$)|(?:在|去)什么地方(?:开|办|举办|举行|召开)"
                         r"|地点|地址|会场|场地|在什么位置"),
              re.compile(r"(?:会议|举办|活动|培训|报到|线下|线上|主会场|分会场|展览|比赛|考试|观摩)?(?:地点|地址|会场|场地)|会场|项目地址")),
    "time": (re.compile(r"(?:什么时候|何时|哪天|哪一天|几号|几月几[日号]|什么时间)[^，。？?；]{0,3}(?:开|办|举办|举行|召开|开始|报到|进行)(?![放展发])"
                        r"|(?:开|办|举办|举行|召开|进行)(?:几天|多久|多长时间)|一共[^，。？?]{0,3}几天|(?:会议|举办|培训|报到)(?:时间|日期)"),
             re.compile(r"(?:会议|举办|活动|培训|报到|比赛|展览|大会|开幕|观摩)?(?:时间|日期)")),
    "contact": (re.compile(r"联系人|联系电话|咨询电话|电话是|电话多少|邮箱|联系方式|怎么联系|找谁咨询"),
                re.compile(r"联系人(?:及电话|及联系方式|和电话)?|联系电话|咨询电话|联系方式|(?:电子)?邮箱|电子信箱|联系邮箱")),
    "host": (re.compile(r"主办"), re.compile(r"主办(?:单位|方)?|联合主办(?:单位)?")),
    "organiser": (re.compile(r"承办"), re.compile(r"承办(?:单位|方)?")),
    "co_host": (re.compile(r"协办"), re.compile(r"协办(?:单位|方)?")),
    "support": (re.compile(r"支持单位|指导单位"), re.compile(r"(?:支持|指导)单位")),
    "fee": (re.compile(r"费用|多少钱|会务费|培训费|收费|交多少"), re.compile(r"(?:会议|会务|培训|参会|报名)?(?:费用|费)|收费标准")),
}
# a labelled line: an optional list marker, a label of a few characters, a colon, the value
_LINE = re.compile(r"[ \t\u3000]*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．]\s*)?(?P<label>[\u4e00-\u9fff]{1,12}?)\s*[：:]\s*(?P<value>.*)")
_MARKER = re.compile(r"\s*(?:[（(][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}、|\d{1,2}[、.．](?!\d)|附件)")
_ASK_WORDS = re.compile(r"在哪里?开?|哪里|什么地方|地点|地址|会场|什么时候|何时|哪天|几号|时间|一共|几天|多久|开|办|举办|举行|召开|"
                        r"联系人|联系电话|电话|邮箱|联系方式|主办|承办|协办|单位|费用|多少钱|是谁|谁|哪些|哪个|有|是|的|由")
RUN_ON = 8            # value lines after a label at most
_CONTACT_ONLY = frozenset({"contact"})      # any notice gives whom to contact, not only an event's
_DATE_LINE = re.compile(r"\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*")


@dataclass
class Field:
    label: str
    start: int          # the whole labelled stretch, label to last value line
    end: int
    value: str


def wanted(text: str) -> list[str]:
    return [k for k, (ask, _) in FIELDS.items() if ask.search(text)]


def fields_of(text: str, kind: str) -> list[Field]:
    """The labelled lines of ``text`` that give ``kind``, each with the value lines that follow it."""
    labels = FIELDS[kind][1]
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    out = []
    for i, (a, line) in enumerate(lines):
        m = _LINE.fullmatch(line)
        if not m or not labels.fullmatch(m.group("label")):
            continue
        values = [m.group("value").strip()] if m.group("value").strip() else []
        end = a + len(line.rstrip())
        taken = 0
        rest = [(b, nxt) for b, nxt in lines[i + 1:i + 1 + 3 * RUN_ON] if nxt.strip()]   # paragraph gaps skipped
        for k, (b, nxt) in enumerate(rest):
            s = nxt.strip()
            signature = k + 1 < len(rest) and _DATE_LINE.fullmatch(rest[k + 1][1])      # "中国城市规划协会" / "2026年5月6日"
            if taken >= RUN_ON or _LINE.fullmatch(nxt) or _MARKER.match(nxt) or len(s) > 60 or re.search(r"[。；;]$", s) \
                    or _DATE_LINE.fullmatch(nxt) or signature:
                break
            values.append(s)
            taken += 1
            end = b + len(nxt.rstrip())
        if values:
            out.append(Field(m.group("label"), a + len(line) - len(line.lstrip(" \t\u3000")), end, "、".join(values)))
    return out


def read(ask, ev, cands, ctx) -> list[Reading]:
    kinds = wanted(ask.text)
    if not kinds:
        return []
    bare = subjectless(_ASK_WORDS.sub("", ask.text)) or subjectless(ask.text)
    # labelled 时间 / 地点 / 承办 lines answer for an event only: one the question names or, for an ask
    # that names nothing, the document's title; whom to contact, any notice gives
    event_needed = not _EVENT.search(ask.text) and not _CONTACT_ONLY.issuperset(kinds)
    if event_needed and not bare:
        return []
    about = Topic(" ".join(w for w in ask.topic.split() if not _ASK_WORDS.fullmatch(w)), ctx.idf)
    earlier = ctx.about if bare else []
    docs = list(dict.fromkeys(list(ctx.preferred) + earlier + [h.doc_id for h in ev.hits[:3]]))
    for doc_id in docs:
        doc = ctx.docs.get(doc_id)
        if not doc or event_needed and not _EVENT.search(doc["title"]):
            continue
        if not (doc_id in ctx.preferred or doc_id in earlier) and (not about or about.coverage(doc["title"]) < 0.5):
            continue                     # the question is about something else
        found = []
        for kind in kinds:
            given = fields_of(doc["text"], kind)
            if kind == "contact":           # the whole block: 联系人及电话 and 电子邮箱
                found += [f for f in given if f not in found][:CONTACTS]
            else:
                best = _best(given, ask.text)
                if best and best not in found:
                    found.append(best)
        if found:
            return [Reading(SCORE, _render(doc, found), "field", doc_id=doc_id,
                            quote="\n".join(doc["text"][f.start:f.end] for f in found))]
    return []


def _best(fields: list[Field], question: str) -> Field | None:
    """The field whose label the question echoes most (报到地点 for "报到地点在哪"), else the first
    (the meeting's own 时间 and 地点 come before 报到's in most notices, but a bare 时间 / 地点 wins)."""
    if not fields:
        return None
    def key(f: Field) -> tuple[int, bool, int]:
        echoed = sum(ch in question for ch in f.label)
        return (echoed, bool(re.match(r"会议|举办|大会", f.label)), -len(f.label))
    return max(fields, key=key)


def _render(doc, found: list[Field]):
    def render(cites):
        parts = []
        for f in found:
            mark = cites.add(doc["doc_id"], f.start, f.end, "", quote=doc["text"][f.start:f.end])
            if mark:
                parts.append(f"{f.label}：{f.value}{mark}")
        return f"《{compose.short(doc['title'], 40)}》" + "；".join(parts) + "。" if parts else None
    return render
