"""Document metadata from text, front matter and sidecars."""
import pytest

from ingest import parse_file
from ingest.metadata import detect_metadata
from tests.conftest import CORPUS, OTHER

SEEDS = {
    "延庆区_": ("延庆区", "起草说明", "征求意见稿"),
    "门头沟区_氧吧": ("门头沟区", "行动计划", None),
    "门头沟区_深入": ("门头沟区", "行动方案", None),
    "北京市_": ("北京市", "实施方案", None),
    "朝阳区_": ("朝阳区", "实施方案", "征求意见稿"),
}


@pytest.mark.parametrize("prefix", SEEDS)
def test_seed_metadata(prefix):
    doc = parse_file(next(CORPUS.glob(prefix + "*.txt")))
    region, kind, status = SEEDS[prefix]
    assert (doc.meta.region, doc.meta.kind, doc.meta.status) == (region, kind, status)
    assert doc.meta.city == "北京市"


def test_municipal_plan_has_issuer_and_date():
    meta = parse_file(next(CORPUS.glob("北京市_*.txt"))).meta
    assert meta.issuer == "中共北京市委、北京市人民政府" and meta.date == "2022-12-23"
    assert meta.extra["short_title"] == "关于新时代高质量推动生态涵养区生态保护和绿色发展的实施方案"


def test_sidecar_overrides(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_text("某某行动计划\n一、总体要求\n正文。\n", encoding="utf-8")
    (tmp_path / "plan.txt.meta.yaml").write_text("region: 延庆区\n状态: 试行\ntitle: 覆盖后的标题\n", encoding="utf-8")
    meta = parse_file(p).meta
    assert (meta.title, meta.region, meta.city, meta.status) == ("覆盖后的标题", "延庆区", "北京市", "试行")


@pytest.mark.skipif(not OTHER.is_dir(), reason="other-corpus missing")
@pytest.mark.parametrize("prefix,region", [("01_", "全国"), ("05_", "嘉定区"), ("06_", "上海市"), ("07_", "黄浦区"),
                                           ("08_", "奉贤区"), ("09_", "普陀区"), ("10_", "松江区"), ("11_", "上海市"),
                                           ("12_", "广州市")])
def test_other_corpus_regions(prefix, region):
    assert parse_file(next(OTHER.glob(prefix + "*"))).meta.region == region


def test_wrong_neighbour_mentions_do_not_decide_region():
    text = "某市关于生态涵养区的实施方案\n本市统筹推进。门头沟区、平谷区、怀柔区加强保护。全市森林覆盖率达到45%。"
    meta = detect_metadata(text, front_matter={"发布单位": "北京市人民政府"})
    assert meta.region == "北京市"


@pytest.mark.skipif(not OTHER.is_dir(), reason="other-corpus missing")
def test_title_found_below_a_source_note():
    meta = parse_file(next(OTHER.glob("12_*"))).meta
    assert (meta.title, meta.kind) == ("关于推进人才集聚工程的实施意见", "实施意见")


def test_crawler_header_block_without_blank_line(tmp_path):
    from ingest import parse_file

    p = tmp_path / "govcn_1.txt"
    p.write_text("标题: 国务院办公厅关于推广第二批支持创新相关改革举措的通知\n文号: 国办发〔2018〕126号\n发文机关: 国务院办公厅\n"
                 "索引号: 000014349/2018-00228\n发布日期(据URL): 2019-01-08\nURL: http://www.gov.cn/x.htm\n"
                 "国务院办公厅关于推广第二批支持创新相关改革举措的通知\n各省、自治区、直辖市人民政府：\n正文。\n", encoding="utf-8")
    doc = parse_file(p)
    assert doc.meta.title == "国务院办公厅关于推广第二批支持创新相关改革举措的通知"
    assert doc.meta.doc_number == "国办发〔2018〕126号" and doc.meta.issuer == "国务院办公厅"
    assert "索引号" not in doc.text


def test_long_title_printed_twice_and_headline_of_one_line_articles(tmp_path):
    from ingest import parse_file

    long = ("河北省工业和信息化厅关于印发大数据产业创新发展提升行动计划、汽车制造业数字化转型行动计划、"
            "石化工业数字化转型行动计划、电子信息产业重点攻坚行动计划的通知")
    p = tmp_path / "pkulaw_1.txt"
    p.write_text(f"      北大法宝【法宝引证码】 CLI.14.4566956\n原文链接：https://example.invalid/1.html\n{long}\n{long}\n"
                 "各市（含定州、辛集市）工业和信息化局：\n正文。\n", encoding="utf-8")
    assert parse_file(p).meta.title == long
    q = tmp_path / "01209758b36e37338a4484f584ec3511.txt"
    q.write_text("山西省推行工程建设项目“不见面审批” 省住建厅2月5日发布通知，要求全省推行工程建设项目“不见面审批”，实行网上办理。 "
                 "各市应结合本地实际建立健全审批管理制度。", encoding="utf-8")
    assert parse_file(q).meta.title == "山西省推行工程建设项目“不见面审批”"
    q.write_text("璧山区 对企业实施“红黄蓝”挂牌管理 来源：重庆日报 时间： 2020-02-19 07:33:20 重庆日报讯 璧山区坚持从严压实责任。",
                 encoding="utf-8")
    assert parse_file(q).meta.title == "璧山区对企业实施“红黄蓝”挂牌管理"
    r = tmp_path / "0a1b2c.txt"
    r.write_text("交通运输部 国家发展改革委 国家卫生健康委 关于统筹做好春节后错峰返程疫情防控和交通运输保障工作的通知 "
                 "交运明电〔2020〕44号 各省（区、市）交通运输厅（局、委）：为统筹做好疫情防控工作……", encoding="utf-8")
    assert parse_file(r).meta.title == "交通运输部国家发展改革委国家卫生健康委关于统筹做好春节后错峰返程疫情防控和交通运输保障工作的通知"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["信息系统密码应用测评要求", "数字政府建设指引", "城市更新技术导则"]),
       st.sampled_from(["中国密码学会密评联委会", "某市大数据管理局", "某区人民政府办公室", ""]),
       st.sampled_from(["二〇二〇年十二月", "2021年3月", "2024年3月14日", ""]),
       st.booleans())
