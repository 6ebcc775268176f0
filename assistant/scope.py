"""Scope: which documents may answer a question, and which of them the question names.

Two things decide it:
- **Regions** (``kb.scope``): a question naming 门头沟 may only be answered from 门头沟's own
  documents and its city's. A document whose metadata carries no region (a web article, an
  uploaded notice) belongs to the regions its title and opening lines name, unless it belongs to
  another district.
- **Document references**: words that identify a document — its title, short title (简称), a
  quoted name (《…》, “…”) or its 文号 — make that document *preferred*. They are returned as
  ``title_words`` so that passage ranking inside the document can stop counting them (every
  passage of the document shares them).

Example:
    >>> docs = [DocInfo("pt", "普陀区海绵城市建设实施方案", "普陀区", "上海市"),
    ...         DocInfo("jd", "嘉定区系统化全域推进海绵城市建设的实施方案", "嘉定区", "上海市")]
    >>> s = resolve("普陀海绵城市方案提出的目标是什么？", docs)
    >>> s.allowed, s.preferred
    ({'pt'}, ['pt'])
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable

from ingest.regions import CITY_OF, NATIONAL, province_of, short_name
from kb.scope import find_areas, resolve_scope

from .understand import DOC_NUMBER

# Words every kind of plan's title carries: they name no document in particular.
GENERIC = frozenset("""
关于 印发 转发 下发 通知 的通知 实施方案 工作方案 行动方案 行动计划 三年行动计划 实施意见 指导意见 意见 办法 管理办法 实施细则 细则
条例 规定 决定 方案 计划 规划 要点 工作要点 若干措施 措施 建设 发展 推进 加快 全面 深入 进一步 加强 推动 促进 工作 实施 开展
人民政府 政府 办公厅 办公室 国务院 国务院办公厅 省 市 区 县 年 三年 试行 暂行 征求意见稿 起草说明 报告 批复 复函 答复 建议 通报
""".split())
_QUOTED = re.compile(r"《([^》]{2,60})》|[“\"]([^”\"]{2,30})[”\"]")
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:省|市|县|自治区|自治州|盟)|内蒙古|广西|宁夏|新疆|西藏")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]|[《》“”\"]")


@dataclass
class DocInfo:
    doc_id: str
    title: str
    region: str | None = None
    city: str | None = None
    short_title: str = ""
    doc_number: str = ""
    head: str = ""                      # the first lines of the text, for regions of region-less documents
    body: str = ""                      # the text of a region-less or national document
    issuer: str = ""                    # 发文机关 / 预算主管部门 ("上海市普陀区商务委员会"): names the document too

    @cached_property
    def placeless(self) -> bool:
        """No region in its metadata, no area named anywhere in it, and no "本区 / 我市" that speaks
        for a place it does not name: a document that may be anyone's (a guideline, a 问答)."""
        text = f"{self.title} {self.head} {self.body}"
        return not self.region and not _OWN_PLACE.search(text) and not find_areas(text)

    @cached_property
    def issuer_units(self) -> list[str]:
        """The issuer's unit names (split once, not per question)."""
        return [u for u in re.split(r"[、，,\s]+", self.issuer) if u]


_OWN_PLACE = re.compile(r"[本全我][区市县镇乡省]|[区市县镇]委|[区市县镇]政府")


@dataclass
class AnswerScope:
    allowed: set[str]                                  # documents that may answer
    primary: set[str] = field(default_factory=set)     # the named regions' own documents
    regions: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)   # named regions no document covers
    groups: list[tuple[str, set[str]]] = field(default_factory=list)   # per named region, when several
    preferred: list[str] = field(default_factory=list)  # documents the question names, best first
    title_words: list[str] = field(default_factory=list)
    local: set[str] = field(default_factory=set)       # documents whose title or opening names the asked place
    unplaced: set[str] = field(default_factory=set)    # allowed although they name no place at all
    # a city with no document of its own: its province's and the national documents, {city: doc ids}
    borrowed: dict[str, set[str]] = field(default_factory=dict)


