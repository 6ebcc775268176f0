"""Evaluation and benchmarks: `python -m eval` (retrieval vs a naive baseline), `python -m eval.facts`
(fact extraction), `python -m eval.bench_ingest`, `python -m eval.bench_retrieval`."""
import statistics
from pathlib import Path


def dir_size(path: Path) -> int:
    """Bytes of all files under ``path`` (a knowledge base's size on disk)."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method); the value itself for a single sample."""
    values = sorted(values)
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]