def test_the_issuer_and_date_under_a_title_are_not_part_of_it(title, org, when, joined):
    """A cover page: the title, a blank line, then the issuing body and its date (on one line when
    the cleaner joined them): the title stops before them."""
    tail = [org + when] if joined else [x for x in (org, when) if x]
    text = "\n".join([title, ""] + tail + ["", "第一章　总则", "第一条　为了规范管理，制定本指引。"])
    assert detect_metadata(text, {}, None, filename="x.txt").title == title


def test_a_short_name_inside_a_longer_area_name_is_not_that_area():
    from ingest.metadata import detect_region

    # "河北" is the short name of 天津 河北区 too: inside "河北省" it names the province
    assert detect_region("河北省公布特殊儿童救助保护服务热线。", "河北省公布特殊儿童救助保护服务热线", "") == ("河北省", None)
    assert detect_region("本区各街道。", "天津市河北区关于做好防控工作的通知", "") == ("河北区", "天津市")
    assert detect_region("全区。", "门头沟氧吧行动计划", "")[0] == "门头沟区"


def test_a_document_for_the_whole_country_is_national_whatever_place_it_mentions_most():
    from ingest.metadata import detect_region

    notice = ("关于阶段性减免企业社会保险费的通知 各省、自治区、直辖市人民政府，新疆生产建设兵团： 湖北省可免征各类参保单位"
              "的单位缴费，各省结合本省实际确定减免企业对象。湖北省以外的各省份可减半征收。")
    assert detect_region(notice, "关于阶段性减免企业社会保险费的通知", "") == ("全国", None)
    news = "财政部预拨第二批疫情防控补助资金80亿元 新华社北京2月15日电 记者15日从财政部获悉，其中湖北省35亿元。"
    assert detect_region(news, "预拨第二批疫情防控补助资金80亿元", "") == ("全国", None)
    market = "新华社北京2月9日电 记者从财政部获悉，支持湖北省企业在资本市场融资。"       # 资本市场 holds no 本市
    assert detect_region(market, "支持企业融资", "") == ("全国", None)
    spread = "交通运输部有关负责人介绍，浙江省、广东省、四川省已恢复道路客运，其他地区将陆续恢复。"
    assert detect_region(spread, "道路客运有序恢复运营", "") == ("全国", None)