def resolve(question: str, docs: list[DocInfo], doc_ids: Iterable[str] | None = None,
            regions: Iterable[str] | None = None, naming: Callable[..., set[str]] | None = None) -> AnswerScope:
    """The scope of ``question`` over ``docs``; ``doc_ids`` / ``regions`` are the user's filters.
    ``naming(names, among)``: the documents of ``among`` whose title or text names one of ``names``
    (``KnowledgeBase.documents_naming``, found at ingestion); without it ``DocInfo.body`` is read."""
    keep = set(doc_ids) if doc_ids else None
    unplaced: set[str] = set()
    borrowed: dict[str, set[str]] = {}
    want = set(regions) if regions else None
    rows = []
    for d in docs:
        if keep is not None and d.doc_id not in keep:
            continue
        if want is not None and d.region not in want and d.city not in want:
            continue
        rows.append(d)
    scope = resolve_scope(question, [_region_row(d) for d in rows])
    missing = list(scope.missing)
    allowed = {d.doc_id for d in rows}
    if scope.constrained:
        allowed = set(scope.doc_ids or [])
        # a region-less or national document, or one of the asked city's province, that names the
        # area may answer for it (never a document of another region)
        for area in scope.regions:
            names = {area, short_name(area)} - {""}
            wider = {None, NATIONAL, province_of(area)}
            candidates = [d for d in rows if d.region in wider]
            extra = (naming({n for n in names if len(n) >= 2}, {d.doc_id for d in candidates}) if naming else
                     {d.doc_id for d in candidates if any(n in f"{d.title} {d.head} {d.body}" for n in names if len(n) >= 2)})
            if extra:
                allowed |= extra
                missing = [m for m in missing if m != area]
            if area in scope.missing and province_of(area):
                # a city none of whose documents is here: what its province and the State Council
                # decide applies there too (the answer says whose documents it quotes); never another
                # city's, and never for a district (its city's plan is no plan of the district's)
                above = {d.doc_id for d in rows if d.region in (NATIONAL, province_of(area))} - extra
                if above:
                    allowed |= above
                    borrowed[area] = above
                    missing = [m for m in missing if m != area]
        if not missing and any(r != NATIONAL for r in scope.regions):
            # documents that name no place at all may answer for a place too (the answer says so)
            unplaced = {d.doc_id for d in rows if d.placeless} - allowed
            allowed |= unplaced
    groups = [(r, set(g)) for r, g in zip([r for r in scope.regions if r not in scope.missing], scope.groups)]
    named = {r for r, _ in groups}
    groups = [(r, g) for r, g in groups if not any(CITY_OF.get(o) == r for o in named)]   # "上海市静安区": one place
    if len(groups) < 2 or len(scope.regions) >= 3:
        groups = []                      # "门头沟、平谷、怀柔、密云、延庆五个区": the group, not each
    preferred, words = references(question, [d for d in rows if d.doc_id in allowed])
    places = set(_PLACE.findall(question)) | set(scope.regions) | {short_name(r) for r in scope.regions}
    places = {p for p in places if len(p) >= 2}
    local = {d.doc_id for d in rows if d.doc_id in allowed and any(p in f"{d.title} {d.head[:120]}" for p in places)}
    return AnswerScope(allowed=allowed, primary=set(scope.primary) & allowed, regions=scope.regions,
                       missing=missing, groups=groups, preferred=preferred, title_words=words, local=local,
                       unplaced=unplaced, borrowed=borrowed)


def _region_row(d: DocInfo) -> dict:
    region, city = d.region, d.city
    if not region:                       # a region-less document: the first area its title or opening names
        areas = find_areas(f"{d.title} {d.head}")
        if areas:
            region = areas[0]
            city = city or CITY_OF.get(region) or region
    return {"doc_id": d.doc_id, "region": region, "city": city}


