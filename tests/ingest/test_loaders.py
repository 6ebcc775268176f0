"""Each loader on real files made by the tests, and clear errors for bad input."""
import zipfile

import pytest

from ingest import IngestError, load_file, parse_file
from ingest.loaders import split_front_matter

TEXT = "某区绿化行动方案\n一、总体要求\n到2026年，全区森林覆盖率达到50%。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_encodings(tmp_path, encoding):
    p = tmp_path / "a.txt"
    p.write_bytes(TEXT.encode(encoding))
    assert load_file(p).text == TEXT


def test_gbk_file_ingests_with_structure(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes((TEXT + "（一）指导思想\n坚持绿色发展。\n").encode("gbk"))
    doc = parse_file(p)
    assert [s.title for s in doc.sections][1:] == ["一、总体要求", "（一）指导思想"]


def test_markdown_front_matter(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\n标题: 测试方案\n发布单位: 某区政府\n发布日期: 2024-10-10\n---\n\n# 测试方案\n\n一、总体要求\n正文。\n", encoding="utf-8")
    raw = load_file(p)
    assert raw.front_matter["标题"] == "测试方案" and raw.source_format == "md"
    doc = parse_file(p)
    assert doc.meta.title == "测试方案" and doc.meta.issuer == "某区政府" and doc.meta.date == "2024-10-10"


def test_key_value_header_block():
    meta, body = split_front_matter("标题: 某通知\n文号: 国办发〔2018〕1号\n\n正文第一行\n")
    assert meta == {"标题": "某通知", "文号": "国办发〔2018〕1号"} and body.strip() == "正文第一行"
    # a body line that merely contains a colon is not a header
    assert split_front_matter("注：以下为正文\n内容\n")[0] == {}


def _docx(path, merged=True):
    import docx

    d = docx.Document()
    d.add_paragraph("某区氧吧行动计划")
    d.add_paragraph("一、重点任务")
    d.add_paragraph("（一）打造氧吧经济圈")
    d.add_paragraph("建设负氧离子监测站。")
    d.add_paragraph("（2024年）任务分解表")
    t = d.add_table(rows=4, cols=4)
    for i, h in enumerate(["任务名称", "任务内容", "牵头单位", "完成时间"]):
        t.cell(0, i).text = h
    t.cell(1, 0).text = "一、打造经济圈"
    t.cell(1, 1).text = "建设8套监测站"
    t.cell(1, 2).text = "区气象局"
    t.cell(1, 3).text = "2024年12月"
    t.cell(2, 1).text = "建设2套气象站"
    t.cell(2, 2).text = "区气象局\n区文旅局"
    t.cell(2, 3).text = "2024年12月"
    t.cell(3, 1).text = "开展评估"
    t.cell(3, 2).text = "区政府办"
    t.cell(3, 3).text = "2025年6月"
    if merged:
        t.cell(1, 0).merge(t.cell(3, 0))   # vertical merge of 任务名称
    d.add_paragraph("二、保障措施")
    d.add_paragraph("加强组织领导。")
    d.save(str(path))


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    p = tmp_path / "plan.docx"
    _docx(p)
    doc = parse_file(p)
    titles = [s.title for s in doc.sections]
    assert titles[:3] == ["某区氧吧行动计划", "一、重点任务", "（一）打造氧吧经济圈"]
    (table,) = doc.tables
    assert table.caption == "（2024年）任务分解表"
    assert [r.cells["任务名称"] for r in table.rows] == ["一、打造经济圈"] * 3      # merged cell carried down
    assert table.rows[1].cells["牵头单位"] == "区气象局、区文旅局"
    assert table.rows[2].cells["完成时间"] == "2025年6月"
    # the paragraph after the table is still parsed as a heading, after the table
    assert doc.text.index("二、保障措施") > table.end


def _pdf(path, pages):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for lines in pages:
        c.setFont("STSong-Light", 12)
        y = 800
        for line in lines:
            c.drawString(50, y, line)
            y -= 20
        c.showPage()
    c.save()


def test_pdf_pages_line_repair_and_spaces(tmp_path):
    p = tmp_path / "plan.pdf"
    long1 = "坚持生态优先，持续推进绿化建设，到2026 年全区森林覆盖率达到50%，城乡污水处理率达到"
    _pdf(p, [["某区绿色发展行动方案", "一、总体要求", long1, "95%。加强湿地保护。"],
             ["二、重点任务", "（一）建设监测站", "在重点景区建成8 套负氧离子监测站。"]])
    doc = parse_file(p)
    assert "到2026年全区森林覆盖率达到50%，城乡污水处理率达到95%。" in doc.text   # joined line, no space
    assert "建成8套负氧离子监测站" in doc.text
    by_title = {s.title: s for s in doc.sections}
    assert {"一、总体要求", "二、重点任务", "（一）建设监测站"} <= set(by_title)
    pages = {c.page for c in doc.chunks}
    assert pages == {1, 2}
    chunk = next(c for c in doc.chunks if "监测站。" in c.text)
    assert chunk.page == 2 and chunk.breadcrumb.endswith("二、重点任务 › （一）建设监测站")


# --- bad input -----------------------------------------------------------------------------------



@pytest.mark.parametrize("name,data,match", [
    ("empty.txt", b"", "文件为空"),
    ("blank.txt", "\n  \n".encode(), "文件为空"),
    ("garbage.txt", bytes(range(256)) * 20, "不是文本|编码"),         # binary garbage named .txt
    ("fake.docx", "这不是 docx".encode(), "不是有效的 .docx"),        # a .docx that is not a zip
])
def test_bad_bytes_are_refused_with_a_reason(tmp_path, name, data, match):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(IngestError, match=match):
        load_file(p)


def test_corrupt_pdf(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nthis is not a pdf")
    with pytest.raises(IngestError, match="PDF"):
        load_file(p)


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    src = tmp_path / "plain.pdf"
    _pdf(src, [["某区行动方案", "一、总体要求", "正文内容。"]])
    w = PdfWriter()
    for page in PdfReader(str(src)).pages:
        w.add_page(page)
    w.encrypt(user_password="secret", owner_password="owner")
    p = tmp_path / "locked.pdf"
    with open(p, "wb") as f:
        w.write(f)
    with pytest.raises(IngestError, match="加密"):
        load_file(p)


def test_scanned_pdf_without_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    p = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(p))
    c.rect(50, 50, 400, 600, fill=1)     # an "image" of a page: shapes only, no text
    c.showPage()
    c.save()
    with pytest.raises(IngestError, match="OCR"):
        load_file(p)




def test_zip_that_is_not_a_docx(tmp_path):
    p = tmp_path / "other.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(IngestError, match="docx"):
        load_file(p)


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("正文。" * 1000, encoding="utf-8")
    with pytest.raises(IngestError, match="文件过大"):
        load_file(p, max_bytes=1000)


@pytest.mark.parametrize("name,hint", [("a.zip", "解压"), ("a.rar", "解压"), ("a.pptx", "PDF"),
                                       ("a.xyz", "支持的格式")])
def test_unsupported_formats_name_the_file_and_the_fix(tmp_path, name, hint):
    p = tmp_path / name
    p.write_bytes(b"x")
    with pytest.raises(IngestError) as e:
        load_file(p)
    assert name in str(e.value) and hint in str(e.value)
