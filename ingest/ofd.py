"""OFD (GB/T 33190: a zip of XML pages) → text with page breaks, read with lxml.

Text comes from each page's TextObjects in reading order (a line is the objects sharing a
baseline, left to right). The red header (红头, text filled red at the top of page 1) names the
issuer; the largest other line there is the title, the 文号 line is kept as text. A page without
text whose content is an image is read by OCR. Signatures and seals are not text: the file is
marked as signed (``front_matter["signed"]``).

Example:
    >>> raw = load_ofd(Path("公文.ofd"))
    >>> raw.front_matter.get("signed"), raw.text.split("\\n")[0]
"""
from __future__ import annotations

import posixpath
import re
import statistics
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import IngestError
from .model import RawDocument
from .progress import report


@dataclass
class _Text:
    text: str
    x: float
    y: float          # baseline, mm from the page top
    size: float
    red: bool


# a page number printed on the page: "— 1 —", "- 2 -", "第3页"
_PAGE_NO = re.compile(r"^[-—–－]\s*\d{1,4}\s*[-—–－]$|^第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?$")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, name: str):
    return [c for c in el.iter() if _local(c.tag) == name]


def _floats(s: str | None) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", s or "")]


class _Package:
    def __init__(self, path: Path):
        from lxml import etree

        self.path = path
        self._etree = etree
        try:
            self.zip = zipfile.ZipFile(path)
            self.names = {n.lstrip("/"): n for n in self.zip.namelist()}
        except (zipfile.BadZipFile, OSError) as exc:
            raise IngestError(str(path), "不是有效的 OFD 文件（压缩包损坏）", "请重新导出 OFD，或另存为 PDF") from exc

    def xml(self, name: str):
        key = name.lstrip("/")
        if key not in self.names:
            raise IngestError(str(self.path), f"OFD 文件缺少 {key}", "文件不完整，请重新导出")
        try:
            return self._etree.fromstring(self.zip.read(self.names[key]))
        except (self._etree.XMLSyntaxError, zipfile.BadZipFile, OSError) as exc:
            raise IngestError(str(self.path), f"OFD 中的 {key} 无法解析", "文件可能已损坏") from exc

    def read(self, name: str) -> bytes | None:
        key = name.lstrip("/")
        return self.zip.read(self.names[key]) if key in self.names else None


def load_ofd(p: Path, ocr_image_bytes: Callable[[bytes], list[str]] | None = None) -> RawDocument:
    pkg = _Package(p)
    root = pkg.xml("OFD.xml")
    doc_roots = [e.text.strip() for e in _children(root, "DocRoot") if e.text]
    if not doc_roots:
        raise IngestError(str(p), "OFD 文件缺少 DocRoot", "文件不完整，请重新导出")
    doc_path = doc_roots[0].lstrip("/")
    base = posixpath.dirname(doc_path)
    document = pkg.xml(doc_path)
    signed = bool(_children(root, "Signatures")) or any(n.endswith("Signatures.xml") for n in pkg.names)
    media = _media(pkg, document, base)
    pages_el = [e for e in _children(document, "Page") if e.get("BaseLoc")]
    if not pages_el:
        raise IngestError(str(p), "OFD 文件没有页面")
    page_texts: list[str] = []
    first_page: list[_Text] = []
    ocr_pages: list[int] = []
    for k, pe in enumerate(pages_el):
        loc = posixpath.normpath(posixpath.join(base, pe.get("BaseLoc")))
        content = pkg.xml(loc)
        texts = _texts(content)
        lines = _lines(texts)
        if sum(len(re.sub(r"\s", "", ln)) for ln in lines) < 10:
            images = [media.get(e.get("ResourceID")) for e in _children(content, "ImageObject")]
            data = [pkg.read(m) for m in images if m]
            if data:
                report(p, k + 1, len(pages_el))
                if ocr_image_bytes is None:
                    ocr_image_bytes = _ocr_bytes
                ocr_lines = [ln for d in data if d for ln in ocr_image_bytes(d)]
                if ocr_lines:
                    lines = ocr_lines
                    ocr_pages.append(k + 1)
        if k == 0:
            first_page = texts
        page_texts.append("\n".join(lines))
    text = "\f".join(page_texts)
    if len(re.sub(r"\s", "", text)) < 2:
        raise IngestError(str(p), "OFD 文件中没有可读取的文字", "若为扫描件且无法识别，请提供清晰的版本")
    meta: dict = _header_meta(first_page)
    for info in _children(root, "DocInfo"):
        for el in info:
            if _local(el.tag) == "Title" and el.text and el.text.strip() and "标题" not in meta:
                meta["标题"] = el.text.strip()
    if signed:
        meta["signed"] = True
    if ocr_pages:
        meta["ocr_pages"] = ",".join(map(str, ocr_pages))
    return RawDocument(path=str(p), text=text, front_matter=meta, source_format="ofd")


