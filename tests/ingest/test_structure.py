"""Heading detection on all seeds and the other corpus; marker parsing properties."""
import re

import pytest
from hypothesis import given, strategies as st

from ingest import parse_file
from ingest.markers import cn_to_int, match_marker
from tests.conftest import CORPUS, OTHER, corpus_file

ALL_DOCS = sorted(CORPUS.glob("*.txt")) + (sorted(p for p in OTHER.iterdir() if p.suffix in (".txt", ".md"))
                                           if OTHER.is_dir() else [])
MARKER_RE = re.compile(r"^(第.+?(部分|章|篇)|[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|\d{1,2}[.．、]|"
                       r"[（(]\d{1,2}[）)]|[①-⑳]|[一二三四五六七八九十]+是)")


def test_breadcrumb_of_mentougou_task():
    doc = parse_file(corpus_file("门头沟区_氧吧"))
    c = next(c for c in doc.chunks if c.kind == "text" and "万级负氧离子体验区”建设，实现以点" in c.text)
    assert c.breadcrumb == ("“中国天然氧吧”助力“绿水青山门头沟”高质量发展三年行动计划（2024-2026年） › 二、重点任务 › "
                            "（一）整合区域生态资源，打造氧吧经济圈 › 2.开展“万级负氧离子体验区”等“有氧”新项目")
    # the 牵头/配合 lines stay with their task paragraph
    assert "牵头单位：区气象局、区文旅局" in c.text


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda p: p.name[:16])
def test_headings_on_every_document(path):
    doc = parse_file(path)
    secs = [s for s in doc.sections[1:] if s.marker != "table"]
    assert len(secs) >= 5, [s.title for s in secs]
    by_id = {s.id: s for s in doc.sections}
    for s in secs:
        if s.marker == "attachment":
            assert s.title.startswith("附件")
        elif not s.marker.startswith("md"):
            assert MARKER_RE.match(s.title), s.title
        # no date or number-led sentence became a heading
        # (a number that names the item, "11.121人才梯队项目", is a heading; a decimal is not)
        assert not re.match(r"^\d{4}年|^\d+\.\d+(?:[万亿元%％倍个]|$)", s.title), s.title
        assert s.start <= s.end and by_id[s.parent].start <= s.start
    # siblings of one marker kind are numbered 1, 2, 3 … or continue the document's numbering
    for parent in doc.sections:
        kids = [s for s in secs if s.parent == parent.id and s.marker in ("cn_dun", "cn_paren")]
        nums = [match_marker(s.title).number for s in kids]
        assert all(b == a + 1 for a, b in zip(nums, nums[1:])), (parent.title, [s.title for s in kids])


def test_inline_headings_and_shi_enumeration():
    doc = parse_file(corpus_file("延庆区_"))
    titles = [s.title for s in doc.sections]
    assert "第二部分：重点任务" in titles
    assert "一是提升生态环境品质" in titles and "七是强化品牌宣传推广" in titles
    shi = next(s for s in doc.sections if s.title == "一是提升生态环境品质")
    assert doc.sections[shi.parent].title == "第二部分：重点任务"


