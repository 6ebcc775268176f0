"""Cleaning of Word/PDF export artefacts. Input and output keep page breaks as '\\f' lines.

Rules, in order: footnotes resolved in place; bookmark markers dropped; stray spaces in numbers and
units removed; lines split by page breaks re-joined; PDF visual lines joined into paragraphs.

Example:
    >>> clean_text("聚焦“三大产业”[footnoteRef:0]，建设园区。 [0:  人工智能、医疗器械] ")
    '聚焦“三大产业”（人工智能、医疗器械），建设园区。'
"""
from __future__ import annotations

import re

from .markers import is_heading_only, match_marker

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:(\d+)\]")
_FOOTNOTE_BODY = re.compile(r"[ \t]*\[(\d+):\s+([^\[\]]*?)\]\s*")
_CJK = "\u4e00-\u9fff"
_UNIT_AFTER_NUMBER = "年月日号%％个家处套项万亿元公顷亩米度倍人次座条所吨千"
_BODY_PUNCT = re.compile(r"[，,、；;。]")
# Formats read as visual lines (PDF, OFD, OCR of scans): lines are joined into paragraphs.
LAYOUT_FORMATS = ("pdf", "ofd", "image")
# A labelled line ("牵头单位：…", "【配合单位】…", "完成时间：…") starts a line of its own.
_LABEL_LINE = re.compile(r"^[【\[]?(?:牵头|配合|责任|主责|协办|参与)(?:单位|部门)?[】\]]?\s*[：:]|^[【\[]?完成(?:时间|时限)[】\]]?\s*[：:]")


def clean_text(text: str, source_format: str = "txt") -> str:
    text = text.replace("\u00a0", " ").replace("\ufeff", "")
    text = resolve_footnotes(text)
    text = _BOOKMARK.sub("", text)
    text = fix_number_spaces(text)
    if source_format in LAYOUT_FORMATS:
        text = fix_pdf_spaces(text)
    lines = _split_lines(text)
    if source_format in LAYOUT_FORMATS:
        lines = join_pdf_lines(lines)
    lines = rejoin_split_words(lines)
    lines = drop_toc(lines)
    return "\n".join(lines)


def drop_toc(lines: list[str]) -> list[str]:
    """Remove a table of contents ("目录" and its entries) when its first entry comes again later as
    the real heading: the entries would otherwise open empty sections of the same names."""
    for i, line in enumerate(lines[:400]):
        if re.sub(r"[\s\u3000]", "", line) not in ("目录", "目次"):
            continue
        entries = [j for j in range(i + 1, min(len(lines), i + 80)) if lines[j].strip() and lines[j] != "\f"]
        if len(entries) < 2:
            return lines
        first = re.sub(r"[\s\u3000.·…]+\d*$", "", lines[entries[0]].strip())
        key = re.sub(r"[\s\u3000]", "", first)
        if not key or len(key) > 40:
            return lines
        for j in range(entries[1], min(len(lines), i + 200)):
            if re.sub(r"[\s\u3000]", "", lines[j]) == key or re.sub(r"[\s\u3000]", "", lines[j]).startswith(key) and j > entries[1]:
                if all(len(lines[k].strip()) <= 60 for k in range(i + 1, j)):
                    return lines[:i] + lines[j:]
                return lines
        return lines
    return lines


def resolve_footnotes(text: str) -> str:
    """Put each footnote body right after the term it explains, in brackets, and drop the body
    from the paragraph end, so that the explanation is indexed with its term."""
    bodies: dict[str, str] = {}

    def take_body(m: re.Match) -> str:
        if f"[footnoteRef:{m.group(1)}]" not in text:
            return m.group(0)
        bodies[m.group(1)] = m.group(2).strip()
        return "\n" if m.group(0).endswith("\n") else ""

    stripped = _FOOTNOTE_BODY.sub(take_body, text)
    return _FOOTNOTE_REF.sub(lambda m: f"（{bodies[m.group(1)]}）" if m.group(1) in bodies else "", stripped)


