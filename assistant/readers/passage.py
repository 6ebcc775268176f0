"""The passage reader: a definition or any other fact, answered by quoting the best clause window.

Example:
    >>> readings = read(ask, evidence, candidates, ctx)
    >>> readings[0].render(cites)
    '《…》“（一）…”：……。[1]'
"""
from __future__ import annotations

from kb.retrievers import section_heading

from .. import compose
from ..read import Candidate
from . import Reading


def read(ask, ev, cands: list[Candidate], ctx) -> list[Reading]:
    out = []
    for i, c in enumerate(cands[:4]):
        extra = [x for x in cands[i + 1:] if x.doc_id == c.doc_id and x.score >= c.score - 0.05
                 and (x.end <= c.start or x.start >= c.end)][:1]
        out.append(Reading(c.score, _render([c] + extra), "passage", doc_id=c.doc_id, quote=c.quote, own=c.own))
    return out


def quote_line(c: Candidate, cites, prefix: str = "") -> str | None:
    """"{prefix}《title》“heading”：quote。[n]", or None when the quote cannot be verified."""
    mark = cites.add(c.doc_id, c.start, c.end, c.hit.breadcrumb, quote=c.quote, context=c.hit.text)
    if not mark:
        return None
    tail = section_heading(c.hit.breadcrumb)
    where = f"《{compose.short(c.hit.title, 30)}》" + (f"“{compose.short(tail, 30)}”" if tail else "")
    quote = cites.items[int(mark[1:-1]) - 1].display_quote.rstrip("。；;，,")
    return f"{prefix}{where}：{quote}。{mark}"


def _render(chosen: list[Candidate]):
    def render(cites) -> str | None:
        lines = [x for x in (quote_line(c, cites) for c in chosen) if x]
        if not lines:
            return None
        return lines[0] if len(lines) == 1 else "根据已收录文件：\n" + "\n".join(f"- {x}" for x in lines)
    return render
