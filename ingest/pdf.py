"""PDF → text with page breaks, read with pdfplumber: tables as tab-cell grids, layout aware.

- Tables (ruled cells found by pdfplumber) become grids: merged cells filled in, multi-row headers
  joined, the caption line above ("2025年部门收入预算总表") and its unit ("单位：元") kept; a table
  continued at the top of the next page (same columns, header repeated or not) is one table.
- Running headers/footers (the same line at the top or bottom of most pages) and page numbers
  ("- 3 -", "第3页", "3/26") are dropped; a table-of-contents page (目录) is dropped.
- The title is page 1's largest lines; page titles set larger than the body become headings.
- Pages without a text layer are rendered with pypdfium2 and read by OCR (``ingest.ocr``).

Example:
    >>> raw = load_pdf(Path("预算.pdf"))
    >>> raw.front_matter["标题"], raw.text.count("\\f") + 1
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import IngestError
from .model import RawDocument
from .tables import count_header_rows, grid_pages

_PAGE_NO = re.compile(r"^(?:[-—–－~\s]*\d{1,4}[-—–－~\s]*|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|"
                      r"[-—–－]?\s*[ivxIVX]{1,5}\s*[-—–－]?)$")
_TOC = re.compile(r"^目\s*录$")
_UNIT = re.compile(r"单位\s*[：:]\s*([\u4e00-\u9fff]{1,4})\s*$")
_CAPTION = re.compile(r"(表|清单|一览|明细)\s*[（(]?[^）)]*[）)]?$")
_ISSUER_LINE = re.compile(r"^(?:预算)?(?:主管部门|编制部门|编制单位|发布机关|发文机关|印发单位)\s*[：:]\s*(.{2,40})$")


@dataclass
class _Block:
    top: float
    bottom: float
    text: str = ""                       # a text line
    size: float = 0.0
    x0: float = 0.0
    grid: list[list[str]] | None = None  # a table
    caption: str = ""
    caption_size: float = 0.0
    row_pages: list[int] = field(default_factory=list)   # page index of each grid row
    owner: "_Block | None" = None        # a table's continuation on a later page: the table it continues
    page: int = 0
    parts: dict[int, str] = field(default_factory=dict)


@dataclass
class _Page:
    blocks: list[_Block] = field(default_factory=list)
    height: float = 0.0
    ocr: bool = False


def load_pdf(p: Path, ocr_page: Callable | None = None, progress: Callable[[int, int], None] | None = None) -> RawDocument:
    """Read a PDF. ``ocr_page(pdfium_page) -> list[str]`` reads pages without a text layer
    (default: ``ingest.ocr.ocr_pdf_page``); ``progress(done, total)`` is called after each page."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    _check_encryption(p)
    try:
        pdf = pdfplumber.open(str(p))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise IngestError(str(p), "PDF 已加密，无法读取", "请提供未加密的版本") from exc
    except Exception as exc:   # pdfminer raises many types for broken files
        if "password" in str(exc).lower() or "encrypt" in exc.__class__.__name__.lower():
            raise IngestError(str(p), "PDF 已加密，无法读取", "请提供未加密的版本") from exc
        raise IngestError(str(p), f"PDF 文件损坏或无法解析（{exc.__class__.__name__}）") from exc
    with pdf:
        try:
            n = len(pdf.pages)
        except Exception as exc:
            raise IngestError(str(p), f"PDF 文件损坏或无法解析（{exc.__class__.__name__}）") from exc
        if n == 0:
            raise IngestError(str(p), "PDF 没有页面")
        pages: list[_Page] = []
        for i, page in enumerate(pdf.pages):
            try:
                pages.append(_read_page(page))
            except PDFSyntaxError as exc:
                raise IngestError(str(p), f"PDF 第 {i + 1} 页无法解析（{exc.__class__.__name__}）") from exc
            if progress:
                progress(i + 1, n)
        info = pdf.metadata or {}
    empty = [i for i, pg in enumerate(pages) if sum(len(re.sub(r"\s", "", b.text)) for b in pg.blocks) < 10
             and not any(b.grid for b in pg.blocks)]
    if empty:
        _ocr_pages(p, pages, empty, ocr_page)
    chars = sum(len(re.sub(r"\s", "", b.text)) + sum(len(c) for r in (b.grid or []) for c in r)
                for pg in pages for b in pg.blocks)
    if chars < 10:
        raise IngestError(str(p), "PDF 没有文字层（可能是扫描件），文字识别（OCR）也未识别出文字",
                          "请确认扫描件清晰，或提供带文字的版本")
    _drop_running_lines(pages)
    meta: dict = {}
    title, issuer = _title_and_issuer(pages)
    if title:
        meta["标题"] = title
    elif info.get("Title") and not re.search(r"Microsoft|\.docx?$|^untitled", str(info.get("Title")), re.I):
        meta["标题"] = str(info["Title"])
    if issuer:
        meta["发文机关"] = issuer
    ocr = [i + 1 for i, pg in enumerate(pages) if pg.ocr]
    if ocr:
        meta["ocr_pages"] = ",".join(map(str, ocr))
    text = "\f".join(_page_text(pg, body_size=_body_size(pages)) for pg in _merge_continued_tables(pages))
    return RawDocument(path=str(p), text=text, front_matter=meta, source_format="pdf")


