"""Understanding a question: its clean text (traditional characters converted, length checked),
the asks it holds (a compound question is split into asks), and for each ask what it wants
(intent), about what (region, department, indicator, year, time window, topic words), and which
earlier question a follow-up continues.

Intents: ``lead`` (who leads), ``co`` (who cooperates), ``deadline``, ``indicator`` (a value or
threshold), ``dept`` (what a department owes; also "tasks due this year"), ``overview`` (what a
plan or section contains), ``definition`` and ``general``.

A follow-up ("那配合单位呢？", "什么时候完成？") has no topic of its own: it takes the topic, regions,
departments and years of the last question that had one, and keeps its own intent.

Example:
    >>> from datetime import date
    >>> read = understand_question("普陀区海绵城市建设实施方案提出的达标面积比例是多少？由哪个部门牵头？")
    >>> [a.intent for a in read.asks]
    ['indicator', 'lead']
    >>> q = understand("万级负氧离子体验区由谁牵头？", today=date(2026, 11, 21))
    >>> q.intent, q.topic
    ('lead', '万级负氧离子体验区')
    >>> f = understand("那配合单位呢？", today=date(2026, 11, 21), previous=q)
    >>> f.intent, f.topic, f.followup
    ('co', '万级负氧离子体验区', True)
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable, Iterable

from kb.answer_types import QUESTION as ANSWER_TYPE_QUESTION
from kb.scope import find_areas
from ingest.regions import short_name

from .timeframe import TimeWindow, find_window, relative_years

INTENTS = ("lead", "co", "deadline", "indicator", "dept", "overview", "definition", "general")

_LEAD = re.compile(r"牵头|挑头|领头|抓总|由谁|谁来|谁负责|谁主导|谁组织|谁起草|谁制定|谁编制|谁举办|谁办|谁抓|主责|责任单位|责任部门|负责单位|负责部门"
                   r"|哪个部门|哪些部门|哪个部委|哪个单位|哪些单位|哪家单位|什么部门|什么单位|起草单位|^谁")
_CO = re.compile(r"配合|协办|协助|协同单位|参与单位|参加单位|谁参与|拉上|叫上|会同哪")
_DEPT_ASK = re.compile(r"(?:牵头|配合|负责|承担|参与|主责|协办)了?的?(?:哪些|什么|哪项|哪几项|几项|多少项|哪几件|哪些事)"
                       r"|(?:哪些|什么|哪项|哪几项|几项|多少项|哪几件)(?:任务|工作|事项?|项目|职责)"
                       r"|(?:任务|工作|事项|职责)有哪些(?!要求|措施|举措|标准|规定|政策|方面)|有哪些任务|有什么任务|[要该]?做什么"
                       r"|做哪些(?!要求|措施|规定)|干什么|职责|任务清单|任务是什么")
_DEPT_ROLE = {"lead": re.compile(r"牵头|主责|负责"), "co": re.compile(r"配合|协办|参与")}
_TASK_LIST = re.compile(r"任务|事项|工作")
_YES_NO = re.compile(r"吗[？?]?$|是不是|是否")
_UNIT_MENTION = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:局|委员会|委|办公室|办|部|处|厅|中心|署|管委会|政府)")

# Words that say what is asked rather than what about: removed from the topic (after jieba).
ASK_WORDS = frozenset("""
什么时候 啥时候 什么 时候 时间 何时 哪一年 哪年 哪几年 几月 几年 多少 多少项 几 几项 几个 几套 几家 几处 时限 期限 完成时间 截止 截止时间 时间节点
由 谁 谁来 负责 牵头 配合 协办 协助 主责 参与 单位 部门 牵头单位 配合单位 责任单位 负责单位 哪个 哪些 哪家 哪项 哪几项 哪几
哪条 哪里 哪儿 哪位 哪种 哪类 什么样 怎么做 怎么办 做 是什么 有什么 为什么 啥 哪个单位 什么样子
是指 指 意思 含义 指的是 有 有哪些 包括 包括哪些 怎么 如何 怎样 是否 是不是 有没有 请问 一下 吗 呢 吧 啊 呀 了 的 是 在 和 与 及
不到 就算 才算 算是 拉上 叫上 会同 到底 究竟 具体 这件事 这事 此事 该事 部委 哪个部委 挑头 领头 抓总 要求 目标值 达到 要达到 持续 需要 需 要 应当 应该 应 完成 出台 分别 都 又 再 还 那 那么 这项 该项 这个 那个 这件 它 还有 另外
事 事项 任务 情况 内容 问题 方面 提到 关于 规定 一样 区别 不同 相同 怎么样 多久 出 哪 里 中 对 按照 根据 大 几大 部分 主要 等
构成 组成 组成部分 构成部分 指标 板块 各区 各地 各个 哪几大 几部分 哪几个 几个 分为 分成 包含 哪几部分 哪几方面 几大 安排 部署 做法 一般 通常 遵循 依据 按照
""".split())
# Words a department question asks with ("…的职责", "负责哪些工作"): no topic of its
DUTY_WORDS = frozenset("职责 职能 分工 职责分工 工作 任务 事项 承担 负责".split())
# Words that name a part of a plan: kept for finding the section an overview question means.
_STRUCTURE = re.compile(r"(?:主要|重点|保障|工作|具体|总体)?(?:任务|措施|原则|目标|要求|举措|保障)")
_PUNCT = re.compile(r"[\s，,。．.？?！!、；;：:“”\"'‘’（）()《》【】\[\]…—-]+")


@dataclass
class Query:
    text: str                                   # the question as asked
    intent: str
    roles: tuple[str, ...] = ()                 # lead / co, for who-questions and department questions
    regions: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)   # unit names as the directory spells them
    indicator: str | None = None                # a known indicator name the question names
    years: list[int] = field(default_factory=list)
    window: TimeWindow | None = None
    topic: str = ""                             # what the question is about, question words removed
    structure: str = ""                         # section words it names (重点任务, 保障措施 …), for overviews
    yes_no: bool = False
    followup: bool = False
    context: str = ""                           # the earlier question a follow-up continues

    @property
    def search_text(self) -> str:
        """What retrieval is given: a follow-up carries its earlier question's words."""
        return f"{self.context} {self.text}".strip() if self.followup else self.text

    @property
    def focus(self) -> str:
        """The clause of a question of several clauses that holds its question word, or "": in
        "自2月14日起泰安市公共场所均要扫码通行，对拒不配合的人员有什么措施？" what is asked is the last clause;
        the first only says where to look. A condition or target clause stays with it ("对受疫情影响
        严重的企业到期还款困难的，央行提供哪些补救措施？": the whole question); none when several clauses
        ask, inside a quotation ("“停课不停学，停课不停教”是什么意思？") or for a follow-up (its earlier
        question is part of what it asks)."""
        if self.followup:
            return ""
        text = _QUOTED_SPAN.sub(lambda m: _CLAUSES.sub("·", m.group(0)), self.text)
        clauses = [c.strip() for c in _CLAUSES.split(text) if _HAS_WORD.search(c)]
        asking = [i for i, c in enumerate(clauses) if _INTERROGATIVE.search(c.replace("任何", ""))]
        if len(clauses) < 2 or len(asking) != 1:
            return ""
        kept = [c for i, c in enumerate(clauses) if i == asking[0] or _CONDITION.search(c)]
        return "" if len(kept) == len(clauses) else "，".join(kept)

