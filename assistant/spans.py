"""Spans: how far a candidate sentence widens into the quote that answers.

A sentence picked by ``read`` is often not the whole answer: a heading answers with the body under
it, a lead-in ("…如下：") with the list it opens, a list item with its siblings, a sentence without
the asked item with the neighbour that has it, a long sentence with the clauses that answer. One
function per way of widening, each taking the document text and a span and returning a span:

- ``past_question``: a Q&A page's restated question answers with the next sentence;
- ``past_heading``: a heading that restates the question ("（一）…接收捐款账户信息。") answers with
  its body, up to its next sibling;
- ``extend``: a heading or short clause takes what follows, a sentence without the asked item its
  neighbour;
- ``run_on``: a list or method question runs on through the list, the heading's body and the items
  under it, and the sentences that go on with it;
- ``to_enumeration``: a "哪些" quote that lists nothing takes the next sentence when that one lists;
- ``focus``: a long sentence is cut to the clauses that answer.

Headings are told by their markers, in the usual 公文 order 一、 > （一） > 1. > （1） > ①.

Example:
    >>> text = "三、减轻企业负担 5.缓解用能成本压力。 6.延长合同履行期限。 四、加大金融支持"
    >>> text[:run_on(text, 0, 8)]
    '三、减轻企业负担 5.缓解用能成本压力。 6.延长合同履行期限。'
"""
from __future__ import annotations

import re
import unicodedata

from .evidence import UNIT_SUFFIX, Topic, cjk_bigrams, sentences

# a unit's name ("区园林绿化局", "市场监管总局", "领导小组办公室")
UNIT = re.compile(rf"[\u4e00-\u9fff]{{2,14}}?(?:{UNIT_SUFFIX})")
# a party named by its role in a project, not by its name ("物业管理单位", "管养单位", "物业服务企业")
ROLE_UNIT = re.compile(r"(?:物业管理|物业服务|运营维护|运营管理|管养|养护|维护|运营|产权|建设|施工|设计|监理|代建)(?:单位|企业)|物业公司")
# who a sentence names: a unit by its name or by its role
WHO = re.compile(f"{UNIT.pattern}|{ROLE_UNIT.pattern}")
# a signature: the issuing units and the date, nothing else ("泰州市海陵区…领导小组办公室 2020年2月20日。")
SIGNATURE = re.compile(rf"\s*(?:[\u4e00-\u9fff（）()、]{{2,40}}?(?:{UNIT_SUFFIX})\s*){{1,4}}"
                       r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[。.]?\s*$")
HEADING_LIKE = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+(?:\.\d+)*[.．、]?(?=\D)|第[一二三四五六七八九十百]+[部分章节条]|[一二三四五六七八九十]是)")


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
ENUMERATION_ASK = re.compile(r"哪些|哪几|几类|几项|几个方面")
# an enumeration: three items in a row ("试剂、消毒物品、防护用品"), a list marker after a space or at the
# start ("一是", "（1）", "2.", "①"), or clauses between semicolons
ENUMERATION = re.compile(r"(?:[^、，,。；;：:\s]{1,25}\s*、\s*){2,}[^、，,。；;：:\s]{1,25}"
                         r"|[^、，,。；;：:\s]{1,25}、[^、，,。；;：:\s]{1,25}?(?:和|及|以及|与)[^、，,。；;：:\s]{1,25}"
                         r"|(?:^|\s)(?:[一二三四五六七八九十]是|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩])"
                         r"|；[^；]{2,}；")
# the note of who carries out a measure, right after it: "（责任单位：市人力资源社会保障局、市财政局）",
# "(牵头单位：区发改委；配合单位：…)"; it belongs to the measure and closes it
_IN_NOTE = r"(?:[^（）()\n]|[（(][^（）()\n]{0,30}[）)])"       # one level of brackets inside: "市发展改革委（市粮食和储备局）"
DUTY_NOTE = re.compile(rf"[ \t\u3000\u00a0]{{0,2}}[（(](?:{_IN_NOTE}{{0,6}}?(?:责任|牵头|配合|主责|负责|实施|承办)(?:单位|部门)[：:]"
                       rf"{_IN_NOTE}{{1,200}}?|{_IN_NOTE}{{2,120}}?(?:牵头|负责|配合|参与){_IN_NOTE}{{0,80}}?)[）)]")