@pytest.mark.parametrize("text, region", [
    # a place's own news: its dateline, a Beijing story that names 北京 again, a ministry that is no ministry
    ("新华社武汉2月9日电 湖北省农业农村厅近日发出通知，保障饲料运输。湖北省各地要落实。", "湖北省"),
    ("新华社北京2月13日电 按照国家统一部署，北京市人力资源和社会保障局发放一次性补贴。", "北京市"),
    ("新华社北京2月9日电 记者从湖北省财政部门获悉，湖北省已下达资金。", "湖北省"),
    ("新华社北京2月9日电 按照财政部署，湖北省已下达资金。", "湖北省"),
    # a province's notice that quotes the State's addressees, or speaks of 我省 among others
    ("各市、县人民政府： 国务院办公厅要求各省、自治区、直辖市做好春耕。结合我省实际，湖北省各地要落实。", "湖北省"),
    ("各市、县人民政府： 我省在全国各省区市中率先复工，浙江省、广东省、湖北省的经验值得借鉴。", None),
])
def test_a_places_own_document_stays_that_places(text, region):
    from ingest.metadata import detect_region

    found = detect_region(text, "关于做好春耕生产的通知", "")[0]
    assert found == region if region else found != "全国"


# --- a 北大法宝 export's number line, joint issuers, national bodies, any prefecture-level city ---

@pytest.mark.parametrize("line, number, date", [
    ("（大发改数字字〔2021〕513号　2021年8月31日）", "大发改数字字〔2021〕513号", "2021-08-31"),
    ("（佛工信〔2021〕4号）", "佛工信〔2021〕4号", None),
    ("浙数办发[2018]4号", "浙数办发[2018]4号", None),
])
def test_the_number_line_under_a_title_gives_the_number_and_the_date(line, number, date):
    text = f"佛山市工业和信息化局关于印发若干措施操作细则的通知\n\n{line}\n\n各区人民政府：\n\n现将细则印发给你们，请认真组织实施。\n"
    meta = detect_metadata(text)
    assert (meta.doc_number, meta.date) == (number, date)


def test_a_number_line_joined_to_the_title_line_is_read_too():
    # the cleaner joins a wrapped line to the title: "…的通知（内政办发〔2021〕66号 2021年10月24日）"
    text = "内蒙古自治区人民政府办公厅关于印发规划的通知\n内蒙古自治区人民政府办公厅关于印发规划的通知（内政办发〔2021〕66号 2021年10月24日）\n"
    meta = detect_metadata(text, filename="规划.txt")
    assert (meta.doc_number, meta.date) == ("内政办发〔2021〕66号", "2021-10-24")


def test_a_joint_notice_names_all_its_issuers_in_its_title():
    title = "浙江省数字经济发展领导小组办公室、浙江省经济和信息化厅、浙江省统计局关于印发评价报告的通知"
    text = f"{title}\n\n各市、县（市、区）：\n\n现将报告印发给你们。\n\n浙江省数字经济发展领导小组办公室\n浙江省统计局\n2018年12月29日\n"
    assert detect_metadata(text).issuer == "浙江省数字经济发展领导小组办公室、浙江省经济和信息化厅、浙江省统计局"


@pytest.mark.parametrize("title, region", [
    ("工业和信息化部办公厅关于举办第二届两化融合暨数字化转型大会的通知", "全国"),   # the venue (江苏) is no region of it
    ("中国建筑业协会关于举办建筑业数字化转型CIO会议的通知", "全国"),
    ("区委宣传部关于开展宣传月活动的通知", "江苏省"),     # a district's body is no national one: the text's place
])
def test_a_national_body_makes_a_national_document(title, region):
    text = f"{title}\n\n各有关单位：\n\n会议定于2021年10月在江苏省南京市召开，请江苏省有关单位做好准备。\n"
    assert detect_metadata(text).region == region


