"""Draft marks, repeal and revision clauses read from one text (ingest/versions.py)."""
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.versions import DRAFT, FINAL, REVIEW, detect, draft_status, find_repeals, find_revisions

OTHER2 = Path(__file__).resolve().parents[2].parent / "shared" / "other-corpus-2"


def test_repeal_at_the_end_of_a_regulation():
    text = "第六十一条　违反本条例规定的，依法处理。\n第六十二条　本条例自2021年3月1日起施行。《浙江省信息化促进条例》同时废止。"
    d = detect(text, "浙江省数字经济促进条例")
    assert d.status == FINAL
    assert [(r.title, r.doc_number, r.verb) for r in d.repeals] == [("浙江省信息化促进条例", "", "同时废止")]
    # the clause that dates it is part of the quoted sentence
    assert d.repeals[0].sentence == "第六十二条　本条例自2021年3月1日起施行。《浙江省信息化促进条例》同时废止。"
    assert text[d.repeals[0].start:d.repeals[0].end] == d.repeals[0].sentence


def test_stop_executing_with_a_document_number():
    text = "自本通知印发之日起，《国务院办公厅关于对真抓实干成效明显地方加大激励支持力度的通知》（国办发〔2016〕82号）停止执行。"
    (r,) = find_repeals(text)
    assert r.title == "国务院办公厅关于对真抓实干成效明显地方加大激励支持力度的通知"
    assert r.doc_number == "国办发〔2016〕82号" and r.verb == "停止执行"


def test_original_measure_and_several_titles():
    text = "本办法自发布之日起施行，原《北京市某某管理办法》（京政发〔2010〕3号）废止。决定废止《甲市乙办法》和《甲市丙规定》。"
    got = [(r.title, r.doc_number) for r in find_repeals(text)]
    assert got == [("北京市某某管理办法", "京政发〔2010〕3号"), ("甲市乙办法", ""), ("甲市丙规定", "")]


def test_not_a_repeal():
    assert find_repeals("研究是否废止《某某办法》。按照《某某条例》要求执行。") == []
    assert find_repeals("本办法自印发之日起施行。", own_title="本办法") == []


def test_revision():
    text = "现公布修订后的《中华人民共和国个人所得税法实施条例》，自2019年1月1日起施行。"
    (r,) = find_revisions(text)
    assert r.title == "中华人民共和国个人所得税法实施条例" and r.verb == "修订"


def test_draft_status_from_title_or_opening():
    assert draft_status("全面推进美丽朝阳建设实施方案（征求意见稿）") == (DRAFT, "征求意见稿")
    assert draft_status("某某条例（草案）")[0] == DRAFT
    assert draft_status("某某办法", "某某办法\n（送审稿）\n")[0] == REVIEW
    assert draft_status("某某办法", "第一条 为了……")[0] == FINAL


_CJK = st.text(alphabet=st.sampled_from("北京市上海浙江省数字经济促进条例管理办法实施方案关于印发通知规定细则意见"),
               min_size=3, max_size=20)
_NUMBER = st.one_of(st.just(""), st.builds(lambda a, y, n: f"{a}〔{y}〕{n}号",
                                           st.sampled_from(["国办发", "京政发", "浙政办发"]),
                                           st.integers(1990, 2030), st.integers(1, 300)))
_VERB = st.sampled_from(["同时废止", "废止", "停止执行", "同时失效", "不再执行"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_CJK, _NUMBER), min_size=1, max_size=3, unique_by=lambda x: x[0]), _VERB,
       st.sampled_from(["", "本规定自2020年1月1日起施行。", "第三十条　本办法自发布之日起施行，"]))
def test_property_every_repealed_title_is_found(items, verb, lead):
    listed = "、".join(f"《{t}》" + (f"（{n}）" if n else "") for t, n in items)
    text = f"{lead}{listed}{verb}。"
    got = find_repeals(text)
    assert [(r.title, r.doc_number) for r in got] == items
    assert all(r.verb == verb for r in got)
    assert all(text[r.start:r.end] == r.sentence for r in got)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("《》、，。（）本办法条例规定执行施行自起发布之日按照要求1234年月〔〕号"), max_size=80))
def test_property_no_repeal_without_a_repeal_word(text):
    assert find_repeals(text) == []
    assert detect(text).status == FINAL


@pytest.mark.skipif(not OTHER2.is_dir(), reason="../shared/other-corpus-2 not present")
def test_other_corpus_2_real_clauses():
    """The State Council and 北大法宝 documents: the two repeal clauses and the one revision there are."""
    from ingest.loaders import load_file
    from ingest.metadata import detect_metadata

    found = {}
    for f in sorted(OTHER2.glob("*.txt")):
        raw = load_file(f)
        d = detect(raw.text, detect_metadata(raw.text, raw.front_matter, filename=f.name).title)
        if d.repeals or d.revises or d.status != FINAL:
            found[f.name[:11]] = ([(r.title, r.doc_number, r.verb) for r in d.repeals], [r.title for r in d.revises],
                                  d.status)
    assert found == {
        "govcn_00033": ([], ["中华人民共和国个人所得税法实施条例"], FINAL),
        "govcn_00037": ([("国务院办公厅关于对真抓实干成效明显地方加大激励支持力度的通知", "国办发〔2016〕82号", "停止执行")], [], FINAL),
        "pkulaw_FBM-": ([("浙江省信息化促进条例", "", "同时废止")], [], FINAL),
    }


def test_a_citation_with_lapse_or_stop_words_is_not_a_repeal():
    from ingest.versions import detect
    for text in ("承租人违反《广州市公共租赁住房保障办法》有关规定的，资格自动失效。",
                 "按照《中华人民共和国行政许可法》规定，逾期未延续的许可证失效。",
                 "对不符合《北京市节能减排实施方案》要求的项目，一律停止执行优惠政策。"):
        assert detect(text).repeals == [] or not detect(text).repeals, text
    assert [r.title for r in detect("本条例自2021年3月1日起施行，《浙江省信息化促进条例》同时废止。").repeals] == ["浙江省信息化促进条例"]
