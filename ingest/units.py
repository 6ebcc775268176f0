"""Unit (department) names: split a list of units, tell departments from collective units, aliases.

Unit lists come in many shapes: ``区气象局、区文旅局``, ``市教育局，配合单位：…``, one unit per table
line, ``区建设管理委，各街镇``, and glued names such as ``区市场监管局区商务局`` (two cells run
together in a Word export). ``split_units`` handles all of them; glued names are cut where a known
unit ends, or else where a unit suffix (局/委/办…) meets the prefix of the next unit (区/市/各…).

Example:
    >>> split_units("区市场监管局区商务局")
    ['区市场监管局', '区商务局']
    >>> unit_kind("各镇街"), unit_kind("区气象局")
    ('collective', 'department')
    >>> is_alias("区园林局", "区园林绿化局")
    True
"""
from __future__ import annotations

import re
from typing import Iterable

# Separators between units in a list. "和"/"及" are not separators: they occur inside names
# (区文化和旅游局, 区住房保障和房屋管理局).
_SEP = re.compile(r"[、，,；;/／\s]+")
# a labelled unit list ("牵头单位：A、B") as a regex group: it runs to the next role label ("，配合单位：…",
# "A 配合单位：…", "A配合单位：…"), a clause end or the note's closing bracket; a unit's own brackets stay
# ("市发展改革委（市粮食和储备局）").
# The who-reader and the eval scorer read role lists with it.
LABELLED_LIST = (r"((?:(?![，,]\s*(?:牵头|责任|主责|配合|协办|参与)(?:单位|部门)|\s*(?:牵头|责任|主责|配合|协办|参与)(?:单位|部门)[：:])"
                 r"(?:[^；;。\n（）()]|[（(][^（）()\n]{0,30}[）)]))+)")
# Words around a unit list that are not part of any name.
_NOISE_HEAD = re.compile(r"^(?:由|请|会同|联合|协调|以及|及|和|与|同|并)")
_NOISE_TAIL = re.compile(r"(?:等(?:\d+|[一二三四五六七八九十]+)?(?:个|家)?(?:相关|有关)?(?:部门|单位)?|牵头负责|牵头|负责|配合|参与|指导|"
                         r"按职责分工负责|按职责|分工负责|落实|共同)+$")
# What a department name ends with, and what the next glued name may start with.
UNIT_SUFFIX = ("局", "委", "办", "处", "部", "厅", "署", "会", "中心", "院", "所", "站", "队", "组", "政府", "公司",
               "集团", "分局", "街道", "镇", "乡", "管委会", "委员会", "办公室", "法院", "检察院", "总社", "总局")
_GLUE_BOUNDARY = re.compile(
    r"(?<=[局委办处部厅署会心院所站队组府司团])(?=(?:区|市|县|省|各|国家|中共|共青团|北京|上海|广州)"
    r"[\u4e00-\u9fff]{1,16}?(?:局|委|办|处|部|厅|署|会|中心|院|所|站|队|组|政府|公司|集团|镇|街|乡|街道))")
_COLLECTIVE = re.compile(r"^(?:各|相关|有关|其他|其它|所属|所在|全体|试点|成员)|(?:各|相关|有关)(?:部门|单位|镇街|街镇|街道|区)$|"
                         r"^(?:市|区|县)?(?:相关|有关)?(?:部门|单位)$")
_COLLECTIVE_TAIL = re.compile(r"等((?:相关|有关|其他)(?:部门|单位))$")
# A bare level name after "各区、": "各区、县级市" is one collective unit, not "各区" + "县级市".
_LEVEL_ONLY = re.compile(r"^(?:县级市|县|区|市|镇|乡|街道|街镇|镇街|开发区|园区|管委会|经开区)$")


def clean_unit(name: str) -> str:
    """Strip list words and role words around one unit name."""
    s = name.strip().strip("。.：:（）()[]【】“”\"'")
    s = _NOISE_HEAD.sub("", s)
    prev = None
    while prev != s:
        prev = s
        s = _NOISE_TAIL.sub("", s).strip()
    return s


