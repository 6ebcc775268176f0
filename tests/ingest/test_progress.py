"""Per-page OCR progress: the listener of the enclosing ``page_progress`` block hears every page a
scanned PDF, TIFF or OFD reads by OCR, in order, and nothing else; listeners are per thread/context."""
import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.progress import PageProgress, page_progress, report
from tests.ingest.test_ocr import _scan, _text_pdf


@settings(max_examples=60)
@given(st.lists(st.tuples(st.integers(1, 50), st.integers(1, 50)), max_size=10))
def test_reports_reach_the_innermost_listener_only(pages):
    outer, inner = [], []
    with page_progress(outer.append):
        report("a.pdf", 1, 1)
        with page_progress(inner.append):
            for page, extra in pages:
                report("b.pdf", page, page + extra)
        report("a.pdf", 2, 2)
    report("c.pdf", 1, 1)                                   # no listener: nothing happens
    assert [(p.path, p.page) for p in outer] == [("a.pdf", 1), ("a.pdf", 2)]
    assert [(p.page, p.pages) for p in inner] == [(page, page + extra) for page, extra in pages]
    assert all(0 <= p.fraction < 1 for p in inner)


def test_a_failing_listener_does_not_stop_ingestion():
    def boom(p):
        raise RuntimeError("display gone")

    with page_progress(boom):
        report("a.pdf", 1, 3)                               # no exception


def test_threads_have_their_own_listener():
    seen = {0: [], 1: []}

    def work(k):
        with page_progress(seen[k].append):
            for page in range(1, 4):
                report(f"{k}.pdf", page, 3)

    threads = [threading.Thread(target=work, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [p.path for p in seen[0]] == ["0.pdf"] * 3 and [p.path for p in seen[1]] == ["1.pdf"] * 3


def test_message_names_file_and_page():
    assert PageProgress("/x/扫描件.pdf", 2, 5).message() == "扫描件.pdf：正在识别文字（OCR），第 2/5 页"


def test_a_mixed_pdf_reports_only_its_pages_without_text(tmp_path):
    from pypdf import PdfReader, PdfWriter

    from ingest.pdf import load_pdf

    text_pdf = tmp_path / "text.pdf"
    _text_pdf(text_pdf, [["第一页有文字层：某区绿化方案正文内容。"], ["第二页。"], ["第三页有文字层：正文。"]])
    scan = tmp_path / "scan.pdf"
    _scan(text_pdf, scan, pages=[1], scale=1.0)
    w = PdfWriter()
    w.add_page(PdfReader(str(text_pdf)).pages[0])
    w.add_page(PdfReader(str(scan)).pages[0])
    w.add_page(PdfReader(str(text_pdf)).pages[2])
    mixed = tmp_path / "mixed.pdf"
    with open(mixed, "wb") as f:
        w.write(f)
    heard = []
    with page_progress(heard.append):
        load_pdf(mixed, ocr_page=lambda page: ["第二页识别出的文字内容。"])
    assert [(p.page, p.pages) for p in heard] == [(2, 3)]


def test_a_multi_page_tiff_reports_each_frame(tmp_path, monkeypatch):
    from PIL import Image

    from ingest import ocr

    frames = [Image.new("RGB", (60, 40), "white") for _ in range(3)]
    tif = tmp_path / "scan.tif"
    frames[0].save(tif, save_all=True, append_images=frames[1:])
    monkeypatch.setattr(ocr, "ocr_image_array", lambda image: ["某页文字"])
    heard = []
    with page_progress(heard.append):
        lines = ocr.ocr_image(tif)
    assert lines.count("\f") == 2
    assert [(p.page, p.pages) for p in heard] == [(1, 3), (2, 3), (3, 3)]


def test_an_image_only_ofd_page_is_reported(tmp_path):
    """A two-page OFD whose second page is only an image (the scanned 盖章件): that page is reported."""
    import io
    import zipfile

    from PIL import Image

    from ingest.ofd import load_ofd
    from tests.ingest.test_ofd import NS, PAGE1, write_ofd

    p = tmp_path / "盖章件.ofd"
    image_page = ['<ofd:ImageObject ID="5" ResourceID="77" Boundary="0 0 210 297" CTM="210 0 0 297 0 0"/>']
    write_ofd(p, [PAGE1, image_page], signed=False)
    with zipfile.ZipFile(p) as z:
        files = {n: z.read(n) for n in z.namelist()}
    files["Doc_0/Document.xml"] = files["Doc_0/Document.xml"].replace(
        b"</ofd:PageArea>", b"</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>")
    files["Doc_0/PublicRes.xml"] = (f'<ofd:Res {NS} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="77" Type="Image">'
                                    "<ofd:MediaFile>scan.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>").encode()
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(png, "PNG")
    files["Doc_0/Res/scan.png"] = png.getvalue()
    with zipfile.ZipFile(p, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)
    heard = []
    with page_progress(heard.append):
        raw = load_ofd(p, ocr_image_bytes=lambda data: ["盖章件识别出的文字内容一行。"])
    assert [(x.page, x.pages) for x in heard] == [(2, 2)]
    assert raw.front_matter.get("ocr_pages") == "2"
