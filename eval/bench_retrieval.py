"""Retrieval latency benchmark: cold start, then warm p50/p95/p99 over every gold question (both
gold files' questions, repeated), on a knowledge base holding the given folders.

Usage:
    python -m eval.bench_retrieval corpus ../shared/other-corpus [--kb /tmp/bench-kb] [--rounds 5]

Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> None:
    from kb import KnowledgeBase, Settings

    from . import dir_size, percentile
    from .gold import load_gold

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--kb", help="knowledge-base directory (default: a new temporary one)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--gold", nargs="+", default=[str(ROOT / "eval/gold/questions_seed.yaml")])
    args = ap.parse_args(argv)

    kb_dir = Path(args.kb) if args.kb else Path(tempfile.mkdtemp(prefix="policykb-bench-"))
    t = time.perf_counter()
    results = KnowledgeBase(Settings(kb_dir=kb_dir)).ingest(args.folders)
    print(f"ingest: {len(results)} files ({sum(r.status == 'ingested' for r in results)} new) "
          f"in {time.perf_counter() - t:.1f} s")

    questions = [q.q for g in args.gold for q in load_gold(g).questions]
    t = time.perf_counter()
    kb = KnowledgeBase(Settings(kb_dir=kb_dir))                # a fresh process's view: nothing loaded
    kb.retrieve(questions[0])
    print(f"cold first query (model, Chroma, BM25 load): {(time.perf_counter() - t) * 1000:.0f} ms")
    docs = kb.registry.all()
    print(f"index: {len(docs)} documents, {sum(d['n_chunks'] for d in docs)} chunks, "
          f"{len(kb.bm25.vocab)} BM25 terms; on disk {dir_size(kb_dir) / 2**20:.1f} MiB")

    ms: list[float] = []
    embed_ms: list[float] = []
    for _ in range(args.rounds):
        for q in questions:
            r = kb.retrieve(q, k=5)
            ms.append(r.ms)
    for q in questions[:50]:
        t = time.perf_counter()
        kb.embeddings.embed_query(q)
        embed_ms.append((time.perf_counter() - t) * 1000)
    print(f"warm retrieval over {len(ms)} queries ({len(questions)} questions x {args.rounds}): "
          f"p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms, p99 {percentile(ms, 99):.1f} ms, "
          f"mean {statistics.fmean(ms):.1f} ms, max {max(ms):.1f} ms")
    print(f"  of which query embedding: p50 {percentile(embed_ms, 50):.1f} ms, p95 {percentile(embed_ms, 95):.1f} ms")


if __name__ == "__main__":
    main()