# --- the whole question: clean text and its asks ------------------------------------------------
_INTERROGATIVE = re.compile(r"谁|哪|什么|多少|几[个项年月天家处座条所名人套次]?|何|吗|是否|怎么|如何|怎样|多久|多长|啥|呢|有无|是不是")
_ASK_START = re.compile(r"^(?:那么?|并且|并|且|以及|还有|另外|同时)?(?:由谁|谁|哪|什么时候|何时|多少|几|是否|持续|配合|牵头单位|责任单位|"
                        r"完成时间|截止|要求|目标)")
_HAS_WORD = re.compile(r"[\u4e00-\u9fff\w]")
_CLAUSES = re.compile(r"[，,；;：:。？?！!]")
_QUOTED_SPAN = re.compile(r"“[^”]*”|《[^》]*》|\"[^\"]*\"")
# a clause that says of whom or on what condition ("对…的", "对于湖北籍员工", "…困难的", "如果…") or on what basis ("按照…要求")
_CONDITION = re.compile(r"^(?:对于?|针对|关于|凡|如果?|若|按照|根据|依据|依照)|的$")
_converter = None


@dataclass
class Question:
    """A user's question: ``text`` cleaned, ``asks`` one Query per thing it asks, ``problem`` set
    (empty / no_words / too_long) when there is nothing to answer."""
    original: str
    text: str
    asks: list[Query] = field(default_factory=list)
    problem: str = ""

    @property
    def first(self) -> Query | None:
        return self.asks[0] if self.asks else None


