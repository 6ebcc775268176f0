"""The real files of ../shared/real-formats (Putuo budget PDFs and .xlsx, Guangzhou 政府信息公开
pages, OFD files from ofdrw): each ingests; the 商务委员会 budget keeps its nine tables."""
from functools import lru_cache
from pathlib import Path

import pytest

from ingest import parse_file

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-formats"
FILES = sorted(p for p in REAL.iterdir() if p.suffix != ".tsv") if REAL.is_dir() else []
needs_real = pytest.mark.skipif(not FILES, reason="../shared/real-formats not present")


@lru_cache(maxsize=None)
def parsed(path: Path):
    return parse_file(path)


@needs_real
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:24])
def test_every_real_file_ingests(path):
    doc = parsed(path)
    assert doc.chunks and doc.meta.title and doc.meta.title != path.stem
    assert all(c.text.strip() for c in doc.chunks)
    if path.suffix in (".pdf", ".ofd"):
        assert all(c.page for c in doc.chunks)


@needs_real
def test_commerce_commission_budget():
    doc = parsed(REAL / "gbc_上海市普陀区商务委员会25年预算.pdf")
    assert doc.meta.title == "上海市普陀区2025年区级部门预算"
    assert doc.meta.issuer == "上海市普陀区商务委员会" and doc.meta.region == "普陀区"
    # every department's budget has this title: the short title (and the breadcrumb root) names the department
    assert doc.meta.extra["short_title"] == "上海市普陀区商务委员会2025年部门预算"
    assert doc.chunks[0].breadcrumb.startswith("上海市普陀区商务委员会2025年部门预算")
    assert len(doc.tables) == 9
    captions = [t.caption for t in doc.tables]
    assert captions[0] == "2025年部门财务收支预算总表（单位：元）"
    assert captions[-1] == "2025年部门“三公”经费和机关运行经费预算表（单位：万元）"
    for t in doc.tables:
        assert len(t.headers) >= 4 and not any(h.startswith("列") for h in t.headers), t.headers
    total = doc.tables[0]
    assert total.headers == ["本年收入·项目", "本年收入·预算数", "本年支出·项目", "本年支出·预算数"]
    first = total.rows[0].cells
    assert first["本年收入·项目"] == "一、财政拨款收入" and first["本年收入·预算数"] == "371,514,655.00"
    # the 收入预算总表 runs over two pages: one table, its rows keep their pages
    income = doc.tables[1]
    assert {c.page for c in doc.chunks if c.kind == "table_row" and c.table_index == 1} == {10, 11}
    assert any(r.cells["项目·功能分类科目名称"] == "行政单位医疗" for r in income.rows)
    sangong = doc.tables[8]
    assert sangong.rows[0].cells["“三公”经费预算数·公务接待费"] == "1.00"
    # body text: the 三公 figure sentence is text, not a heading; the table of contents is gone
    assert not any("公务接待费" in s.title for s in doc.sections)
    assert any("（三）公务接待费1.00万元。与2024年预算持平" in c.text for c in doc.chunks if c.kind == "text")
    assert sum(1 for s in doc.sections if s.title.startswith("一、部门主要职能")) == 0


@needs_real
def test_guangzhou_page_and_ofd_document_numbers():
    html = parsed(REAL / "html_26_最低生活保障及相关社会救助标准通知_穗民规字2025-2号.html")
    assert html.meta.doc_number == "穗民规字〔2025〕2号" and html.meta.date == "2025-05-30"
    assert html.meta.issuer == "广州市民政局"
    assert any("每人每月1309元" in c.text for c in html.chunks)
    ofd = parsed(REAL / "ofd_n.ofd")
    assert ofd.meta.doc_number == "路卫发〔2011〕76号" and ofd.meta.title == "关于同意张阿三同志辞职的批复"
    assert ofd.meta.extra.get("signed") is True
