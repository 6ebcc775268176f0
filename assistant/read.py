"""Read: clause-level answer candidates from the gathered passages.

Each sentence of a retrieved passage is a candidate, read with a window of its neighbours: the
quantity may be given in the next sentence, a heading is read with what follows it, a list
("一是…；二是…") to its end. A candidate is scored by

- ``own``: how much of the question's topic the sentence itself covers (IDF-weighted character
  bigrams; words of the document's title are left out when the sentence covers other words, since
  every passage of the document shares them),
- ``context``: the same over the sentence with its section heading,
- ``fit``: whether the window holds the kind of item asked for (a date, a number, a unit name, a
  definition) — in the sentence itself or a neighbour,
- ``rank``: the passage's retrieval rank, and ``named``: the document is one the question names.

The weights are ``Weights`` (fitted on the fit half of the external development set, see
``eval/ncp.py``); the answer item itself (``slot``) is found in the clause nearest the topic.

Example:
    >>> cands = read_passages(ask, evidence, ctx)
    >>> cands[0].quote, cands[0].slot
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kb.answer_types import PASSAGE
from kb.retrievers import Hit, section_heading
from kb.scope import find_areas
from ingest.regions import CITY_OF

from .cells import Cell, asked_cell
from .evidence import Topic, sentences, span_text
from .gather import Evidence, _without
from .understand import Query

DATE = re.compile(r"自[^，。；]{0,8}?(?:印发|发布|公布|施行|实施)之日起(?:施行|实施|生效|执行)?|至[^，。；]{2,24}?(?:为止|结束|解除)(?:后|之后)?|(?:视|根据)[^，。；]{2,24}?(?:确定|决定|另行通知)|(?:(?:19|20)\d{2}\s*年\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?(?:[（(]星期.[）)])?"
                  r"|年)(?:底|末|上半年|下半年|中|初)?(?:前|以前|之前|起|开始|至今)?"
                  r"|(?:19|20)\d{2}\s*[-—–至到]\s*(?:19|20)?\d{2}\s*年|[今明本当]年(?:底|内)?前?|当[日天]|\d+\s*(?:个)?(?:工作日|日|天|个月|年)(?:内|以内)")
NUMBER = re.compile(r"(?<![A-Za-z\d.,，])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*[～~—–-]\s*\d+(?:\.\d+)?)?\s*(?:%|％|‰|°|度|个百分点|平方公里|平方米|立方米|公顷|微克|毫克|千瓦|兆瓦|公斤|千克|万亩|亩|万元|亿元|元|万人|万户|万|亿|套|家|处|个月|个工作日|个|座|项|米|公里|千米|吨|人次|人|所|名|台|辆|株|批|场|条|户|倍|分钟|小时|天|周|日|年|次|床|张|份|盏)?"
                    r"|[一二三四五六七八九十百千万两]+(?:个|项|家|所|名|批|条|座|类|种|次|年|倍)")
UNIT = re.compile(r"[\u4e00-\u9fff]{2,14}?(?:局|委员会|委|办公室|办|中心|管理处|政府|部|厅|署|公司|集团|总队|支队|院|会)")
_WANT = {"deadline": DATE, "indicator": NUMBER, "lead": UNIT, "co": UNIT,
         "definition": re.compile(PASSAGE["definition"].pattern + "|作为|定位|即|包括")}
DATELINE = re.compile(r"\s*(?:新华社|中新社|中新网|人民网|央视网|新华网|[\u4e00-\u9fff]{2,6}(?:日报|晚报|网|电视台))?"
                      r"[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日电\s*(?:[（(][^）)]{0,30}[）)])?\s*")
SAID = re.compile(r"\s*(?:据了解|据悉|据介绍|记者[^，。；]{0,20}?(?:获悉|了解到)|[^，。；：“”]{2,24}?(?:表示|介绍|指出|强调|透露))[，,：:]\s*")
# a 通知's opening: its headline, 文号 and the addressees it is sent to ("财办〔2020〕7号 各省、自治区、直辖市…财政局：",
# "尊敬的广大市民朋友：") name units and places that the notice is not about
SALUTATION = re.compile(r"\s*(?:[^。；;：:\s]{0,30}关于[^。；;：:]{2,80}?(?:通知|通告|公告|意见|决定|办法|方案|批复|函)\s*)?"
                        r"(?:[\u4e00-\u9fff]{1,10}[〔\[(（]\d{4}[〕\])）]\s*\d{1,4}\s*号\s*)?"
                        r"(?:各|广大|尊敬的)[^。；;：:！!？?]{1,120}?[：:]\s*")
HEADING_LIKE = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+(?:\.\d+)*[.．、]?(?=\D)|第[一二三四五六七八九十百]+[部分章节条]|[一二三四五六七八九十]是)")


@dataclass
class Weights:
    """Fitted on the fit half of ncp-dev (``python -m eval --ncp … --split fit``): a grid over the
    weights, choosing the best candidate per question, raised the share of questions whose best
    quote holds the gold span from 0.61 (hand-set weights) to 0.65; reported on the check half."""
    own: float = 0.2
    context: float = 0.25
    fit: float = 0.25
    rank: float = 0.1
    named: float = 0.1
    asked: float = 0.6
    local: float = 0.1
    new: float = 0.0                # what the quote says beyond the question's words (``novelty``)


@dataclass
class Candidate:
    hit: Hit
    start: int                      # the quote's span in the document text
    end: int
    quote: str
    score: float
    own: float
    fit: bool
    slot: str = ""                  # the asked item as written (a date, a number with its unit …)
    parts: dict[str, float] = field(default_factory=dict)
    cell: Cell | None = None        # a table row's figure: its row and column headers

    @property
    def doc_id(self) -> str:
        return self.hit.doc_id


@dataclass
class ReadContext:
    docs: Any                       # DocTexts
    idf: Any                        # term -> idf
    regions: set[str] = field(default_factory=set)    # areas an answer may name (asked ones and their cities)
    preferred: list[str] = field(default_factory=list)
    title_words: list[str] = field(default_factory=list)
    local: set[str] = field(default_factory=set)
    weights: Weights = field(default_factory=Weights)


def read_passages(ask: Query, ev: Evidence, ctx: ReadContext, limit: int = 8) -> list[Candidate]:
    """The best candidate of each passage, best first."""
    topic = Topic(ask.topic, ctx.idf)
    asked = Topic(_without(ask.search_text, ask.regions), ctx.idf)
    out: list[Candidate] = []
    for h in ev.hits:
        out += read_hit(h, ask, topic, asked, ctx, ev.rank.get(h.chunk_id, 0.0))
    out.sort(key=lambda c: -c.score)
    kept: list[Candidate] = []
    for c in out:                                   # one candidate per stretch of text
        if not any(k.doc_id == c.doc_id and k.start < c.end and c.start < k.end for k in kept):
            kept.append(c)
    return kept[:limit]


def named_by_topic(topic: str, ctx: ReadContext) -> bool:
    """Every topic word is one that named the document ("最低生活保障标准是多少" of the 最低生活保障标准
    通知): its sentences that hold them cover the question as much as any other document's."""
    words = topic.split()
    return bool(ctx.preferred and ctx.title_words and words) and \
        all(any(w in t for t in ctx.title_words) for w in words)