def normalize(question: str) -> str:
    """Simplified characters (OpenCC t2s), full-width digits and letters folded, spaces trimmed."""
    global _converter
    text = (question or "").strip()
    if not text:
        return ""
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    text = _converter.convert(text)
    text = "".join(unicodedata.normalize("NFKC", ch) if ch.isalnum() or ch in "％" else ch for ch in text)
    return re.sub(r"\s+", " ", text).strip()


def split_asks(text: str) -> list[tuple[str, str]]:
    """The asks of a question, each with the statements before it as context: "…是多少？由哪个部门
    牵头？" -> two asks; "“氧吧优品”由区农业农村局牵头，配合单位有哪些？" -> one ask (the first part
    states, it does not ask)."""
    pieces = [p for p in re.split(r"(?<=[？?！!。；;])", text) if _HAS_WORD.search(p)]
    parts: list[str] = []
    for piece in pieces:           # "由谁牵头，什么时候完成" holds two asks joined by a comma
        sub = re.split(r"(?<=[，,])", piece)
        cur = ""
        for s in sub:
            if cur and _ASK_START.search(s.strip()) and _INTERROGATIVE.search(s):
                parts.append(cur)
                cur = s
            else:
                cur += s
        parts.append(cur)
    parts = [p for part in parts for p in _each_of(part)]
    asks: list[tuple[str, str]] = []
    context = ""
    for part in parts:
        if not _INTERROGATIVE.search(part) and part is not parts[-1]:
            context += part                        # a statement: context of the next ask
            continue
        if part.strip():
            asks.append((context.strip(), part.strip()))
        context = ""
    return asks or [("", text)]


_ITEM_CHARS = r"[\u4e00-\u9fffA-Za-z0-9%“”《》]"
# "A和B各是多少", "A、B、C分别为多少": one ask per item
_EACH = re.compile(rf"((?:{_ITEM_CHARS}{{2,24}}?(?:和|与|及|以及|、)){{1,4}}{_ITEM_CHARS}{{2,24}}?)(?:各|分别)"
                   r"(是|为|有|要达到|达到|要求)?(多少|几[个项年月天家处座条所名人套次]?|哪个部门|哪个单位|何时|什么时候)")


# what a measure's name ends with ("棉花收获机械化率", "城市绿色空间面积", "财政拨款收入")
_MEASURE_END = re.compile(r"(?:率|量|数|面积|比例|比重|指数|占比|强度|长度|规模|产值|收入|支出|金额|资金|投资|总额|标准|密度|浓度|能力)$")


def _each_of(part: str) -> list[str]:
    """"棉花收获机械化率和甘蔗收获机械化率各是多少？" -> one ask per item: "棉花收获机械化率是多少？",
    "甘蔗收获机械化率是多少？" (what comes before the items stays with each). Only asks for a value, a
    date or a unit are split ("各有哪些任务" asks for one list), and only items that are each a whole
    measure: places, years, plans or items that share what follows them ("门头沟和延庆的森林覆盖率",
    "2025年和2026年森林覆盖率") stay one ask, which the answer compares."""
    m = _EACH.search(part)
    if not m:
        return [part]
    items = [x for x in re.split(r"以及|和|与|及|、", m.group(1)) if x]
    head, tail = part[:m.start()], part[m.end():]
    lead = re.match(r".*[中里的]", items[0]) if items else None      # "农机意见中棉花收获机械化率": the head
    if lead and len(items[0]) > lead.end() + 1:
        head, items[0] = head + lead.group(0), items[0][lead.end():]
    if len(items) < 2 or not all(len(x) >= 3 and _MEASURE_END.search(x) and not re.search(r"[的对]", x) for x in items):
        return [part]           # "门头沟和延庆的森林覆盖率", "北京市方案和门头沟计划…", "2025年和2026年…": compared
    verb = m.group(2) or "是"
    return [f"{head}{x}{verb}{m.group(3)}{tail}" for x in items]


def understand_question(question: str, today: date | None = None, previous: Query | None = None,
                        max_chars: int = 500, **kw) -> Question:
    """Clean ``question``, split it into asks and understand each (``kw`` as for ``understand``).
    A later ask without a subject of its own ("由哪个部门牵头？") takes the first ask's subject."""
    text = normalize(question)
    if not text:
        return Question(question, text, problem="empty")
    if not _HAS_WORD.search(text):
        return Question(question, text, problem="no_words")
    if len(text) > max_chars:
        return Question(question, text, problem="too_long")
    asks: list[Query] = []
    for context, part in split_asks(text):
        prev = asks[0] if asks else previous
        q = understand(part, today, prev, context=context, **kw)
        if asks and not q.followup and not _content_chars(q.topic):
            q = _continue(q, asks[0])
        asks.append(q)
    return Question(question, text, asks=asks)


