"""Extraction against the hand-written gold files (the acceptance figures of `python -m eval.facts`)."""
import pytest

from eval.facts import GOLD, evaluate

SEED, OTHER = GOLD


def test_seed_gold_precision_and_recall():
    r = evaluate(*SEED)
    assert r["tasks"].gold == 39 and r["indicators"].gold >= 25
    assert r["tasks"].precision >= 0.98 and r["tasks"].recall >= 0.98, r["tasks"].errors
    assert r["indicators"].precision >= 0.95 and r["indicators"].recall >= 0.95, r["indicators"].errors


def test_other_corpus_sample_precision():
    if not OTHER[1].is_dir():
        pytest.skip("../shared/other-corpus not present")
    r = evaluate(*OTHER)
    assert r["tasks"].gold >= 30 and r["indicators"].gold >= 30
    assert r["tasks"].precision >= 0.95, r["tasks"].errors
    assert r["indicators"].precision >= 0.95, r["indicators"].errors
