"""Read: clause-level answer candidates from the gathered passages.

Each sentence of a retrieved passage is a candidate, widened into the span that answers
(``spans``: the quantity may be given in the next sentence, a heading is read with what follows
it, a list ("一是…；二是…") to its end). Datelines, speakers' lead-ins and a notice's headline and
addressees are left out of candidates; a table row is read with its column headers (``cells``).
A candidate is scored by

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

from .cells import WRITTEN, WRITTEN_BONUS, Cell, asked_cell
from .evidence import (Topic, cjk_bigrams, closing_mark, headline_cuts, one_line, quotation_start, sentences,
                       span_text)
from .gather import Evidence, _without
from .spans import (_CONTENT, ENUMERATION_ASK, HEADING_LIKE, LIST_ASK, LONG, SIGNATURE, UNIT, WHO, duty_note, extend,
                    focus, past_echo, past_heading, past_question, run_on, to_enumeration)
from .understand import Query

DATE = re.compile(r"自[^，。；]{0,8}?(?:印发|发布|公布|施行|实施)之日起(?:施行|实施|生效|执行)?|至[^，。；]{2,24}?(?:为止|结束|解除)(?:后|之后)?|(?:视|根据)[^，。；]{2,24}?(?:确定|决定|另行通知)|(?:(?:19|20)\d{2}\s*年\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?(?:[（(]星期.[）)])?"
                  r"|年)(?:底|末|上半年|下半年|中|初)?(?:前|以前|之前|起|开始|至今)?"
                  r"|(?:19|20)\d{2}\s*[-—–至到]\s*(?:19|20)?\d{2}\s*年|[今明本当]年(?:底|内)?前?|当[日天]|\d+\s*(?:个)?(?:工作日|日|天|个月|年)(?:内|以内)")
NUMBER = re.compile(r"(?<![A-Za-z\d.,，])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*[～~—–-]\s*\d+(?:\.\d+)?)?\s*(?:余|多)?(?:%|％|‰|°|度|个百分点|平方公里|平方米|立方米|公顷|微克|毫克|千瓦|兆瓦|公斤|千克|万亩|亩|万元|亿元|元|[万亿](?:人次|人(?!民)|户|次|名(?!单)|个(?!体|人)|套|家(?!庭)|项(?!目)|吨|辆|台(?!账)|所(?!属)|座|条(?!件|例)|株|份|张|床|批(?!准|复)|场(?!馆|所|地))?|套|家|处|个月|个工作日|个|座|项|米|公里|千米|吨|人次|人|所|名|台|辆|株|批|场|条|户|倍|分钟|小时|天|周|日|年|次|床|张|份|盏)?"
                    r"|[一二三四五六七八九十百千万两]+(?:个|项|家|所|名|批|条|座|类|种|次|年|倍)")
_WANT = {"deadline": DATE, "indicator": NUMBER, "lead": WHO, "co": WHO,
         "definition": re.compile(PASSAGE["definition"].pattern + "|作为|定位|即|包括")}
DATELINE = re.compile(r"\s*(?:新华社|中新社|中新网|人民网|央视网|新华网|[\u4e00-\u9fff]{2,6}(?:日报|晚报|网|电视台))?"
                      r"[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日电\s*(?:[（(][^）)]{0,30}[）)])?\s*")
SAID = re.compile(r"\s*(?:据了解|据悉|据介绍|记者[^，。；]{0,20}?(?:获悉|了解到)|[^，。；：“”]{2,24}?(?:表示|介绍|指出|强调|透露))[，,：:]\s*")
# a speaker after a quotation ("”国家卫健委新闻发言人米锋说。"): the quotation is what was said
ATTRIBUTION = re.compile(r"\s*[”\"]?\s*[^，。；“”]{1,30}?(?:说|表示|介绍|指出|强调)[。.]?\s*$")
# a 通知's opening: its headline, 文号 and the addressees it is sent to ("财办〔2020〕7号 各省、自治区、直辖市…财政局：",
# "尊敬的广大市民朋友：") name units and places that the notice is not about
SALUTATION = re.compile(r"\s*(?:[^。；;：:\s]{0,30}关于[^。；;：:]{2,80}?(?:通知|通告|公告|意见|决定|办法|方案|批复|函)\s*)?"
                        r"(?:[\u4e00-\u9fff]{2,6}[〔\[(（［【]\d{4}[〕\])）］】]\s*\d{1,4}\s*号\s*)?"
                        r"(?:各|广大|尊敬的)[^。；;：:！!？?要请需应将如]{1,120}?"
                        r"(?:政府|厅|局|委|办|部门|单位|机构|兵团|公司|企业|工程|学校|医院|社区|居民|朋友们?|市民|群众|同志们?|同学们?|家长们?)"
                        r"(?:[（(][^）)]{1,6}[）)])?[：:]\s*")


@dataclass
class Weights:
    """Fitted on the fit half of ncp-dev (``python -m eval --ncp … --split fit``): a grid over the
    weights, choosing the best candidate per question, raised the share of questions whose best
    quote holds the gold span from 0.61 (hand-set weights) to 0.65; reported on the check half.
    ``focus`` and ``heading`` were added later and chosen on the fit half alone (ncp-dev fit hit
    0.744 -> 0.767; reported on check: 0.647 -> 0.671)."""
    own: float = 0.2
    context: float = 0.25
    fit: float = 0.25
    rank: float = 0.1
    named: float = 0.1
    asked: float = 0.6
    local: float = 0.1
    new: float = 0.0                # what the quote says beyond the question's words (``novelty``)
    focus: float = 0.75             # share of ``asked`` given to the question's asking clause (``Query.focus``)
    heading: float = 0.2            # a quote opening with a heading the question names (``heading_named``)

    def total(self, parts: dict[str, float]) -> float:
        """A candidate's score from its parts: ``asked`` is the whole question's coverage and
        ``focus`` its asking clause's (the same when it has one clause); ``bonus`` is added as it is."""
        asked = parts.get("asked", 0.0)
        asked = (1 - self.focus) * asked + self.focus * parts.get("focus", asked)
        return (self.own * parts.get("own", 0.0) + self.context * parts.get("context", 0.0)
                + self.fit * parts.get("fit", 0.0) + self.rank * parts.get("rank", 0.0)
                + self.named * parts.get("named", 0.0) + self.local * parts.get("local", 0.0)
                + self.asked * asked + self.new * parts.get("new", 0.0) + self.heading * parts.get("heading", 0.0)
                + parts.get("bonus", 0.0))


