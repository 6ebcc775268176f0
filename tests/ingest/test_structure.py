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
        assert not re.match(r"^\d{4}年|^\d+\.\d", s.title), s.title
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
