"""Administrative areas used to tell which region a document (or a question) is about.

This is a gazetteer of public administrative divisions, not a list tuned to the bundled corpus:
the districts of the municipalities and of 广州 and 深圳, the provinces, and every prefecture-level
city, 自治州, 地区 and 盟 of China with its province, read from the adcodes table that the ``cpca``
package ships (MIT; its data file only, the package itself is never imported: it would load pandas).
Without that package the list of cities is the hand-written one below.

Example:
    >>> PROVINCE_OF["大连市"], short_name("大连市"), short_name("大同市")
    ('辽宁省', '大连', '大同市')
"""
from __future__ import annotations

import csv
import importlib.metadata
import logging
import re
import threading

DISTRICTS: dict[str, list[str]] = {
    "北京市": ["东城区", "西城区", "朝阳区", "丰台区", "石景山区", "海淀区", "门头沟区", "房山区", "通州区",
            "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区"],
    "上海市": ["黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区",
            "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区"],
    "天津市": ["和平区", "河东区", "河西区", "南开区", "河北区", "红桥区", "东丽区", "西青区", "津南区",
            "北辰区", "武清区", "宝坻区", "滨海新区", "宁河区", "静海区", "蓟州区"],
    "重庆市": ["万州区", "涪陵区", "渝中区", "大渡口区", "江北区", "沙坪坝区", "九龙坡区", "南岸区", "北碚区",
            "綦江区", "大足区", "渝北区", "巴南区", "黔江区", "长寿区", "江津区", "合川区", "永川区",
            "南川区", "璧山区", "铜梁区", "潼南区", "荣昌区", "开州区", "梁平区", "武隆区"],
    "广州市": ["荔湾区", "越秀区", "海珠区", "天河区", "白云区", "黄埔区", "番禺区", "花都区", "南沙区",
            "从化区", "增城区"],
    "深圳市": ["罗湖区", "福田区", "南山区", "宝安区", "龙岗区", "盐田区", "龙华区", "坪山区", "光明区"],
}

PROVINCES = ["河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省",
             "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省",
             "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区",
             "新疆维吾尔自治区"]
CITIES = list(DISTRICTS) + ["杭州市", "南京市", "武汉市", "成都市", "西安市", "苏州市", "长沙市", "郑州市",
                             "济南市", "青岛市", "沈阳市", "长春市", "哈尔滨市", "合肥市", "福州市", "厦门市",
                             "南昌市", "石家庄市", "太原市", "昆明市", "贵阳市", "南宁市", "兰州市", "海口市",
                             "雄安新区"]
NATIONAL = "全国"

# where a city's short name is an everyday word or another area's short name ("大同小异", "日照时数",
# "各位来宾", 朝阳区): only its full name names it
FULL_NAME_ONLY = frozenset(f"{n}市" for n in "中山 长治 黄山 白山 安康 吉林 朝阳 大同 日照 白银 来宾 山南 四平 大庆 开封 宁德".split())
_MUNICIPALITIES = ("11", "12", "31", "50")
_SPECIAL = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def _prefectures() -> dict[str, str]:
    """{prefecture-level area: its province} from cpca's adcodes table (12-digit codes: a province
    ends in ten zeros, a prefecture in eight); {} when the package is not installed."""
    try:
        path = importlib.metadata.distribution("cpca").locate_file("cpca/resources/adcodes.csv")
        with open(path, encoding="utf-8") as f:
            rows = [(r["adcode"], r["name"]) for r in csv.DictReader(f)]
    except (importlib.metadata.PackageNotFoundError, OSError, KeyError):
        return {}
    provinces = {code[:2]: name for code, name in rows if code[2:].strip("0") == ""}
    return {name: provinces[code[:2]] for code, name in rows
            if code[4:].strip("0") == "" and code[2:4] != "00" and code[:2] not in _MUNICIPALITIES
            and name not in _SPECIAL and code[:2] in provinces}