def fix_number_spaces(text: str) -> str:
    """'11 号' -> '11号', '2026 年' -> '2026年', '50 %' -> '50%'; '第 3 条' -> '第3条'."""
    text = re.sub(rf"(?<=\d)[ \u3000]+(?=[{_UNIT_AFTER_NUMBER}])", "", text)
    text = re.sub(r"(?<=[第约])[ \u3000]+(?=\d)", "", text)
    return text


def fix_pdf_spaces(text: str) -> str:
    """PDF text extraction puts spaces between CJK glyphs and around numbers; remove them."""
    text = re.sub(rf"(?<=[{_CJK}，。、；：“”（）《》])[ \u3000]+(?=[{_CJK}，。、；：“”（）《》])", "", text)
    text = re.sub(rf"(?<=\d)[ \u3000]+(?=[{_CJK}])", "", text)
    text = re.sub(rf"(?<=[{_CJK}])[ \u3000]+(?=\d)", "", text)
    return text


def _split_lines(text: str) -> list[str]:
    out = []
    for raw in text.replace("\f", "\n\f\n").split("\n"):
        if re.match(r"^[ \u3000]*\t", raw):
            line = raw.rstrip(" \u3000\r")
            out.append(line)          # table cells: the leading tab (and a space before it) carry meaning
        else:
            out.append(raw.strip(" \u3000\t\r"))
    return out


def _is_break(line: str) -> bool:
    return line == "" or line == "\f"


def _is_cell(line: str) -> bool:
    return "\t" in line[:2] or line.startswith("|")


def rejoin_split_words(lines: list[str]) -> list[str]:
    """Join a body line cut off mid-sentence by a page break ('…着力扩' / '' / '大生态…')."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_break(line) or _is_cell(line) or not _continues(line):
            out.append(line)
            i += 1
            continue
        j = i + 1
        while j < len(lines) and j - i <= 5 and _is_break(lines[j]):
            j += 1
        caption = j + 1 < len(lines) and _is_cell(lines[j + 1])      # a table's caption starts no continuation
        if j < len(lines) and j > i + 1 and _starts_continuation(lines[j]) and not caption:
            breaks = [b for b in lines[i + 1:j] if b == "\f"]
            lines[j] = line + lines[j]
            # keep page breaks, after the joined paragraph
            lines[j + 1:j + 1] = breaks
            i = j
            continue
        out.append(line)
        i += 1
    return out


def _continues(line: str) -> bool:
    s = line.strip()
    # only Chinese prose cut mid-word or after a comma continues; a note in brackets, a title or a
    # heading does not
    return (len(s) >= 20 and bool(re.search(rf"[{_CJK}\d，、,“《（]$", s))
            and bool(_BODY_PUNCT.search(s)) and not is_heading_only(s))


def _starts_continuation(line: str) -> bool:
    s = line.strip()
    if not s or _is_cell(line) or match_marker(s):
        return False
    return bool(re.match(rf"^[{_CJK}\d“（《、，]", s))


def join_pdf_lines(lines: list[str]) -> list[str]:
    """Join PDF visual lines into paragraphs: a line as wide as the page's text continues on the next."""
    widths = sorted(len(l) for l in lines if not _is_break(l) and not _is_cell(l))
    if not widths:
        return lines
    full = widths[int(len(widths) * 0.9) - 1 if len(widths) > 1 else 0]
    out: list[str] = []
    for line in lines:
        if (out and not _is_break(line) and not _is_break(out[-1]) and not match_marker(line.strip())
                and not _is_cell(line) and not _is_cell(out[-1]) and not line.startswith("#")
                and not _LABEL_LINE.match(line.strip())
                and len(out[-1]) >= 0.8 * full and not is_heading_only(out[-1])):
            out[-1] = out[-1] + line
        else:
            out.append(line)
    return out


def strip_page_breaks(text: str) -> tuple[str, list[int]]:
    """Remove '\\f' lines; return (text, offsets where each page starts)."""
    starts = [0]
    parts: list[str] = []
    pos = 0
    for line in text.split("\n"):
        if line == "\f":
            starts.append(pos)
            continue
        parts.append(line)
        pos += len(line) + 1
    return "\n".join(parts), starts