GOES_ON = re.compile(r"\s*(?:同时|此外|另外|并且|而且|还|其中|具体|即|对此)")


FIRST_ITEM = re.compile(r"\s*(?:[（(]?[一1][）)]|一[、是]|1[.．、](?!\d)|第[一1][步条项点]|①|首先)")
# a sentence that opens with a day or a time ("2月17日00:00後，…") or cites an article ("第四十七条规定：“…”")
# is no numbered heading (a year's step, "2025年：…", stays one)
DATE_LED = re.compile(r"\s*(?:\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}:\d{2}|第[一二三四五六七八九十百零〇\d]+条(?:规定|明确|指出))")
RUN_ON_TOPIC = 0.15
RUN_ON_SHORT = 40


def run_on(text: str, a: int, b: int, topic: Topic | None = None, limit: int = 260) -> int:
    """A list or method question: the quote runs on, within ``limit`` characters, through

    - the list it opens (after a lead-in "…如下：", "…步骤：第一步…", or from its first item "一是…",
      "（一）…"): its items and their bodies;
    - the body of the item or heading it starts with ("四、安全平安过节。出行文明，…"), up to the
      next item or heading (an item asked about does not take its siblings);
    - otherwise the sentences that go on with it: clauses chained by "；", the rest of its
      paragraph (``same_paragraph``), a sentence that says so ("同时，…"), and ones that stay on
      the question's topic (``RUN_ON_TOPIC`` of it); a short
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
    top = quote[colon + 1:] if colon >= 0 else quote
    kind = marker_kind(top)
    top = top if kind else ""                      # the list's first item, once known
    for a2, b2, s2 in sentences(text[b:end], b):
        if b2 <= b:
            continue                                # taken with a duty note already
        note = duty_note(text, b)
        if note > b:            # who carries it out: closes a measure, one item of a list or a heading's body
            if not (listing or heading):
                return note
            b = note
            continue
        if b2 - a > limit or s2.rstrip().endswith(("？", "?")) or SIGNATURE.match(s2):
            break
        so_far = text[a:b].rstrip()
        chained = so_far.endswith(("：", ":", "；", ";"))
        item = bool(ITEM.match(s2) or HEADING_LIKE.match(s2)) and not DATE_LED.match(s2)
        if listing:             # items, their bodies and the items under them, not the next part
            kind = kind or marker_kind(s2)
            top = top or (s2 if item else "")
            ok = not item or marker_kind(s2) in (kind, None) or bool(top) and _below(s2, top)
        elif heading:           # its body, with the items under it ("三、…" takes "5.…", "6.…"), not its sibling
            ok = chained or not item or _below(s2, quote)
        else:
            ok = chained or not item and (bool(GOES_ON.match(s2)) or len(so_far) < RUN_ON_SHORT
                                          or same_paragraph(text, b, a2, s2)
                                          or topic is None or topic.coverage(s2) >= RUN_ON_TOPIC
                                          or _parallel(s2, text[a:b]) and topic.coverage(s2) > 0)
        if not ok:
            break
        b = b2
    return b


_MARKER_KINDS = (("paren", r"[（(][一二三四五六七八九十\d]{1,3}[）)]"), ("dun", r"[一二三四五六七八九十]+、"),
                 ("shi", r"[一二三四五六七八九十]+[是要](?=[\u4e00-\u9fff])"), ("num", r"\d{1,2}[.．、](?!\d)"),
                 ("step", r"第[一二三四五六七八九十\d]+[步条项点]"), ("circled", r"[①②③④⑤⑥⑦⑧⑨⑩]"))


def duty_note(text: str, b: int) -> int:
    """The end of a measure's duty note right after ``b``, or ``b``: "(责任单位:省人力资源和社会保障厅)",
    "（区人社局牵头，区财政局配合）", "（工业和信息化部、发展改革委等负责）" — a note that names a unit
    ("（由企业负责人签字）" names none)."""
    note = DUTY_NOTE.match(text, b)
    return note.end() if note and UNIT.search(note.group(0)) else b


def same_paragraph(text: str, end: int, start: int, sentence: str) -> bool:
    """``sentence`` (at ``start``) is a whole sentence that follows the one ending at ``end`` in the same
    paragraph: nothing, not even a space, between them, and it ends as a sentence does (a line of a
    wrapped PDF paragraph, "…严厉打击哄抬" before its line break, is no sentence). A paragraph break is
    a line break, or in a web article saved as one line the space or indent ("　　") left of one."""
    return not re.search(r"\s", text[end:start]) and \
        sentence.rstrip().rstrip("”’」』\"'）)").endswith(("。", "！", "？", "；", "：", "!", "?", ";", ":"))


def to_enumeration(text: str, a: int, b: int, limit: int = 300) -> int:
    """A "哪些" question whose quote enumerates nothing ("…第二批储备冻猪肉投放更加便民、惠民。") takes
    the next sentence of its line when that one enumerates ("…再增加大乐购超市太阳广场店、步步高…等9个
    投放点") of at most ``limit`` characters; not a question, a short heading ("（一）加强组织领导。"), a
    signature or a table's row."""
    if ENUMERATION.search(text[a:b]):
        return b
    line_end = text.find("\n", b)
    nxt = sentences(text[b:min(line_end if line_end >= 0 else len(text), b + limit)], b)[:1]
    if not nxt:
        return b
    _, b2, s2 = nxt[0]
    if "\t" in s2 or s2.rstrip().endswith(("？", "?")) or SIGNATURE.match(s2) \
            or HEADING_LIKE.match(s2) and len(s2.strip()) < 40:     # a heading, not an item that lists
        return b
    return b2 if ENUMERATION.search(s2) else b


def _parallel(sentence: str, run: str) -> bool:
    """A sentence built like one already in the run, an enumeration without markers ("对于疫情严重的
    地区，…。对于疫情比较轻的地区，…"): it opens with the same three characters (run_on also wants
    some of the topic in it)."""
    head = sentence.lstrip()[:3]
    return len(head) == 3 and all("\u4e00" <= ch <= "\u9fff" for ch in head) and \
        any(x.lstrip().startswith(head) for _, _, x in sentences(run))


def _level(sentence: str) -> int | None:
    """The heading level of a sentence's marker in the usual 公文 order (一、 > （一） > 1. > （1） > ①),
    None for no marker of these."""
    kind = marker_kind(sentence)
    if kind == "paren" and re.match(r"\s*[（(]\d", sentence):
        kind = "paren_num"
    return _LEVELS.index(kind) if kind in _LEVELS else None


def _below(sentence: str, heading: str) -> bool:
    """``sentence`` starts with a marker of a lower level than ``heading``'s."""
    a, b = _level(sentence), _level(heading)
    return a is not None and b is not None and a > b


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


_LEVELS = ("dun", "paren", "num", "paren_num", "circled")      # 一、 > （一） > 1. > （1） > ①
_SPACED_MARKER = re.compile(r"(?<=\s)(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩])")
RESTATES = 0.8      # topic coverage of a heading that restates the question
RESTATES_NEW = 0.15     # and at most this share of its bigrams not in the question


def _new_in(part: str, question: str) -> float:
    """Share of the CJK character bigrams of ``part`` that the question does not have."""
    grams = cjk_bigrams(part)
    return sum(g not in question for g in grams) / len(grams) if grams else 1.0


ECHO_NEW = 0.2     # a leading clause with at most this share of bigrams new to the question restates it
ECHO_REST = 12     # CJK or alphanumeric characters the quote keeps after its restating clauses
_CLAUSE = re.compile(r"[^，,；;：:。？?！!]*[，,；;：:]")
# figures, codes and quoted terms: "0.1微克", "12", "三个月", "“五色图”"
_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%]*|[一二三四五六七八九十百千万两零〇]+(?=[个项月年天日周倍成类种次批家所名人元条])|“[^”]{1,20}”")
# words that turn a clause's meaning: a negation, an exclusion, a permission or an obligation
_POLARITY = re.compile(r"不|未|非|无|没|禁|除|勿|否|免|暂|可以|可|应当|应|必须|须|严")
_PAIRS = ("“”", "‘’", "（）", "()", "《》", "【】", "〔〕", "［］", "[]", "「」", "『』", "〈〉")
_OPENING = re.compile(r"[\s，,；;：:。、”’）)》】〕］\]」』〉—…·]")
_DEFINES = re.compile(r"\s*(?:是指|指的是|指|是|即|系|为)")
_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_NOTE = re.compile(r"[（(][^（）()]*[）)]")
_YES_NO = re.compile(r"是否|能否|可否|有无|要不要|能不能|可不可以|是不是|吗[？?]?\s*$")


