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
