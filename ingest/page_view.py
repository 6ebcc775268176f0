"""Page image of a citation: a PDF page (or a scanned page) rendered locally with pypdfium2, or an
OFD page drawn from its text positions, with the quoted span's boxes highlighted.

The quote is found on the page with whitespace ignored (the parsed text joins lines and drops the
spaces PDF extraction adds), char by char on the text layer; on a page without one, over the
OCR boxes. Returns a PIL image (RGB), or None when the page or the quote cannot be found.

Example:
    >>> img = render_citation("预算.pdf", page=22, quote="（三）公务接待费1.00万元。")
    >>> img.save("citation.png")
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

SCALE = 2.0
HIGHLIGHT = (255, 214, 0, 110)
OUTLINE = (230, 120, 0, 255)


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def find_span(chars: list[str], quote: str) -> list[int]:
    """Indexes into ``chars`` (one string per glyph, possibly whitespace) that spell ``quote``
    when whitespace is ignored; [] when the quote is not there.

    >>> find_span(list("到 2025年\\n底完成"), "2025年底")
    [2, 3, 4, 5, 6, 8]
    """
    idx = [i for i, c in enumerate(chars) if c.strip()]
    flat = "".join(chars[i] for i in idx)
    q = _squash(quote)
    if not q:
        return []
    pos = flat.find(q)
    if pos < 0:
        return []
    out, n = [], 0
    for i in idx:
        if n >= pos + len(q):
            break
        if n >= pos:
            out.append(i)
        n += len(chars[i])
    return out


def quote_forms(quote: str) -> list[str]:
    """What to look for on the page, best first: the quote itself; for a table row's text
    (caption, a line break, then "列：值；列：值") its values in order (the row as printed); its first
    line; its first sentence. The parsed text differs from the page where it joined lines across a
    page's running header or read a table row into "列：值" pairs.

    >>> quote_forms("类：201；名称：行政运行；合计：9,389,913.00")
    ['类：201；名称：行政运行；合计：9,389,913.00', '201行政运行9,389,913.00']
    """
    out = [quote]
    last = quote.strip().rsplit("\n", 1)[-1]
    cells = [c for c in last.split("；") if "：" in c]
    if len(cells) >= 2 and len(cells) == len([c for c in last.split("；") if c.strip()]):
        out.append("".join(c.split("：", 1)[1] for c in cells))
    first = quote.strip().split("\n", 1)[0]
    out.append(first)
    sentence = re.split(r"(?<=[。；！？])", first, maxsplit=1)[0]
    if len(_squash(sentence)) >= 8:
        out.append(sentence)
    seen: list[str] = []
    for q in out:
        if _squash(q) and q not in seen:
            seen.append(q)
    return seen


def find_first(chars: list[str], quote: str) -> list[int]:
    """``find_span`` of the first of ``quote_forms(quote)`` that is on the page."""
    for q in quote_forms(quote):
        span = find_span(chars, q)
        if span:
            return span
    return []


def line_boxes(boxes: list[Box]) -> list[Box]:
    """Merge glyph boxes into one rectangle per visual line."""
    lines: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: ((b.y0 + b.y1) / 2, b.x0)):
        if lines:
            last = lines[-1]
            cy = (b.y0 + b.y1) / 2
            ly0, ly1 = min(x.y0 for x in last), max(x.y1 for x in last)
            if ly0 <= cy <= ly1:
                last.append(b)
                continue
        lines.append([b])
    return [Box(min(b.x0 for b in ln), min(b.y0 for b in ln), max(b.x1 for b in ln), max(b.y1 for b in ln))
            for ln in lines]


def highlight(image: Image.Image, boxes: list[Box], pad: float = 2.0) -> Image.Image:
    base = image.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for b in boxes:
        draw.rectangle([b.x0 - pad, b.y0 - pad, b.x1 + pad, b.y1 + pad], fill=HIGHLIGHT, outline=OUTLINE, width=2)
    return Image.alpha_composite(base, layer).convert("RGB")


def render_citation(path: str | Path, page: int, quote: str, scale: float = SCALE) -> Image.Image | None:
    """The 1-based ``page`` of a PDF, OFD or image file with ``quote`` highlighted."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".pdf":
        return _pdf_page(p, page, quote, scale)
    if suffix == ".ofd":
        return _ofd_page(p, page, quote, scale)
    if suffix in (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"):
        return _image_page(p, page, quote)
    return None


def _pdf_page(p: Path, page: int, quote: str, scale: float) -> Image.Image | None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(p))
    try:
        if not 1 <= page <= len(doc):
            return None
        pg = doc[page - 1]
        image = pg.render(scale=scale).to_pil().convert("RGB")
        height = pg.get_height()
        tp = pg.get_textpage()
        n = tp.count_chars()
        chars = [tp.get_text_range(i, 1) for i in range(n)]
        span = find_first(chars, quote)
        boxes = []
        for i in span:
            left, bottom, right, top = tp.get_charbox(i)
            boxes.append(Box(left * scale, (height - top) * scale, right * scale, (height - bottom) * scale))
        if not boxes and n < 10:                     # a scanned page: look for the quote in the OCR boxes
            boxes = _ocr_boxes_for(image, quote)
        return highlight(image, line_boxes(boxes)) if boxes else image
    finally:
        doc.close()


