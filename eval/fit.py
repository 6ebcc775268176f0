"""Fit the reader's weights (``assistant.read.Weights``) on one half of the external dev set and
report them on the other: the numbers the answer path chooses are fitted on data they are then
not reported on.

For every question of a split, the answer path runs as far as ``read_passages`` (understand →
scope → gather → read) and keeps up to 30 candidates with their score parts (``own``,
``context``, ``fit``, ``rank``, ``named``, ``local``, ``asked``, ``focus``, ``new``, ``heading``), whether the candidate's quote
holds the gold span (character LCS >= 80 %, as ``eval.ncp`` scores a hit) and whether its
document holds it. A weight vector picks, per question, the candidate with the highest weighted
sum; its score is the share of questions whose pick holds the gold span. A grid over the weights
is searched on ``--fit`` (default ``fit``) and the best vector, the current defaults and the
candidates' ceiling (any candidate holds the span) are printed for both halves.

The candidates are collected with the current weights, and those already choose the two sentences
each passage contributes: a weight that changes that choice (``focus`` above all) is judged here on
pools its current value made, so the grid favours the current value. ``focus`` and ``heading`` were
chosen with whole runs of the fit half instead (``python -m eval --ncp … --split fit``).

    python -m eval.fit --ncp ../shared/ncp-dev --kb /work/kbs/ncp [--limit N] [--save FILE]

Example:
    >>> rows = candidate_rows(assistant, ds.select("fit"))        # doctest: +SKIP
    >>> pick_rate(rows, Weights())                                 # doctest: +SKIP
    (0.66, 0.83)
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, Iterable

from .ncp import HIT_THRESHOLD, NcpQuestion, lcs, load_ncp, normalise

# the grid: every combination is tried (fit is fixed: it only scales against the others)
GRID: dict[str, tuple[float, ...]] = {
    "own": (0.1, 0.2, 0.35),
    "context": (0.1, 0.25, 0.4),
    "rank": (0.05, 0.1, 0.2, 0.4),
    "named": (0.1, 0.3),
    "asked": (0.4, 0.6, 0.9),
    "local": (0.05, 0.1, 0.2),
    "new": (0.0, 0.1, 0.2, 0.4),
    "focus": (0.0, 0.75),
    "heading": (0.0, 0.2),
}


def candidate_rows(assistant, questions: Iterable[NcpQuestion], to_docid: dict[str, str] | None = None,
                   limit: int = 30) -> list[dict[str, Any]]:
    """Per question: its candidates' score parts, whether each holds the gold span and its document."""
    from dataclasses import replace

    from assistant.assistant import _areas
    from assistant.read import read_passages
    from assistant.scope import resolve
    from assistant.understand import understand_question

    to_docid = to_docid or {}
    rows = []
    for q in questions:
        parsed = understand_question(q.question, assistant.today, None, **assistant._understanding())
        if not parsed.asks:
            rows.append({"id": q.id, "cands": []})
            continue
        ask = parsed.asks[0]
        scope = resolve(parsed.text, assistant.doc_infos, naming=assistant.kb.documents_naming)
        ev = assistant._gather(ask, scope)
        ctx = assistant._context(ask, scope)
        cands = read_passages(ask, ev, replace(ctx, regions=_areas(ask, scope)), limit=limit)
        gold = normalise(q.answer)
        out = []
        for c in cands:
            quote = normalise(c.quote)
            out.append({"parts": c.parts, "hit": lcs(quote, gold) >= HIT_THRESHOLD * len(gold),
                        "doc": to_docid.get(c.doc_id, c.doc_id) in q.gold_docs, "chars": len(quote)})
        rows.append({"id": q.id, "intent": ask.intent, "cands": out})
    return rows


def pick_rate(rows: list[dict[str, Any]], weights) -> tuple[float, float]:
    """(share of questions whose best candidate holds the gold span, share whose best candidate is
    in a gold document) when candidates are ranked by ``weights``."""
    from assistant.read import Weights

    weights = Weights(**weights) if isinstance(weights, dict) else weights
    hit = doc = 0
    for r in rows:
        if not r["cands"]:
            continue
        # "bonus": what the live score adds besides the weighted parts (a sentence that is no heading)
        best = max(r["cands"], key=lambda c: weights.total(c["parts"]))
        hit += best["hit"]
        doc += best["doc"]
    n = max(1, len(rows))
    return hit / n, doc / n


def ceiling(rows: list[dict[str, Any]]) -> float:
    """Share of questions where some candidate holds the gold span (no weights can do better)."""
    return sum(any(c["hit"] for c in r["cands"]) for r in rows) / max(1, len(rows))


def search(rows: list[dict[str, Any]], base, grid: dict[str, tuple[float, ...]] = GRID):
    """The grid point with the best pick rate on ``rows`` (ties: the one nearest ``base``)."""
    keys = list(grid)
    start = asdict(base)
    best = None
    for values in itertools.product(*(grid[k] for k in keys)):
        w = dict(start, **dict(zip(keys, values)))
        rate = pick_rate(rows, w)
        dist = sum(abs(w[k] - start[k]) for k in keys)
        key = (round(rate[0], 6), -dist)
        if best is None or key > best[0]:
            best = (key, w, rate)
    return best[1], best[2]


def main(argv: list[str] | None = None) -> int:
    from assistant import Assistant
    from assistant.read import Weights
    from kb import KnowledgeBase, Settings

    p = argparse.ArgumentParser(prog="python -m eval.fit", description=__doc__.split("\n\n")[0])
    p.add_argument("--ncp", required=True, help="the ncp-dev folder (docs/, qa.jsonl)")
    p.add_argument("--kb", required=True, help="a knowledge base holding the ncp-dev documents")
    p.add_argument("--fit", default="fit", choices=("fit", "check"), help="the half to fit on")
    p.add_argument("--limit", type=int, default=None, help="only the first N questions of each half")
    p.add_argument("--save", default=None, help="write the candidate rows as JSON lines")
    args = p.parse_args(argv)

    ds = load_ncp(args.ncp)
    kb = KnowledgeBase(Settings(kb_dir=args.kb))
    bot = Assistant(kb=kb)
    to_docid = {d["doc_id"]: Path(d["path"]).stem for d in kb.registry.all(parsed=False)}
    other = "check" if args.fit == "fit" else "fit"
    rows = {s: candidate_rows(bot, ds.select(s, args.limit), to_docid) for s in (args.fit, other)}
    if args.save:
        with open(args.save, "w", encoding="utf-8") as f:
            for s, rs in rows.items():
                for r in rs:
                    f.write(json.dumps(dict(r, split=s), ensure_ascii=False) + "\n")
    base = Weights()
    best, _ = search(rows[args.fit], base)
    print(f"candidates' ceiling (some candidate holds the gold span): "
          f"{args.fit} {ceiling(rows[args.fit]):.3f}, {other} {ceiling(rows[other]):.3f}")
    print(f"| weights | {args.fit}: pick holds span | {args.fit}: pick in gold doc | {other}: pick holds span | {other}: pick in gold doc |")
    print("|---|---|---|---|---|")
    for name, w in (("current defaults", asdict(base)), (f"best on {args.fit}", best)):
        a, b = pick_rate(rows[args.fit], w), pick_rate(rows[other], w)
        print(f"| {name} | {a[0]:.3f} | {a[1]:.3f} | {b[0]:.3f} | {b[1]:.3f} |")
    print("best weights:", ", ".join(f"{f.name}={best[f.name]:g}" for f in fields(Weights)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