def inner_topic(topic: str, ctx: ReadContext) -> str:
    """Within a named document, the words that named it (its title, its issuer) say nothing about
    which of its passages or figures is asked: the topic without them (all of it when nothing
    else is left)."""
    words = topic.split()
    if ctx.preferred and ctx.title_words:
        words = [w for w in words if not any(w in t for t in ctx.title_words)] or words
    return " ".join(words)


PER_PASSAGE = 2     # candidate sentences read from each passage (the best one is not always the answer)


def read_hit(hit: Hit, ask: Query, topic: Topic, asked: Topic, ctx: ReadContext, rank: float,
             per_passage: int = PER_PASSAGE) -> list[Candidate]:
    """The ``per_passage`` best sentences of one passage, each widened to the span that answers."""
    text = ctx.docs.text(hit.doc_id)
    if not text:
        return []
    w = ctx.weights
    want = _WANT.get(ask.intent)
    heading = section_heading(hit.breadcrumb)
    title = hit.title
    if hit.doc_id in ctx.preferred and named_by_topic(ask.topic, ctx):
        title = ""      # the question names this document with all its topic words: its title no discount
    if hit.kind == "table_row":
        cands = [span_text(text, hit.start, hit.end, limit=400)]
    elif hit.kind == "outline":
        cands = []
        for line in hit.text.splitlines():
            line = line.strip()
            pos = text.find(line, hit.start)
            if line and pos >= 0:
                cands.append((pos, pos + len(line), line))
    else:
        cands = sentences(text[hit.start:hit.end], hit.start)
    named = 1.0 if hit.doc_id in ctx.preferred else 0.0
    local = 1.0 if hit.doc_id in ctx.local else 0.0
    scored = []
    for i, (a, b, s) in enumerate(cands):
        if title and hit.kind == "text":            # a headline repeated at the start of the text is no answer
            head = _title_prefix(s, title)
            if head:
                a, s = a + head, s[head:]
                cands[i] = (a, b, s)
        line = (DATELINE.match(s) or SAID.match(s) or SALUTATION.match(s)) if hit.kind == "text" else None
        if line and len(s) > line.end() + 8:           # "新华社北京2月9日电（记者 安蓓）", "陆靖表示，" is no answer either
            a, s = a + line.end(), s[line.end():]
            cands[i] = (a, b, s)
        if len(s.strip()) < 4 or not region_ok(s, ask, ctx.regions):
            continue
        seen = hit.text if hit.kind == "table_row" and hit.text else s     # a row with its column headers
        own = _cover(topic, seen, title)
        context = _cover(topic, f"{heading} {seen}", title)
        fit = fit_of(ask.intent, s, heading, want)
        if not fit and want is not None and hit.kind == "text":
            nb = _neighbours(text, a, b)
            if want.search(nb):
                fit = 0.6
        ask_cov = asked.coverage(seen)
        plain = 0.02 if not HEADING_LIKE.match(s) else 0.0       # a sentence rather than a heading
        score = (w.own * own + w.context * context + w.fit * fit + w.rank * rank + w.named * named + w.local * local
                 + w.asked * ask_cov + plain)
        scored.append((score, i, own, context, fit, ask_cov, plain))
    scored.sort(key=lambda x: -x[0])
    return [c for c in (_widen(text, cands[x[1]], x, hit, ask, topic, want, named, local, rank, w)
                        for x in scored[:per_passage]) if c is not None]