@dataclass
class Candidate:
    hit: Hit
    start: int                      # the quote's span in the document text
    end: int
    quote: str
    score: float
    own: float                      # topic coverage for verify's floor (a named document: with its title)
    fit: bool
    slot: str = ""                  # the asked item as written (a date, a number with its unit …)
    parts: dict[str, float] = field(default_factory=dict)
    cell: Cell | None = None        # a table row's figure: its row and column headers
    boost: float = 0.0              # the part of ``score`` that ranks candidates but is no evidence of an answer

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
    focus = Topic(_without(ask.focus, ask.regions), ctx.idf) if ask.focus else None
    whole = named_by_topic(ask.topic, ctx)
    out: list[Candidate] = []
    for h in ev.hits:
        out += read_hit(h, ask, topic, asked, ctx, ev.rank.get(h.chunk_id, 0.0), topic_named=whole, focus=focus)
    out.sort(key=lambda c: -c.score)
    kept: list[Candidate] = []
    for c in out:                                   # one candidate per stretch of text
        if not any(k.doc_id == c.doc_id and k.start < c.end and c.start < k.end for k in kept):
            kept.append(c)
    return kept[:limit]


DUTY_HEADING = 0.3      # a department question's passage under that unit's heading (half: naming it)


def _asked_department(ask: Query, ctx: ReadContext) -> str:
    """The unit a department question asks about, when the context can read unit names."""
    directory = getattr(ctx, "directory", None)
    return ask.departments[0] if ask.intent == "dept" and ask.departments and directory is not None else ""


