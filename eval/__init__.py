"""Evaluation and benchmarks: `python -m eval` (retrieval vs a naive baseline), `python -m eval.facts`
(fact extraction), `python -m eval.bench_ingest`, `python -m eval.bench_retrieval`."""
from pathlib import Path


def dir_size(path: Path) -> int:
    """Bytes of all files under ``path`` (a knowledge base's size on disk)."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())