def understand(question: str, today: date | None = None, previous: Query | None = None,
               units: Callable[[str], list[str]] | None = None, indicators: Iterable[str] = (),
               known_regions: Iterable[str] = (), cut: Callable[[str], list[str]] | None = None,
               context: str = "") -> Query:
    """Parse ``question``. ``units`` maps text to the unit names it mentions (the KB's directory);
    ``indicators`` are known indicator names; ``previous`` is the last question, for follow-ups;
    ``cut`` segments Chinese text into words (jieba with the KB's dictionary by default);
    ``context`` is what the question states before it asks ("“氧吧优品”由区农业农村局牵头，"): it
    adds to the subject, not to what is asked."""
    today = today or date.today()
    ask = question.strip()
    q = f"{context}{ask}"
    regions = find_areas(q, list(known_regions))
    departments = _departments(q, units)
    stated = _departments(context, units) if context else []
    indicator = next((m for m in sorted(set(indicators), key=len, reverse=True) if len(m) >= 3 and m in q), None)
    intent, roles = _intent(ask, [d for d in departments if d not in stated])
    topic = _topic(q, regions, departments if intent == "dept" or _YES_NO.search(ask) else stated,
                   cut or _jieba_cut)
    if intent == "dept":            # "区财政局的职责是什么": 职责 says what is asked, the unit is the subject
        topic = " ".join(w for w in topic.split() if w not in DUTY_WORDS) or " ".join(departments[:1])
    query = Query(text=q, intent=intent, roles=roles, regions=regions, departments=departments, indicator=indicator,
                  structure=" ".join(dict.fromkeys(_STRUCTURE.findall(q))),
                  years=relative_years(q, today), window=find_window(q, today), topic=topic,
                  yes_no=bool(_YES_NO.search(q)))
    if previous is not None and _is_followup(query):
        query = _continue(query, previous)
    return query


_WHO = re.compile(r"谁|哪个|哪些|哪几|哪家|哪一?方")
_WHO_UNIT = re.compile(_WHO.pattern + r"|单位|部门|机构|处室|镇街|街镇|街道|乡镇")
_CO_NOUN = re.compile(r"^(?:的)?(?:单位|部门|机构|处室|方)")      # "配合单位", "协助方", "配合的部门"
_NOT_CO = re.compile(r"(?:拒不|不|拒绝|不予)$")                 # "拒不配合的单位": a refusal, not a role
_CO_DOES = re.compile(r"^(?:做好|做|开展|落实|完成|推进|实施|提供)\S{0,6}?(?:哪些|什么|哪项)")   # "配合做好哪些工作"


def _asks_co(q: str) -> bool:
    """The question asks for co-units: a 配合/协助 word after a unit word or who ("哪些部门配合",
    "需要谁配合"), or before a who or a unit noun of its own ("配合单位有哪些", "参与配合的是哪个部门",
    "协助方"), not refused cooperation ("拒不配合的…") and not a task to do ("配合做好哪些工作");
    "派出所配合街道推出…" names whom it helps, not a role."""
    for m in _CO.finditer(q):
        before, after = q[max(0, m.start() - 6):m.start()], q[m.end():m.end() + 6]
        if _NOT_CO.search(before) or _CO_DOES.match(q[m.end():]):
            continue
        if _WHO_UNIT.search(before) or _CO_NOUN.match(after) or _WHO.search(after):
            return True
    return False


def _intent(q: str, departments: list[str]) -> tuple[str, tuple[str, ...]]:
    lead, co = bool(_LEAD.search(q)), _asks_co(q)
    if departments and _DEPT_ASK.search(q) and "谁" not in q and not _YES_NO.search(q):
        roles = tuple(r for r, rx in _DEPT_ROLE.items() if rx.search(q)) or ("lead", "co")
        return "dept", roles
    if lead or co:
        if co and not re.search(r"牵头|谁负责|由谁|主责|责任单位", q):
            return "co", ("co",)
        return ("lead", ("lead", "co") if co else ("lead",))
    asks = {k for k, rx in ANSWER_TYPE_QUESTION.items() if rx.search(q)}
    if find_window(q, date.today()) and _TASK_LIST.search(q) and ("overview" in asks or re.search(r"哪些|什么|清单|有几", q)):
        return "dept", ("lead", "co")
    if "deadline" in asks and not re.search(r"怎么办|怎么处理|如何处理|如何办理|怎样办理", q) \
            and not (re.search(r"哪些|什么措施|什么政策|如何|怎样|怎么", q) and not re.search(r"什么时[候间]|何时|哪一?年|几月|期限|时限", q)):
        return "deadline", ()
    if "definition" in asks:
        return "definition", ()
    if "overview" in asks or re.search(r"哪几[个项方条大部]|分为几|分为哪", q):
        return "overview", ()
    if "number" in asks or re.search(r"[\u4e00-\u9fff]{2,8}率(?:指标|目标|要求)|(?:指标|目标值)[？?]?$", q):
        return "indicator", ()
    return "general", ()