def _named_it(word: str, ctx: ReadContext) -> bool:
    """``word`` is part of the words that named a preferred document (its title, issuer, 文号)."""
    return any(word in t for t in ctx.title_words)


def named_by_topic(topic: str, ctx: ReadContext) -> bool:
    """Every topic word is one that named the document ("最低生活保障标准是多少" of the 最低生活保障标准
    通知): its sentences that hold them cover the question as much as any other document's."""
    words = topic.split()
    return bool(ctx.preferred and ctx.title_words and words) and all(_named_it(w, ctx) for w in words)


def inner_topic(topic: str, ctx: ReadContext) -> str:
    """Within a named document, the words that named it (its title, its issuer) say nothing about
    which of its passages or figures is asked: the topic without them (all of it when nothing
    else is left)."""
    words = topic.split()
    if ctx.preferred and ctx.title_words:
        words = [w for w in words if not _named_it(w, ctx)] or words
    return " ".join(words)


# the asks a signature (units and a date) does not answer; a flattened task row ("…区卫健委 区财政局
# 2020年12月31日") looks like one and answers who and when
SIGNED_NOTHING = ("general", "definition", "overview", "indicator")
PER_PASSAGE = 2     # candidate sentences read from each passage (the best one is not always the answer)
HEADLINE_REST = 12  # characters of body a headline or subheading must leave after it to be cut off


def read_hit(hit: Hit, ask: Query, topic: Topic, asked: Topic, ctx: ReadContext, rank: float,
             per_passage: int = PER_PASSAGE, topic_named: bool = False, focus: Topic | None = None) -> list[Candidate]:
    """The ``per_passage`` best sentences of one passage, each widened to the span that answers.
    ``topic_named``: every topic word named the preferred documents (``named_by_topic``)."""
    text = ctx.docs.text(hit.doc_id)
    if not text:
        return []
    w = ctx.weights
    want = _WANT.get(ask.intent)
    heading = section_heading(hit.breadcrumb)
    title = hit.title
    # the question names this document with all its topic words: its title gives no discount
    cover_title = "" if topic_named and hit.doc_id in ctx.preferred else title
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
    unit = _asked_department(ask, ctx)
    unit_heading = bool(unit) and unit in ctx.directory(HEADING_LIKE.sub("", heading))
    scored, subheads = [], {}
    flat = hit.kind == "text" and one_line(text)
    for i, (a, b, s) in enumerate(cands):
        if title and hit.kind == "text":            # a headline repeated at the start of the text is no answer
            head = _title_prefix(s, title)
            if head:
                a, s = a + head, s[head:]
                cands[i] = (a, b, s)
            cuts = [] if HEADING_LIKE.match(s) or not flat else headline_cuts(s)   # a marked heading stays (past_heading)
            if cuts and len(s) - cuts[-1][1] >= HEADLINE_REST:    # so is a headline or subheading: the body's heading
                subheads[i] = s[:cuts[-1][1]]
                a, s = a + cuts[-1][1], s[cuts[-1][1]:]
                cands[i] = (a, b, s)
        line = (DATELINE.match(s) or SAID.match(s) or SALUTATION.match(s)) if hit.kind == "text" else None
        if line and len(s) > line.end() + 8:           # "新华社北京2月9日电（记者 安蓓）", "陆靖表示，" is no answer either
            a, s = a + line.end(), s[line.end():]
            cands[i] = (a, b, s)
        if hit.kind == "text" and ask.intent in SIGNED_NOTHING and SIGNATURE.match(s):
            continue                                    # who signed and when answers no such question
        closing = closing_mark(text, a, s) if hit.kind == "text" and ATTRIBUTION.match(s) else -1
        if closing >= 0:
            opening = quotation_start(text, closing)    # from the closing mark
            if 0 <= opening < a:                        # the quotation with its speaker
                a, s = opening, text[opening:b]
                cands[i] = (a, b, s)
        if len(s.strip()) < 4 or not region_ok(s, ask, ctx.regions):
            continue
        seen = hit.text if hit.kind == "table_row" and hit.text else s     # a row with its column headers
        own = _cover(topic, seen, cover_title)
        context = _cover(topic, f"{heading} {subheads.get(i, '')} {seen}", cover_title)
        fit = fit_of(ask.intent, s, heading, want)
        if fit and ask.intent == "deadline" and BEFORE_ASK.search(ask.text) and not BEFORE_DATE.search(s):
            fit = 0.0                                   # "哪天前交": a date the thing must be done before
        if not fit and want is not None and hit.kind == "text":
            nb = _neighbours(text, a, b)
            if want.search(nb):
                fit = 0.6
        ask_cov = asked.coverage(seen)
        focus_cov = focus.coverage(seen) if focus else ask_cov     # the asking clause, over the one that sets the scene
        plain = 0.02 if not HEADING_LIKE.match(s) else 0.0       # a sentence rather than a heading
        if unit:                # what a unit must do: its duties under its own heading ("(三)区财政局")
            plain += DUTY_HEADING if unit_heading else DUTY_HEADING / 2 if unit in ctx.directory(s) else 0.0
        score = w.total({"own": own, "context": context, "fit": fit, "rank": rank, "named": named, "local": local,
                         "asked": ask_cov, "focus": focus_cov, "bonus": plain})
        # how much of the topic the sentence holds, for the no-answer floor (``verify``): in a document the
        # question names, the title's words count too (they named it)
        support = max(own, topic.coverage(seen)) if named else own
        scored.append((score, i, own, context, fit, ask_cov, plain, support, focus_cov))
    scored.sort(key=lambda x: -x[0])
    return [c for c in (_widen(text, cands[x[1]], x, hit, ask, topic, want, named, local, rank, w)
                        for x in scored[:per_passage]) if c is not None]


