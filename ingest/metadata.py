"""Document metadata: title, issuing body, region, date, status, kind, 文号.

Sources in order of precedence: a sidecar file (``NAME.meta.yaml`` beside the document), front
matter of the file, then detection from the text.

Example:
    >>> meta = detect_metadata(text, front_matter={}, filename="门头沟行动计划.txt")
    >>> meta.region, meta.kind
    ('门头沟区', '行动计划')
"""
from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import yaml

from .markers import match_marker
from .model import DocMeta
from .regions import ADDED, CITIES, CITY_OF, NATIONAL, PROVINCE_OF, PROVINCES, all_areas, short_name

KINDS = ["起草说明", "任务分解表", "三年行动计划", "行动计划", "行动方案", "实施方案", "工作方案", "试点方案", "建设方案",
         "实施意见", "指导意见", "实施细则", "管理办法", "考核指标", "评价指标", "工作要点", "规划", "纲要", "办法",
         "意见", "通知", "决定", "规定", "方案", "报告", "条例", "细则", "规则", "预算", "决算"]
KINDS_CANON = {"三年行动计划": "行动计划"}
STATUSES = ["征求意见稿", "送审稿", "草案", "讨论稿", "试行", "暂行"]
_ALIASES = {
    "title": ["标题", "title", "名称"],
    "issuer": ["发文机关", "发布单位", "发文单位", "issuer", "印发单位"],
    "date": ["发布日期", "成文日期", "印发日期", "date", "日期"],
    "status": ["状态", "status"],
    "kind": ["kind", "文种"],
    "doc_number": ["文号", "发文字号", "doc_number"],
    "region": ["地区", "区域", "region"],
    "city": ["城市", "city"],
}
_DATE = re.compile(r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?")
_DOCNO = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")
_ORG_END = re.compile(r"(政府|委员会|人民政府|办公厅|办公室|党委|市委|区委|县委|局|委|厅|部|国务院|中心)$")
_TITLE_END = re.compile("(" + "|".join(KINDS) + r"|表|指标|的通知|的说明|的函|的复函|的批复|的通报|的答复|的公告)[）)》]*$")
_INNER = re.compile(r"(?:印发|转发|下发)《(.+?)》(?:的通知)?|(?:印发|转发|下发)(.+?)的通知")
_FALSE_AREA_SUFFIX = ("涵养区", "保护区", "示范区", "功能区", "先行区", "体验区", "开发区", "园区", "景区", "社区", "城区",
                      "分区", "片区", "街区", "风景区", "核心区", "试验区", "新区")


def sidecar_candidates(path: str | Path) -> list[Path]:
    """Where a metadata sidecar for ``path`` may sit, in order of precedence."""
    p = Path(path)
    return [p.with_name(p.name + ".meta.yaml"), p.with_name(p.stem + ".meta.yaml"), p.with_name(p.name + ".meta.json")]


def read_sidecar(path: str | Path) -> dict:
    for cand in sidecar_candidates(path):
        if cand.is_file():
            text = cand.read_text(encoding="utf-8")
            data = json.loads(text) if cand.suffix == ".json" else yaml.safe_load(text)
            return data if isinstance(data, dict) else {}
    return {}


def _pick(data: dict, field: str):
    for key in _ALIASES[field]:
        if data.get(key) not in (None, ""):
            return data[key]
    return None


def detect_metadata(text: str, front_matter: dict | None = None, sidecar: dict | None = None,
                    filename: str = "") -> DocMeta:
    fm = front_matter or {}
    sc = sidecar or {}
    head = _head_lines(text)
    title = _pick(sc, "title") or _pick(fm, "title") or _title_from_text(head) or headline(text) or Path(filename).stem
    title = re.sub(r"\s+", "", str(title)) if re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", str(title)) and not \
        re.search(r"(委|府|厅|部)\s", str(title)) else str(title).strip()
    title = re.sub(r"(?<=.)[（(]\s*" + _DOCNO.pattern + r".*$", "", title)      # "…的通知（漳发改数字〔2026〕21号" joined
    inner = _INNER.search(title)
    short_title = (inner.group(1) or inner.group(2)) if inner else None

    meta = DocMeta(title=title)
    if short_title:
        meta.extra["short_title"] = short_title
    meta.status = _pick(sc, "status") or _status(title, head) or _pick(fm, "status")
    meta.kind = _pick(sc, "kind") or _kind(short_title or title) or fm.get("类型")
    meta.doc_number = _pick(sc, "doc_number") or _pick(fm, "doc_number") or _docno(head)
    meta.issuer = _pick(sc, "issuer") or _pick(fm, "issuer") or _issuer(title, head)
    generic = re.search(r"(?:(20\d{2})\s*年度?)?(?:区级|市级|县级)?部门(预算|决算)$", title)
    if not short_title and generic and meta.issuer and meta.issuer not in title:
        # "上海市普陀区2025年区级部门预算" is the title of every department's budget: the short title
        # names the department, so that its passages and its name in answers tell the budgets apart
        meta.extra["short_title"] = f"{meta.issuer}{(generic.group(1) or '') and generic.group(1) + '年'}部门{generic.group(2)}"
    numbered = _docno_line(head)
    meta.date = _norm_date(_pick(sc, "date") or _pick(fm, "date")) or _date(text) or \
        (_norm_date(numbered.group("date")) if numbered and numbered.group("date") else None)
    region = _pick(sc, "region")
    if region:
        meta.region = str(region)
        meta.city = _pick(sc, "city") or CITY_OF.get(meta.region) or (meta.region if meta.region in CITIES else None)
    else:
        meta.region, meta.city = detect_region(text, title, meta.issuer or "")
    for k, v in fm.items():
        if not any(k in names for names in _ALIASES.values()):
            meta.extra[str(k)] = v if isinstance(v, (str, int, float, bool)) else str(v)
    return meta


def _head_lines(text: str, n: int = 12) -> list[str]:
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if not s or s in ("|", "\f"):
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(s.lstrip("#").strip() if s.startswith("#") else s)
        if len([x for x in out if x]) >= n:
            break
    return out


# the lines under a title that are not part of it: a date ("二〇二〇年十二月") or, after a blank line,
# the issuing body ("中国密码学会密评联委会")
_DATE_LINE = re.compile(r"^[〇零一二三四五六七八九十\d]{2,4}\s*年\s*[〇零一二三四五六七八九十\d]{1,2}\s*月"
                        r"(?:\s*[〇零一二三四五六七八九十\d]{1,3}\s*日)?$")
_ORG_LINE = re.compile(r"^[\u4e00-\u9fff（）()]{2,24}(?:委员会|联委会|管委会|办公室|办公厅|人民政府|政府|局|厅|部|署|中心|"
                       r"研究院|学会|协会|联合会|委|办)"
                       r"(?:\s*[〇零一二三四五六七八九十\d]{2,4}\s*年\s*[〇零一二三四五六七八九十\d]{1,2}\s*月"
                       r"(?:\s*[〇零一二三四五六七八九十\d]{1,3}\s*日)?)?$")   # the body, and its date run on


def _title_from_text(head: list[str]) -> str | None:
    parts: list[str] = []
    gap = False
    for s in head:
        if not s:
            if parts and _title_complete("".join(parts)):
                break
            gap = bool(parts)
            continue
        if parts and (_DATE_LINE.match(s) or gap and _ORG_LINE.match(s)):
            break
        if re.fullmatch(r"附件\s*\d*[：:]?", s) or s.startswith((">", "[")):
            continue
        if re.fullmatch(r"[（(](征求意见稿|送审稿|草案|讨论稿|试行)[)）]", s) or _DOCNO.fullmatch(s):
            if parts:
                break
            continue
        if parts and s == "".join(parts):
            break                      # the title printed twice (a web export's heading, then the title)
        long_title = not parts and len(s) <= 120 and _title_complete(s)
        if "。" in s or s.endswith(("：", ":")) or len(s) > 60 and not long_title or match_marker(s):
            break
        if parts and _title_complete("".join(parts)) and len(s) >= 6 and not s.startswith(("的", "（", "(")) and (
                _title_complete(s) or re.search(r"(公告|令)[）)]?$", s)):
            break                      # a second title line: "…条例" then "…常务委员会公告"
        parts.append(s)
        if len(parts) >= 4:
            break
    title = "".join(parts)
    return title or None


def headline(text: str) -> str | None:
    """The headline of a title-less web article written on one line ("山西省推行… 省住建厅2月5日发布…"):
    the leading words up to a complete title (…的通知), or else the words before the first space."""
    first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    if not first:
        return None
    segs = re.split(r"[ \u3000\t]+", first)
    for k in range(1, min(len(segs), 12) + 1):
        cand = "".join(segs[:k])
        if len(cand) > 80 or "。" in cand:
            break
        if _title_complete(cand) and len(cand) >= 6:
            return cand
    lead = ""
    for seg in segs[:4]:                   # "璧山区 对企业实施…挂牌管理 来源：…": words until a headline is long enough
        if re.search(r"[。；]", seg) or lead and re.search(r"[：:]", seg):
            break
        lead += seg
        if len(lead) >= 6:
            break
    if 4 <= len(lead) <= 60:
        return lead
    sentence = re.split(r"[。！？；]", first, maxsplit=1)[0]
    if 4 <= len(sentence) <= 40:
        return sentence
    return None


def _title_complete(t: str) -> bool:
    return t.count("《") <= t.count("》") and t.count("“") <= t.count("”") and bool(_TITLE_END.search(t))


def _status(title: str, head: list[str]) -> str | None:
    blob = title + "".join(head[:6])
    for s in STATUSES:
        if s in blob:
            return s
    return None


def _kind(title: str) -> str | None:
    t = re.sub(r"[（(][^）)]*[）)]", "", title)
    best = None
    for k in KINDS:
        pos = t.rfind(k)
        if pos >= 0 and (best is None or pos + len(k) > best[0] or pos + len(k) == best[0] and len(k) > len(best[1])):
            best = (pos + len(k), k)
    return KINDS_CANON.get(best[1], best[1]) if best else None


# the 文号 line under a title, alone or in brackets, with the date it was issued run on as a 北大法宝
# export prints it: "（大发改数字字〔2021〕513号　2021年8月31日）", "（佛工信〔2021〕4号）"
_DOCNO_LINE = re.compile(r"[（(]?\s*(?P<no>" + _DOCNO.pattern + r")\s*(?P<date>" + _DATE.pattern + r")?\s*[）)]?")


# the same in brackets at the end of a title line that a wrapped line was joined to
_DOCNO_END = re.compile(r"[（(]\s*(?P<no>" + _DOCNO.pattern + r")\s*(?P<date>" + _DATE.pattern + r")?\s*[）)]$")


def _docno_line(head: list[str]) -> re.Match | None:
    return next((m for m in (_DOCNO_LINE.fullmatch(s) or _DOCNO_END.search(s) for s in head) if m), None)


def _docno(head: list[str]) -> str | None:
    m = _docno_line(head)
    return re.sub(r"\s", "", m.group("no")) if m else None


_LABELLED_ISSUER = re.compile(r"^(?:预算|决算)?(?:主管部门|编制部门|编制单位|发布机关|发文机关|发布单位|印发单位)\s*[：:]\s*"
                              r"([\u4e00-\u9fff（）()]{2,40}?)(?:\s|$)")


def _issuer(title: str, head: list[str]) -> str | None:
    for s in head[:8]:
        m = _LABELLED_ISSUER.match(s)
        if m and _ORG_END.search(m.group(1)):
            return m.group(1)
    joint = _joint_issuers(title)
    if joint:
        return joint
    # Signature block at the top of a 通知: org lines directly above a date line.
    for i, s in enumerate(head):
        if _DATE.fullmatch(s):
            orgs = [x for x in head[max(0, i - 4):i] if x and _ORG_END.search(x) and len(x) <= 30]
            if orgs:
                return "、".join(orgs)
    m = re.match(r"^(.{2,30}?)(?:关于|印发)", title)
    if m and _ORG_END.search(m.group(1).strip()):
        return m.group(1).strip()
    return None


def _joint_issuers(title: str) -> str | None:
    """The bodies a joint notice's title names before 关于 ("浙江省数字经济发展领导小组办公室、浙江省经济
    和信息化厅、浙江省统计局关于印发…"), when there are several and each is a body: the title names
    them all, a signature block may not."""
    m = re.match(r"^(.{4,120}?)(?:关于|印发|转发)", title)
    parts = [p.strip() for p in re.split(r"[、,，]", m.group(1))] if m else []
    if len(parts) >= 2 and all(2 <= len(p) <= 40 and _ORG_END.search(p) for p in parts):
        return "、".join(parts)
    return None


def _norm_date(v) -> str | None:
    if v is None:
        return None
    s = str(v)
    m = _DATE.search(s)
    if m:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?", s)
    return m.group(0) if m else None


def _date(text: str) -> str | None:
    """A signature date: 'YYYY年M月D日' alone on a line near the start or the end."""
    lines = [l.strip() for l in text.split("\n") if l.strip()]
    for s in lines[:40] + lines[-15:]:
        if _DATE.fullmatch(s):
            return _norm_date(s)
    return None


# a body of the central government or a national association, by its name alone: a ministry and its
# office or bureaus ("工业和信息化部办公厅", "工业和信息化部中小企业局"), "中国建筑业协会" — by the
# ministries' names, since a local body may end in 部 too (县人民武装部, 公司营销部, 医院药学部)
_MINISTRIES = ("外交部|国防部|教育部|科学技术部|科技部|工业和信息化部|工信部|公安部|国家安全部|民政部|司法部|财政部|人力资源和社会保障部|"
               "人力资源社会保障部|人社部|自然资源部|国土资源部|生态环境部|环境保护部|住房和城乡建设部|住房城乡建设部|住建部|交通运输部|交通部|"
               "铁道部|水利部|农业农村部|农业部|商务部|文化和旅游部|文化部|卫生部|退役军人事务部|应急管理部|审计署|海关总署|税务总局|"
               "国家税务总局|市场监管总局|国务院国资委|中国人民银行|监察部|信息产业部|建设部|劳动和社会保障部|人事部")
_NATIONAL_BODY = re.compile(rf"(?:{_MINISTRIES})(?:办公厅|[\u4e00-\u9fff]{{2,12}}(?:司|局|中心))?"
                            r"|中国[\u4e00-\u9fff]{2,14}(?:协会|学会|联合会|研究会|总会)")


def detect_region(text: str, title: str, issuer: str) -> tuple[str | None, str | None]:
    """Return (region, city). City-level issuers win over districts merely mentioned in the text."""
    head = title + " " + issuer
    lead = re.match(r"^(.{2,40}?)(?:关于|印发)", title)
    bodies = [issuer] + ([lead.group(1)] if lead else [])
    if re.search(r"国务院|中共中央|国家[\u4e00-\u9fff]{1,8}(部|局|委)", head) or any(map(_NATIONAL_BODY.fullmatch, bodies)):
        # a central body's document is national unless its title is about one province's area
        # ("…关于山西、安徽省四起特大煤矿瓦斯爆炸事故…的通报" is about two: national as well)
        if not _area_in(head) or len({_province_level(a) for a in _areas_in_head(title)}) >= 2:
            return NATIONAL, None
    counts: Counter[str] = Counter()
    named = _masked(title + issuer)             # full names masked: "大兴安岭地区" holds no 大兴
    for area in all_areas():
        n = text.count(area)
        short = short_name(area)
        if len(short) >= 2 and short != area and short in named and _owns_short(area) and area not in ADDED:
            # short names count only where not part of a longer place or area word; an added city
            # only by its full name here ("开封后使用", "宁德时代" in a title)
            n += len(re.findall(re.escape(short) + r"(?![区市省县\u4e00-\u9fff]*(?:" + "|".join(_FALSE_AREA_SUFFIX) + "))",
                                named))
        if n:
            counts[area] = n
    districts = {a: n for a, n in counts.items() if a in CITY_OF}
    in_head = _areas_in_head(head)
    head_districts = [a for a in in_head if a in CITY_OF]
    head_cities = [a for a in in_head if a in CITIES or a in PROVINCES]
    own = len(re.findall(r"本区|我区|全区(?!域)|(?<![各市])区委|(?<![各市])区政府", text))
    city_own = len(re.findall(r"(?<![资基根])本市|我市|全市(?!场)|(?<!各)市委|(?<!各)市政府", text))   # not 资本市场, 全市场
    if re.search(r"市委|市人民政府|市政府|市[\u4e00-\u9fff]{1,8}(局|委员会|委|办公厅)", issuer) and not re.search(r"区", issuer):
        city = next((c for c in CITIES if c in issuer or short_name(c) in issuer), None)
        if city:
            return city, city
    if head_districts:
        region = max(head_districts, key=lambda a: districts.get(a, 0))
        return region, CITY_OF[region]
    if head_cities and not (own and districts):
        city = head_cities[0]
        return city, city if city in CITIES else None
    if not in_head and _nationwide(text, counts, own + city_own):
        return NATIONAL, None
    if districts and own and own >= city_own:
        region = max(districts, key=districts.get)
        return region, CITY_OF[region]
    cities = {a: n for a, n in counts.items() if a in CITIES or a in PROVINCES}
    if re.search(r"本市|全市|市委|市政府", text) and districts:
        city = Counter(CITY_OF[d] for d in districts).most_common(1)[0][0]
        return city, city
    if cities:
        city = max(cities, key=cities.get)
        return city, city if city in CITIES else None
    return None, None


# a notice sent to every province: its first addressee line ("各省、自治区、直辖市人民政府，新疆生产建设兵团：")
_TO_ALL_PROVINCES = re.compile(r"[^：:。]{0,80}?(?:各省[、，,]\s*自治区[、，,]\s*直辖市|各省[（(]区[、，,]?市[）)]|各省区市)[^。；;：:]{0,80}[：:]")
_OWN_PROVINCE = re.compile(r"本省|我省|全省")
_CAPITAL_DATELINE = re.compile(r"(?:新华社|中新社|中新网|人民网|央视网|新华网)\s*北京\s*\d{1,2}月\d{1,2}日电")
_NATIONAL_MENTION = re.compile(rf"(?:{_MINISTRIES})(?![门署分属])|国务院|党中央|(?<!在)全国|国家(?!统一|有关)[\u4e00-\u9fff]{{1,8}}?(?:部|局|委员会|委|银行)(?![门署分属])")
SPREAD = 3              # province-level areas a document names, none of them most of the mentions


def _nationwide(text: str, counts: Counter, own: int) -> bool:
    """A document whose title and issuer name no place is national when it is sent to every province
    (its first lines: "各省、自治区、直辖市人民政府："), is the State's news (a Beijing dateline with a ministry
    or 国务院 and no further 北京 in its opening) or names areas in ``SPREAD`` or more provinces with none
    holding half the mentions ("… 郑州局 … 湖北 … 广州") — and speaks for no place of its own (本区 /
    本市 / 我省): a national notice that mentions 湖北 most is not 湖北's."""
    if _TO_ALL_PROVINCES.match(text[:300]):
        return True             # its addressees; it may tell them "结合本省实际"
    if own or _OWN_PROVINCE.search(text):
        return False            # a province's notice may quote "各省、自治区、直辖市" in its body
    dateline = _CAPITAL_DATELINE.search(text[:200])
    if dateline and _NATIONAL_MENTION.search(text[:400]) and "北京" not in text[dateline.end():400]:
        return True             # "新华社北京2月15日电 记者从财政部获悉": the State's news, whatever it mentions once
    by_province: Counter[str] = Counter()
    for area, n in counts.items():
        by_province[_province_level(area)] += n
    total = sum(by_province.values())
    return len(by_province) >= SPREAD and by_province.most_common(1)[0][1] < total / 2


def _province_level(area: str) -> str:
    """The province-level area an area lies in (a municipality is one)."""
    if area in PROVINCES:
        return area
    city = CITY_OF.get(area, area)
    return PROVINCE_OF.get(city, city)


def _areas_in_head(head: str) -> list[str]:
    """Areas a title or issuer names, by full name or short name; a short name inside a longer
    name found there does not count ("河北省…" names 河北省, not 天津 河北区)."""
    found = {a for a in all_areas() if a in head}
    masked = _masked(head)
    for a in all_areas():
        short = short_name(a)
        if short != a and short in masked and _owns_short(a) and a not in ADDED:
            found.add(a)                # an added city by its full name only (see detect_region)
    return [a for a in all_areas() if a in found]


def _masked(head: str) -> str:
    """``head`` with every full area name in it blanked out, longest first."""
    for a in _longest_first():
        if a in head:
            head = head.replace(a, "\u25a1" * len(a))
    return head


@lru_cache(maxsize=1)
def _longest_first() -> tuple[str, ...]:
    return tuple(sorted(all_areas(), key=len, reverse=True))


@lru_cache(maxsize=None)
def _owns_short(area: str) -> bool:
    """Whether ``area``'s short name names it: a short name two areas share ("河北": 河北省 and 天津's
    河北区) names the higher one only (the district is written 天津市河北区 or 河北区)."""
    short = short_name(area)
    owners = [a for a in all_areas() if a != area and short_name(a) == short]
    return not owners or area not in CITY_OF


def _area_in(s: str) -> bool:
    return any(a in s for a in all_areas())
