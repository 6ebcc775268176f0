"""PDF layout with pdfplumber: ruled tables as rows with (merged, multi-row) headers, a table
continued on the next page as one table, running headers/footers and page numbers dropped,
the title from page 1's largest lines."""
import pytest

from ingest import parse_file
from ingest.pdf import load_pdf


def _font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _budget_pdf(path):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    body = ParagraphStyle("b", fontName=font, fontSize=11, leading=16)
    big = ParagraphStyle("t", fontName=font, fontSize=24, leading=30)
    rows = [["项目", "", "收入预算", ""], ["科目编码", "科目名称", "合计", "财政拨款收入"]]
    rows += [[f"2{k:02d}", f"支出科目{k}", f"{1000 + k},00.00", f"{1000 + k},00.00"] for k in range(1, 46)]
    table = Table(rows, repeatRows=2)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("SPAN", (0, 0), (1, 0)), ("SPAN", (2, 0), (3, 0))]))

    def header_footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawString(60, A4[1] - 30, "某区2025年部门预算公开")          # running header
        canvas.drawString(A4[0] / 2, 25, f"- {doc.page} -")                  # page number
        canvas.restoreState()

    story = [Paragraph("某区2025年区级部门预算", big), Spacer(1, 8),
             Paragraph("预算主管部门：某区商务委员会", body), PageBreak(),
             Paragraph("一、部门预算编制说明", body),
             Paragraph("2025年，某区商务委员会收入预算37,151.47万元，比2024年增加24,558.18万元。", body),
             Paragraph("（三）公务接待费1.00万元。与2024年预算持平，主要原因是根据实际业务需求开展公务接待。", body),
             Paragraph("二、部门预算表", body),
             Paragraph("2025年部门收入预算总表", body), Paragraph("编制部门：某区商务委员会 单位：元", body), table]
    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=header_footer, onLaterPages=header_footer)


@pytest.fixture(scope="module")
def budget(tmp_path_factory):
    p = tmp_path_factory.mktemp("pdf") / "预算.pdf"
    _budget_pdf(p)
    return p


def test_title_issuer_and_running_lines(budget):
    doc = parse_file(budget)
    assert doc.meta.title == "某区2025年区级部门预算" and doc.meta.issuer == "某区商务委员会"
    assert "某区2025年部门预算公开" not in doc.text and "- 2 -" not in doc.text
    assert not any("公务接待费" in s.title for s in doc.sections)      # a marked sentence stays body text
    assert any("公务接待费1.00万元" in c.text for c in doc.chunks if c.kind == "text")


def test_table_across_pages_is_one_table_with_joined_headers(budget):
    raw = load_pdf(budget)
    assert raw.text.count("\f") >= 2           # the table runs over more than one page
    doc = parse_file(budget)
    (table,) = doc.tables
    assert table.caption == "2025年部门收入预算总表（单位：元）"
    assert table.headers == ["项目·科目编码", "项目·科目名称", "收入预算·合计", "收入预算·财政拨款收入"]
    assert len(table.rows) == 45                 # the header repeated on the next page is not a row
    last = table.rows[-1].cells
    assert last["项目·科目名称"] == "支出科目45" and last["收入预算·合计"] == "1045,00.00"
    row_chunk = next(c for c in doc.chunks if c.kind == "table_row" and "支出科目45" in c.text)
    assert row_chunk.page >= 3 and "收入预算·财政拨款收入：1045,00.00" in row_chunk.text