def _widen(text: str, sentence: tuple[int, int, str], parts: tuple, hit: Hit, ask: Query, topic: Topic,
           want: re.Pattern | None, named: float, local: float, rank: float, weights: Weights) -> Candidate | None:
    score, _, own, context, fit, ask_cov, plain, support, focus_cov = parts
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
        if ask.intent in ("general", "overview") and ENUMERATION_ASK.search(ask.text):
            b = to_enumeration(text, a, b)          # a "哪些" quote that lists nothing: the next sentence lists
        b = duty_note(text, b)                      # the measure's "（责任单位：…）" belongs to its quote
        if ask.intent in ("general", "definition", "overview"):
            a = past_echo(text, a, b, ask.text)     # its opening clauses that restate the question
    quote = text[a:b].strip()
    a += len(text[a:b]) - len(text[a:b].lstrip())
    b = a + len(quote)
    slot = find_slot(quote, want, topic, ask.text) if want is not None and ask.intent in ("deadline", "indicator") else ""
    cell = asked_cell(hit.text, want, topic) if hit.kind == "table_row" and slot and want is NUMBER else None
    cell = cell if cell and cell.value in quote else None
    if cell:
        slot = cell.value                           # the asked column's figure, named by row and column
    parts = {"own": own, "context": context, "fit": fit, "rank": rank, "named": named, "local": local,
             "asked": ask_cov, "focus": focus_cov, "new": novelty(quote, topic), "bonus": plain,
             "heading": float(ask.intent in ("general", "definition", "overview")
                              and heading_named(quote, ask.search_text))}
    # a heading the question names says which section answers, not that one does ("六、其他事宜" for
    # "宠物美容店营业的其他事宜有哪些？"): it ranks, and verify's threshold does not count it
    return Candidate(hit, a, b, quote, weights.total(parts), support, fit >= 1.0 or bool(slot), slot, parts, cell,
                     boost=weights.heading * parts["heading"])