def split_units(text: str, known: Iterable[str] = ()) -> list[str]:
    """Split a unit list into names, in order, without duplicates.

    ``known`` are names seen elsewhere (in the same document or the directory); a glued piece that is
    a concatenation of known names is cut at their boundaries before the suffix/prefix rule applies.
    """
    known_set = {k for k in known if k}
    out: list[str] = []
    for piece in _SEP.split(text or ""):
        # "区绿化市容局等相关部门": the unit, then the collective it stands for
        tail = _COLLECTIVE_TAIL.search(piece)
        piece = clean_unit(piece)
        if not piece:
            continue
        if _LEVEL_ONLY.match(piece) and out and out[-1].startswith("各") and not tail:
            out[-1] = f"{out[-1]}、{piece}"
            continue
        names = [clean_unit(n) for n in split_glued(piece, known_set)] + ([tail.group(1)] if tail else [])
        out.extend(n for n in dict.fromkeys(names) if n and n not in out)
    return out


def split_glued(piece: str, known: set[str] = frozenset()) -> list[str]:
    """Cut a run of names written without a separator. Known names win; else the suffix/prefix rule."""
    if piece in known or len(piece) < 6:
        return [piece]
    seg = _segment_known(piece, known)
    if seg and len(seg) > 1:
        return seg
    return [p for p in _GLUE_BOUNDARY.split(piece) if p]


def _segment_known(piece: str, known: set[str]) -> list[str] | None:
    """Exact segmentation of ``piece`` into known names (fewest parts), or None."""
    if not known:
        return None
    n = len(piece)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for name in known:
            if piece.startswith(name, i):
                j = i + len(name)
                cand = best[i] + [name]
                if best[j] is None or len(cand) < len(best[j]):
                    best[j] = cand
    return best[n]


def unit_kind(name: str) -> str:
    """'collective' for 各镇街 / 相关单位 / 各区、县级市 …; 'department' for a named unit."""
    return "collective" if _COLLECTIVE.search(name) else "department"


def looks_like_unit(name: str) -> bool:
    """A cheap check used to reject sentence fragments read as unit lists."""
    if not name or len(name) > 24 or re.search(r"[，。；：！？\d]", name):
        return False
    return unit_kind(name) == "collective" or name.endswith(UNIT_SUFFIX) or bool(
        re.search(r"(?:局|委|办|处|部|厅|署|中心|院|所|站|队|组|政府|公司|集团|镇|街|乡|管理处|景区|银行|协|联|社|区|县|市)$",
                  name))


# Standard contractions in Chinese unit names (general conventions, not a list of any corpus's units).
_CONTRACTIONS = [("文化和旅游", "文旅"), ("园林绿化", "园林"), ("规划和自然资源", "规划资源"), ("规划和自然资源", "规自"),
                 ("市场监督管理", "市场监管"), ("发展和改革委员会", "发展改革委"), ("发展和改革委员会", "发改委"),
                 ("发展改革委", "发改委"), ("住房和城乡建设", "住建"), ("住房和城乡建设", "住房城乡建设"),
                 ("人力资源和社会保障", "人社"), ("卫生健康委员会", "卫健委"), ("卫生健康委", "卫健委"),
                 ("经济和信息化", "经信"), ("科学技术", "科技"), ("城市管理", "城管"), ("交通运输", "交通"),
                 ("应急管理", "应急"), ("生态环境", "环保"), ("委员会", "委"), ("办公室", "办"),
                 ("绿化和市容管理", "绿化市容"), ("建设和管理委员会", "建设管理委"), ("建设管理委", "建管委")]


def is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def is_alias(short: str, long: str) -> bool:
    """Whether ``short`` is a contraction of ``long``: same level prefix and suffix, and either a
    standard contraction or the characters of ``short`` in order inside ``long``."""
    if short == long or len(short) >= len(long) or len(short) < 3:
        return False
    if short[0] != long[0] or unit_kind(short) != "department" or unit_kind(long) != "department":
        return False
    for full, abbr in _CONTRACTIONS:
        if full in long and long.replace(full, abbr) == short:
            return True
    return short[-1] == long[-1] and is_subsequence(short, long)
