"""OFD files written by the test (a zip of XML): text in reading order, red header, 文号, pages,
signature; broken packages get a clear error."""
import zipfile

import pytest

from ingest import IngestError, parse_file

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def _text(oid, x, y, size, text, red=False):
    color = "#ee #20 #25" if red else "#0 #0 #0"
    w = size * len(text)
    return (f'<ofd:TextObject ID="{oid}" Font="1" Size="{size}" Boundary="{x} {y} {w} {size * 1.2}">'
            f'<ofd:FillColor Value="{color}"/><ofd:TextCode X="0" Y="{size}">{text}</ofd:TextCode></ofd:TextObject>')


def _page(objs):
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Content><ofd:Layer ID="9">'
            + "".join(objs) + "</ofd:Layer></ofd:Content></ofd:Page>")


def write_ofd(path, pages, signed=True):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.0" DocType="OFD">'
                   "<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>"
                   "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                   + ("<ofd:Signatures>Doc_0/Signatures.xml</ofd:Signatures>" if signed else "")
                   + "</ofd:DocBody></ofd:OFD>")
        refs = "".join(f'<ofd:Page ID="{k + 1}" BaseLoc="Pages/Page_{k}/Content.xml"/>' for k in range(len(pages)))
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData>'
                   "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
                   f"<ofd:Pages>{refs}</ofd:Pages></ofd:Document>")
        for k, objs in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{k}/Content.xml", _page(objs))
        if signed:
            z.writestr("Doc_0/Signatures.xml", f'<ofd:Signatures {NS}><ofd:Signature ID="1" BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/></ofd:Signatures>')
            z.writestr("Doc_0/Signs/Sign_0/SignedValue.dat", b"\x00\x01seal")


PAGE1 = [
    _text(1, 40, 30, 14, "某区园林绿化局文件", red=True),
    _text(2, 80, 60, 5.6, "某园发〔2024〕12号"),
    # the title, written in two pieces on one baseline (second piece first in the file)
    _text(4, 95, 90, 8, "口袋公园的通知"),
    _text(3, 40, 90, 8, "关于加快建设"),
    _text(5, 28, 120, 5.6, "各街道办事处："),
    _text(6, 39, 130, 5.6, "为提升城市绿化水平，2024年底前全区新建口袋公园20个。"),
    _text(7, 28, 140, 5.6, "一、建设任务"),
    _text(8, 39, 150, 5.6, "（一）新建口袋公园。各街道结合城市更新，利用边角地新建口袋公园。"),
    _text(9, 28, 160, 5.6, "牵头单位：区园林绿化局"),
    _text(10, 28, 170, 5.6, "配合单位：各街道办事处"),
    _text(11, 100, 285, 5.6, "— 1 —"),
]
PAGE2 = [
    _text(1, 28, 30, 5.6, "二、保障措施"),
    _text(2, 39, 40, 5.6, "（一）加强资金保障。区财政局统筹安排建设资金。"),
    _text(3, 120, 80, 5.6, "某区园林绿化局"),
    _text(4, 120, 90, 5.6, "2024年3月1日"),
]


def test_red_header_document(tmp_path):
    p = tmp_path / "通知.ofd"
    write_ofd(p, [PAGE1, PAGE2])
    doc = parse_file(p)
    assert doc.meta.title == "关于加快建设口袋公园的通知"
    assert doc.meta.issuer == "某区园林绿化局" and doc.meta.doc_number == "某园发〔2024〕12号"
    assert doc.meta.extra.get("signed") is True
    assert "— 1 —" not in doc.text and "seal" not in doc.text
    titles = [s.title for s in doc.sections]
    assert "一、建设任务" in titles and "二、保障措施" in titles
    text_chunks = [c for c in doc.chunks if c.kind == "text"]
    assert next(c for c in text_chunks if "统筹安排建设资金" in c.text).page == 2
    assert next(c for c in text_chunks if "边角地" in c.text).page == 1
    (task,) = [t for t in doc.tasks if t.lead == ["区园林绿化局"]]
    assert task.co == ["各街道办事处"] and "新建口袋公园" in task.name


def test_unsigned_file_is_not_marked(tmp_path):
    p = tmp_path / "plain.ofd"
    write_ofd(p, [PAGE1], signed=False)
    assert "signed" not in parse_file(p).meta.extra


@pytest.mark.parametrize("content,match", [
    (b"PK\x03\x04 this is a broken zip", "不是有效的 OFD"),
    (b"not a zip at all", "不是有效的 OFD"),
])
def test_broken_package(tmp_path, content, match):
    p = tmp_path / "broken.ofd"
    p.write_bytes(content)
    with pytest.raises(IngestError, match=match):
        parse_file(p)


def test_package_without_document_or_text(tmp_path):
    p = tmp_path / "nodoc.ofd"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("OFD.xml", f"<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
    with pytest.raises(IngestError, match="缺少"):
        parse_file(p)
    q = tmp_path / "blank.ofd"
    write_ofd(q, [[]], signed=False)
    with pytest.raises(IngestError, match="没有可读取的文字"):
        parse_file(q)


def test_image_only_page_is_read_by_ocr(tmp_path):
    import io

    import pypdfium2 as pdfium

    from tests.ingest.test_ocr import LINES, _text_pdf, char_accuracy

    src = tmp_path / "text.pdf"
    _text_pdf(src, [LINES[:4]])
    doc = pdfium.PdfDocument(str(src))
    png = io.BytesIO()
    doc[0].render(scale=2.0).to_pil().convert("RGB").save(png, "PNG")
    doc.close()
    p = tmp_path / "扫描.ofd"
    image_page = [f'<ofd:ImageObject ID="5" ResourceID="77" Boundary="0 0 210 297" CTM="210 0 0 297 0 0"/>']
    write_ofd(p, [image_page], signed=False)
    with zipfile.ZipFile(p) as z:
        files = {n: z.read(n) for n in z.namelist()}
    # the document names its resource file, which declares the page image
    files["Doc_0/Document.xml"] = files["Doc_0/Document.xml"].replace(
        b"</ofd:PageArea>", b"</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>")
    files["Doc_0/PublicRes.xml"] = (f'<ofd:Res {NS} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="77" Type="Image">'
                                    "<ofd:MediaFile>scan.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>").encode()
    files["Doc_0/Res/scan.png"] = png.getvalue()
    with zipfile.ZipFile(p, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)
    parsed = parse_file(p)
    assert parsed.meta.extra.get("ocr_pages") == "1"
    assert char_accuracy("".join(LINES[:4]), parsed.text) >= 0.95
