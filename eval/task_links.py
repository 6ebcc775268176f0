"""Linking of task-table rows to body-text tasks (``kb.task_links``) against the hand-checked list
``eval/gold/task_links.yaml``: precision (predicted links that are right) and recall (gold links
found) per plan. ``--fit`` chooses the threshold (and unit weight) by grid on the ``fit`` plans
only, then reports every plan with it.

    $ python -m eval.task_links            # the module's parameters
    $ python -m eval.task_links --fit      # grid on the fit plans, report all

Example:
    >>> scores = evaluate(load_gold(GOLD), threshold=0.35)
    >>> scores[0]["precision"], scores[0]["recall"]
"""
from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kb import task_links as tl

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold" / "task_links.yaml"


@dataclass
class Plan:
    file: Path
    role: str
    rows: list[dict[str, Any]]          # {"row": content prefix, "task": body heading prefix or None}


def load_gold(path: Path = GOLD) -> list[Plan]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    plans = []
    for p in data["plans"]:
        if p.get("role") not in ("fit", "check"):
            raise ValueError(f"{p['file']}: role must be fit or check")
        plans.append(Plan((ROOT / p["file"]).resolve(), p["role"], list(p["rows"])))
    return plans


def _one(items: list[int], what: str, plan: Plan) -> int:
    if len(items) != 1:
        raise ValueError(f"{plan.file.name}: {what} matches {len(items)} tasks, not one")
    return items[0]


def _norm(s: str) -> str:
    return "".join((s or "").split())


def gold_pairs(plan: Plan, rows: list[dict[str, Any]]) -> tuple[dict[int, int | None], set[int]]:
    """Gold {row position: body position or None} resolved against the parsed tasks, and the
    positions of the document's table rows (every one must be in the list)."""
    table = {i for i, t in enumerate(rows) if t["table_index"] is not None}
    body = [i for i, t in enumerate(rows) if t["table_index"] is None]
    gold: dict[int, int | None] = {}
    for g in plan.rows:
        r = _one([i for i in table if _norm(rows[i]["content"]).startswith(_norm(g["row"]))], f"row {g['row']!r}", plan)
        b = None if g["task"] is None else _one(
            [i for i in body if _norm(rows[i]["name"]).startswith(_norm(g["task"]))], f"task {g['task']!r}", plan)
        gold[r] = b
    missing = table - set(gold)
    if missing:
        raise ValueError(f"{plan.file.name}: rows not in the gold list: {[rows[i]['content'][:20] for i in sorted(missing)]}")
    return gold, table


_parsed: dict[Path, list[dict[str, Any]]] = {}


def plan_rows(plan: Plan) -> list[dict[str, Any]]:
    if plan.file not in _parsed:
        from ingest.pipeline import parse_file

        _parsed[plan.file] = tl.parsed_rows(parse_file(plan.file))
    return _parsed[plan.file]


def score_plan(plan: Plan, **params: float) -> dict[str, Any]:
    rows = plan_rows(plan)
    gold, _ = gold_pairs(plan, rows)
    pred = tl.link_rows(rows, **params)
    right = sum(1 for r, b in pred.items() if gold.get(r) == b)
    n_gold = sum(1 for b in gold.values() if b is not None)
    wrong = [(rows[r]["content"][:24], rows[b]["name"][:16] if b is not None else None, gold.get(r))
             for r, b in pred.items() if gold.get(r) != b]
    missed = [rows[r]["content"][:24] for r, b in gold.items() if b is not None and r not in pred]
    return {"plan": plan.file.name, "role": plan.role, "rows": len(gold), "gold_links": n_gold, "predicted": len(pred),
            "right": right, "precision": right / len(pred) if pred else 1.0,
            "recall": right / n_gold if n_gold else 1.0, "wrong": wrong, "missed": missed}


def evaluate(plans: list[Plan], **params: float) -> list[dict[str, Any]]:
    return [score_plan(p, **params) for p in plans]


def fit(plans: list[Plan]) -> dict[str, float]:
    """The grid point with the best F1 summed over the fit plans; among equals the middle one of the
    threshold plateau (farthest from its edges), then the smallest unit weight."""
    fits = [p for p in plans if p.role == "fit"]
    grid = []
    for u in (0.0, 0.1, 0.2, 0.3):
        for k in range(10, 71):
            th = k / 100
            f1 = 0.0
            for s in evaluate(fits, threshold=th, unit_weight=u):
                pr, rc = s["precision"], s["recall"]
                f1 += 2 * pr * rc / (pr + rc) if pr + rc else 0.0
            grid.append((round(f1, 6), u, th))
    best = max(f for f, _, _ in grid)
    tops = [(u, th) for f, u, th in grid if f == best]
    u = min(x for x, _ in tops)
    ths = [th for x, th in tops if x == u]
    return {"threshold": ths[len(ths) // 2], "unit_weight": u, "f1_sum": best, "plateau": (ths[0], ths[-1])}


def main(argv: list[str] | None = None) -> int:
    logging.disable(logging.WARNING)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--fit", action="store_true", help="choose threshold and unit weight on the fit plans")
    ap.add_argument("--threshold", type=float, default=tl.THRESHOLD)
    ap.add_argument("--unit-weight", type=float, default=tl.UNIT_WEIGHT)
    ap.add_argument("-v", "--verbose", action="store_true", help="list wrong and missed links")
    a = ap.parse_args(argv)
    plans = [p for p in load_gold(a.gold) if p.file.exists()]
    params = {"threshold": a.threshold, "unit_weight": a.unit_weight}
    if a.fit:
        f = fit(plans)
        print(f"fit on {[p.file.name[:20] for p in plans if p.role == 'fit']}: threshold {f['threshold']:.2f} "
              f"(plateau {f['plateau'][0]:.2f}–{f['plateau'][1]:.2f}), unit weight {f['unit_weight']:.1f}, "
              f"F1 sum {f['f1_sum']:.3f}")
        params = {"threshold": f["threshold"], "unit_weight": f["unit_weight"]}
    print(f"threshold {params['threshold']:.2f}, unit weight {params['unit_weight']:.1f}")
    print("| plan | role | rows | gold links | predicted | right | precision | recall |")
    print("|---|---|---|---|---|---|---|---|")
    for s in evaluate(plans, **params):
        print(f"| {s['plan'][:40]} | {s['role']} | {s['rows']} | {s['gold_links']} | {s['predicted']} | {s['right']} | "
              f"{s['precision']:.3f} | {s['recall']:.3f} |")
        if a.verbose:
            for w in s["wrong"]:
                print(f"    wrong: {w}")
            for m in s["missed"]:
                print(f"    missed: {m}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
