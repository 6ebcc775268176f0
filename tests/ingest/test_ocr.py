"""Scanned pages: a text PDF page rendered to an image and wrapped as an image-only PDF is read
back by OCR (rapidocr, offline); images; a mixed PDF OCRs only its pages without text."""
import pytest

from ingest import IngestError, parse_file

LINES = ["某区绿色出行行动方案",
         "一、总体目标",
         "到2025年底，全区绿色出行比例达到75%以上，",
         "新建自行车道30公里，改造人行道15公里。",
         "二、重点任务",
         "（一）完善慢行系统。建设连续的自行车道网络。",
         "牵头单位：区交通委",
         "（二）推广新能源公交车200辆，2024年6月底前完成。"]


def _text_pdf(path, pages, size=15):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for lines in pages:
        c.setFont("STSong-Light", size)
        y = 780
        for line in lines:
            c.drawString(60, y, line)
            y -= size * 2.2
        c.showPage()
    c.save()


def _scan(text_pdf, out_pdf, pages=None, scale=2.0):
    """Render pages to images and wrap them as an image-only PDF (no text layer)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(text_pdf))
    images = [doc[i].render(scale=scale).to_pil().convert("RGB") for i in (pages or range(len(doc)))]
    doc.close()
    images[0].save(out_pdf, "PDF", resolution=72 * scale, save_all=True, append_images=images[1:])
    return images


def char_accuracy(expected: str, got: str) -> float:
    """1 - Levenshtein distance / len(expected), on the text without whitespace."""
    a = "".join(expected.split())
    b = "".join(got.split())
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1 - prev[-1] / len(a)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    d = tmp_path_factory.mktemp("scan")
    src, scan = d / "text.pdf", d / "扫描件.pdf"
    _text_pdf(src, [LINES])
    _scan(src, scan)
    return scan


def test_image_only_pdf_is_read_by_ocr(scanned):
    from pypdf import PdfReader

    assert not (PdfReader(str(scanned)).pages[0].extract_text() or "").strip()     # really no text layer
    doc = parse_file(scanned)
    acc = char_accuracy("".join(LINES), doc.text)
    print(f"\nOCR character accuracy: {acc:.4f}")
    assert acc >= 0.98, doc.text
    assert doc.meta.extra.get("ocr_pages") == "1"
    assert {"一、总体目标", "二、重点任务"} <= {s.title for s in doc.sections}
    assert all(c.page == 1 for c in doc.chunks)
    (task,) = [t for t in doc.tasks if t.lead]
    assert task.lead == ["区交通委"]


def test_questions_about_the_scan(scanned, tmp_path, fake_embeddings):
    from kb import KnowledgeBase, Settings

    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)
    (r,) = kb.ingest([scanned])
    assert r.status == "ingested", r.message
    hit = kb.search("绿色出行比例到2025年底要达到多少", k=3)[0]
    assert "75%" in hit.text and hit.page == 1
    hit = kb.search("新能源公交车推广多少辆", k=3)[0]
    assert "200辆" in hit.text


def test_mixed_pdf_ocrs_only_pages_without_text(tmp_path):
    from pypdf import PdfReader, PdfWriter

    text_pdf = tmp_path / "text.pdf"
    _text_pdf(text_pdf, [["第一页有文字层：某区绿化方案正文内容。"], LINES[:4]])
    scan = tmp_path / "scan.pdf"
    _scan(text_pdf, scan, pages=[1])
    w = PdfWriter()
    w.add_page(PdfReader(str(text_pdf)).pages[0])
    w.add_page(PdfReader(str(scan)).pages[0])
    mixed = tmp_path / "mixed.pdf"
    with open(mixed, "wb") as f:
        w.write(f)
    calls = []
    from ingest import pdf as pdf_mod
    from ingest.ocr import ocr_pdf_page

    raw = pdf_mod.load_pdf(mixed, ocr_page=lambda page: calls.append(1) or ocr_pdf_page(page))
    assert len(calls) == 1 and raw.front_matter["ocr_pages"] == "2"
    first, second = raw.text.split("\f")
    assert "第一页有文字层" in first and "自行车道30公里" in second


def test_image_file(tmp_path, scanned):
    import pypdfium2 as pdfium

    png = tmp_path / "扫描.png"
    doc = pdfium.PdfDocument(str(scanned))
    doc[0].render(scale=1.0).to_pil().save(png)
    doc.close()
    parsed = parse_file(png)
    assert char_accuracy("".join(LINES), parsed.text) >= 0.95
    assert parsed.chunks[0].page == 1


def test_image_without_text_and_broken_image(tmp_path):
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.new("RGB", (600, 800), "white").save(blank)
    with pytest.raises(IngestError, match="没有识别出文字"):
        parse_file(blank)
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff not a jpeg")
    with pytest.raises(IngestError, match="图片无法打开"):
        parse_file(bad)
