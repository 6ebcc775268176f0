"""Retrieval quality of policykb against the naive baseline, on one gold question set.

For every answerable question: the rank of the first passage that covers an evidence quote (hit@1,
hit@5, MRR over the top 10) and the retrieval latency. For wrong-region traps: whether any of the
top 5 passages comes from a document of another region (a leak). Everything is measured for both
systems in the same run.

Example:
    >>> res = evaluate(kb, gold, baseline)
    >>> res["policykb"].hit_at(1), res["baseline"].hit_at(5)
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

from ingest.regions import CITY_OF

from . import percentile
from .gold import Gold, Passage, Question

TOP = 10


@dataclass
class Outcome:
    qid: str
    type: str
    rank: int | None                  # 1-based rank of the first hit within the top 10
    ms: float
    top: list[Passage] = field(default_factory=list)


@dataclass
class SystemResult:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)          # trap ids whose top 5 left the region
    traps: int = 0
    empty_traps: int = 0                                     # traps that retrieved nothing at all

    def hit_at(self, k: int, qtype: str | None = None) -> float:
        rows = [o for o in self.outcomes if qtype is None or o.type == qtype]
        return sum(o.rank is not None and o.rank <= k for o in rows) / len(rows) if rows else 0.0

    def mrr(self, qtype: str | None = None) -> float:
        rows = [o for o in self.outcomes if qtype is None or o.type == qtype]
        return sum(1 / o.rank for o in rows if o.rank) / len(rows) if rows else 0.0

    def latency(self, q: float) -> float:
        ms = [o.ms for o in self.outcomes]
        return percentile(ms, int(q)) if ms else 0.0

    def misses(self, k: int = 5) -> list[Outcome]:
        return [o for o in self.outcomes if o.rank is None or o.rank > k]


Searcher = Callable[[str, int], list[Passage]]


def first_hit(q: Question, top: list[Passage]) -> int | None:
    return next((i for i, p in enumerate(top, 1) if q.hit(p)), None)


def run_system(name: str, search: Searcher, gold: Gold, regions: dict[str, tuple[str, str]]) -> SystemResult:
    """``regions``: doc_id -> (region, city) of every document in the index."""
    res = SystemResult(name)
    search(gold.questions[0].q, TOP)                      # warm-up: models, caches
    for q in gold.answerable:
        t = time.perf_counter()
        top = search(q.q, TOP)
        ms = (time.perf_counter() - t) * 1000
        res.outcomes.append(Outcome(q.id, q.type, first_hit(q, top), ms, top))
    for q in gold.unanswerable:
        if q.trap != "wrong_region" or not q.region:
            continue
        res.traps += 1
        top = search(q.q, TOP)[:5]
        res.empty_traps += not top
        allowed = {q.region, CITY_OF.get(q.region)}
        if any(regions.get(p.doc_id, ("", ""))[0] not in allowed for p in top):
            res.leaks.append(q.id)
    return res


def evaluate(kb, gold: Gold, baseline=None) -> dict[str, SystemResult]:
    regions = {d["doc_id"]: (d.get("region") or "", d.get("city") or "") for d in kb.doc_regions()}

    def ours(query: str, k: int) -> list[Passage]:
        return [Passage(h.doc_id, h.start, h.end, h.breadcrumb, h.kind, h.text) for h in kb.search(query, k=k)]

    out = {"policykb": run_system("policykb", ours, gold, regions)}
    if baseline is not None:
        out["baseline"] = run_system("baseline", lambda q, k: [Passage(d, s, e, "", "text", t) for d, s, e, t in baseline.search(q, k)], gold, regions)
    return out


def by_type(results: dict[str, SystemResult]) -> dict[str, dict[str, Any]]:
    types: dict[str, int] = defaultdict(int)
    for o in next(iter(results.values())).outcomes:
        types[o.type] += 1
    return {t: {"n": n, **{name: (r.hit_at(1, t), r.hit_at(5, t), r.mrr(t)) for name, r in results.items()}}
            for t, n in sorted(types.items(), key=lambda x: -x[1])}
