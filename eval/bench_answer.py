"""Answer latency, extractive mode, in process: every question of a gold set, several rounds, on a
warm assistant; plus the cold start of ``policykb ask`` in a fresh process.

    python -m eval.bench_answer --kb data [--gold eval/gold/questions_seed.yaml] [--rounds 3]
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
    ap.add_argument("--kb", required=True, help="a knowledge base that already holds the gold set's documents")
    ap.add_argument("--gold", default=str(ROOT / "eval/gold/questions_seed.yaml"))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)

    questions = [q.q for q in load_gold(args.gold).questions]
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

    cmd = [sys.executable, "-m", "kb.cli", "ask", "--kb", args.kb, "--json", questions[0]]
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        runs.append(time.perf_counter() - t)
    print(f"  cold start, `policykb ask` in a new process, one question: {min(runs):.2f}–{max(runs):.2f} s (3 runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