CITY_OF: dict[str, str] = {d: city for city, ds in DISTRICTS.items() for d in ds}
# the province of each city above that is not a municipality
PROVINCE_OF: dict[str, str] = {
    "广州市": "广东省", "深圳市": "广东省", "杭州市": "浙江省", "南京市": "江苏省", "苏州市": "江苏省", "武汉市": "湖北省",
    "成都市": "四川省", "西安市": "陕西省", "长沙市": "湖南省", "郑州市": "河南省", "济南市": "山东省", "青岛市": "山东省",
    "沈阳市": "辽宁省", "长春市": "吉林省", "哈尔滨市": "黑龙江省", "合肥市": "安徽省", "福州市": "福建省", "厦门市": "福建省",
    "南昌市": "江西省", "石家庄市": "河北省", "太原市": "山西省", "昆明市": "云南省", "贵阳市": "贵州省",
    "南宁市": "广西壮族自治区", "兰州市": "甘肃省", "海口市": "海南省", "雄安新区": "河北省"}
_added: list[str] = []
for _city, _province in _prefectures().items():
    if _city not in CITIES and _city not in CITY_OF:
        CITIES.append(_city)
        _added.append(_city)
    PROVINCE_OF.setdefault(_city, _province)
# the cities read from the adcodes table: their short names are everyday bigrams often enough
# ("确保定点" holds 保定) that one names the city only where it is a word of its own (``word_at``)
ADDED = frozenset(_added)


# the peoples an autonomous prefecture's name holds, between its place name and 自治州
_PEOPLES = "土家族|苗族|朝鲜族|白族|傣族|侗族|蒙古族|藏族|布依族|哈尼族|彝族|壮族|羌族|回族|哈萨克|柯尔克孜|景颇族|傈僳族|蒙古"
_PREFECTURE = re.compile(rf"(.{{2,}}?)(?:{_PEOPLES})*(?:自治州|地区|盟)")
_PROVINCE_SHORT = frozenset(p[:2] for p in PROVINCES)


def short_name(area: str) -> str:
    """'门头沟区' -> '门头沟', '北京市' -> '北京', '浦东新区' -> '浦东'; an area of ``FULL_NAME_ONLY``
    keeps its full name."""
    if area in FULL_NAME_ONLY:
        return area
    m = _PREFECTURE.fullmatch(area)
    if m:                                   # 恩施土家族苗族自治州 -> 恩施, 喀什地区 -> 喀什, 阿拉善盟 -> 阿拉善
        short = m.group(1)
        return area if short in _PROVINCE_SHORT else short      # 海南藏族自治州 is not 海南
    for suffix in ("新区", "自治区", "区", "市", "省", "县"):
        if area.endswith(suffix) and len(area) - len(suffix) >= 2:
            return area[: -len(suffix)]
    return area


def all_areas() -> list[str]:
    return list(CITY_OF) + CITIES + PROVINCES


def parent_of(area: str | None) -> str | None:
    return CITY_OF.get(area or "")


def province_of(area: str) -> str | None:
    """The province of a city (广州市 -> 广东省); None for a municipality, a district or a province."""
    return PROVINCE_OF.get(area)


WINDOW = 12      # characters around a name that segmentation looks at


_TOKENIZER = None
_LOCK = threading.Lock()


def _tokenizer():
    """jieba's default dictionary, loaded on first use (about 0.6 s) and once: its lazy start is not
    thread-safe."""
    global _TOKENIZER
    with _LOCK:
        if _TOKENIZER is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            _TOKENIZER = tk
    return _TOKENIZER


def word_at(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a word of its own where it stands: jieba's segmentation of the text
    around it has a boundary at both ends ("大连那个" yes, "确保定点" no for 保定)."""
    a = max(0, start - WINDOW)
    bounds, pos = {0}, 0
    for token in _tokenizer().cut(text[a:end + WINDOW]):
        pos += len(token)
        bounds.add(pos)
    return start - a in bounds and end - a in bounds


def short_names_a_word(text: str, start: int, end: int, area: str) -> bool:
    """A match of ``area``'s short name at ``text[start:end]`` names it: always for the hand-listed
    areas, for an added city only where it is a word (``word_at``)."""
    return area not in ADDED or word_at(text, start, end)
