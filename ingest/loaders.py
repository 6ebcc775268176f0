"""Loaders: one function per file format, each returning a RawDocument.

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

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".pdf")
_UNSUPPORTED_HINTS = {
    ".doc": "旧版 Word 格式，请在 Word/WPS 中另存为 .docx 后再上传",
    ".wps": "WPS 文字格式，请另存为 .docx 后再上传",
    ".rtf": "请另存为 .docx 后再上传",
    ".xls": "表格文件暂不支持，请将内容粘贴到 .docx 中",
    ".xlsx": "表格文件暂不支持，请将内容粘贴到 .docx 中",
    ".zip": "压缩包请先解压，再逐个上传其中的文件",
    ".rar": "压缩包请先解压，再逐个上传其中的文件",
    ".7z": "压缩包请先解压，再逐个上传其中的文件",
    ".png": "图片需要先做文字识别（OCR），再以 .docx/.txt 上传",
    ".jpg": "图片需要先做文字识别（OCR），再以 .docx/.txt 上传",
    ".jpeg": "图片需要先做文字识别（OCR），再以 .docx/.txt 上传",
    ".tif": "图片需要先做文字识别（OCR），再以 .docx/.txt 上传",
    ".ofd": "OFD 版式文件暂不支持，请导出为 PDF 或 .docx",
}

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def load_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read one file into a RawDocument, or raise IngestError with a reason the user can act on."""
    p = Path(path)
    suffix = p.suffix.lower()
    if not p.is_file():
        raise IngestError(str(p), "文件不存在")
    if suffix not in SUPPORTED_SUFFIXES:
        hint = _UNSUPPORTED_HINTS.get(suffix, "支持的格式：txt、md、docx、pdf")
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
    return load_text(p)


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
_HEADER_LINE = re.compile(r"^([\u4e00-\u9fffA-Za-z_]{1,12})\s*[:：]\s*(.+)$")


def split_front_matter(text: str) -> tuple[dict, str]:
    """Return (metadata, body). Supports YAML front matter and a leading 'key: value' header block."""
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
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(p))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise IngestError(str(p), "PDF 已加密，无法读取", "请提供未加密的版本")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError, TypeError) as exc:
        raise IngestError(str(p), f"PDF 文件损坏或无法解析（{exc.__class__.__name__}）") from exc
    if not pages:
        raise IngestError(str(p), "PDF 没有页面")
    chars = sum(len(re.sub(r"\s", "", t)) for t in pages)
    if chars < 10 * len(pages):
        raise IngestError(str(p), "PDF 没有文字层（可能是扫描件）", "需要先做文字识别（OCR）后再上传")
    meta = {}
    info = reader.metadata
    if info and info.title:
        meta["标题"] = str(info.title)
    text = "\f".join(t.replace("\r\n", "\n").replace("\r", "\n") for t in pages)
    return RawDocument(path=str(p), text=text, front_matter=meta, source_format="pdf")