def _check_encryption(p: Path) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(p))
        locked = reader.is_encrypted and not reader.decrypt("")
    except Exception:          # broken files are reported by pdfplumber below
        return
    if locked:
        raise IngestError(str(p), "PDF 已加密，无法读取", "请提供未加密的版本")


# --- one page -------------------------------------------------------------------------------

def _read_page(page) -> _Page:
    tables = [t for t in page.find_tables() if len(t.columns) >= 2 and len(t.rows) >= 2]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    out = _Page(height=float(page.height))
    for line in (page.filter(outside) if boxes else page).extract_text_lines():
        text = line["text"].strip()
        if not text:
            continue
        sizes = sorted(c["size"] for c in line["chars"]) or [0.0]
        out.blocks.append(_Block(top=line["top"], bottom=line["bottom"], text=text,
                                 size=round(sizes[len(sizes) // 2], 1), x0=line["x0"]))
    for t in tables:
        out.blocks.append(_Block(top=t.bbox[1], bottom=t.bbox[3], grid=_filled_grid(t)))
    out.blocks.sort(key=lambda b: b.top)
    _attach_captions(out)
    return out


def _filled_grid(table) -> list[list[str]]:
    """Cell texts with merged cells repeated over every row and column they cover."""
    rows = table.rows
    texts = table.extract()
    ncol = max(len(r.cells) for r in rows)
    col_x = [None] * ncol
    for r in rows:
        for k, c in enumerate(r.cells):
            if c is not None and col_x[k] is None:
                col_x[k] = c[0]
    row_y = [r.bbox[1] for r in rows]
    grid = [["" for _ in range(ncol)] for _ in rows]
    for i, r in enumerate(rows):
        for k, c in enumerate(r.cells):
            if c is None:
                continue
            value = (texts[i][k] or "") if k < len(texts[i]) else ""
            cols = [j for j in range(k, ncol) if j == k or (col_x[j] is not None and col_x[j] < c[2] - 1)]
            rws = [m for m in range(i, len(rows)) if m == i or row_y[m] < c[3] - 1]
            for m in rws:
                for j in cols:
                    if not grid[m][j] or (m, j) == (i, k):
                        grid[m][j] = value
    return grid


def _attach_captions(page: _Page) -> None:
    """The line right above a table that reads like a table title is its caption; a unit line
    between them ("编制部门：… 单位：元") goes into the caption."""
    blocks = page.blocks
    for i, b in enumerate(blocks):
        if b.grid is None:
            continue
        unit = ""
        for j in range(i - 1, max(-1, i - 4), -1):
            above = blocks[j]
            if above.grid is not None:
                break
            m = _UNIT.search(above.text)
            if m and not unit:
                unit = m.group(1)
                continue
            if _CAPTION.search(above.text) and len(above.text) <= 60 and "。" not in above.text:
                b.caption = above.text + (f"（单位：{unit}）" if unit else "")
                b.caption_size = above.size
                above.text = ""            # printed as the caption, right above the grid
                break
            if len(above.text) > 60:
                break
        if not b.caption and unit:
            b.caption = f"（单位：{unit}）"


# --- across pages ---------------------------------------------------------------------------

def _norm(s: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s", "", s))


def _drop_running_lines(pages: list[_Page]) -> None:
    """Drop page numbers near the top/bottom edge, and lines repeated at the top or bottom of most pages."""
    if len(pages) >= 3:
        edge: Counter[str] = Counter()
        for pg in pages:
            lines = [b for b in pg.blocks if b.grid is None and b.text]
            for b in lines[:2] + lines[-2:]:
                if b.top < pg.height * 0.12 or b.bottom > pg.height * 0.88:
                    edge[_norm(b.text)] += 1
        running = {k for k, v in edge.items() if v >= max(3, len(pages) * 0.4)}
    else:
        running = set()
    for pg in pages:
        keep = []
        for b in pg.blocks:
            near_edge = b.top < pg.height * 0.1 or b.bottom > pg.height * 0.9
            if b.grid is None and near_edge and (_PAGE_NO.match(b.text) or _norm(b.text) in running):
                continue
            keep.append(b)
        pg.blocks = keep
        lines = [b for b in keep if b.grid is None and b.text]
        if lines and _TOC.match(lines[0].text.replace(" ", "")):
            pg.blocks = []                 # a table of contents repeats the headings: not text


def _merge_continued_tables(pages: list[_Page]) -> list[_Page]:
    """A table that opens a page and has the width of the table closing the previous page continues it."""
    last: _Block | None = None
    for k, pg in enumerate(pages):
        for b in pg.blocks:
            if b.grid is not None and not b.row_pages:
                b.row_pages = [k] * len(b.grid)
        content = [b for b in pg.blocks if b.grid is not None or b.text]
        first = content[0] if content else None
        if (last is not None and first is not None and first.grid is not None and not first.caption
                and len(first.grid[0]) == len(last.grid[0])):
            rows = first.grid
            head = count_header_rows(last.grid)
            if rows[:head] == last.grid[:head]:
                rows = rows[head:]             # the header repeated on the new page
            last.grid.extend(rows)
            last.row_pages.extend([k] * len(rows))
            first.grid, first.owner, first.page = None, last, k   # rows printed here, parsed with `last`
            content = content[1:]
            if not content:
                continue                       # the table fills this page and may go on
        if content and content[-1].grid is not None:
            last = content[-1]
        elif content:
            last = None
    return pages


def _body_size(pages: list[_Page]) -> float:
    sizes = [b.size for pg in pages for b in pg.blocks if b.grid is None and b.size for _ in range(len(b.text))]
    return statistics.median(sizes) if sizes else 0.0


def _title_and_issuer(pages: list[_Page]) -> tuple[str, str]:
    first = next((pg for pg in pages if any(b.text for b in pg.blocks)), None)
    if first is None:
        return "", ""
    lines = [b for b in first.blocks if b.grid is None and b.text]
    issuer = next((m.group(1).strip() for b in lines[:8] for m in [_ISSUER_LINE.match(b.text)] if m), "")
    body = _body_size(pages)
    top = max((b.size for b in lines[:12]), default=0)
    if not top or top < body * 1.15:
        return "", issuer
    title: list[_Block] = []
    for b in lines[:12]:
        if b.size >= top - 0.6:
            if title and b.top - title[-1].bottom > 3 * b.size:
                break
            title.append(b)
        elif title:
            break
    text = "".join(b.text for b in title)
    text = re.sub(r"(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff\d])", "", text)
    return (text if 4 <= len(text) <= 80 else ""), issuer


def _page_text(pg: _Page, body_size: float) -> str:
    out: list[str] = []
    for b in pg.blocks:
        if b.grid is not None or b.owner is not None:
            if b.grid is not None:
                b.parts = dict(grid_pages(b.grid, caption=b.caption or "", row_pages=b.row_pages))
                block = b.parts.get(b.row_pages[0] if b.row_pages else 0, "")
            else:
                block = b.owner.parts.get(b.page, "")
            if block and b.grid is not None and body_size and b.caption_size >= body_size * 1.2:
                out += ["", "## " + re.sub(r"（单位：.*?）$", "", b.caption)]   # a table titling its page
            if block:
                out.append("")             # a blank line: only the caption sits right above the grid
                out.append(block.rstrip("\n"))
                out.append("")
            continue
        if not b.text:
            continue
        big = body_size and b.size >= body_size * 1.3 and len(b.text) <= 40 and not re.search(r"[。；，：:]", b.text)
        if big and not pg.ocr:
            out.append("")
            out.append("## " + b.text)     # a page title set large: a heading of its own
            out.append("")
        else:
            out.append(b.text)
    return "\n".join(out)


def _ocr_pages(p: Path, pages: list[_Page], empty: list[int], ocr_page: Callable | None) -> None:
    import pypdfium2 as pdfium

    if ocr_page is None:
        from .ocr import ocr_pdf_page as ocr_page
    from .progress import report

    doc = pdfium.PdfDocument(str(p))
    try:
        for i in empty:
            report(p, i + 1, len(pages))
            lines = ocr_page(doc[i])
            if lines:
                pages[i] = _Page(blocks=[_Block(top=k, bottom=k + 1, text=t) for k, t in enumerate(lines)],
                                 height=1e9, ocr=True)
    finally:
        doc.close()
