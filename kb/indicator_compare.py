"""One measure across documents and regions: 森林覆盖率 in 北京市's plan for the 生态涵养区 (≥66%),
门头沟区 (≥50% by 2026) … as a comparison table, with the target year of each value.

Measure names are grouped the way unit names are (``kb.facts`` directory): a name joins a shorter
one it ends with when what is left is a scope word (总体森林覆盖率, 全区森林覆盖率 → 森林覆盖率), and
quotes or a trailing 数量 do not make another measure ("“氧吧”民宿数量" = 氧吧民宿). The target year is
the indicator's own date, else a year the sentence names (到2025年, “十四五”期末 → 2025), else the
plan period in the title (2024-2026 → 2026), else 未来五年 counted from the document's date;
``year_basis`` says which.

Example:
    >>> rows = compare(kb.facts, "森林覆盖率", text_of=lambda d: "", docs=kb.documents(parsed=False))
    >>> [(r.region, r.value_text, r.year) for r in rows]
    [('北京市', '≥66%', 2027), ('门头沟区', '≥50%', 2026)]
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable

from .facts import FactStore

_SCOPE_PREFIX = re.compile(r"^(?:全区|全市|全县|全省|全国|本区|本市|总体|整体|平均|区域|城市|城区|全域|山区|平原区|建成区|中心城区|"
                           r"[\u4e00-\u9fff]{1,4}(?:区|市|县|省))+")
_FIVE_YEAR = {"十三五": 2020, "十四五": 2025, "十五五": 2030, "十六五": 2035}
_YEAR = re.compile(r"(?:(?:到|至|于|截至|截止)\s*((?:19|20)\d{2})\s*年)|(?:((?:19|20)\d{2})\s*年(?:底|末)?(?:前|以前))")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*[-—–～~至到]\s*((?:19|20)\d{2})")
_AHEAD = re.compile(r"(?:未来|今后|此后|再用)([一二三四五六七八九十两\d])年")
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def normalise(name: str) -> str:
    """The measure without quotes, spaces and a trailing 数量."""
    s = re.sub(r"[\s“”\"'‘’「」]", "", name or "")
    return re.sub(r"(?:的)?数量$", "", s) or s


class MeasureDirectory:
    """Canonical names of measures: a name that ends with a shorter measure after a scope word joins
    it; the most frequent normalised form names the group."""

    def __init__(self, names: Iterable[str]):
        counts = Counter(normalise(n) for n in names if n)
        self._of: dict[str, str] = {}
        norms = sorted(counts, key=len)
        parent = {n: n for n in norms}
        for n in norms:
            core = _SCOPE_PREFIX.sub("", n)
            if core != n and core in parent and len(core) >= 3:
                parent[n] = core
        for n in norms:
            r = n
            while parent[r] != r:
                r = parent[r]
            self._of[n] = r
        self.counts = counts

    def canonical(self, name: str) -> str:
        n = normalise(name)
        if n in self._of:
            return self._of[n]
        core = _SCOPE_PREFIX.sub("", n)
        return self._of.get(core, core if len(core) >= 3 else n)

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for n, c in self._of.items():
            out[c].append(n)
        return dict(out)


def target_year(ind: dict[str, Any], title: str = "", doc_date: str = "", doc_text: str = "") -> tuple[int | None, str]:
    """(year, basis) of an indicator's target: 指标时间 / 原文 / 规划期 / 成文日期推算 / ("", 未写明)."""
    for field in ("due", "target"):
        v = str(ind.get(field) or "")
        m = re.search(r"((?:19|20)\d{2})", v)
        if m:
            return int(m.group(1)), "指标时间"
        for k, y in _FIVE_YEAR.items():
            if k in v:
                return y, "指标时间"
    sentence = ind.get("sentence") or ""
    m = _YEAR.search(sentence)
    if m:
        return int(m.group(1) or m.group(2)), "原文"
    for k, y in _FIVE_YEAR.items():
        if k in sentence:
            return y, "原文"
    p = _PERIOD.search(title or "")
    if p:
        return int(p.group(2)), "规划期末"
    a = _AHEAD.search(doc_text or "")
    d = re.match(r"((?:19|20)\d{2})", doc_date or "")
    if a and d:
        n = int(a.group(1)) if a.group(1).isdigit() else _CN[a.group(1)]
        return int(d.group(1)) + n, f"成文日期{d.group(1)}年起“{a.group(0)}”"
    return None, "未写明"


@dataclass
class CompareRow:
    measure: str                 # canonical name
    name: str                    # as written
    region: str                  # the document's region
    scope: str                   # the area the value is for, as written (门头沟区、平谷区…总体 / 全区)
    value: float | None
    value_text: str
    year: int | None
    year_basis: str
    doc_id: str
    title: str
    sentence: str
    breadcrumb: str
    page: int | None
    start: int | None
    end: int | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def compare(facts: FactStore, measure: str, docs: list[dict[str, Any]] | None = None,
            text_of: Callable[[str], str] | None = None, doc_ids: Iterable[str] | None = None) -> list[CompareRow]:
    """Every value of ``measure`` (any of its names) across the documents, one row per value; a value
    repeated within a document (the body text and its task table) is one row, keeping the row with a
    year. Sorted by region, year, value."""
    all_inds = facts.indicators()
    directory = MeasureDirectory(i["measure"] for i in all_inds)
    want = directory.canonical(measure)
    keep = set(doc_ids) if doc_ids is not None else None
    meta = {d["doc_id"]: d for d in docs or []}
    best: dict[tuple, CompareRow] = {}
    for i in all_inds:
        if directory.canonical(i["measure"]) != want or (keep is not None and i["doc_id"] not in keep):
            continue
        d = meta.get(i["doc_id"], {})
        m = d.get("meta") or {}
        title = ((m.get("extra") or {}).get("short_title")) or d.get("title") or i["title"] or i["doc_id"]
        year, basis = target_year(i, title, str(m.get("date") or ""), text_of(i["doc_id"]) if text_of else "")
        row = CompareRow(want, i["measure"], i["region"] or m.get("region") or "", i["scope"] or "", i["value"],
                         i["value_text"], year, basis, i["doc_id"], title, i["sentence"], i["breadcrumb"] or "",
                         i.get("page"), i.get("start"), i.get("end"))
        key = (i["doc_id"], i["scope"] or "", i["value_text"], year)
        old = best.get(key)
        if old is None or (old.year_basis != "指标时间" and basis == "指标时间"):
            best[key] = row
    return sorted(best.values(), key=lambda r: (r.region, r.year or 0, r.value or 0, r.doc_id))


def measures_with_several(facts: FactStore, doc_ids: Iterable[str] | None = None) -> list[tuple[str, int]]:
    """Canonical measures stated in two or more documents (of ``doc_ids``, all when None), with the
    number of documents (most first)."""
    inds = facts.indicators()
    directory = MeasureDirectory(i["measure"] for i in inds)
    keep = set(doc_ids) if doc_ids is not None else None
    docs: dict[str, set[str]] = defaultdict(set)
    for i in inds:
        if keep is not None and i["doc_id"] not in keep:
            continue
        docs[directory.canonical(i["measure"])].add(i["doc_id"])
    return sorted(((m, len(d)) for m, d in docs.items() if len(d) >= 2), key=lambda x: (-x[1], x[0]))
