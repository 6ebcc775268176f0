"""Which documents a question may be answered from, judged by the regions it names.

A question that names 门头沟 (门头沟区, 门头沟的 …) may only be answered from 门头沟's own documents and
from its city's (北京市) documents; a question naming a city also reaches that city's districts,
unless the city only locates one of them ("北京市门头沟区…", "门头沟…“北京雪乡”"). A question naming
a region that no document covers gets an empty scope, so retrieval returns nothing rather than a
neighbour's plan. A question naming no region is not constrained.

Example:
    >>> docs = [{"doc_id": "a", "region": "门头沟区", "city": "北京市"}, {"doc_id": "b", "region": "延庆区", "city": "北京市"}]
    >>> s = resolve_scope("门头沟森林覆盖率目标", docs)
    >>> s.doc_ids, s.regions
    (['a'], ['门头沟区'])
    >>> resolve_scope("海淀区森林覆盖率目标", docs).missing
    ['海淀区']
    >>> resolve_scope("北京市门头沟区森林覆盖率目标", docs).doc_ids
    ['a']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from ingest.regions import CITY_OF, all_areas, short_name, short_names_a_word

# Short forms that are everyday words in policy text (金山银山, 大兴调查研究, 光明, 长寿 …) are
# only recognised with their suffix.
AMBIGUOUS_SHORT = frozenset("""
金山 大兴 光明 长寿 南山 白云 南岸 江北 和平 河东 河西 河北 滨海 东城 西城 城区 新区 北辰 红桥 南开 宝山 开州 龙华 天河
""".split())


@dataclass
class Scope:
    regions: list[str] = field(default_factory=list)     # areas the question names (full names)
    missing: list[str] = field(default_factory=list)     # named areas no document covers
    doc_ids: list[str] | None = None                     # allowed documents; None = unconstrained
    primary: list[str] = field(default_factory=list)     # the named areas' own documents (vs. their city's)
    groups: list[list[str]] = field(default_factory=list)  # own documents per named area that has some

    @property
    def constrained(self) -> bool:
        return self.doc_ids is not None

    @property
    def empty(self) -> bool:
        return self.doc_ids == []


def _area_pattern(extra: Iterable[str]) -> tuple[re.Pattern, dict[str, str]]:
    names: dict[str, str] = {}
    for area in list(all_areas()) + [a for a in extra if a]:
        names[area] = area
        short = short_name(area)
        if short != area and len(short) >= 2 and short not in AMBIGUOUS_SHORT:
            names.setdefault(short, area)
    alts = sorted(names, key=len, reverse=True)          # longest first: 门头沟区 before 门头沟
    return re.compile("|".join(map(re.escape, alts))), names


# A short name followed by one of these names a place in the area, not the area itself
# (密云水库, 怀柔科学城, 延庆东南山): a municipal plan about it must stay reachable.
LANDMARK_AFTER = re.compile(r"水库|科学城|新城|机场|站|山|河|湖|湾|港|路|大街|公园|镇|乡|村")

_patterns: dict[frozenset, tuple[re.Pattern, dict[str, str]]] = {}


def find_areas(question: str, extra: Iterable[str] = ()) -> list[str]:
    """Full names of the administrative areas a question names, in order, without repeats."""
    return list(_find_areas(question, frozenset(extra)))


@lru_cache(maxsize=16384)
def _find_areas(question: str, key: frozenset) -> tuple[str, ...]:
    # cached: the assistant reads the regions of every region-less document's title and opening at
    # each question, always the same texts
    if key not in _patterns:
        if len(_patterns) >= 8:           # a few sets of extra names alternate (with and without the KB's)
            _patterns.clear()
        _patterns[key] = _area_pattern(key)
    pattern, names = _patterns[key]
    found = []
    for m in pattern.finditer(question):
        name = m.group(0)
        if names[name] != name and (LANDMARK_AFTER.match(question, m.end())
                                    or not short_names_a_word(question, m.start(), m.end(), names[name])):
            continue
        found.append(names[name])
    return tuple(dict.fromkeys(found))


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|《[^》]*》|「[^」]*」|‘[^’]*’")
_OTHERS = re.compile(r"等|其他|其余|各区|各县|各市辖区|全市各")


def _qualifies(question: str, city: str, district: str) -> bool:
    """``city`` only locates ``district``: each time the question names it, it is written right before
    the district or inside quotation marks or a title, and the question asks for no other districts.

    >>> _qualifies("北京市 延庆区的氧吧计划由谁牵头", "北京市", "延庆区"), _qualifies("延庆落实《北京市规划》", "北京市", "延庆区")
    (True, True)
    >>> _qualifies("北京市门头沟区等生态涵养区的目标", "北京市", "门头沟区"), _qualifies("北京市和延庆区的目标", "北京市", "延庆区")
    (False, False)
    """
    def forms(area: str) -> str:
        return "|".join(map(re.escape, sorted({area, short_name(area)} - {""}, key=len, reverse=True)))
    if _OTHERS.search(question):
        return False
    rest = re.sub(rf"(?:{forms(city)})\s*的?\s*(?=(?:{forms(district)}))", " ", _QUOTED.sub(" ", question))
    return not re.search(forms(city), rest)


def resolve_scope(question: str, docs: list[dict[str, Any]]) -> Scope:
    """``docs``: dicts with ``doc_id``, ``region`` and ``city`` (document metadata)."""
    known = {d.get("region") for d in docs} | {d.get("city") for d in docs}
    areas = find_areas(question, {a for a in known if a})
    if not areas:
        return Scope()
    parent_of = {a: CITY_OF.get(a) or next((d.get("city") for d in docs if d.get("region") == a
                                            and d.get("city") != a), None) for a in areas}
    # "北京市延庆区…", "延庆…“北京雪乡”": a city written just before one of its districts, or only inside
    # quotation marks, says where the district is; it does not open its other districts' plans
    located = {a for a in areas for o in areas if o != a and parent_of[o] == a and _qualifies(question, a, o)}
    areas = [a for a in areas if a not in located] or areas
    allowed: list[str] = []
    primary: list[str] = []
    missing: list[str] = []
    groups: list[list[str]] = []
    for area in areas:
        own = [d["doc_id"] for d in docs if d.get("region") == area or d.get("city") == area]
        if not own:
            missing.append(area)
            continue
        primary += own
        groups.append(own)
        parent = parent_of[area]
        allowed += own + [d["doc_id"] for d in docs if parent and d.get("region") == parent]
    return Scope(regions=areas, missing=missing, doc_ids=list(dict.fromkeys(allowed)),
                 primary=list(dict.fromkeys(primary)), groups=groups)
