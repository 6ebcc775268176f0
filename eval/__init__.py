"""Evaluation and benchmark scripts (`python -m eval.bench_ingest`)."""