def _widen(text: str, sentence: tuple[int, int, str], parts: tuple, hit: Hit, ask: Query, topic: Topic,
           want: re.Pattern | None, named: float, local: float, rank: float, weights: Weights) -> Candidate | None:
    score, _, own, context, fit, ask_cov, plain = parts
    a, b, _ = sentence
    if hit.kind in ("text", "outline"):
        a, b = past_question(text, a, b)
        moved = False
        if ask.intent in ("general", "definition", "overview"):      # the body under a heading that restates the question
            a2, b2 = past_heading(text, a, b, topic, ask.text)
            moved, a, b = (a2, b2) != (a, b), a2, b2
        if not moved:
            a, b = extend(text, a, b, want, ask.intent)
            if ask.intent in ("general", "definition", "overview") and LIST_ASK.search(ask.text):
                b = run_on(text, a, b, topic)
            elif ask.intent in ("general", "definition") and b - a > LONG:
                a, b = focus(text, a, b, topic)
    quote = text[a:b].strip()
    a += len(text[a:b]) - len(text[a:b].lstrip())
    b = a + len(quote)
    slot = find_slot(quote, want, topic) if want is not None and ask.intent in ("deadline", "indicator") else ""
    cell = asked_cell(hit.text, want, topic) if hit.kind == "table_row" and slot and want is NUMBER else None
    if cell and cell.value in quote:
        slot = cell.value                           # the asked column's figure, named by row and column
    elif cell and cell.value != slot:
        cell = None
    new = novelty(quote, topic)
    return Candidate(hit, a, b, quote, score + weights.new * new, own, fit >= 1.0 or bool(slot), slot,
                     {"own": own, "context": context, "fit": fit, "rank": rank, "named": named, "local": local,
                      "asked": ask_cov, "new": new, "bonus": plain}, cell)


