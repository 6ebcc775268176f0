"""Evidence: how well a text covers a question's topic, the best quote inside a passage, and
citations whose quotes are checked to be verbatim in the source document.

Coverage is the IDF-weighted share of the topic's character bigrams (and numbers) that a text
contains. Character bigrams survive jieba's segmentation errors and contractions (负氧离子体验区 vs
万级负氧离子体验区); the IDF comes from the knowledge base's BM25 index, so 建设 or 工作 count little
and 氧吧优品 counts a lot.

Example:
    >>> topic = Topic("万级负氧离子体验区", idf=lambda t: 1.0)
    >>> round(topic.coverage("开展“万级负氧离子体验区”建设"), 2)
    1.0
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Callable

from ingest.indicators import split_sentences
from ingest.model import page_at

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_TOKEN = re.compile(r"\d+(?:\.\d+)?%?|[A-Za-z][A-Za-z0-9.]+|[▲△★☆●◆◇■□※]")   # a marker symbol: "标▲的指标"
_WS = re.compile(r"\s+")


def cjk_bigrams(text: str) -> list[str]:
    """The pairs of consecutive CJK characters of ``text``, in order (none across other characters)."""
    return [run[i:i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)]


class Topic:
    """The weighted terms of a question's topic; ``coverage(text)`` in [0, 1]."""

    def __init__(self, topic: str, idf: Callable[[str], float]):
        terms: dict[str, float] = {}
        for b in cjk_bigrams(topic):                 # words (space-separated): no bigrams across them
            terms[b] = idf("#" + b)
        for tok in _TOKEN.findall(topic):
            terms[tok] = idf(tok.lower())
        self.text = topic
        self.terms = terms
        self.total = sum(terms.values())

    def __bool__(self) -> bool:
        return self.total > 0

    def coverage(self, text: str, ignore: str = "") -> float:
        """Weighted share of the topic's terms in ``text``; terms found in ``ignore`` (say, the
        document title, which every section shares) are left out of the count."""
        text, ignore = _WS.sub("", text), _WS.sub("", ignore)
        terms = {t: w for t, w in self.terms.items() if not (ignore and t in ignore)}
        total = sum(terms.values())
        if not total:
            return 0.0
        return sum(w for t, w in terms.items() if t in text) / total


@dataclass
class Citation:
    n: int
    doc_id: str
    title: str
    section: str                 # breadcrumb
    page: int | None
    quote: str                   # verbatim in the document's parsed text
    start: int = -1
    end: int = -1
    source: str = "passage"      # passage | task | indicator | outline

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k in ("n", "doc_id", "title", "section", "page", "quote")}

    @property
    def display_quote(self) -> str:
        """The quote with table-cell tabs and line breaks shown as spaces."""
        return _WS.sub(" ", self.quote).strip()


class DocTexts:
    """The parsed text of each ready document (cached per content hash), for quotes and checks."""

    def __init__(self, registry):
        self.registry = registry
        self._cache: dict[str, tuple[str, dict[str, Any]]] = {}

    def get(self, doc_id: str) -> dict[str, Any] | None:
        # the hash alone says whether the cached copy is current; the parsed JSON is read only when not
        cached = self._cache.get(doc_id)
        if cached and cached[0] == self.registry.content_hash(doc_id):
            return cached[1]
        row = self.registry.get(doc_id)
        if not row:
            return None
        parsed = row["parsed"]
        doc = {"doc_id": doc_id, "title": row["title"], "text": parsed.get("text", ""),
               "sections": parsed.get("sections", []), "page_starts": parsed.get("page_starts", []),
               "meta": row["meta"], "path": row.get("path")}
        self._cache[doc_id] = (row["content_hash"], doc)
        return doc

    def text(self, doc_id: str) -> str:
        doc = self.get(doc_id)
        return doc["text"] if doc else ""

    def page_at(self, doc_id: str, offset: int) -> int | None:
        doc = self.get(doc_id)
        return page_at(doc["page_starts"], offset) if doc else None

    def verify(self, c: Citation) -> bool:
        """The quote is non-empty and verbatim in its document (at its span when one is given)."""
        text = self.text(c.doc_id)
        if not c.quote or not text:
            return False
        if 0 <= c.start < c.end and text[c.start:c.end] == c.quote:
            return True
        return c.quote in text


# a heading or item after an ideographic/wide space, a run of spaces, or a space after a sentence or
# lead-in end, or a list item after a closing bracket ("（责任单位：区商务局） 二、加大金融支持力度"; not
# "《传染病防治法》（2013年修正） 第十二条的规定") — not a single space inside a sentence ("根据《条例》 第十二条的规定", "造林 10、 20 亩")
_SP = r"[ \t\u3000\u2002\u00a0]"       # spaces, the ideographic and en space included
_INLINE_HEADING = re.compile(rf"(?:(?<=[）)]){_SP}+(?=[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{{1,3}}[）)]|\d{{1,2}}[.．、](?!\d))|"
                             rf"(?<=[：:。；！？]){_SP}+|(?<=\S)(?={_SP}*[\u3000\u2002]){_SP}+|(?<=\S)[ \t\u00a0]{{2,}})"
                             r"(?=(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,3}[）)]"
                             r"|第[一二三四五六七八九十\d]+[步条章节]|\d{1,2}[.．、](?!\d)|[一二三四五六七八九十]是))")


