"""The Markdown report of an evaluation run: overall table, per question type, latency, sizes,
region traps, and (with ``verbose``) the questions each system missed."""
from __future__ import annotations

from typing import Any

from .retrieval import SystemResult, by_type


def _pct(x: float) -> str:
    return f"{x:.3f}"


def render(results: dict[str, SystemResult], info: dict[str, Any], verbose: bool = False,
           ablation: dict[str, SystemResult] | None = None) -> str:
    names = list(results)
    lines = [f"# Retrieval evaluation ({info['gold']})", "",
             f"Run {info['date']}: {info['documents']} documents, {info['chunks']} policykb chunks; "
             f"{info['answerable']} answerable and {info['unanswerable']} unanswerable questions. "
             f"Embedder: `{info['embedding']}` for both systems.", "",
             "| system | hit@1 | hit@5 | MRR@10 | p50 ms | p95 ms | wrong-region leaks (top 5) |",
             "|---|---|---|---|---|---|---|"]
    for n in names:
        r = results[n]
        lines.append(f"| {n} | {_pct(r.hit_at(1))} | {_pct(r.hit_at(5))} | {_pct(r.mrr())} | "
                     f"{r.latency(50):.1f} | {r.latency(95):.1f} | {len(r.leaks)} / {r.traps} |")
    lines += ["", "## By question type", "",
              "| type | n | " + " | ".join(f"{n} hit@1 | {n} hit@5 | {n} MRR" for n in names) + " |",
              "|---|---|" + "---|" * (3 * len(names))]
    for t, row in by_type(results).items():
        cells = " | ".join(" | ".join(_pct(v) for v in row[n]) for n in names)
        lines.append(f"| {t} | {row['n']} | {cells} |")
    if ablation:
        lines += ["", "## Ablation: policykb with one part changed", "",
                  "| variant | hit@1 | hit@5 | MRR@10 | p50 ms | p95 ms | leaks |", "|---|---|---|---|---|---|---|"]
        for n, r in {"policykb (as configured)": results["policykb"], **ablation}.items():
            lines.append(f"| {n} | {_pct(r.hit_at(1))} | {_pct(r.hit_at(5))} | {_pct(r.mrr())} | "
                         f"{r.latency(50):.1f} | {r.latency(95):.1f} | {len(r.leaks)} / {r.traps} |")
    lines += ["", "## Index", "",
              f"- policykb knowledge base on disk (Chroma + SQLite + BM25): {info['kb_bytes'] / 2**20:.2f} MiB "
              f"(BM25 index {info['bm25_bytes'] / 2**10:.0f} KiB), {info['chunks']} chunks.",
              ]
    if info.get("baseline_chunks") is not None:
        lines.append(f"- baseline: {info['baseline_chunks']} chunks (RecursiveCharacterTextSplitter 500/50, "
                     "in-memory Chroma, dense top-k).")
    lines.append(f"- retrieval settings: {', '.join(f'{k}={v}' for k, v in info['settings'].items())}.")
    lines += ["", "Latency is wall time per question, warm, in-process (query embedding included).",
              "A wrong-region leak is a top-5 passage from a document outside the asked region and its city."]
    for n in names:
        r = results[n]
        if r.leaks:
            lines.append(f"- {n} leaked on: {', '.join(r.leaks)}")
    if verbose:
        for n in names:
            miss = results[n].misses(1)
            lines += ["", f"## {n}: not first ({len(miss)})", ""]
            lines += [f"- {o.qid} ({o.type}): rank {o.rank or '>10'}" for o in miss]
    return "\n".join(lines) + "\n"