def novelty(quote: str, topic: Topic) -> float:
    """Share of the quote's character bigrams that are not the question's: a sentence that only
    restates the question ("七要加快企业复工，加快项目开工。") says nothing new."""
    grams = [quote[i:i + 2] for i in range(len(quote) - 1) if "\u4e00" <= quote[i] <= "\u9fff" and "\u4e00" <= quote[i + 1] <= "\u9fff"]
    if not grams or not topic:
        return 0.0
    return sum(g not in topic.terms for g in grams) / len(grams)


_ROLE_VERB = {"lead": re.compile(r"牵头|负责|主责|统筹|主管|组织实施"), "co": re.compile(r"配合|协助|协同|参与|协办")}
_STRONG_VERB = {"lead": re.compile(r"牵头|主责"), "co": re.compile(r"配合|协办")}


def fit_of(intent: str, sentence: str, heading: str, want: re.Pattern | None) -> float:
    """1 when the sentence holds the asked kind of item; for who-asks a unit with its role verb (or a
    role verb under a unit heading), 0.5 for a unit alone."""
    if want is None:
        return 1.0
    if intent in _ROLE_VERB:
        verb = _ROLE_VERB[intent].search(sentence)
        unit_heading = bool(UNIT.fullmatch(HEADING_LIKE.sub("", heading).strip("：: ")))
        if verb and (unit_heading or want.search(sentence)):
            return 1.0 if _STRONG_VERB[intent].search(sentence) else 0.8
        return 0.5 if want.search(sentence) else 0.0
    return 1.0 if want.search(sentence) else 0.0


def extend(text: str, a: int, b: int, want: re.Pattern | None, intent: str, limit: int = 300) -> tuple[int, int]:
    """Widen a sentence to the span that answers: a heading or short clause takes what follows it,
    a list item or lead-in runs to the end of the list, and a sentence without the asked item takes
    the neighbour that has it."""
    s = text[a:b]
    if len(s.strip()) < 12 or HEADING_LIKE.match(s) and len(s.strip()) < 40 or s.rstrip().endswith(("：", ":")):
        for a2, b2, s2 in sentences(text[b:min(len(text), b + 400)], b)[:3]:
            if b2 - a > 260 or (HEADING_LIKE.match(s2) and not re.match(r"\s*[一二三四五六七八九十]是", s2)
                                and not s.rstrip().endswith(("：", ":"))):
                break
            b = b2
            if b - a >= 40 and not text[a:b].rstrip().endswith(("：", ":")):
                break
    if text[a:b].rstrip().endswith(("；", ";")) or re.search(r"[几\d一二三四五六七八九十]+[个项大]?(?:方面|部分|板块|行动|任务)", text[a:b]) \
            and intent == "overview":
        for a2, b2, s2 in sentences(text[b:min(len(text), b + limit)], b):
            if b2 - a > limit or HEADING_LIKE.match(s2) and not re.match(r"\s*[一二三四五六七八九十]是", s2):
                break
            b = b2
            if s2.endswith("。"):
                break
    if want is not None and not want.search(text[a:b]):
        after = sentences(text[b:min(len(text), b + 200)], b)[:1]
        before = sentences(text[max(0, a - 200):a], max(0, a - 200))[-1:]
        for a2, b2, s2 in after + before:
            if want.search(s2) and not HEADING_LIKE.match(s2):
                a, b = min(a, a2), max(b, b2)
                break
    return a, b


LONG = 160
LIST_ASK = re.compile(r"哪些|如何|怎么|怎样|什么措施|什么政策|什么要求|什么规定|有何|措施|办法|做法|要求|步骤|流程")


