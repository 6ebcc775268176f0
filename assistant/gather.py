"""Gather: the passages and facts within a question's scope.

Passages come from hybrid retrieval over the allowed documents. When the question names a
document, a second retrieval inside that document runs without the words that named it: every
passage of the document shares them, so they would only pull the title-level passage up. Facts
are the tasks and indicators of the allowed documents.

Example:
    >>> ev = gather(kb, ask, scope, k=8)
    >>> ev.hits[0].doc_id, len(ev.tasks), len(ev.indicators)
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from kb.retrievers import Hit

from .scope import AnswerScope
from .understand import Query


@dataclass
class Evidence:
    hits: list[Hit]
    tasks: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    rank: dict[str, float] = field(default_factory=dict)     # chunk_id -> retrieval rank score in [0, 1]
    ms: float = 0.0


def gather(kb, ask: Query, scope: AnswerScope, k: int = 8, facts: bool = True,
           all_tasks: list[dict[str, Any]] | None = None, all_indicators: list[dict[str, Any]] | None = None) -> Evidence:
    """``all_tasks`` / ``all_indicators``: the knowledge base's facts, when the caller keeps them
    (they change only with the documents); read from the fact store otherwise."""
    t0 = time.perf_counter()
    allowed = sorted(scope.allowed)
    hits: list[Hit] = []
    if allowed:
        hits = kb.retrieve(ask.search_text, k=k, doc_ids=allowed, use_scope=False).hits
        if scope.preferred:
            inner = _without(ask.search_text, scope.title_words + scope.regions)
            if inner.strip():
                pref = kb.retrieve(inner, k=k, doc_ids=scope.preferred, use_scope=False).hits
                hits = _merge(pref, hits)
        elif scope.local and len(scope.local) < len(allowed) and len(scope.local) <= 30:
            # documents that name the asked place (a city the gazetteer lacks, a region-less article)
            hits = _merge(kb.retrieve(ask.search_text, k=k, doc_ids=sorted(scope.local), use_scope=False).hits, hits)
    hits = [h for h in hits if h.doc_id in scope.allowed]
    rank = {}
    for i, h in enumerate(hits):
        rank.setdefault(h.chunk_id, 1.0 - i / max(1, len(hits)))
    ev = Evidence(hits=hits, rank=rank)
    if facts and allowed:
        tasks = kb.facts.tasks() if all_tasks is None else all_tasks
        indicators = kb.facts.indicators() if all_indicators is None else all_indicators
        ev.tasks = [t for t in tasks if t["doc_id"] in scope.allowed]
        ev.indicators = [i for i in indicators if i["doc_id"] in scope.allowed]
    ev.ms = (time.perf_counter() - t0) * 1000
    return ev


def _merge(first: list[Hit], second: list[Hit]) -> list[Hit]:
    """Interleave two rankings, without repeats."""
    out, seen = [], set()
    for pair in zip(first + [None] * len(second), second + [None] * len(first)):
        for h in pair:
            if h is not None and h.chunk_id not in seen:
                seen.add(h.chunk_id)
                out.append(h)
    return out


def _without(text: str, words: list[str]) -> str:
    for w in sorted(words, key=len, reverse=True):
        text = text.replace(w, " ")
    return text