def references(question: str, docs: list[DocInfo]) -> tuple[list[str], list[str]]:
    """Documents the question names, best first, and the question's words that named them.

    A 文号 or a quoted name that is part of a title names that document. Otherwise the question's
    maximal runs (two or more characters) shared with a title count when they are not generic and
    appear in at most two titles; the documents with the most such characters are named."""
    number = DOC_NUMBER.search(question)
    if number:
        key = re.sub(r"\s", "", number.group(0))
        hit = [d.doc_id for d in docs if d.doc_number and _fold(d.doc_number) in _fold(key)]
        if hit:
            return hit, [number.group(0)]
    for m in _QUOTED.finditer(question):
        name = _core(m.group(1) or m.group(2))
        hit = [d.doc_id for d in docs if len(name) >= 4 and any(name in _core(t) for t in _titles(d))]
        if 0 < len(hit) <= 2:
            return hit, [m.group(1) or m.group(2)]
    runs: dict[str, set[str]] = {}
    for d in docs:
        for t in _titles(d):
            for run in _shared_runs(question, _core(t)):
                runs.setdefault(run, set()).add(d.doc_id)
        for unit in d.issuer_units:
            for run in _shared_runs(question, unit):    # the issuer's own unit name ("商务委员会"), not a part of it
                if len(run) >= 4 and unit.endswith(run) and _UNIT_END.search(run):
                    runs.setdefault(run, set()).add(d.doc_id)
    limit = max(2, len(docs) // 20)
    good = {r: ids for r, ids in runs.items() if len(ids) <= limit and r not in GENERIC
            and not all(w in GENERIC for w in _generic_parts(r)) and not _is_area(r)}
    score: dict[str, int] = {}
    for run, ids in good.items():
        for i in ids:
            score[i] = score.get(i, 0) + len(run)
    if not score:
        return [], []
    best = max(score.values())
    if best < 3:
        return [], []
    # ties in the order of ``docs``, words longest first then by text: a set's order changes from one
    # process to the next (string hashing), and with it which of two equally named documents answered
    order = {d.doc_id: n for n, d in enumerate(docs)}
    chosen = sorted((i for i, s in score.items() if s >= best - 1), key=lambda i: (-score[i], order[i]))
    words = sorted({r for r, ids in good.items() if ids & set(chosen)}, key=lambda r: (-len(r), r))
    return chosen, words


def _is_area(run: str) -> bool:
    """A run that is only a place name (门头沟区, 普陀): regions are scoped on their own."""
    areas = find_areas(run)
    if not areas:
        return False
    rest = run
    for a in sorted(set(areas) | {short_name(a) for a in areas}, key=len, reverse=True):
        rest = rest.replace(a, "")
    return len(rest) < 2


_UNIT_END = re.compile(r"(?:局|委员会|委|办公室|办|政府|中心|厅|部|署|处|院|办事处)$")


def _titles(d: DocInfo) -> list[str]:
    return [t for t in (d.title, d.short_title) if t]


def _core(title: str) -> str:
    return _BRACKETS.sub("", title)


def _fold(s: str) -> str:
    return re.sub(r"[\s\[\]〔〕()（）［］【】]", "", s)


def _generic_parts(run: str) -> list[str]:
    """``run`` cut into GENERIC words where it can be; a character outside them stays alone."""
    parts, i = [], 0
    words = sorted(GENERIC, key=len, reverse=True)
    while i < len(run):
        for w in words:
            if run.startswith(w, i):
                parts.append(w)
                i += len(w)
                break
        else:
            parts.append(run[i] + "\0")         # not a generic word
            i += 1
    return parts


def _shared_runs(question: str, title: str, min_len: int = 2) -> list[str]:
    """Maximal substrings (>= ``min_len`` CJK characters) that ``question`` and ``title`` share."""
    out: list[str] = []
    q = question
    n = len(q)
    i = 0
    while i < n:
        best = 0
        for j in range(i + min_len, n + 1):
            if q[i:j] in title and re.fullmatch(r"[\u4e00-\u9fff\w]+", q[i:j]):
                best = j - i
            else:
                break
        if best >= min_len:
            run = q[i:i + best].strip("的之和与及在中里")
            if len(run) >= min_len:
                out.append(run)
            i += best
        else:
            i += 1
    return out