ITEM = re.compile(r"\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]+[、是]|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十\d]+[步条项点]|"
                  r"[①②③④⑤⑥⑦⑧⑨⑩]|其[次二三]|路径\d|[一二三四五六七八九十][要是](?=[\u4e00-\u9fff]))")
GOES_ON = re.compile(r"\s*(?:同时|此外|另外|并且|而且|还|其中|具体|即|对此)")


FIRST_ITEM = re.compile(r"\s*(?:[（(]?[一1][）)]|一[、是]|1[.．、](?!\d)|第[一1][步条项点]|①|首先)")
RUN_ON_TOPIC = 0.15
RUN_ON_SHORT = 40


def run_on(text: str, a: int, b: int, topic: Topic | None = None, limit: int = 260) -> int:
    """A list or method question: the quote runs on, within ``limit`` characters, through

    - the list it opens (after a lead-in "…如下：", "…步骤：第一步…", or from its first item "一是…",
      "（一）…"): its items and their bodies;
    - the body of the item or heading it starts with ("四、安全平安过节。出行文明，…"), up to the
      next item or heading (an item asked about does not take its siblings);
    - otherwise the sentences that go on with it: clauses chained by "；", a sentence that says so
      ("同时，…"), and ones that stay on the question's topic (``RUN_ON_TOPIC`` of it); a short
      statement (under ``RUN_ON_SHORT`` characters: "各地要根据疫情实际分类施策。") takes the
      sentence that explains it. Both numbers are fitted on the ncp-dev fit half.

    It stops at a question (a Q&A page's next question)."""
    end = text.find("\n", b)
    end = len(text) if end < 0 else end
    quote = text[a:b]
    colon = max(quote.rfind("："), quote.rfind(":"))
    listing = quote.rstrip().endswith(("：", ":")) or bool(FIRST_ITEM.match(quote)) or \
        (colon >= 0 and bool(ITEM.match(quote[colon + 1:])))
    first = sentences(quote)[:1]
    # a heading: a marked line, or a short numbered one without the marker's punctuation ("一加强人员管理。")
    heading = not listing and (bool(ITEM.match(quote) or HEADING_LIKE.match(quote))
                               or bool(first) and len(first[0][2].strip()) <= 20
                               and bool(re.match(r"\s*[一二三四五六七八九十\d]", first[0][2])))
    kind = marker_kind(quote[colon + 1:] if colon >= 0 else quote)
    own_kind = marker_kind(quote)
    for a2, b2, s2 in sentences(text[b:end], b):
        if b2 - a > limit or s2.rstrip().endswith(("？", "?")):
            break
        so_far = text[a:b].rstrip()
        chained = so_far.endswith(("：", ":", "；", ";"))
        item = bool(ITEM.match(s2) or HEADING_LIKE.match(s2))
        if listing:
            kind = kind or marker_kind(s2)
            ok = not item or marker_kind(s2) in (kind, None)       # items and their bodies, not the next part
        elif heading:           # its body, with the items under it ("三、…" takes "5.…", "6.…"), not its sibling
            ok = chained or not item or _below(marker_kind(s2), own_kind)
        else:
            ok = chained or not item and (bool(GOES_ON.match(s2)) or len(so_far) < RUN_ON_SHORT
                                          or topic is None or topic.coverage(s2) >= RUN_ON_TOPIC
                                          or _parallel(s2, text[a:b]))
        if not ok:
            break
        b = b2
    return b


_MARKER_KINDS = (("paren", r"[（(][一二三四五六七八九十\d]{1,3}[）)]"), ("dun", r"[一二三四五六七八九十]+、"),
                 ("shi", r"[一二三四五六七八九十]+[是要](?=[\u4e00-\u9fff])"), ("num", r"\d{1,2}[.．、](?!\d)"),
                 ("step", r"第[一二三四五六七八九十\d]+[步条项点]"), ("circled", r"[①②③④⑤⑥⑦⑧⑨⑩]"))


