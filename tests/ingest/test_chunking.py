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
