"""Which documents a question may be answered from, by the regions it names."""
from hypothesis import given
from hypothesis import strategies as st

from ingest.regions import CITY_OF, DISTRICTS
from kb.scope import AMBIGUOUS_SHORT, find_areas, resolve_scope
from ingest.regions import short_name

DOCS = [
    {"doc_id": "mtg1", "region": "门头沟区", "city": "北京市"},
    {"doc_id": "mtg2", "region": "门头沟区", "city": "北京市"},
    {"doc_id": "yq", "region": "延庆区", "city": "北京市"},
    {"doc_id": "bj", "region": "北京市", "city": "北京市"},
    {"doc_id": "jd", "region": "嘉定区", "city": "上海市"},
    {"doc_id": "gwy", "region": "全国", "city": None},
]


def test_district_question_reaches_own_and_city_documents_only():
    s = resolve_scope("门头沟森林覆盖率目标是多少", DOCS)
    assert s.regions == ["门头沟区"] and set(s.doc_ids) == {"mtg1", "mtg2", "bj"}
    assert set(s.primary) == {"mtg1", "mtg2"} and not s.missing


def test_region_without_documents_gives_empty_scope():
    s = resolve_scope("海淀区森林覆盖率目标是多少？", DOCS)
    assert s.missing == ["海淀区"] and s.doc_ids == [] and s.empty


def test_a_city_named_with_its_district_does_not_open_the_other_districts():
    for q in ("北京市延庆区的氧吧计划由哪个部门牵头？", "延庆氧吧计划里打造“北京雪乡”IP，由哪个部门牵头？"):
        s = resolve_scope(q, DOCS)
        assert s.regions == ["延庆区"] and set(s.doc_ids) == {"yq", "bj"}, q
    for q in ("北京市 延庆区的氧吧计划由谁牵头？", "延庆区落实《北京市生态涵养区规划》，氧吧计划由谁牵头？"):
        assert set(resolve_scope(q, DOCS).doc_ids) == {"yq", "bj"}, q
    both = resolve_scope("北京市和嘉定区的森林覆盖率目标", DOCS)     # a city with another city's district
    assert "北京市" in both.regions and "mtg1" in both.doc_ids
    for q in ("北京市延庆区等生态涵养区的森林覆盖率目标", "北京市延庆区和北京市其他各区相比"):   # the others asked too
        assert "mtg1" in resolve_scope(q, DOCS).doc_ids, q


def test_city_question_reaches_its_districts():
    s = resolve_scope("上海市海绵城市建设", DOCS)
    assert set(s.doc_ids) == {"jd"}
    assert set(resolve_scope("北京的生态涵养区", DOCS).doc_ids) == {"mtg1", "mtg2", "yq", "bj"}


def test_two_regions_give_two_groups_and_no_region_no_constraint():
    s = resolve_scope("门头沟和延庆的氧吧行动计划有什么不同", DOCS)
    assert [sorted(g) for g in s.groups] == [["mtg1", "mtg2"], ["yq"]]
    assert resolve_scope("万级负氧离子体验区由谁牵头", DOCS).doc_ids is None


def test_landmarks_and_everyday_words_are_not_regions():
    assert find_areas("密云水库水源保护共同行动") == []
    assert find_areas("支持怀柔科学城建设") == []
    assert find_areas("绿水青山就是金山银山") == []
    assert find_areas("密云区的水源保护") == ["密云区"]
    assert find_areas("延庆的氧吧") == ["延庆区"]


def test_regions_from_documents_outside_the_gazetteer():
    docs = [{"doc_id": "x", "region": "余杭区", "city": "杭州市"}]
    assert resolve_scope("余杭区的任务", docs).doc_ids == ["x"]


@given(st.sampled_from(sorted(CITY_OF)), st.text(alphabet="的任务要求是多少什么时候", max_size=6),
       st.booleans())
def test_every_district_is_found_by_full_or_short_name(district, tail, short):
    name = short_name(district) if short and short_name(district) not in AMBIGUOUS_SHORT else district
    q = f"{name}{tail}"
    found = find_areas(q)
    # the district itself, unless its short name is also a city/province name (河北区 vs 河北省)
    assert district in found or any(a != district and short_name(a) == name for a in found)


def test_gazetteer_covers_the_municipalities():
    assert {"北京市", "上海市", "天津市", "重庆市"} <= set(DISTRICTS)


def test_a_short_city_name_counts_only_where_it_is_a_word():
    # every prefecture-level city is in the gazetteer; its short name is an everyday bigram often
    # enough that it names the city only where jieba cuts it as a word
    assert find_areas("确保定点收治的医疗机构不因支付政策影响救治") == []          # 保定 inside 确保定点
    assert find_areas("大连那个数字经济专项资金细则文号是多少") == ["大连市"]
    assert find_areas("佛山这份操作细则是哪个部门发的") == ["佛山市"]
    assert find_areas("胰岛素注射液开封后可以保存多久") == []                    # 开封 names the city by its full name only
    assert find_areas("门头沟的森林覆盖率") == ["门头沟区"]                       # the hand-listed areas as before