_MARKED = re.compile(r"\s*(?:[（(〔【][一二三四五六七八九十\d]{1,3}[）)〕】]|[一二三四五六七八九十]+[、.．]|\d{1,2}(?:[.．]\d{1,2})*[.．、](?!\d)"
                     r"|\d{1,2}(?:[.．]\d{1,2})+\s|第[一二三四五六七八九十百\d]+(?:部分|章|节|条)\s?|[①②③④⑤⑥⑦⑧⑨⑩])")
HEADING_NAMED = 0.8     # share of a heading's character bigrams the question must have
HEADING_BODY = 4        # content characters the quote must have after its heading ("一芯一屏：指集成电路…")


def heading_named(quote: str, question: str) -> bool:
    """The quote opens with a numbered heading that the question's words name: "二、提供健康服务 各地要…"
    for "…是如何为…老年亲属提供健康服务的？", "（二）捐赠方式 1.微信…" for "…捐赠方式有哪些？". A web
    article's sections are headings inside one line, so the passage's breadcrumb does not know them.
    A heading is the text right after its marker (no space between) up to a space, "：" or "。"
    ("2.减免中小微企业房租。中小微企业承租…"), 3–25 characters without "，", with at least
    ``HEADING_BODY`` characters of body after it."""
    m = _MARKED.match(quote)
    if not m:
        return False
    rest = quote[m.end():]
    end = re.search(r"[\s：:。；;，,]", rest)
    if not end or end.start() == 0 or not (end.group(0).isspace() or end.group(0) in "：:。"):
        return False
    head, body = rest[:end.start()], rest[end.end():]
    grams = cjk_bigrams(head)
    if not 3 <= len(head) <= 25 or not grams or len(_CONTENT.findall(body)) < HEADING_BODY:
        return False
    return sum(g in question for g in grams) / len(grams) >= HEADING_NAMED


def novelty(quote: str, topic: Topic) -> float:
    """Share of the quote's character bigrams that are not the question's: a sentence that only
    restates the question ("七要加快企业复工，加快项目开工。") says nothing new."""
    grams = cjk_bigrams(quote)
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


def _title_prefix(sentence: str, title: str) -> int:
    """Length of a headline at the start of ``sentence`` (the document's title, or most of it)."""
    t = re.sub(r"\s+", "", title)
    s = sentence.lstrip()
    lead = len(sentence) - len(s)
    if len(t) >= 6 and s.startswith(t[:max(6, int(len(t) * 0.8))]):
        n = len(t) if s.startswith(t) else max(6, int(len(t) * 0.8))
        return lead + n if len(s) > n + 4 else 0
    return 0


