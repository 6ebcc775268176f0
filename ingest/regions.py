"""Administrative areas used to tell which region a document (or a question) is about.

This is a gazetteer of public administrative divisions (municipalities' districts, provincial
capitals' districts, provinces), not a list tuned to the bundled corpus.
"""
from __future__ import annotations

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

CITY_OF: dict[str, str] = {d: city for city, ds in DISTRICTS.items() for d in ds}
# the province of each city above that is not a municipality
PROVINCE_OF: dict[str, str] = {
    "广州市": "广东省", "深圳市": "广东省", "杭州市": "浙江省", "南京市": "江苏省", "苏州市": "江苏省", "武汉市": "湖北省",
    "成都市": "四川省", "西安市": "陕西省", "长沙市": "湖南省", "郑州市": "河南省", "济南市": "山东省", "青岛市": "山东省",
    "沈阳市": "辽宁省", "长春市": "吉林省", "哈尔滨市": "黑龙江省", "合肥市": "安徽省", "福州市": "福建省", "厦门市": "福建省",
    "南昌市": "江西省", "石家庄市": "河北省", "太原市": "山西省", "昆明市": "云南省", "贵阳市": "贵州省",
    "南宁市": "广西壮族自治区", "兰州市": "甘肃省", "海口市": "海南省", "雄安新区": "河北省"}


def short_name(area: str) -> str:
    """'门头沟区' -> '门头沟', '北京市' -> '北京', '浦东新区' -> '浦东'."""
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
