"""Loaders: one function per file format, each returning a RawDocument; ``load_file`` checks the file
(exists, size, type) and dispatches to the format modules (pdf, html, ofd, sheets, convert, ocr).

Example:
    >>> raw = load_file("corpus/门头沟_氧吧行动计划.txt")
    >>> raw.text[:10]
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import yaml

from .errors import IngestError
from .model import RawDocument

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm", ".ofd", ".xlsx", ".csv",
                      ".doc", ".wps", ".rtf", ".xls", ".et", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
# Formats whose text carries page breaks ('\f'): chunks keep their page number.
PAGED_FORMATS = ("pdf", "ofd", "image")
_UNSUPPORTED_HINTS = {
    ".zip": "压缩包请先解压，再逐个上传其中的文件",
    ".rar": "压缩包请先解压，再逐个上传其中的文件",
    ".7z": "压缩包请先解压，再逐个上传其中的文件",
    ".ppt": "演示文稿暂不支持，请另存为 PDF 后再上传",
    ".pptx": "演示文稿暂不支持，请另存为 PDF 后再上传",
}

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def skip_reason(path: str | Path) -> str | None:
    """Why a file found in a folder is not ingested (hidden file, a folder's README, unsupported type
    with what to do), or None for a file that is read. The same rules as ``kb.iter_files``."""
    p = Path(path)
    if p.name.startswith("."):
        return "隐藏文件，未导入"
    if p.name.lower().startswith("readme"):
        return "文件夹说明（README），不是政策文件，未导入"
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        hint = _UNSUPPORTED_HINTS.get(suffix, "支持的格式：txt、md、docx、pdf、html、ofd、xlsx、csv、doc、wps、xls、et、图片")
        return f"不支持的文件格式 {suffix or '（无扩展名）'}（{hint}）"
    return None


def skipped_in(paths) -> list[tuple[Path, str]]:
    """Files inside the given folders that a folder ingest leaves out, each with its reason."""
    out = []
    for folder in map(Path, paths):
        if folder.is_dir():
            for f in sorted(x for x in folder.rglob("*") if x.is_file()):
                reason = skip_reason(f)
                if reason:
                    out.append((f, reason))
    return out


def load_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read one file into a RawDocument, or raise IngestError with a reason the user can act on."""
    p = Path(path)
    suffix = p.suffix.lower()
    if not p.is_file():
        raise IngestError(str(p), "文件不存在")
    if suffix not in SUPPORTED_SUFFIXES:
        hint = _UNSUPPORTED_HINTS.get(suffix, "支持的格式：txt、md、docx、pdf、html、ofd、xlsx、csv、doc、wps、xls、et、图片")
        raise IngestError(str(p), f"不支持的文件格式 {suffix or '（无扩展名）'}", hint)
    size = p.stat().st_size
    if size == 0:
        raise IngestError(str(p), "文件为空")
    if size > max_bytes:
        raise IngestError(str(p), f"文件过大（{size / 1048576:.1f} MB，上限 {max_bytes / 1048576:.1f} MB）",
                          "可调整设置 POLICYKB_MAX_FILE_MB")
    if suffix == ".docx":
        return load_docx(p)
    if suffix == ".pdf":
        return load_pdf(p)
    if suffix in (".html", ".htm"):
        from .html import load_html
        return load_html(p)
    if suffix == ".ofd":
        from .ofd import load_ofd
        return load_ofd(p)
    if suffix == ".xlsx":
        from .sheets import load_xlsx
        return load_xlsx(p)
    if suffix == ".csv":
        from .sheets import load_csv
        return load_csv(p)
    if suffix in IMAGE_SUFFIXES:
        return load_image(p)
    from .convert import TARGET
    if suffix in TARGET:
        return load_converted(p)
    return load_text(p)


def load_converted(p: Path) -> RawDocument:
    """.doc/.wps/.rtf → .docx and .xls/.et → .xlsx through LibreOffice, then the usual loader."""
    import shutil
    import tempfile

    from .convert import convert

    out_dir = Path(tempfile.mkdtemp(prefix="policykb-conv-"))
    try:
        converted = convert(p, out_dir)
        if converted.suffix == ".xlsx":
            from .sheets import load_xlsx
            raw = load_xlsx(converted)
        else:
            raw = load_docx(converted)
    except IngestError as exc:
        if exc.path != str(p):
            raise IngestError(str(p), exc.reason, exc.hint) from exc
        raise
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    raw.path = str(p)
    raw.front_matter.setdefault("converted_from", p.suffix.lower().lstrip("."))
    return raw


def load_image(p: Path) -> RawDocument:
    """A scanned page (.png/.jpg/.tif): OCR, one page per image frame."""
    from PIL import UnidentifiedImageError

    from .ocr import ocr_image

    try:
        lines = ocr_image(p)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise IngestError(str(p), "图片无法打开（文件损坏或不是图片）", "请确认图片格式为 png/jpg/tif") from exc
    text = "\n".join(lines)
    if len(re.sub(r"\s", "", text)) < 2:
        raise IngestError(str(p), "图片中没有识别出文字", "请提供清晰的扫描件（建议 200 dpi 以上）")
    pages = text.count("\f") + 1
    return RawDocument(path=str(p), text=text, front_matter={"ocr_pages": ",".join(str(i) for i in range(1, pages + 1))},
                       source_format="image")