def _parallel(sentence: str, run: str) -> bool:
    """A sentence built like one already in the run, an enumeration without markers ("对于疫情严重的
    地区，…。对于疫情比较轻的地区，…"): it opens with the same three characters."""
    head = sentence.lstrip()[:3]
    return len(head) == 3 and all("\u4e00" <= ch <= "\u9fff" for ch in head) and \
        any(x.lstrip().startswith(head) for _, _, x in sentences(run))


def _below(kind: str | None, heading: str | None) -> bool:
    """A marker of a lower level than the heading's (一、 > （一） > 1. > ①)."""
    return kind in _LEVELS and heading in _LEVELS and _LEVELS.index(kind) > _LEVELS.index(heading)


def marker_kind(sentence: str) -> str | None:
    """The style of the list marker a sentence starts with ("（二）" paren, "二、" dun, "2." num …)."""
    s = sentence.lstrip()
    return next((k for k, rx in _MARKER_KINDS if re.match(rx, s)), None)


def past_question(text: str, a: int, b: int) -> tuple[int, int]:
    """A sentence that restates a question (a Q&A page: "6、对…应如何处理？") answers with what
    follows it: the span moves to the next sentence."""
    if not text[a:b].rstrip().endswith(("？", "?")):
        return a, b
    nxt = sentences(text[b:min(len(text), b + 400)], b)[:1]
    return (nxt[0][0], nxt[0][1]) if nxt else (a, b)


_LEVELS = ("dun", "paren", "num", "circled")      # 一、 > （一） > 1. > ①
_SPACED_MARKER = re.compile(r"(?<=\s)(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩])")
RESTATES = 0.8      # topic coverage of a heading that restates the question
RESTATES_NEW = 0.15     # and at most this share of its bigrams not in the question


def _new_in(part: str, question: str) -> float:
    """Share of the CJK character bigrams of ``part`` that the question does not have."""
    grams = [part[i:i + 2] for i in range(len(part) - 1) if "\u4e00" <= part[i] <= "\u9fff" and "\u4e00" <= part[i + 1] <= "\u9fff"]
    return sum(g not in question for g in grams) / len(grams) if grams else 1.0


def past_heading(text: str, a: int, b: int, topic: Topic, question: str, limit: int = 260) -> tuple[int, int]:
    """A quote that ends in a heading restating the question ("…二、捐赠途径 （一）广西壮族自治区红十字会
    接收捐款账户信息。") answers with the body under that heading: the span moves to what follows, up to
    the heading's next sibling or a higher heading ("（二）…", "三、…"), within ``limit`` characters.
    A one-line web article keeps its headings inside one sentence, so they are found after a space."""
    quote = text[a:b]
    marks = list(_SPACED_MARKER.finditer(quote))
    tail = quote[marks[-1].start():] if marks else quote
    kind = marker_kind(tail)
    if kind not in _LEVELS or len(tail.strip()) > 40 or not topic or topic.coverage(tail) < RESTATES \
            or _new_in(tail, question) > RESTATES_NEW:
        return a, b                 # no heading, or one that says more than the question ("（三）…要强制休息")
    level = _LEVELS.index(kind)
    window = text[b:min(len(text), b + limit)]
    end = len(window)
    for m in _SPACED_MARKER.finditer(window):
        k = marker_kind(m.group(0))
        if k in _LEVELS and _LEVELS.index(k) <= level:
            end = m.start()
            break
    nl = window.find("\n")
    end = min(end, nl) if nl >= 0 else end
    body = window[:end]
    if len(body.strip()) < 4:
        return a, b
    lead = len(body) - len(body.lstrip())
    return b + lead, b + len(body.rstrip())


def _title_prefix(sentence: str, title: str) -> int:
    """Length of a headline at the start of ``sentence`` (the document's title, or most of it)."""
    t = re.sub(r"\s+", "", title)
    s = sentence.lstrip()
    lead = len(sentence) - len(s)
    if len(t) >= 6 and s.startswith(t[:max(6, int(len(t) * 0.8))]):
        n = len(t) if s.startswith(t) else max(6, int(len(t) * 0.8))
        return lead + n if len(s) > n + 4 else 0
    return 0