def find_slot(quote: str, want: re.Pattern, topic: Topic, question: str = "") -> str:
    """The asked item in ``quote`` as written: in the clause that covers the topic best, the
    occurrence nearest the topic's words; for "延长至何时" the date the quote's 至/到 leads to."""
    until = want is DATE and bool(UNTIL.search(question))
    before = want is DATE and bool(BEFORE_ASK.search(question))
    unit = asked_unit(question) if want is NUMBER else None
    clauses = [c for c in re.split(r"(?<=[，；;。：:])|(?<=,)(?!\d{3})", quote) if c.strip()]   # not 37,151.47
    best = None
    for i, c in enumerate(clauses):
        for m in want.finditer(c):
            item = m.group(0).strip()
            if not item or item == "年" or re.fullmatch(r"\d{1,2}", item) or \
                    (want is NUMBER and re.fullmatch(r"(?:19|20)\d{2}\s*年?", item)) or \
                    (want is NUMBER and re.fullmatch(r"\d{1,2}\s*日", item) and c[m.start() - 1:m.start()] == "月"):
                continue                            # a year, or the day of a date ("2025年1月1日"), is no amount
            if want is NUMBER and re.fullmatch(r"\d+", item) and (c[m.end():m.end() + 1] == "号" or c[m.start() - 1:m.start()] == "第"):
                continue                            # a document's or an item's number ("公告2015年第102号") neither
            if not in_unit(item, unit):
                continue                            # not in the asked unit ("14日" for a sum in 元)
            # a label ("举报违法热线电话：") names the value after it, not a figure before it in its clause
            cov = topic.coverage(c) if topic and not _LABEL_END.search(c) else 0.0
            near = max(topic.coverage(clauses[i - 1]) if i else 0.0,
                       topic.coverage(clauses[i + 1]) if i + 1 < len(clauses) else 0.0) if topic else 0.0
            if i and topic and _LABEL_END.search(clauses[i - 1]):
                near, cov = 0.0, max(cov, topic.coverage(clauses[i - 1]))
            # a value that a comparator introduces ("达到50%", "不低于27.5%") is the target, not a
            # number of the subject ("500米服务半径")
            stated = 0.3 if _COMPARATOR.search(c[max(0, m.start() - 6):m.start()]) else 0.0
            # an amount as written (17,200,000.00, 1.00万元) rather than a bare code (206 05 03)
            written = WRITTEN_BONUS if WRITTEN.search(item) else 0.0
            to = UNTIL_BONUS if until and re.search(r"[至到]\s*$", c[max(0, m.start() - 2):m.start()]) else 0.0
            if before and (re.search(r"(?:前|为止|截止)$", item) or re.match(r"\s*(?:前|以前|之前|为止|截止)", c[m.end():])
                           or re.search(r"截[止至]\S{0,4}$", c[:m.start()])):
                to += UNTIL_BONUS                   # the date it must be done by
            score = cov + 0.5 * near + stated + written + to
            if best is None or score > best[0]:
                best = (score, item)
    return best[1] if best else ""


ASKED_UNIT = re.compile(r"(?:多少|几)(个百分点|度|平方公里|平方米|立方米|公顷|万元|亿元|元|分钟|小时|天|微克|毫克|千瓦|兆瓦|公斤|千克|床位"
                        r"|人次|万次|[套家处个项所座条户名人台辆株批场亩吨次])")
# a sum of money asked without its unit ("补助资金的预拨金额是多少"): an amount in 元 — not a share or a
# count of it ("资金的分担比例是多少", "资金到位率是多少", "专项资金支持多少企业"), nor "费用可以报销多少" (a share)
MONEY_ASK = re.compile(r"(?:金额|资金|经费|款项|奖金)(?:的?(?:总额|数额|规模|总量))?(?:是|为|有|达|共|共计|合计|总计|一共)?多少"
                       r"(?=\s*(?:元|钱)?\s*(?:[？?。，,；;！!]|$))|多少钱")


def in_unit(item: str, unit: str | None) -> bool:
    """``item`` is an amount in ``unit`` (none asked: any); a sum in 万 or 亿 is one in 元 ("3.5亿")."""
    return not unit or unit in item or unit == "元" and item.rstrip().endswith(("万", "亿"))


def asked_unit(text: str) -> str | None:
    """The unit a question asks its amount in ("多少座" 座, "预拨金额是多少" 元), None when it names none."""
    m = ASKED_UNIT.search(text)
    if m:
        return m.group(1)
    return "元" if MONEY_ASK.search(text) else None


UNTIL = re.compile(r"[至到](?:何时|什么时候|什么时间|哪天|哪一天|哪日|何日|几月几[日号])")
# a deadline asked as the day something must be done by ("报名哪天截止", "材料哪天前交", "最晚什么时候"),
# and a date written so ("请于11月15日前…报名", "截止时间为2021年10月25日")
BEFORE_ASK = re.compile(r"截止|截至|(?:哪一?天|几号|几月几[日号]|什么时候|何时)(?:之|以)?前|最晚|最迟")
BEFORE_DATE = re.compile(rf"(?:{DATE.pattern})\s*(?:前|以前|之前|为止|截止)|截[止至](?:日期|时间)?(?:为|是|到|至)?\s*(?:{DATE.pattern})")
UNTIL_BONUS = 0.5   # a date after 至/到 when the question asks until when (same weight as a neighbour clause)
_LABEL_END = re.compile(r"[：:]\s*$")
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