def _media(pkg: _Package, document, base: str) -> dict[str, str]:
    """ResourceID → file path of images declared in the document's resource files."""
    out: dict[str, str] = {}
    for name in ("PublicRes", "DocumentRes"):
        for el in _children(document, name):
            if not el.text:
                continue
            res_path = posixpath.normpath(posixpath.join(base, el.text.strip()))
            try:
                res = pkg.xml(res_path)
            except IngestError:
                continue
            res_base = posixpath.join(posixpath.dirname(res_path), res.get("BaseLoc") or "")
            for mm in _children(res, "MultiMedia"):
                files = [c.text.strip() for c in _children(mm, "MediaFile") if c.text]
                if files:
                    out[mm.get("ID")] = posixpath.normpath(posixpath.join(res_base, files[0]))
    return out


def _texts(content) -> list[_Text]:
    out = []
    for obj in _children(content, "TextObject"):
        box = _floats(obj.get("Boundary"))
        if len(box) < 4:
            continue
        size = float(obj.get("Size") or 0)
        fill = next((c.get("Value") for c in obj if _local(c.tag) == "FillColor"), None)
        rgb = [int(x[1:], 16) if x.startswith("#") else int(x) for x in (fill or "").split()] if fill else []
        red = len(rgb) >= 3 and rgb[0] > 150 and rgb[1] < 110 and rgb[2] < 110
        for code in obj:
            if _local(code.tag) != "TextCode" or not code.text or not code.text.strip():
                continue
            x = box[0] + float(code.get("X") or 0)
            y = box[1] + float(code.get("Y") or 0)
            out.append(_Text(code.text, x, y, size, red))
    return out


def _lines(texts: list[_Text]) -> list[str]:
    rows: list[list[_Text]] = []
    for t in sorted(texts, key=lambda t: (t.y, t.x)):
        if rows and abs(rows[-1][0].y - t.y) <= max(0.6, 0.3 * (t.size or 3)):
            rows[-1].append(t)
        else:
            rows.append([t])
    lines = []
    prev_y = None
    for row in rows:
        row.sort(key=lambda t: t.x)
        size = max(t.size for t in row) or 3
        if prev_y is not None and row[0].y - prev_y > 2.6 * size and lines and lines[-1]:
            lines.append("")                  # a wide vertical gap ends a paragraph or a title block
        prev_y = row[0].y
        s = "".join(t.text for t in row)
        s = re.sub(r"(?<=[\u4e00-\u9fff〔〕（）])\s+(?=[\u4e00-\u9fff\d〔〕（）])|(?<=\d)\s+(?=[\u4e00-\u9fff〔〕])", "", s).strip()
        if s and not _PAGE_NO.match(s):
            lines.append(s)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _header_meta(texts: list[_Text]) -> dict:
    """Issuer from the red header, title from the largest non-red line of page 1."""
    meta: dict = {}
    if not texts:
        return meta
    red = [t for t in texts if t.red and t.text.strip()]
    if red:
        top = min(t.y for t in red)
        header = "".join(t.text for t in sorted(red, key=lambda t: (t.y, t.x)) if t.y - top < 2 * t.size).strip()
        issuer = re.sub(r"\s+", "", re.sub(r"文件$", "", header))
        if 2 <= len(issuer) <= 40:
            meta["发文机关"] = issuer
    plain = [t for t in texts if not t.red and t.text.strip()]
    if len(plain) > 3:
        body = statistics.median(t.size for t in plain)
        top = max(t.size for t in plain)
        if top >= body * 1.15:
            big = [ln for ln in _lines([t for t in plain if t.size >= top - 0.3]) if ln]
            title = "".join(big)
            if 4 <= len(title) <= 80:
                meta["标题"] = title
    return meta


def _ocr_bytes(data: bytes) -> list[str]:
    import io

    import numpy as np
    from PIL import Image

    from .ocr import ocr_image_array

    try:
        with Image.open(io.BytesIO(data)) as im:
            return ocr_image_array(np.array(im.convert("RGB")))
    except OSError:
        return []