# a single space after a headline-like run (a web article's headline, subtitle, dateline or an unmarked
# subheading before its body: "全力保障患者救治 省政府办公厅…推出“三个确保” 采取特殊医保政策 昨天，…")
_GAP = re.compile(r"(?<=[\u4e00-\u9fff”」》）)])[ \u00a0]+(?=[\u4e00-\u9fff“「《（(])")
_CLAUSE_MARK = re.compile(r"[，,；;。！？!?、：:]")
# how a unit's name ends ("区园林绿化局", "领导小组办公室"); spans.UNIT and spans.SIGNATURE are built on it
UNIT_SUFFIX = "局|委员会|委|办公室|办|中心|管理处|政府|部|厅|署|公司|集团|总队|支队|院|会"
# a unit's name ends a list of issuers or a table cell ("北京市卫生健康委员会 北京市财政局联合印发"), not a headline
_UNIT_NAME_END = re.compile(rf"(?:{UNIT_SUFFIX}|街道|镇|乡)$")
HEADLINE_MIN, HEADLINE_MAX = 6, 40      # characters of a headline-like run: at least MIN of CJK, at most MAX in all
ONE_LINE_CHARS = 1000                   # a text with fewer line breaks than one per this many characters lost them


def one_line(text: str) -> bool:
    """A text whose line breaks were lost (a web article saved as one line): headlines run into it."""
    return text.strip().count("\n") * ONE_LINE_CHARS < len(text)


def headline_cuts(s: str) -> list[tuple[int, int]]:
    """Spans of the spaces in ``s`` where a headline-like run ends and more text follows: a run of
    HEADLINE_MIN CJK characters or more, HEADLINE_MAX characters at most, without clause punctuation
    and not ending in a unit's name. For one-line texts (``one_line``) only: elsewhere such a space
    is a line break inside a sentence."""
    cuts, pos = [], 0
    for m in _GAP.finditer(s):
        piece = s[pos:m.start()]
        if _CLAUSE_MARK.search(piece) or len(piece) > HEADLINE_MAX or _UNIT_NAME_END.search(piece):
            break                                   # the body has begun
        if sum(map(len, _CJK_RUN.findall(piece))) >= HEADLINE_MIN and len(s) - m.end() >= 4:
            cuts.append((m.start(), m.end()))
            pos = m.end()
    return cuts


def closing_mark(text: str, a: int, sentence: str) -> int:
    """Where the quotation a speaker's sentence follows closes: its own opening ” ("”米锋说。"), or the
    one that ends the sentence before it ("…感染风险。”" then "米锋说。"); -1 for none."""
    lead = a + len(sentence) - len(sentence.lstrip())
    if text[lead:lead + 1] in ("”", '"'):
        return lead
    lo = max(0, a - 8)
    before = text[lo:a].rstrip()
    return lo + len(before) - 1 if before.endswith(("”", '"')) else -1


def quotation_start(text: str, end: int, window: int = 400) -> int:
    """Where the quotation that closes with the ” at ``end`` opens (nested “…” balanced), or -1."""
    depth = 0
    for pos in range(end, max(-1, end - window), -1):
        ch = text[pos]
        if ch == "”":
            depth += 1
        elif ch == "“":
            depth -= 1
            if depth == 0:
                return pos
    return -1


_CLOSING = "”’」』》）)\""


def sentences(text: str, start: int = 0) -> list[tuple[int, int, str]]:
    """(start, end, sentence) with offsets into the document; the end punctuation is kept. A text
    whose line breaks were lost (a web article saved as one line) is also split where a heading or
    list item starts after a space ("…通知如下：　一、做好…"). A closing quote or bracket after the end
    punctuation ends the sentence with it ("…相关支出。”")."""
    out = []
    taken = 0                                   # end of the last sentence (closing quotes it took included)
    for off, s in split_sentences(text, start):
        rel = off - start
        if rel < taken:                         # a closing quote the sentence before took: "…。” 具备…"
            cut = taken - rel
            rest = s[cut:]
            lead = len(rest) - len(rest.lstrip())
            s, rel, off = rest.lstrip(), rel + cut + lead, off + cut + lead
            if not s:
                continue
        end = rel + len(s)
        if end < len(text) and text[end] in "。；！？;!?":
            s, end = s + text[end], end + 1
            while end < len(text) and text[end] in _CLOSING and (text[end] != '"' or s.count('"') % 2):
                s, end = s + text[end], end + 1
        taken = end
        pos = 0
        for m in _INLINE_HEADING.finditer(s):
            piece = s[pos:m.start()]
            if piece.strip():
                out.append((off + pos, off + m.start(), piece))
            pos = m.end()
        out.append((off + pos, start + end, s[pos:]))
    return out


def span_text(text: str, start: int, end: int, limit: int = 260) -> tuple[int, int, str]:
    """``text[start:end]`` trimmed of surrounding whitespace and cut at a sentence end under ``limit``."""
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    start += lead
    piece = piece.strip()
    if len(piece) > limit:
        cut = max(piece.rfind(p, 0, limit) for p in "。；\n")
        piece = piece[:cut + 1 if cut > 40 else limit].rstrip()
    return start, start + len(piece), piece
