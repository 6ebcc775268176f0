"""Indicator parsing: property-based for comparator/value/unit, and the shapes plans use."""
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.indicators import parse_indicators

MEASURE = st.sampled_from(["森林覆盖率", "城乡污水处理率", "公园绿地服务半径覆盖率", "湿地保有量", "绿道总长度",
                           "生态保护红线范围占市域面积比例", "农机总动力", "人才贡献率"])
PRE = st.sampled_from([("达到", "≥", False), ("不低于", "≥", False), ("不少于", "≥", False), ("超过", "≥", True),
                       ("不高于", "≤", False), ("不超过", "≤", False), ("控制在", "≤", False), ("低于", "≤", True),
                       ("保持", "=", False), ("稳定在", "=", False), ("约", "≈", False)])
POST = st.sampled_from([("", None), ("以上", "≥"), ("以下", "≤"), ("以内", "≤"), ("左右", "≈")])
UNIT = st.sampled_from(["%", "公顷", "平方公里", "万元", "公里", "亿元", "万吨"])
VALUE = st.one_of(st.integers(1, 99999).map(str), st.decimals(0, 999, places=2).map(lambda d: f"{d:.2f}"))


@settings(max_examples=300)
@given(MEASURE, PRE, VALUE, UNIT, POST, st.sampled_from(["", "全区", "到2027年，", "力争"]))
def test_comparator_value_unit(measure, pre, value, unit, post, lead):
    word, comp, strict = pre
    text = f"{lead}{measure}{word}{value}{unit}{post[0]}"
    (ind,) = parse_indicators(text)
    assert ind.measure == measure
    assert abs(ind.value - float(value)) < 1e-9
    assert ind.unit == unit
    expected = post[1] or comp
    if lead == "力争" and expected == "=":
        expected = "≥"
    assert ind.comparator == expected
    assert ind.strict == (strict and not post[1])
    assert ind.aspirational == (lead == "力争")
    assert ind.due == ("2027" if lead.startswith("到2027") else None)


@given(st.sampled_from(["建设", "建成", "打造", "推动完成", "新建"]), st.integers(1, 500),
       st.sampled_from(["套", "家", "处", "个", "座"]), st.sampled_from(["负氧离子监测站", "口袋公园", "氧吧民宿"]))
def test_counted_targets(verb, n, unit, obj):
    (ind,) = parse_indicators(f"在重点景区{verb}{n}{unit}{obj}")
    assert (ind.value, ind.unit, ind.comparator) == (n, unit, "=")
    assert obj in ind.measure


def test_shapes():
    (a, b) = parse_indicators("到2027年,保持生态保护红线范围占市域面积比例不低于27.5%,生态控制区面积力争达到市域面积的75%")
    assert (a.measure, a.comparator, a.value, a.due) == ("生态保护红线范围占市域面积比例", "≥", 27.5, "2027")
    assert (b.measure, b.value, b.aspirational) == ("生态控制区面积", 75, True)
    (ei,) = parse_indicators("生态环境状况指数EI保良创优（优为75）")
    assert (ei.measure, ei.value, ei.unit) == ("生态环境状况指数EI", 75, "")
    rng = parse_indicators("打造1～3处气象景观网红打卡地")[0]
    assert (rng.value, rng.value_max, rng.unit) == (1, 3, "处")
    lst = parse_indicators("推动完成3家氧吧民宿、1处康氧小镇（沟域）、2处氧吧村落的创建评比")
    assert [(i.value, i.unit) for i in lst] == [(3, "家"), (1, "处"), (2, "处")]
    two = parse_indicators("花生、油菜种植、收获机械化率分别达到65%和55%")
    assert [i.value for i in two] == [65, 55] and two[0].measure == two[1].measure
    (wet,) = parse_indicators("“十四五”期间湿地保有量1543.87公顷")
    assert (wet.due, wet.value) == ("2025", 1543.87)
    (money,) = parse_indicators("基本消除年经营性收入小于10万元的集体经济薄弱村")
    assert (money.value, money.unit, money.comparator, money.strict) == (10, "万元", "≤", True)


def test_numbers_that_are_not_targets():
    for text in ["计算方法：日间手术台次数/同期出院患者择期手术总台次数×100%", "实施24小时动态巡查与视频巡检",
                 "以15分钟社区生活圈为标准", "注：海绵城市建设用地面积要求按照100.9平方公里计", "向区体育局等39家单位广泛征求意见",
                 "2020年，延庆区成功创建“中国天然氧吧”", "深化“0.1微克”攻坚行动", "分2年给予政府安家补助",
                 "力争2023年底前发布全市及分区生态产品总值核算结果"]:
        assert parse_indicators(text) == [], text


@settings(max_examples=100)
@given(st.sampled_from(["“三公”经费预算数", "“菜篮子”工程资金", "“双随机”抽查经费"]), VALUE,
       st.sampled_from(["", "2025年", "到2027年，"]))
def test_quoted_measure_keeps_its_quotes(measure, value, lead):
    (ind,) = parse_indicators(f"{lead}{measure}为{value}万元，与上年持平。")
    assert ind.measure == measure
    assert ind.measure.count("“") == ind.measure.count("”")


@given(st.sampled_from(["上海市普陀区商务委员会", "普陀区财政局", "门头沟区人民政府办公室"]),
       st.sampled_from(["财政拨款的机关运行经费预算", "部门政府采购预算"]), VALUE)
def test_department_after_its_area_is_scope_not_measure(unit, measure, value):
    (ind,) = parse_indicators(f"2025年{unit}{measure}为{value}万元。")
    assert ind.measure == measure
    assert ind.scope == unit


def test_a_quoted_target_with_its_comparator_is_read_but_a_number_in_a_quoted_name_is_not():
    text = ("实现“重点引进和培养高层次人才达到2000名左右，全市大专以上学历人才资源总量达到320万名左右，"
            "人才贡献率达到40%”的三大人才发展目标")
    assert [(i.measure, i.value, i.unit) for i in parse_indicators(text)] == [
        ("高层次人才数量", 2000, "名"), ("大专以上学历人才资源总量数量", 3200000, "名"), ("人才贡献率", 40, "%")]
    for text in ["深化“0.1微克”攻坚行动", "推进“1+N”政策体系建设", "打造“15分钟社区生活圈”",
                 "推动“超过1000家企业上云”工程", "开展“达到100家示范企业”创建活动"]:
        assert parse_indicators(text) == [], text


def test_a_count_of_person_times_is_its_own_unit():
    (ind,) = parse_indicators("培训职工超过10万人次")
    assert (ind.measure, ind.value, ind.unit) == ("职工数量", 100000, "人次")
