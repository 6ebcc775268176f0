"""Indicators: what is measured, comparator, value, unit and target date, read from one sentence.

Three shapes are read:
- ``MEASURE COMPARATOR VALUE UNIT [以上/以下/左右]``: "全区森林覆盖率达到50%", "比例不低于27.5%",
  "森林覆盖率保持在66%以上", "生态控制区面积力争达到市域面积的75%";
- counted targets ``VERB [COMPARATOR] VALUE CLASSIFIER OBJECT``: "建成8套负氧离子监测站",
  "推动完成3家氧吧民宿、1处康氧小镇", "每年选拔资助不少于100名青年科技人员", and the reverse
  list form "选拔认定教育专家10名、名校长100名";
- definitions in brackets: "生态环境状况指数EI保良创优（优为75）".

Comparators are normalised to ``≥ ≤ = ≈``; ``strict`` marks 超过/低于 …, ``aspirational`` marks 力争.

Example:
    >>> [ (i.measure, i.comparator, i.value, i.unit) for i in parse_indicators("全区森林覆盖率达到50%。") ]
    [('森林覆盖率', '≥', 50.0, '%')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .regions import all_areas

_NUM = r"\d+(?:\.\d+)?"
_VALUE = rf"(?P<v1>{_NUM})(?:\s*(?P<rng>[-—–~～至到])\s*(?P<v2>{_NUM}))?(?P<mult>[万亿千百])??"
# Units after a number (longest first). Counted classifiers are kept apart: they need a verb or a
# comparator in front to be a target ("2套" yes, "分2年" no).
MEASURE_UNITS = ["个百分点", "%", "％", "‰", "平方公里", "平方千米", "平方米", "㎡", "公顷", "万亩", "亩", "公里", "千米",
                 "亿元", "万元", "元", "万吨", "吨", "万千瓦时", "千瓦时", "万千瓦", "千瓦", "兆瓦", "吉瓦",
                 "微克/立方米", "毫克/升", "个/立方厘米", "个/cm³", "立方米", "万立方米", "小时", "天", "分"]
COUNT_UNITS = ["套", "家", "处", "个", "名", "人", "所", "座", "项", "条", "台", "辆", "株", "棵", "批", "场", "场次", "人次",
               "户", "栋", "支", "部", "门", "种", "类", "块", "片", "站", "张", "间", "床", "公里"]
_UNIT_RE = "|".join(re.escape(u) for u in sorted(set(MEASURE_UNITS + COUNT_UNITS), key=len, reverse=True))

# Comparator words before the value, and words after it. Order matters: longer first.
_PRE = [("不低于", "≥", False), ("不少于", "≥", False), ("不小于", "≥", False), ("至少", "≥", False),
        ("提高到", "≥", False), ("提高至", "≥", False), ("提升到", "≥", False), ("提升至", "≥", False),
        ("增加到", "≥", False), ("增加至", "≥", False), ("增至", "≥", False), ("达到", "≥", False),
        ("超过", "≥", True), ("高于", "≥", True), ("大于", "≥", True), ("多于", "≥", True), ("达", "≥", False),
        ("不高于", "≤", False), ("不超过", "≤", False), ("不大于", "≤", False), ("控制在", "≤", False),
        ("降低到", "≤", False), ("降低至", "≤", False), ("下降到", "≤", False), ("下降至", "≤", False), ("降至", "≤", False),
        ("低于", "≤", True), ("小于", "≤", True), ("少于", "≤", True),
        ("稳定在", "=", False), ("保持在", "=", False), ("维持在", "=", False), ("保持", "=", False), ("为", "=", False),
        ("约", "≈", False), ("大约", "≈", False), ("近", "≈", False)]
_POST = [("以上", "≥"), ("及以上", "≥"), ("以下", "≤"), ("及以下", "≤"), ("以内", "≤"), ("之内", "≤"), ("左右", "≈"),
         ("上下", "≈")]
_PRE_RE = "|".join(re.escape(w) for w, _, _ in sorted(_PRE, key=lambda x: -len(x[0])))
_PRE_MAP = {w: (c, s) for w, c, s in _PRE}
_POST_RE = "|".join(re.escape(w) for w, _ in sorted(_POST, key=lambda x: -len(x[0])))
_POST_MAP = dict(_POST)

# Verbs that make a counted number a target: "建成8套…", "培养1万名…".
_VERBS = (r"(?:建设|建成|新建|改造|打造|推出|创建|完成|培育|引进|培养|选拔|资助|扶持|遴选|评选|评定|认定|设立|建立|举办|"
          r"组织|发动|筹集|筹建|支持|布设|安装|种植|新增|增加|发布|开展|实施|形成|储备|选派|建|实现|达到|达|力争|累计|共|"
          r"重点(?:引进|培养|支持|扶持|培训|建设)|培训|认证|授牌|覆盖|招收|招募|吸引|集聚|聚集|落户|服务|带动|推动|促进)")
_VERB_RUN = _VERBS + r"[\u4e00-\u9fff]{0,4}?"      # the verb and a few characters after it
_TARGET_VERB = re.compile(_VERB_RUN + "$")
# a quote around a target with its comparator runs on past the value ("“…人才达到2000名左右，…") or
# closes into the goal it states ("…达到40%”的三大人才发展目标"); one that closes into a name is a
# slogan ("“超过1000家企业上云”工程")
_QUOTE_STATES_TARGET = re.compile(r"[^”]*$|[^”]{0,4}”(?:[，,。；;]|$|的?[^，,。；;”]{0,10}(?:目标|要求|任务))")
_SKIP_BEFORE = re.compile(r"(?:第|前|后|等|共计|合计|其中|占|每|近|约)$")
_DATE_RE = re.compile(
    r"(?:(?:到|至|在|于|截至|截止到?)\s*)?(?P<y>(?:19|20)\d{2})\s*年(?:(?P<m>1[0-2]|0?[1-9])\s*月)?(?P<end>底|末)?(?:前|以前)?(?![起以开])|"
    r"“?(?P<plan>[十]{1}[一二三四五六七八九]{1,2})五”?(?:规划)?(?:期间|时期|末)?|(?P<within>\d+|[一二三四五六七八九十])年内|(?P<every>每年)")
_SCOPE = re.compile(r"^(?:全区|全市|全县|全省|全国|本区|本市|我区|我市|各区|城区|建成区(?=.{0,3}(?:公园|绿地))|全域)")
_LEAD_NOISE = re.compile(r"^(?:[，,、；;：:\s]|到|至|力争|确保|全面|进一步|基本|使|让|推动|实现|努力|争取|其中|同时|并|且|"
                         r"总体|整体|平均|累计|保持|消除|要求|做到)+")
_MEASURE_END = re.compile(r"(?:量|率|数|面积|比例|比重|长度|规模|指数|占比|强度|浓度|能耗|时间|时长|天数|容量|产值|收入|投入|"
                          r"总值|增速|增长|资金|金额|经费|指标|人数|户数|个数|值)$")
# A department named right after its area ("普陀区|商务委员会|财政拨款的…经费预算"): who, not what is measured.
_UNIT_AFTER_AREA = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:管理委员会|委员会|管委会|办公室|办事处|人民政府|工作部|局|委(?![托员]))")
_CLAUSE_SPLIT = re.compile(r"[。；;！!？?\n]")
_SUB_SPLIT = re.compile(r"[，,]")


@dataclass
class Indicator:
    measure: str
    comparator: str              # ≥ ≤ = ≈
    value: float
    unit: str
    value_max: float | None = None   # for ranges "1-3处"
    strict: bool = False             # 超过 / 低于: the bound itself is excluded
    aspirational: bool = False       # 力争
    comparator_text: str = ""
    target: str | None = None        # the date text: 到2026年, “十四五”期间, 2024年12月, 5年内
    due: str | None = None           # ISO at given precision: 2026 | 2024-12
    scope: str | None = None         # 全区 / 门头沟区、平谷区… when the sentence names one
    sentence: str = ""
    start: int = 0                   # offsets of the sentence in the document text
    end: int = 0
    units_responsible: list[str] = field(default_factory=list)
    section_id: int | None = None
    breadcrumb: str = ""
    task_index: int | None = None
    table_index: int | None = None   # set when read from a table row


def _num(v: str, mult: str | None) -> float:
    x = float(v)
    return x * {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}.get(mult or "", 1)


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) and v < 1e4 else str(v)


def parse_date(text: str) -> tuple[str | None, str | None]:
    """(date text, due) of the first target date in ``text``: 到2026年 -> 2026, “十四五”期间 -> 2025."""
    m = _DATE_RE.search(text)
    if not m:
        return None, None
    nxt = _DATE_RE.match(text, m.end() + 1) if re.match(r"[至到—–~～-]", text[m.end():m.end() + 1]) else None
    if nxt and nxt.group("y"):
        m = nxt          # "2025年7月至2025年12月": due at the end of the range
    raw = m.group(0).strip()
    if m.group("y"):
        due = m.group("y") + (f"-{int(m.group('m')):02d}" if m.group("m") else ("-12" if m.group("end") else ""))
        return raw, due
    if m.group("plan"):
        n = {"十一": 11, "十二": 12, "十三": 13, "十四": 14, "十五": 15, "十六": 16}.get(m.group("plan"))
        return raw, str(1955 + 5 * n) if n else None
    return raw, None


def _strip_measure(text: str) -> tuple[str, str | None]:
    s = text.strip()
    s = re.sub(r"^.*?(?:(?:19|20)\d{2}\s*年(?:\d{1,2}月)?(?:底|末)?(?:前)?|“?十[一二三四五六七八九]五”?(?:期间|时期|末)?|"
               r"\d+年内|每年)[，,]?", "", s, count=1) if _DATE_RE.search(s) else s
    scope = None
    areas = [a for a in all_areas() if a in s]
    if areas:
        last = max(s.rfind(a) + len(a) for a in areas)
        unit = _UNIT_AFTER_AREA.match(s[last:])
        if unit and len(s) - last - unit.end() >= 2:
            last += unit.end()            # "上海市普陀区商务委员会财政拨款的…": the department is scope too
        scope = s[:last].strip("、，, ")
        s = s[last:]
    s = re.split(r"[：:]", s)[-1]
    s = re.sub(r"^(?:[（(]?\d{1,2}[）)]|[①-⑳])", "", s)
    s = _LEAD_NOISE.sub("", s)
    m = _SCOPE.match(s)
    if m:
        scope = scope or m.group(0)
        s = s[m.end():]
    s = _LEAD_NOISE.sub("", s)
    if "、" in s:
        s = s.rsplit("、", 1)[-1]
    s = re.sub(r"(?:力争|确保|要|应|将|均|都|分别|原则上|一般|总体上?|累计)+$", "", s)
    if re.search(r"[）)]", s) and not re.search(r"[（(]", s):
        s = re.split(r"[）)]", s)[-1]
    return _balance_quotes(s.strip("“”\"'（）() ："), text), scope


def _balance_quotes(measure: str, sentence: str) -> str:
    """Give back an opening quote the strip took: "“三公”经费预算数" stays quoted, not "三公”经费预算数"."""
    if measure.count("”") > measure.count("“") and "“" + measure in sentence:
        return "“" + measure
    if measure.count("“") > measure.count("”") and measure + "”" in sentence:
        return measure + "”"
    return measure


def parse_indicators(sentence: str, offset: int = 0) -> list[Indicator]:
    """All indicators of one sentence (no terminal punctuation needed). Offsets are of the sentence."""
    out: list[Indicator] = []
    target, due = parse_date(sentence)
    taken: list[tuple[int, int]] = []

    def new(**kw) -> Indicator:
        return Indicator(target=target, due=due, sentence=sentence, start=offset, end=offset + len(sentence), **kw)

    # Definitions in brackets: "生态环境状况指数EI保良创优（优为75）"
    for m in re.finditer(rf"([^，,。；（(]{{2,30}}?)(?:保良创优|达标)?[（(]([^（）()]{{0,6}}?)为({_NUM})[）)]", sentence):
        measure, _ = _strip_measure(m.group(1))
        out.append(new(measure=measure, comparator="=", value=float(m.group(3)), unit="",
                       comparator_text=f"{m.group(2)}为"))
        taken.append(m.span())
    clauses = []
    pos = 0
    for part in _SUB_SPLIT.split(sentence):
        clauses.append((pos, part))
        pos += len(part) + 1
    for cpos, clause in clauses:
        for m in re.finditer(rf"(?P<pre>{_PRE_RE})?\s*(?:市域面积的|总量的|面积的)?{_VALUE}\s*(?P<unit>{_UNIT_RE})"
                             rf"(?P<post>{_POST_RE})?", clause):
            a, b = cpos + m.start(), cpos + m.end()
            if any(x <= a < y for x, y in taken):
                continue
            before = clause[:m.start()]
            after = clause[m.end():]
            unit = m.group("unit")
            if unit == "％":
                unit = "%"
            # numbers that are part of a name, a date, a quoted phrase or an enumeration count
            pre, post = m.group("pre"), m.group("post")
            if re.search(r"[\d.×xX*/／（(]$", before) or re.match(r"^[\d年月日号届期钟]", after):
                continue
            # inside quotation marks a number is part of a name ("“十四五”", "“1+N”"), unless the quote states
            # a target with its comparator ("实现“重点引进和培养高层次人才达到2000名左右，…”的目标")
            if before.count("“") > before.count("”") and not (pre and _QUOTE_STATES_TARGET.match(after)) or \
                    _SKIP_BEFORE.search(before) and not pre:
                continue
            if unit not in COUNT_UNITS and unit != "%" and not pre and not post and re.match(r"^[\u4e00-\u9fff]", after):
                continue   # "500米服务半径", "24小时动态巡查": an attribute inside a name
            counted = unit in COUNT_UNITS and unit not in MEASURE_UNITS
            obj = ""
            if counted:
                obj_m = re.match(r"^([^，,、。；;（(）)]{1,30}?)(?=的|[，,、。；;（(]|[和及与]\d|$)", after)
                obj = obj_m.group(1) if obj_m else ""
                obj = re.sub(r"^(?:左右|以上|以下)?(?:的)?", "", obj)
                verb_ok = bool(pre) or bool(_TARGET_VERB.search(before[-12:] if before else "")) or (
                    before.endswith("、") and any(x <= a for x, _ in taken) and out and out[-1].unit in COUNT_UNITS)
                reverse = re.search(r"([\u4e00-\u9fff“”]{2,16})$", before) if not obj else None
                if not verb_ok and not (reverse and re.search(r"[、，]|^", before)):
                    continue
                if not obj:
                    if not reverse:
                        continue
                    obj = _strip_measure(reverse.group(1).rsplit("“", 1)[-1])[0]     # from the quote's start
                    obj = re.sub(rf"^.*?(?:{_VERB_RUN})(?:[和及与、]{_VERB_RUN})*", "", obj) or obj
                if re.fullmatch(r"(?:总计|累计|共计|合计|总共|共)(?:达到?)?", re.sub(r"^.*[，,]", "", obj)) and out:
                    obj = out[-1].measure.removesuffix("数量") + "（累计）"
                measure = re.sub(r"^(?:具有|左右)", "", obj) + ("数量" if not obj.endswith(("数", "数量")) else "")
                scope = None
            elif re.search(r"[和、及或]$", before) and out and out[-1].start == offset and out[-1].unit == unit \
                    and _fmt(out[-1].value) in before:
                # "…分别达到65%和55%": the second value of the same measure
                prev = out[-1]
                out.append(new(measure=prev.measure, comparator=prev.comparator, value=_num(m.group("v1"), m.group("mult")),
                               unit=unit, strict=prev.strict, aspirational=prev.aspirational,
                               comparator_text=prev.comparator_text, scope=prev.scope))
                taken.append((a, b))
                continue
            else:
                verb_obj = re.search(r"(?:建设|建成|新建|改建|改造|完成|实施|种植|新增|增加|打造|筹集|修复|治理)"
                                     r"([\u4e00-\u9fff]{1,12})$", before)
                bare = not pre and not post and not _MEASURE_END.search(before.rstrip("的"))
                if bare and not verb_obj:
                    continue      # "按照100.9平方公里计": a number, not a target
                measure, scope = _strip_measure(before)
                if bare:
                    measure = verb_obj.group(1)      # "新建绿道20公里" -> 绿道
                if re.fullmatch(_VERBS, measure):
                    continue      # "建成1000亩以上…林地": a size qualifier, not the measure
                if not measure or not re.search(r"[\u4e00-\u9fff]{2}", measure):
                    prev = [c for p, c in clauses if p < cpos]
                    if not prev:
                        continue
                    measure, scope = _strip_measure(prev[-1])
                    if not measure:
                        continue
            comp, strict, asp = "=", False, False
            ctext = pre or ""
            if pre:
                comp, strict = _PRE_MAP[pre]
            if post:
                comp, strict = _POST_MAP[post], False
                ctext = f"{ctext}…{post}" if ctext else post
            if re.search(r"力争", clause[:m.start()]):
                asp = True
                if comp == "=":
                    comp = "≥"
            if comp == "=" and re.search(r"(?:达到|达)$", clause[:m.start()].rstrip("市域面积的总量的面积的")):
                comp = "≥"
            v1 = _num(m.group("v1"), m.group("mult"))
            v2 = _num(m.group("v2"), m.group("mult")) if m.group("v2") else None
            out.append(new(measure=measure, comparator=comp, value=v1, value_max=v2, unit=unit, strict=strict,
                           aspirational=asp, comparator_text=ctext, scope=scope))
            taken.append((a, b))
    return out


def split_sentences(text: str, start: int = 0) -> list[tuple[int, str]]:
    """(offset, sentence) pieces of ``text``, ended by 。；！？ or a line break."""
    out = []
    pos = 0
    for m in _CLAUSE_SPLIT.finditer(text + "\n"):
        s = text[pos:m.start()]
        if s.strip():
            lead = len(s) - len(s.lstrip())
            out.append((start + pos + lead, s.strip()))
        pos = m.end()
    return out


def find_indicators(text: str, start: int = 0) -> list[Indicator]:
    out: list[Indicator] = []
    for off, sent in split_sentences(text, start):
        out.extend(parse_indicators(sent, off))
    return out
