"""Ingestion benchmark: wall time, chunk counts, re-run time and on-disk size for one or more folders.

Usage:
    python -m eval.bench_ingest corpus ../shared/other-corpus [--kb /tmp/bench-kb]

Each folder is ingested into the same fresh knowledge base, then ingested again (all unchanged).
Prints figures; asserts nothing.
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



def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--kb", help="knowledge-base directory (default: a new temporary one)")
    args = ap.parse_args(argv)
    kb_dir = Path(args.kb) if args.kb else Path(tempfile.mkdtemp(prefix="policykb-bench-"))
    if kb_dir.exists() and args.kb:
        shutil.rmtree(kb_dir)
    t = time.perf_counter()
    kb = KnowledgeBase(Settings(kb_dir=kb_dir))
    kb.embeddings
    print(f"model load: {time.perf_counter() - t:.2f} s")
    for folder in args.folders:
        t = time.perf_counter()
        results = kb.ingest([folder])
        wall = time.perf_counter() - t
        stages = total_timings(results)
        errors = [r for r in results if r.status == "error"]
        print(f"{folder}: {len(results)} files, {sum(r.chunks for r in results)} chunks, {len(errors)} errors, "
              f"{wall:.2f} s  ({', '.join(f'{k} {v / 1000:.2f} s' for k, v in stages.items())})")
        for r in errors:
            print(f"  error: {r.message}")
        t = time.perf_counter()
        again = kb.ingest([folder])
        print(f"  re-run: {sum(r.status == 'unchanged' for r in again)}/{len(again)} unchanged, "
              f"{time.perf_counter() - t:.3f} s")
    print(f"knowledge base size on disk: {dir_size(kb_dir) / 1048576:.1f} MiB ({kb_dir})")


if __name__ == "__main__":
    main()