def _departments(q: str, units: Callable[[str], list[str]] | None) -> list[str]:
    """Unit names the question mentions, as the directory spells them (园林局 -> 区园林绿化局).
    ``units`` maps a text to the directory units it names, contractions included."""
    if units is None:
        return []
    found: list[str] = list(units(q))
    for m in _UNIT_MENTION.finditer(q):
        s = m.group(0)
        for i in range(0, len(s) - 1):                    # longest tail first: 门头沟区园林局 -> 园林局
            names = units(s[i:])
            if names:
                found += names
                break
    return list(dict.fromkeys(found))


MARKER_SYMBOL = re.compile(r"[▲△★☆●◆◇■□※]")
# a 文号 ("穗民规字〔2025〕2号") names a document (scope.references), it is no topic word
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{2,6}[〔\[(（［【]\s*\d{4}\s*[〕\])）］】]\s*\d{1,4}\s*号")


def _topic(q: str, regions: list[str], departments: list[str], cut: Callable[[str], list[str]]) -> str:
    s = DOC_NUMBER.sub(" ", q)
    for r in sorted(set(regions) | {short_name(r) for r in regions}, key=len, reverse=True):
        s = s.replace(r, " ")
    for d in sorted(departments, key=len, reverse=True):
        for form in sorted({d, d[1:] if d[:1] in "区市县" else d, d[2:] if d[:2] in ("区委", "市委") else d},
                           key=len, reverse=True):
            s = s.replace(form, " ")
    words: list[str] = []
    for part in _PUNCT.split(s):
        singles = ""                  # single characters jieba left apart (优 农) are read together
        for w in (cut(part) if part else []) + [" "]:
            if len(w) == 1 and w.strip() and w not in ASK_WORDS and not w.isdigit():
                singles += w
                continue
            if len(singles) >= 2:
                words.append(singles)
            singles = ""
            if w.strip() and w not in ASK_WORDS and (len(w) >= 2 or w.isdigit()):
                words.append(w)
    # a marker symbol ("标有▲的指标", "带※的项目") names what is asked, whatever jieba glues it to
    words += [m for m in dict.fromkeys(MARKER_SYMBOL.findall(q)) if m not in words]
    # a quoted name (“一廊、一环、两区”) is the topic whatever jieba makes of it
    for quoted in re.findall(r"[“\"「]([^”\"」]{2,30})[”\"」]", q):
        words += [x for x in re.split(r"[、，,\s]+", quoted) if len(x) >= 2 and x not in words]
    return " ".join(dict.fromkeys(words))


def _jieba_cut(text: str) -> list[str]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.lcut(text, HMM=False)


def _is_followup(query: Query) -> bool:
    text = query.text
    if re.match(r"^(?:那么?|这项|该项|这个|它|还有|另外|那这)", text):
        return len(_content_chars(query.topic)) <= 4
    return not _content_chars(query.topic)


def _content_chars(topic: str) -> str:
    return re.sub(r"[^\u4e00-\u9fff\w]", "", topic)


def _continue(query: Query, previous: Query) -> Query:
    """Carry the earlier question's subject into a follow-up."""
    intent, roles = query.intent, query.roles
    if intent == "general" and not re.search(r"怎么|如何|怎样", query.text):     # "…哪天截止？怎么报？": how, not when
        intent, roles = previous.intent, previous.roles
    base = previous.context if previous.followup else previous.text
    return replace(query, intent=intent, roles=roles, topic=" ".join(x for x in (previous.topic, query.topic) if x),
                   regions=query.regions or previous.regions, departments=query.departments or previous.departments,
                   indicator=query.indicator or previous.indicator, years=query.years or previous.years,
                   window=query.window or previous.window, followup=True, context=base)
