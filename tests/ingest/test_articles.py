"""款 (paragraphs of an article) as nodes of the section tree, 项 under their 款, and citations that
name 第X条第Y款: property tests over generated regulations, plus the real 条例 of other-corpus-2."""
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import parse_file
from ingest.articles import clause_ref, refine_section
from ingest.markers import cn_to_int
from ingest.structure import build_sections
from tests.conftest import ROOT

CN = "一二三四五六七八九十"
_sentence = st.text(alphabet="县级以上人民政府应当推进数据开放共享有关部门按照职责做好工作", min_size=6, max_size=30)
# an article: its 款, each a sentence and maybe a list of 项
_article = st.lists(st.tuples(_sentence, st.lists(_sentence, max_size=3)), min_size=1, max_size=4)


def _regulation(articles: list[list[tuple[str, list[str]]]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """Text of a regulation and, per article, the (start, end) of each of its 款."""
    lines, spans, pos = ["某省数据条例", "第一章　总则"], [], 0
    pos = sum(len(x) + 1 for x in lines)
    for a, clauses in enumerate(articles, 1):
        spans.append([])
        for k, (body, items) in enumerate(clauses):
            start = pos
            head = f"第{CN[a - 1] if a <= 10 else a}条　" if k == 0 else ""
            line = head + body + ("：" if items else "。")
            lines.append(line)
            pos += len(line) + 1
            for i, item in enumerate(items):
                line = f"（{CN[i]}）{item}" + ("。" if i == len(items) - 1 else "；")
                lines.append(line)
                pos += len(line) + 1
            spans[-1].append((start, pos))
    return "\n".join(lines) + "\n", spans


@settings(max_examples=80, deadline=None)
@given(st.lists(_article, min_size=1, max_size=6))
def test_every_paragraph_of_an_article_is_a_clause(articles):
    text, spans = _regulation(articles)
    tree = build_sections(text, "某省数据条例")
    by_id = {s.id: s for s in tree.sections}
    assert [s.id for s in tree.sections] == list(range(len(tree.sections)))
    assert all(s.parent is None or s.parent < s.id for s in tree.sections)       # parents first
    arts = [s for s in tree.sections if s.marker == "tiao"]
    assert [cn_to_int(s.title[1:-1]) for s in arts] == list(range(1, len(articles) + 1))
    for art, clauses, want in zip(arts, articles, spans):
        kuan = [s for s in tree.sections if s.parent == art.id and s.marker == "kuan"]
        if len(clauses) == 1:
            assert not kuan                       # one paragraph: the article is not split
            continue
        assert [s.title for s in kuan] == [f"第{CN[j]}款" for j in range(len(clauses))]
        assert [(s.start, s.end) for s in kuan] == [(a, b) for a, b in want]
        assert all(s.level == art.level + 1 for s in kuan)
        for k, (_, items) in zip(kuan, clauses):
            xiang = [s for s in tree.sections if s.parent == k.id]
            assert len(xiang) == len(items) and all(s.level == k.level + 1 for s in xiang)
            assert all(k.start <= s.start and s.end <= k.end for s in xiang)
    for a, b, sid in tree.lines:                  # every line lies inside the section it is given
        s = by_id[sid]
        assert s.start <= a and b <= s.end


@settings(max_examples=60, deadline=None)
@given(st.lists(_article, min_size=1, max_size=4), st.data())
def test_clause_ref_names_the_clause_holding_a_span(articles, data):
    text, spans = _regulation(articles)
    tree = build_sections(text, "某省数据条例")
    a = data.draw(st.integers(0, len(articles) - 1))
    k = data.draw(st.integers(0, len(articles[a]) - 1))
    start, end = spans[a][k]
    body = articles[a][k][0]
    s = text.index(body, start)
    ref = clause_ref(tree.sections, s, s + len(body))
    article = f"第{CN[a]}条"
    if len(articles[a]) == 1:
        assert ref is None
    else:
        assert ref == f"{article}第{CN[k]}款"
        crumb = f"某省数据条例 › 第一章　总则 › {article}"
        assert refine_section(crumb, tree.sections, s, s + len(body)) == f"某省数据条例 › 第一章　总则 › {ref}"
        # idempotent: an already refined breadcrumb stays as it is
        assert refine_section(f"某省数据条例 › 第一章　总则 › {ref}", tree.sections, s, s + len(body)).endswith(ref)
    if len(articles[a]) > 1 and articles[a][k][1]:
        n = len(articles[a][k][1])
        marked = f"（{CN[n - 1]}）{articles[a][k][1][-1]}"
        i = text.index(marked, s + len(body)) + 3
        item = marked[3:]
        assert clause_ref(tree.sections, i, i + len(item)) == \
            f"{article}第{CN[k]}款第{CN[len(articles[a][k][1]) - 1]}项"


def test_chunks_keep_an_article_together(tmp_path):
    """款 are nodes, but an article's paragraphs are still packed into one chunk (retrieval unchanged),
    and a 款 gets no outline chunk of its own."""
    p = tmp_path / "条例.txt"
    p.write_text("某省促进条例\n第一章　总则\n第一条　本条例适用于本省。\n本条例所称数字经济，是指以数据为要素的经济。\n"
                 "第二条　县级以上人民政府应当做好下列工作：\n（一）规划；\n（二）协调。\n其他工作由省人民政府规定。\n",
                 encoding="utf-8")
    doc = parse_file(p)
    c = next(c for c in doc.chunks if "本条例所称数字经济" in c.text)
    assert "本条例适用于本省" in c.text and c.breadcrumb.endswith("第一条")
    assert not [c for c in doc.chunks if c.kind == "outline" and "款" in c.breadcrumb.rsplit(" › ", 1)[-1]]
    tail = next(c for c in doc.chunks if "其他工作由省人民政府规定" in c.text)
    assert tail.breadcrumb.endswith("第二条")               # a 款 after the items is no part of item (二)
    s = doc.text.index("其他工作由省人民政府规定")
    assert clause_ref(doc.sections, s, s + 12) == "第二条第二款"
    i = doc.text.index("协调")
    assert clause_ref(doc.sections, i, i + 2) == "第二条第一款第二项"


ZJ = ROOT.parent / "shared" / "other-corpus-2" / "pkulaw_FBM-CLI-10-1673145_浙江省数字经济促进条例.txt"


@pytest.mark.skipif(not ZJ.is_file(), reason="other-corpus-2 not present")
def test_zhejiang_regulation_clauses():
    doc = parse_file(ZJ)
    art = next(s for s in doc.sections if s.title == "第十一条")
    assert [s.title for s in doc.sections if s.parent == art.id] == ["第一款", "第二款", "第三款", "第四款"]
    q = "县级以上人民政府应当探索建立跨行业基础设施“多规合一”体制机制"
    s = doc.text.index(q)
    assert clause_ref(doc.sections, s, s + len(q)) == "第十一条第四款"
    ten = next(s for s in doc.sections if s.title == "第十条")          # one paragraph: cited as 第十条
    q = "本条例所称数字基础设施"
    s = doc.text.index(q)
    assert not [x for x in doc.sections if x.parent == ten.id] and clause_ref(doc.sections, s, s + len(q)) is None