# --- plain text and Markdown -------------------------------------------------

def decode_bytes(data: bytes, path: str = "") -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK; reject binary data."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise IngestError(path, "文件不是文本（含二进制内容）", "请确认文件格式，或另存为 UTF-8 文本")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise IngestError(path, "无法识别文件编码或文件不是文本", "请另存为 UTF-8 编码的文本")


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return True
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / len(text) < 0.01


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)
# "标题: …" header block used by plain-text exports (no --- fences): short key, colon, value.
_HEADER_LINE = re.compile(r"^([\u4e00-\u9fffA-Za-z_]{1,12}(?:[(（][\u4e00-\u9fffA-Za-z]{1,8}[)）])?)\s*[:：]\s*(.+)$")
# Keys of a metadata header written by a crawler (gov.cn exports): such a block needs no blank line after it.
_KNOWN_KEYS = {"标题", "文号", "发文字号", "发文机关", "发布机构", "发布日期", "成文日期", "印发日期", "索引号", "URL", "url",
               "原文链接", "主题分类", "来源", "发布单位"}


# Header lines of a 北大法宝 (pkulaw) export: metadata, not body.
_PKULAW = re.compile(r"^\s*(?:北大法宝)?【法宝引证码】\s*(\S+)\s*$|^\s*原文链接\s*[：:]\s*(\S+)\s*$")


def split_pkulaw_header(text: str) -> tuple[dict, str]:
    """Strip the 北大法宝 export header (``北大法宝【法宝引证码】CLI.10.1673145``, ``原文链接：…``)."""
    meta: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines) and i < 6:
        s = lines[i]
        m = _PKULAW.match(s)
        if m:
            meta["法宝引证码" if m.group(1) else "原文链接"] = m.group(1) or m.group(2)
        elif s.strip():
            break
        i += 1
    return (meta, "\n".join(lines[i:])) if meta else ({}, text)


def split_front_matter(text: str) -> tuple[dict, str]:
    """Return (metadata, body). Supports YAML front matter, a leading 'key: value' header block and
    the 北大法宝 export header."""
    pk, text = split_pkulaw_header(text)
    if pk:
        meta, body = split_front_matter(text)
        return {**pk, **meta}, body
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            data = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError:
            data = {}
        if isinstance(data, dict):
            return {str(k): v for k, v in data.items()}, text[m.end():]
    lines = text.split("\n")
    meta: dict[str, str] = {}
    i = 0
    while i < len(lines) and _HEADER_LINE.match(lines[i].strip()):
        k, v = _HEADER_LINE.match(lines[i].strip()).groups()
        meta[k] = v.strip()
        i += 1
    # Require a real block ending in a blank line, so that a body line such as "注：…" is not eaten.
    if len(meta) >= 2 and i < len(lines) and not lines[i].strip():
        return meta, "\n".join(lines[i:])
    known = sum(1 for k in meta if re.sub(r"[(（].*", "", k) in _KNOWN_KEYS)
    if len(meta) >= 3 and known >= 2:
        return meta, "\n".join(lines[i:])
    return {}, text


def load_text(p: Path) -> RawDocument:
    text = decode_bytes(p.read_bytes(), str(p))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(str(p), "文件为空")
    meta, body = split_front_matter(text)
    fmt = "md" if p.suffix.lower() in (".md", ".markdown") else "txt"
    return RawDocument(path=str(p), text=body, front_matter=meta, source_format=fmt)


# --- docx --------------------------------------------------------------------

def load_docx(p: Path) -> RawDocument:
    """Paragraphs and tables in document order. Tables are written as tab-prefixed cells, one row
    per block, the same layout Word's plain-text export uses, so one table parser serves both."""
    if not zipfile.is_zipfile(p):
        raise IngestError(str(p), "不是有效的 .docx 文件（文件损坏或实为其他格式）",
                          "若为旧版 .doc，请在 Word/WPS 中另存为 .docx")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(p))
    except Exception as exc:  # python-docx raises several types for broken packages
        raise IngestError(str(p), f"无法打开 .docx：{exc.__class__.__name__}", "文件可能已损坏") from exc
    out: list[str] = []
    props = document.core_properties
    meta = {k: v for k, v in {"标题": props.title, "作者": props.author}.items() if v}
    for el in document.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(el, document).text)
        elif tag == "tbl":
            out.append(_docx_table_text(Table(el, document)))
    text = "\n".join(out)
    if not text.strip():
        raise IngestError(str(p), "文档中没有文字内容", "若为扫描件，请先做文字识别（OCR）")
    return RawDocument(path=str(p), text=text, front_matter=meta, source_format="docx")


def _docx_table_text(table) -> str:
    rows_out: list[str] = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A horizontally merged cell is returned once per grid column; keep it once.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            lines = [ln.strip() for ln in cell.text.replace("\t", " ").split("\n") if ln.strip()]
            cells.append("\t" + "\n".join(lines))
        rows_out.append("\n".join(cells))
    return "\n\n".join(rows_out) + "\n\n"


# --- pdf ---------------------------------------------------------------------

def load_pdf(p: Path) -> RawDocument:
    """Text, tables and layout with pdfplumber; pages without a text layer by OCR (``ingest.pdf``)."""
    from .pdf import load_pdf as _load

    return _load(p)