def _terms(text: str) -> set[str]:
    return {unicodedata.normalize("NFKC", t).strip("“”") for t in _TERM.findall(unicodedata.normalize("NFKC", text))}


def _restates(part: str, question: str, asked_terms: set[str]) -> bool:
    """``part`` says nothing the question does not: at most ``ECHO_NEW`` of its bigrams are new, and it
    has no figure, code or quoted term (``asked_terms``: the question's; whole terms, "1" is not "12",
    "三个月" not "六个月", "深化“0.1微克”攻坚行动" names one) and no negation, exclusion, permission or
    obligation ("非受疫情影响…的") that the question lacks; nor does it open a quotation or bracket it
    does not close."""
    return _new_in(part, question) <= ECHO_NEW and not _terms(part) - asked_terms \
        and not any(m.group(0) not in question for m in _POLARITY.finditer(part)) \
        and all(part.count(o) == part.count(c) for o, c in _PAIRS)


def past_echo(text: str, a: int, b: int, question: str) -> int:
    """The start of a quote past the clauses it opens with that restate the question (``_restates``):
    "对受疫情影响严重的企业到期还款困难的，可予以展期或续贷" answers "对受疫情影响严重的企业到期还款困难的，央行提供
    哪些补救措施？" with "可予以展期或续贷" (``ECHO_NEW`` fitted on the ncp-dev fit half: ROUGE-L 0.415 ->
    0.422, hits unchanged). Never cut:

    - a clause that does not restate the question;
    - the subject of a definition ("密切接触者，是指…"), or one of several targets ("对中小企业，…；对个体工商户，…");
    - so much that fewer than ``ECHO_REST`` characters of content are left (a closing note not counted),
      or that the quote would start on a closing mark or punctuation;
    - anything for a yes-or-no question ("企业是否可以延期缴纳？": "企业可以延期缴纳…" is the answer)."""
    if _YES_NO.search(question):
        return a
    asked_terms = _terms(question)
    pos = a
    while True:
        m = _CLAUSE.match(text, pos, b)
        if not m:
            return pos
        part, rest = m.group(0), text[m.end():b]
        nxt = m.end() + len(rest) - len(rest.lstrip())
        several = part.lstrip().startswith(("对", "针对")) and re.search(r"[，,；;]\s*(?:对|针对)", rest)
        if not _restates(part, question, asked_terms) or several or _DEFINES.match(rest) \
                or len(_CONTENT.findall(_NOTE.sub("", rest))) < ECHO_REST or nxt >= b or _OPENING.match(text, nxt):
            return pos
        pos = nxt


