"""Answer latency, extractive mode, in process: every question of the given gold sets (or of the
ncp-dev set), several rounds, on a warm assistant; plus the cold start of ``policykb ask`` in a
fresh process. Prints figures; asserts nothing.

    python -m eval.bench_answer --kb data [--gold eval/gold/questions_seed.yaml] [--rounds 3]
    python -m eval.bench_answer --kb /work/kbs/seed_other \
        --gold eval/gold/questions_seed.yaml eval/gold/questions_other.yaml      # corpus + other-corpus
    python -m eval.bench_answer --kb /work/kbs/ncp --ncp ../shared/ncp-dev [--split check] [--limit 200]

``--corpus FOLDER …`` ingests first (incremental), so ``--kb`` may be a new directory.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    from assistant import Assistant
    from kb import KnowledgeBase, Settings

    from . import percentile
    from .gold import load_gold

    ap = argparse.ArgumentParser(prog="python -m eval.bench_answer", description=__doc__.splitlines()[0])
    ap.add_argument("--kb", required=True, help="a knowledge base that holds the questions' documents")
    ap.add_argument("--gold", nargs="+", default=[str(ROOT / "eval/gold/questions_seed.yaml")],
                    help="gold files whose questions are asked")
    ap.add_argument("--ncp", metavar="DIR", help="ask the ncp-dev questions (qa.jsonl) instead of gold files")
    ap.add_argument("--split", choices=["fit", "check", "all"], default="all", help="ncp: which split")
    ap.add_argument("--limit", type=int, help="only the first N questions")
    ap.add_argument("--corpus", nargs="+", help="folders or files to ingest into --kb first")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-cold", action="store_true", help="skip the cold start of `policykb ask`")
    args = ap.parse_args(argv)

    if args.ncp:
        from .ncp import load_ncp

        ds = load_ncp(args.ncp)
        questions = [q.question for q in ds.select(args.split, args.limit)]
        source = f"ncp-dev split {args.split}"
    else:
        questions = [q.q for g in args.gold for q in load_gold(g).questions][:args.limit]
        source = ", ".join(Path(g).name for g in args.gold)
    kb = KnowledgeBase(Settings(kb_dir=Path(args.kb)))
    if args.corpus:
        t = time.perf_counter()
        res = kb.ingest(args.corpus)
        print(f"ingest: {len(res)} files ({sum(r.status == 'ingested' for r in res)} new) "
              f"in {time.perf_counter() - t:.1f} s")
    docs = kb.registry.all(parsed=False)
    print(f"knowledge base {args.kb}: {len(docs)} documents, {sum(d['n_chunks'] for d in docs)} chunks; "
          f"questions: {source}")
    t = time.perf_counter()
    bot = Assistant(kb=KnowledgeBase(Settings(kb_dir=Path(args.kb))))
    bot.ask(questions[0])
    first = (time.perf_counter() - t) * 1000
    times: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for q in questions:
            t = time.perf_counter()
            a = bot.ask(q, use_llm=False)
            times.append((time.perf_counter() - t) * 1000)
            for k, v in a.timings_ms.items():
                stages.setdefault(k, []).append(v)
    print(f"{len(questions)} questions x {args.rounds} rounds, extractive, warm, in process")
    print(f"  p50 {percentile(times, 50):.1f} ms   p95 {percentile(times, 95):.1f} ms   "
          f"p99 {percentile(times, 99):.1f} ms   max {max(times):.1f} ms")
    print("  by stage (p50): " + ", ".join(f"{k} {percentile(v, 50):.1f} ms" for k, v in stages.items()))
    print(f"  first question in a fresh Assistant (models, Chroma, jieba, BM25 loading): {first:.0f} ms")
    if args.no_cold:
        return 0

    cmd = [sys.executable, "-m", "service.cli", "ask", "--kb", args.kb, "--json", questions[0]]
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        runs.append(time.perf_counter() - t)
    print(f"  cold start, `policykb ask` in a new process, one question: {min(runs):.2f}–{max(runs):.2f} s (3 runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
