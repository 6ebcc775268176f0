"""Old office formats (.doc, .wps, .xls, .et, .rtf) → .docx / .xlsx with LibreOffice headless.

LibreOffice is optional: without it a .doc gets an error naming the Debian packages to install
(``libreoffice-writer-nogui`` for documents, ``libreoffice-calc-nogui`` for spreadsheets).

Example:
    >>> docx_path = convert(Path("通知.doc"), Path(tmpdir))
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import IngestError

TARGET = {".doc": "docx", ".wps": "docx", ".rtf": "docx", ".wpt": "docx", ".dot": "docx",
          ".xls": "xlsx", ".et": "xlsx", ".ett": "xlsx", ".ods": "xlsx", ".odt": "docx"}
PACKAGE = {"docx": "libreoffice-writer-nogui", "xlsx": "libreoffice-calc-nogui"}
TIMEOUT_S = 180


def soffice() -> str | None:
    """Path of the LibreOffice binary, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def looks_like_office_file(p: Path) -> bool:
    """An OLE2 compound file with a valid header (Word 97, WPS, Excel 97, ET), RTF, a zip package
    (OOXML/ODF under an old name) or an HTML export: LibreOffice would read anything else as text."""
    with open(p, "rb") as f:
        head = f.read(512)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return len(head) == 512 and head[28:30] == b"\xfe\xff" and head[30:32] in (b"\x09\x00", b"\x0c\x00") \
            and p.stat().st_size >= 1536
    return head.startswith((b"{\\rtf", b"PK\x03\x04")) or b"<html" in head.lower()


def convert(p: Path, out_dir: Path, timeout_s: int = TIMEOUT_S) -> Path:
    """Convert ``p`` into ``out_dir``; return the new file's path or raise IngestError."""
    suffix = p.suffix.lower()
    target = TARGET[suffix]
    binary = soffice()
    if binary is None:
        raise IngestError(str(p), f"读取 {suffix} 文件需要 LibreOffice，但本机未安装",
                          f"请安装：apt-get install -y {PACKAGE[target]}；或在 Word/WPS 中另存为 .{target} 后再上传")
    if not looks_like_office_file(p):
        raise IngestError(str(p), f"不是有效的 {suffix} 文件（文件损坏或实为其他格式）", "请用 Word/WPS 打开确认，或另存为 .docx/.xlsx")
    profile = Path(tempfile.mkdtemp(prefix="policykb-lo-"))
    src = out_dir / f"in{suffix}"          # an ASCII name: LibreOffice mangles some file names
    shutil.copyfile(p, src)
    cmd = [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo",
           "--convert-to", target, "--outdir", str(out_dir), str(src)]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s, env={**os.environ, "HOME": str(profile)})
    except subprocess.TimeoutExpired as exc:
        raise IngestError(str(p), f"LibreOffice 转换超时（{timeout_s} 秒）", "文件可能过大或已损坏") from exc
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = out_dir / f"in.{target}"
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        raise IngestError(str(p), f"LibreOffice 无法转换此 {suffix} 文件", "文件可能已损坏，或请另存为 .docx/.xlsx 后上传")
    return out
