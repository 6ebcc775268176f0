"""One measure across documents and regions (kb/indicator_compare.py)."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.indicator_compare import MeasureDirectory, compare, measures_with_several, normalise, target_year
from kb.versions import index_for
from tests.version_helpers import SEED, VERSION_NAME


def test_directory_groups_scope_words_quotes_and_counts():
    d = MeasureDirectory(["森林覆盖率", "总体森林覆盖率", "全区森林覆盖率", "“氧吧”民宿数量", "氧吧民宿数量", "林木绿化率"])
    assert d.canonical("总体森林覆盖率") == d.canonical("全区森林覆盖率") == "森林覆盖率"
    assert d.canonical("“氧吧”民宿数量") == d.canonical("氧吧民宿数量") == "氧吧民宿"
    assert d.canonical("林木绿化率") == "林木绿化率"
    assert d.canonical("门头沟区森林覆盖率") == "森林覆盖率"          # a name the corpus does not hold yet


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["森林覆盖率", "城乡污水处理率", "湿地保有量", "负氧离子监测站数量"]),
       st.sampled_from(["全区", "全市", "总体", "平均", "建成区", "门头沟区", "北京市"]),
       st.sampled_from(["", "“", " "]))
def test_property_a_scoped_name_joins_its_measure(measure, prefix, noise):
    d = MeasureDirectory([measure, prefix + noise + measure])
    assert d.canonical(prefix + measure) == d.canonical(measure) == normalise(measure)


def test_target_year_and_its_basis():
    assert target_year({"due": "2026-12", "target": "2026年12月"}) == (2026, "指标时间")
    assert target_year({"target": "“十四五”期末"}) == (2025, "指标时间")
    assert target_year({"sentence": "到2035年，森林覆盖率达到20%左右"}) == (2035, "原文")
    assert target_year({"sentence": "较2020年提高5个百分点"}) == (None, "未写明")       # a base year is no target
    assert target_year({"sentence": "森林覆盖率达到50%"}, title="某区三年行动计划（2024-2026年）") == (2026, "规划期末")
    assert target_year({"sentence": "保持在66%以上"}, doc_date="2022-12-23", doc_text="未来五年，按照……") == (
        2027, "成文日期2022年起“未来五年”")


def test_forest_cover_across_regions_with_years(vkb):
    def text_of(doc_id):
        return vkb.registry.get(doc_id)["parsed"]["text"]

    current = index_for(vkb).current_only()
    rows = compare(vkb.facts, "森林覆盖率", vkb.documents(parsed=False), text_of, doc_ids=current)
    got = {(r.region, r.value_text, r.year) for r in rows}
    assert got == {("北京市", "≥66%", 2027), ("门头沟区", "≥50%", 2026)}
    beijing = next(r for r in rows if r.region == "北京市")
    assert "门头沟区、平谷区、怀柔区、密云区、延庆区" in beijing.scope and "66%" in beijing.sentence
    assert all(r.doc_id != SEED.stem for r in rows)                     # the superseded version is left out
    assert {r.doc_id for r in compare(vkb.facts, "森林覆盖率", vkb.documents(parsed=False))} >= {SEED.stem, VERSION_NAME}
    assert ("森林覆盖率", 3) in measures_with_several(vkb.facts)