@pytest.mark.parametrize("title, region", [
    ("大连市发展和改革委员会、大连市财政局关于印发大连市数字经济发展专项资金实施细则的通知", "大连市"),
    ("邢台市人民政府办公室关于印发落实省支持数字经济加快发展若干政策工作方案的通知", "邢台市"),
    ("绍兴市人民政府关于印发绍兴市深化“最多跑一次”改革工作实施方案的通知", "绍兴市"),
])
def test_any_prefecture_level_city_is_a_region(title, region):
    # before the gazetteer held every prefecture-level city, these got their province or no region
    text = f"{title}\n\n各县（市、区）人民政府：\n\n现将方案印发给你们，请结合河北省、浙江省的要求认真组织实施。\n"
    meta = detect_metadata(text)
    assert (meta.region, meta.city) == (region, region)


def test_the_gazetteer_knows_every_prefecture_and_its_province():
    from ingest.regions import CITIES, PROVINCE_OF, short_name

    assert len(CITIES) > 330 and PROVINCE_OF["大连市"] == "辽宁省" and PROVINCE_OF["延边朝鲜族自治州"] == "吉林省"
    assert short_name("佛山市") == "佛山"
    # an everyday word or another area's short name is no short name of a city: only its full name names it
    assert (short_name("大同市"), short_name("日照市"), short_name("朝阳市"), short_name("朝阳区")) == ("大同市", "日照市", "朝阳市", "朝阳")


@pytest.mark.parametrize("title, region", [
    ("国务院办公厅关于山西、安徽省四起特大煤矿瓦斯爆炸事故调查处理情况的通报", "全国"),   # about two provinces
    ("国务院关于河北雄安新区总体规划（2018—2035年）的批复", "雄安新区"),   # 河北 is 河北省's, not 天津's 河北区
])
def test_a_central_document_about_places(title, region):
    text = f"{title}\n\n各省、自治区、直辖市人民政府：\n\n现将有关情况通报如下。\n"
    assert detect_metadata(text).region == region


@pytest.mark.parametrize("title, text, region", [
    ("长汀县人民武装部关于做好2026年大学毕业生征兵工作的通知", "各乡镇武装部：\n\n福建省龙岩市长汀县征兵工作即将开始。", "龙岩市"),  # a local 部: not national
    ("福建省立医院关于规范多剂量药品开封后使用期限的通知", "各科室：\n\n药品开封后应注明日期。", "福建省"),   # 开封 is a verb
    ("大兴安岭地区行政公署关于加强森林防火工作的通知", "各县（市、区）：\n\n全区各地要加强森林防火。", "大兴安岭地区"),  # not 大兴区
])
def test_place_words_that_are_no_place_of_the_document(title, text, region):
    assert detect_metadata(f"{title}\n\n{text}\n").region == region


def test_a_forwarded_notice_is_issued_by_who_forwards_it_and_its_title_keeps_no_number():
    title = "漳州市人民政府办公室转发市发改委、市财政局关于加快数字经济发展意见的通知"
    meta = detect_metadata(f"{title}\n\n各县（区）人民政府：\n\n现转发给你们。\n\n漳州市人民政府办公室\n2026年4月8日\n")
    assert meta.issuer == "漳州市人民政府办公室"



def test_a_title_keeps_no_number_line_the_cleaner_joined_to_it(tmp_path):
    f = tmp_path / "办法.txt"
    title = "漳州市发展和改革委员会、漳州市财政局关于印发漳州市数字经济发展专项资金管理办法的通知"
    f.write_text(f"{title}\n\n（漳财〔2026〕2号　2026年4月8日）\n\n各县（区）财政局：\n\n现将办法印发给你们。\n", encoding="utf-8")
    meta = parse_file(f).meta
    assert (meta.title, meta.doc_number, meta.date) == (title, "漳财〔2026〕2号", "2026-04-08")


def test_short_names_of_prefectures_and_autonomous_prefectures():
    from ingest.regions import short_name

    assert [short_name(a) for a in ("恩施土家族苗族自治州", "喀什地区", "阿拉善盟", "西双版纳傣族自治州", "海南藏族自治州")] == \
        ["恩施", "喀什", "阿拉善", "西双版纳", "海南藏族自治州"]      # 海南 is 海南省's
