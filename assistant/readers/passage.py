"""The passage reader: a definition or any other fact, answered by quoting the best clause window.

Example:
    >>> readings = read(ask, evidence, candidates, ctx)
    >>> readings[0].render(cites)
    '《…》“（一）…”：……。[1]'
"""
from __future__ import annotations

import re

from kb.retrievers import section_heading

from ..read import Candidate
from . import Reading


def read(ask, ev, cands: list[Candidate], ctx) -> list[Reading]:
    return [Reading(c.score, _render([c]), "passage", doc_id=c.doc_id, quote=c.quote, own=c.own, boost=c.boost) for c in cands[:4]]


def quote_line(c: Candidate, cites, prefix: str = "") -> str | None:
    """"{prefix}quote。[n]" (the numbered source names the document, section and page), or None
    when the quote cannot be verified. A section heading that says more than the quote is kept:
    "“（一）区建管委”：牵头协调……"."""
    mark = cites.add(c.doc_id, c.start, c.end, c.hit.breadcrumb, quote=c.quote, context=c.hit.text)
    if not mark:
        return None
    tail = section_heading(c.hit.breadcrumb)
    if tail and (" › " not in c.hit.breadcrumb or _same(tail, c.hit.title) or len(tail) > 24
                 or _same(tail, c.quote[:len(tail) + 4])):
        tail = ""                              # the document's own heading, or one the quote repeats
    where = f"“{tail}”：" if tail else ""
    quote = cites.items[int(mark[1:-1]) - 1].display_quote.rstrip("。；;，,")
    return f"{prefix}{where}{quote}。{mark}"


def _render(chosen: list[Candidate]):
    def render(cites) -> str | None:
        lines = [x for x in (quote_line(c, cites) for c in chosen) if x]
        if not lines:
            return None
        return lines[0] if len(lines) == 1 else "根据已收录文件：\n" + "\n".join(f"- {x}" for x in lines)
    return render


def _same(a: str, b: str) -> bool:
    a, b = re.sub(r"\W", "", a), re.sub(r"\W", "", b)
    return a in b or b in a