def _ocr_boxes_for(image: Image.Image, quote: str) -> list[Box]:
    import numpy as np

    from .ocr import ocr_boxes

    found = ocr_boxes(np.array(image))
    found.sort(key=lambda b: (round((b.y0 + b.y1) / 2 / max(1.0, b.y1 - b.y0)), b.x0))
    chars: list[str] = []
    owner: list[int] = []
    for k, b in enumerate(found):
        chars.extend(b.text)
        owner.extend([k] * len(b.text))
    hit = {owner[i] for i in find_first(chars, quote)}
    return [Box(found[k].x0, found[k].y0, found[k].x1, found[k].y1) for k in sorted(hit)]


def _image_page(p: Path, page: int, quote: str) -> Image.Image | None:
    from PIL import ImageSequence

    with Image.open(p) as im:
        frames = [f.convert("RGB") for f in ImageSequence.Iterator(im)]
    if not 1 <= page <= len(frames):
        return None
    image = frames[page - 1]
    boxes = _ocr_boxes_for(image, quote)
    return highlight(image, line_boxes(boxes)) if boxes else image


def _ofd_page(p: Path, page: int, quote: str, scale: float) -> Image.Image | None:
    """OFD pages are drawn from their TextObjects (glyph positions in mm) on a white page."""
    import posixpath

    from .ofd import _Package, _children, _texts

    pkg = _Package(p)
    root = pkg.xml("OFD.xml")
    doc_path = next(e.text.strip() for e in _children(root, "DocRoot") if e.text).lstrip("/")
    document = pkg.xml(doc_path)
    pages = [e for e in _children(document, "Page") if e.get("BaseLoc")]
    if not 1 <= page <= len(pages):
        return None
    content = pkg.xml(posixpath.normpath(posixpath.join(posixpath.dirname(doc_path), pages[page - 1].get("BaseLoc"))))
    box = next((e.text for e in _children(document, "PhysicalBox") if e.text), "0 0 210 297").split()
    mm = 72 / 25.4 * scale
    width, height = float(box[2]) * mm, float(box[3]) * mm
    image = Image.new("RGB", (int(width), int(height)), "white")
    draw = ImageDraw.Draw(image)
    chars, glyph_boxes = [], []
    for t in _texts(content):
        size = (t.size or 3.5) * mm
        font = _font(int(size))
        x = t.x * mm
        for ch in t.text:
            draw.text((x, t.y * mm - size), ch, fill=(200, 30, 30) if t.red else (0, 0, 0), font=font)
            chars.append(ch)
            glyph_boxes.append(Box(x, t.y * mm - size, x + size, t.y * mm))
            x += size
    boxes = [glyph_boxes[i] for i in find_first(chars, quote)]
    return highlight(image, line_boxes(boxes)) if boxes else image


def _font(size: int):
    from PIL import ImageFont

    for cand in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                 "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"):
        if Path(cand).is_file():
            return ImageFont.truetype(cand, max(size, 6))
    return ImageFont.load_default()


def citation_data_uri(path: str | Path, page: int, quote: str, width: int = 900) -> str | None:
    """The highlighted page as a ``data:image/png;base64,…`` URI (at most ``width`` pixels wide), for an
    ``<img>`` in a source panel; None when the file is not a PDF/OFD/image or the page is missing."""
    import base64
    import io

    img = render_citation(path, page, quote)
    if img is None:
        return None
    if img.width > width:
        img = img.resize((width, int(img.height * width / img.width)))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
