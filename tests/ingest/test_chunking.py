"""Chunks: inside one section, bounded, exact spans, table rows as their own chunks."""
import pytest

from ingest import parse_file
from tests.conftest import CORPUS, OTHER

DOCS = sorted(CORPUS.glob("*.txt")) + (sorted(OTHER.glob("*.md")) if OTHER.is_dir() else [])


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name[:16])
def test_chunks_respect_sections_and_spans(path):
    doc = parse_file(path)
    by_id = {s.id: s for s in doc.sections}
    for c in doc.chunks:
        sec = by_id[c.section_id]
        assert sec.start <= c.start and c.end <= max(sec.end, c.end if sec.marker == "root" else sec.end)
        if c.kind == "text":
            assert doc.text[c.start:c.end] == c.text
            assert len(c.text) <= 600
            # no chunk reaches into the next section
            for other in doc.sections:
                if other.start > c.start and other.parent is not None and other.marker != "table":
                    assert other.start >= c.end or other.start < sec.start or other.start > sec.end \
                        or by_id[other.parent].id == sec.id and other.start >= c.end
        elif c.kind == "outline":
            # one heading per line, each in the section it outlines (a table caption may span lines)
            assert c.start == sec.start and c.end == sec.end and len(c.text) <= 600
            body = "".join(doc.text[sec.start:sec.end].split())
            for line in c.text.split("\n"):
                assert "".join(line.split()) in body
        else:
            assert c.text.startswith(doc.tables[c.table_index].caption)
        assert c.breadcrumb.startswith(doc.sections[0].title)


def test_outline_lists_subsection_headings():
    doc = parse_file(next(p for p in DOCS if p.name.startswith("朝阳区")))
    outlines = {c.breadcrumb.rsplit(" › ", 1)[-1]: c.text for c in doc.chunks if c.kind == "outline"}
    assert outlines["六、美丽细胞"].split("\n") == ["15.创建美丽园区", "16.建设美丽学校", "17.营造美丽社区", "18.打造美丽村庄"]
    root = outlines[doc.sections[0].title]
    assert root.startswith("一、总体要求\n二、绿色低碳\n  1.优化国土空间开发保护格局")


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name[:16])
def test_sizes_are_bounded(path):
    doc = parse_file(path)
    by_section: dict[int, list[int]] = {}
    for c in doc.chunks:
        if c.kind == "text":
            by_section.setdefault(c.section_id, []).append(len(c.text))
    for sid, sizes in by_section.items():
        assert max(sizes) <= 600
        body = "".join(c.text for c in doc.chunks if c.section_id == sid and c.kind == "text")
        if body.count("。") + body.count("；") < len(body) / 600:
            continue      # table-like text with no sentence ends: cut where it must be
        # a section is only cut where it is long: every chunk but its last reaches the minimum
        assert all(s >= 300 for s in sizes[:-1]), sizes


def test_every_table_row_is_a_chunk():
    doc = parse_file(next(CORPUS.glob("门头沟区_氧吧*.txt")))
    rows = [c for c in doc.chunks if c.kind == "table_row"]
    assert len(rows) == sum(len(t.rows) for t in doc.tables) == 29
    assert all("任务分解表" in c.breadcrumb for c in rows)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CN = "一二三四五六七八九"
_standard = st.tuples(st.sampled_from(["城乡最低生活保障标准", "孤儿养育标准", "特困人员基本生活标准", "基本饮食标准"]),
                      st.decimals(100, 9999, places=1).map(str), st.sampled_from(["", "，与上年相比有所提高"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(_standard, min_size=1, max_size=6))
def test_every_marked_sentence_stating_an_amount_is_in_a_chunk(items):
    """A list of standards written as marked sentences ("（一）全市城乡最低生活保障标准为每人每月1309元。", the
    Guangzhou 救助标准 page): each is body text, and each is inside a text chunk (none is dropped as a bare
    heading)."""
    from ingest.chunking import make_chunks
    from ingest.structure import build_sections
    from ingest.tables import find_tables

    lines = ["某市社会救助标准的通知", "一、社会救助标准"]
    lines += [f"（{CN[i]}）全市{name}为每人每月{value}元{tail}。" for i, (name, value, tail) in enumerate(items)]
    lines += ["二、标准执行时间", "本通知自2025年1月1日起执行。"]
    text = "\n".join(lines) + "\n"
    tree = build_sections(text, lines[0], find_tables(text))
    chunks = make_chunks("d", text, tree, [], lambda s: str(s), lambda o: None)
    body = "".join(c.text for c in chunks if c.kind == "text")
    for line in lines[2:-2]:
        assert line in body
    assert not [s for s in tree.sections if s.marker == "cn_paren"]


def test_a_marked_line_the_structure_keeps_as_body_is_not_dropped(tmp_path):
    """"2." out of sequence is no heading; its text stays in the chunks (it used to be left out as a bare heading)."""
    p = tmp_path / "t.txt"
    p.write_text("某区方案\n一、目标\n到2025年全区绿道总长度达到100公里。\n说明：\n2.标记的指标为监测指标\n二、任务\n正文内容。\n",
                 encoding="utf-8")
    doc = parse_file(p)
    assert any("2.标记的指标为监测指标" in c.text for c in doc.chunks if c.kind == "text")