def past_heading(text: str, a: int, b: int, topic: Topic, question: str, limit: int = 260) -> tuple[int, int]:
    """A quote that ends in a heading restating the question ("…二、捐赠途径 （一）广西壮族自治区红十字会
    接收捐款账户信息。") answers with the body under that heading: the span moves to what follows, up to
    the heading's next sibling or a higher heading ("（二）…", "三、…"), within ``limit`` characters.
    A one-line web article keeps its headings inside one sentence, so they are found after a space."""
    quote = text[a:b]
    marks = list(_SPACED_MARKER.finditer(quote))
    tail = quote[marks[-1].start():] if marks else quote
    level = _level(tail)
    if level is None or len(tail.strip()) > 40 or not topic or topic.coverage(tail) < RESTATES \
            or _new_in(tail, question) > RESTATES_NEW:
        return a, b                 # no heading, or one that says more than the question ("（三）…要强制休息")
    window = text[b:min(len(text), b + limit)]
    end = len(window)
    for m in _SPACED_MARKER.finditer(window):        # also across line breaks: "\n" is a space too
        k = _level(window[m.start():])
        if k is not None and k <= level:
            end = m.start()
            break
    body = window[:end]
    if len(body.strip()) < 4:
        return a, b
    lead = len(body) - len(body.lstrip())
    return b + lead, b + len(body.rstrip())


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
