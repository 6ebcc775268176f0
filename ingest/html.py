"""A saved web page (政府信息公开 page) → article text, read with lxml.

The article body is found readability-style: scripts, styles, forms, navigation and hidden
elements (``display:none``, which is how sites keep a second copy of the body for printing) are
removed; the element holding the most non-link Chinese text wins, and the search descends into a
child while that child keeps almost all of it. Block elements become lines; ``<table>`` becomes a
tab-cell grid (colspan/rowspan filled in, header rows joined). Title, date, issuer and site come
from the page's own meta tags (``ArticleTitle``, ``PubDate``, ``ContentSource``, ``SiteName``).

Example:
    >>> raw = load_html(Path("通知.html"))
    >>> raw.front_matter["标题"], raw.front_matter["发布日期"]
"""
from __future__ import annotations

import re
from pathlib import Path

from .errors import IngestError
from .model import RawDocument
from .tables import grid_text

_DROP = ("script", "style", "noscript", "iframe", "form", "nav", "header", "footer", "button", "select",
         "textarea", "svg", "object", "embed", "template", "input")
_BLOCK = {"table", "td", "th", "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "ul", "ol",
          "blockquote", "pre", "dd", "dt", "center", "hr"}
_NAV_HINT = re.compile(r"nav|menu|footer|header|breadcrumb|crumb|share|sidebar|toolbar|copyright|related|"
                       r"position|location|foot|topbar|search|login|modal|ewm|qrcode", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_META = {"ArticleTitle": "标题", "PubDate": "发布日期", "ContentSource": "发文机关", "SiteName": "网站",
         "Url": "原文链接", "ColumnName": "栏目"}


def load_html(p: Path, data: bytes | None = None) -> RawDocument:
    import lxml.html
    from lxml import etree

    from .loaders import decode_bytes

    raw = data if data is not None else p.read_bytes()
    m = re.search(rb"charset=[\"']?([\w-]+)", raw[:4096], re.I)
    try:
        text = raw.decode(m.group(1).decode()) if m else decode_bytes(raw, str(p))
    except (LookupError, UnicodeDecodeError):
        text = decode_bytes(raw, str(p))
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(str(p), "网页无法解析", "请确认文件是保存的网页（.html）") from exc
    meta = _meta(root)
    body = extract_body(root)
    if body is None:
        raise IngestError(str(p), "网页中没有找到正文", "请保存包含正文的网页，或把正文另存为 .txt/.docx")
    out = "\n".join(_render(body)).strip()
    out = re.sub(r"\n{3,}", "\n\n", out)
    if len(_CJK.findall(out)) < 20:
        raise IngestError(str(p), "网页中没有找到正文", "请保存包含正文的网页，或把正文另存为 .txt/.docx")
    return RawDocument(path=str(p), text=out, front_matter=meta, source_format="html")


def _meta(root) -> dict:
    meta: dict = {}
    for el in root.iter("meta"):
        name, content = el.get("name"), (el.get("content") or "").strip()
        if name in _META and content and _META[name] not in meta:
            meta[_META[name]] = re.sub(r"\s{2,}", " ", content)
    if meta.get("发文机关") in ("本网", "本站", ""):
        meta.pop("发文机关", None)
    if "标题" not in meta:
        t = root.find(".//title")
        if t is not None and t.text_content().strip():
            meta["标题"] = re.split(r"[_|｜\-—]{1,2}(?=[^_|｜\-—]*(?:网|政府|门户)[^_|｜\-—]*$)",
                                   t.text_content().strip())[0].strip()
    if meta.get("标题"):
        meta["标题"] = _REPOST.sub("", meta["标题"]).strip() or meta["标题"]
    return meta


# a site's mark on a reposted article, not part of its title: "（转载）广州市人民政府办公厅关于…"
_REPOST = re.compile(r"^\s*[（(【\[]\s*(?:转载|转发|转)\s*[）)】\]]\s*")


def _score(el) -> int:
    total = len(_CJK.findall(el.text_content()))
    links = sum(len(_CJK.findall(a.text_content())) for a in el.iter("a"))
    return total - links


def extract_body(root):
    """The element holding the article, or None when the page has no body text."""
    for bad in root.xpath("//comment()"):
        bad.drop_tree() if bad.getparent() is not None else None
    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter()):
        style = (el.get("style") or "").replace(" ", "").lower()
        hidden = "display:none" in style or el.get("hidden") is not None
        if hidden and el.tag not in ("html", "body") and el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter("div", "ul", "section", "aside", "span", "p")):
        hint = f"{el.get('class') or ''} {el.get('id') or ''}"
        if _NAV_HINT.search(hint) and el.getparent() is not None and _score(el) < 200:
            el.drop_tree()
    body = root.find("body")
    if body is None or _score(body) < 20:
        return None
    node = body
    while True:
        kids = [(c, _score(c)) for c in node if isinstance(c.tag, str)]
        best = max(kids, key=lambda x: x[1], default=None)
        here = _score(node)
        if best is None or best[1] < 0.85 * here or best[1] < 20:
            return node
        node = best[0]


def _render(el) -> list[str]:
    """Lines of an element: blocks on their own lines, tables as tab-cell grids."""
    lines: list[str] = [""]

    def add(s: str) -> None:
        s = s.replace("\u00a0", " ").replace("\u3000", "\u3000")
        lines[-1] += re.sub(r"[ \t\r\n]+", " ", s)

    def newline() -> None:
        if lines[-1].strip():
            lines.append("")

    def walk(e) -> None:
        tag = e.tag if isinstance(e.tag, str) else ""
        if tag == "table" and _is_data_table(e):
            newline()
            block = grid_text(_table_grid(e))
            if block:
                lines.append("")
                lines.extend(block.rstrip("\n").split("\n"))
                lines.append("")
                lines.append("")
                if e.tail:
                    add(e.tail)
                return
        if tag in _BLOCK:
            newline()
        if e.text and tag:
            add(e.text)
        for c in e:
            walk(c)
        if tag in _BLOCK:
            newline()
        if e.tail:
            add(e.tail)

    walk(el)
    return [ln.strip(" ") if not ln.startswith("\t") else ln for ln in lines]


def _table_grid(table) -> list[list[str]]:
    """Rows of cells with colspan/rowspan filled in (nested tables are read as text)."""
    grid: list[list[str | None]] = []
    pending: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.iter("tr") if tr.getparent() is not None and _owner_table(tr) is table]
    for r, tr in enumerate(rows):
        row: list[str] = []
        col = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1
            text = re.sub(r"\s+", " ", cell.text_content().replace("\u00a0", " ")).strip()
            cs = _span(cell.get("colspan"))
            rs = _span(cell.get("rowspan"))
            for dc in range(cs):
                row.append(text)
                for dr in range(1, rs):
                    pending[(r + dr, col + dc)] = text
            col += cs
        while (r, col) in pending:
            row.append(pending.pop((r, col)))
            col += 1
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid]


def _is_data_table(table) -> bool:
    """A table of data (not page layout): no nested table, at least two rows of two cells."""
    if table.find(".//table") is not None:
        return False
    rows = [tr for tr in table.iter("tr")]
    wide = [tr for tr in rows if len([c for c in tr if getattr(c, "tag", "") in ("td", "th")]) >= 2]
    return len(wide) >= 2


def _owner_table(tr):
    e = tr.getparent()
    while e is not None and e.tag != "table":
        e = e.getparent()
    return e


def _span(v: str | None) -> int:
    try:
        return max(1, min(50, int(v or 1)))
    except ValueError:
        return 1