def test_numbers_dates_and_references_are_not_headings(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("某区方案\n一、总体要求\n2020年，本区成功创建氧吧。\n1.5亿元用于建设。\n"
                 "3.坚持绿色发展。正文。\n一、二级指标见附表。\n二、主要任务\n正文。\n", encoding="utf-8")
    titles = [s.title for s in parse_file(p).sections]
    assert titles == ["某区方案", "一、总体要求", "二、主要任务"]


@given(st.integers(min_value=1, max_value=199))
def test_cn_numerals_round_trip(n):
    digits = "零一二三四五六七八九"

    def to_cn(k):
        h, rest = divmod(k, 100)
        t, u = divmod(rest, 10)
        s = (digits[h] + "百") if h else ""
        if t:
            s += ("" if t == 1 and not h else digits[t]) + "十"
        elif h and u:
            s += "零"
        return s + (digits[u] if u else "")

    assert cn_to_int(to_cn(n)) == n
    m = match_marker(f"{to_cn(n)}、加强组织领导")
    assert m is not None and m.kind == "cn_dun" and m.number == n


@given(st.integers(min_value=1900, max_value=2100), st.sampled_from(["年", ".5", "%", "。"]))
def test_years_and_decimals_never_match(year, tail):
    assert match_marker(f"{year}{tail}底前完成") is None
    assert match_marker(f"{year % 10}.{year % 7}亿元") is None


def test_regulation_chapters_and_articles_form_the_tree(tmp_path):
    p = tmp_path / "条例.txt"
    p.write_text("北大法宝【法宝引证码】 CLI.10.1673145\n原文链接：https://example.invalid/lar/1.html\n"
                 "某省数字经济促进条例\n\n目　录\n\n第一章　总则\n\n第二章　数据资源\n\n"
                 "第一章　总则\n　　第一条　为了促进数字经济发展，制定本条例。\n"
                 "　　第二条　本条例适用于本省行政区域。\n　　本条例所称数字经济，是指以数据资源为关键要素的经济形态。\n"
                 "第二章　数据资源\n第一节　一般规定\n　　第三条　县级以上人民政府应当推进公共数据开放。\n"
                 "第二节　开发利用\n　　第四条　鼓励数据开发利用。\n　　第五条　本条例自2021年3月1日起施行。\n",
                 encoding="utf-8")
    doc = parse_file(p)
    assert doc.meta.title == "某省数字经济促进条例"
    assert doc.meta.extra["法宝引证码"] == "CLI.10.1673145" and "北大法宝" not in doc.text and "原文链接" not in doc.text
    titles = [s.title for s in doc.sections]
    # the table of contents does not open empty chapters of its own
    assert titles.count("第一章　总则") == 1 and titles.count("第二章　数据资源") == 1
    art3 = next(s for s in doc.sections if s.title == "第三条")
    assert doc.breadcrumb(art3.id)[1:] == ["第二章　数据资源", "第一节　一般规定", "第三条"]
    # the article's second paragraph (款) stays in the article; an article is cited by its number
    c = next(c for c in doc.chunks if "本条例所称数字经济" in c.text)
    assert c.breadcrumb.endswith("第一章　总则 › 第二条") and "本条例适用于本省行政区域" in c.text
    assert {"第四条", "第五条"} <= set(titles)   # articles continue their numbering across sections
    assert match_marker("第三条件具备后开展") is None


def test_a_number_naming_the_item_is_a_heading(tmp_path):
    p = tmp_path / "t.txt"
    items = "".join(f"{k}.第{k}项人才项目。支持青年人才。\n" for k in range(1, 11))
    p.write_text("某市人才实施意见\n一、重点项目\n" + items +
                 "11.121人才梯队项目。重点培养后备人才。\n12.2.5万元用于补贴。\n二、保障措施\n正文。\n", encoding="utf-8")
    doc = parse_file(p)
    titles = [s.title for s in doc.sections]
    assert "11.121人才梯队项目" in titles and not any(t.startswith("12.") for t in titles)
    c = next(c for c in doc.chunks if "重点培养后备人才" in c.text)
    assert c.breadcrumb.endswith("11.121人才梯队项目")


def test_a_marked_sentence_stating_a_figure_is_body_text(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("某部门预算\n一、“三公”经费预算情况说明\n2025年“三公”经费预算数为1.00万元。其中：\n"
                 "（一）因公出国（境）费0万元，与2024年预算持平。\n"
                 "（三）公务接待费1.00万元。与2024年预算持平，主要原因是根据实际业务需求开展公务接待。\n"
                 "二、机关运行经费预算\n正文。\n", encoding="utf-8")
    doc = parse_file(p)
    titles = [s.title for s in doc.sections]
    assert not any("公务接待费" in t for t in titles), titles
    c = next(c for c in doc.chunks if "公务接待费1.00万元" in c.text)
    assert c.breadcrumb.endswith("一、“三公”经费预算情况说明")