def focus(text: str, a: int, b: int, topic: Topic, limit: int = LONG) -> tuple[int, int]:
    """A long sentence cut to the clauses that answer: from the clause that covers the topic best,
    on to a clause end within ``limit`` characters (the clause that holds the answer is never cut)."""
    pieces, pos = [], a
    for part in re.split(r"(?<=[，,；;：:])", text[a:b]):
        pieces.append((pos, pos + len(part), part))
        pos += len(part)
    if len(pieces) < 2 or not topic:
        return a, b
    i = max(range(len(pieces)), key=lambda k: (topic.coverage(pieces[k][2]), -k))
    start, end = pieces[i][0], pieces[i][1]
    for p0, p1, _ in pieces[i + 1:]:
        if p1 - start > limit:
            break
        end = p1
    if end - start < 40 and i + 1 < len(pieces):       # the topic's own clause says little: take what follows
        end = max(end, pieces[i + 1][1])
    return start, end


def find_slot(quote: str, want: re.Pattern, topic: Topic) -> str:
    """The asked item in ``quote`` as written: in the clause that covers the topic best, the
    occurrence nearest the topic's words."""
    clauses = [c for c in re.split(r"(?<=[，；;。：:])|(?<=,)(?!\d{3})", quote) if c.strip()]   # not 37,151.47
    best = None
    for i, c in enumerate(clauses):
        for m in want.finditer(c):
            item = m.group(0).strip()
            if not item or item == "年" or re.fullmatch(r"\d{1,2}", item) or \
                    (want is NUMBER and re.fullmatch(r"(?:19|20)\d{2}\s*年?", item)) or \
                    (want is NUMBER and re.fullmatch(r"\d{1,2}\s*日", item) and c[m.start() - 1:m.start()] == "月"):
                continue                            # a year, or the day of a date ("2025年1月1日"), is no amount
            cov = topic.coverage(c) if topic else 0.0
            near = max(topic.coverage(clauses[i - 1]) if i else 0.0,
                       topic.coverage(clauses[i + 1]) if i + 1 < len(clauses) else 0.0) if topic else 0.0
            # a value that a comparator introduces ("达到50%", "不低于27.5%") is the target, not a
            # number of the subject ("500米服务半径")
            stated = 0.3 if _COMPARATOR.search(c[max(0, m.start() - 6):m.start()]) else 0.0
            # an amount as written (17,200,000.00, 1.00万元) rather than a bare code (206 05 03)
            written = 0.3 if re.search(r"\d[.,]\d|[^\d\s]$", item) else 0.0
            score = cov + 0.5 * near + stated + written
            if best is None or score > best[0]:
                best = (score, item)
    return best[1] if best else ""


_COMPARATOR = re.compile(r"达到|达|不低于|不少于|不超过|不高于|超过|高于|低于|提高到|提升到|提升至|提高至|增加到|增至|降至|降低到|控制在|"
                         r"保持在|稳定在|为|约")


def region_ok(sentence: str, ask: Query, allowed: set[str]) -> bool:
    """A sentence that names other districts but not the asked one does not answer for it."""
    if not ask.regions:
        return True
    allowed = allowed or set(ask.regions) | {CITY_OF.get(r) for r in ask.regions}
    areas = find_areas(sentence)
    return not areas or any(a in allowed or CITY_OF.get(a) in ask.regions for a in areas)


def _cover(topic: Topic, text: str, title: str) -> float:
    """Topic coverage of ``text``, leaving out the title's words when other words are covered."""
    if not topic:
        return 0.0
    inner = topic.coverage(text, ignore=title)
    return inner if inner > 0 else 0.5 * topic.coverage(text)


def _neighbours(text: str, a: int, b: int) -> str:
    after = sentences(text[b:min(len(text), b + 200)], b)[:1]
    before = sentences(text[max(0, a - 200):a], max(0, a - 200))[-1:]
    return " ".join(s for _, _, s in after + before)

