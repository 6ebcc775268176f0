"""The retrieval gold set: well formed, every evidence quote verbatim in its document; and, with
the real embedder, the acceptance figures of the retrieval issue."""
from collections import Counter

import pytest

from eval.gold import load_gold, locate_evidence
from ingest import parse_file
from tests.conftest import CORPUS, ROOT

GOLD = ROOT / "eval/gold/questions_seed.yaml"


def corpus_texts():
    return {p.stem: parse_file(p).text for p in sorted(CORPUS.glob("*.txt"))}


def test_gold_set_is_large_varied_and_verbatim():
    gold = load_gold(GOLD)
    assert len(gold.answerable) >= 150 and len(gold.unanswerable) >= 20
    types = Counter(q.type for q in gold.answerable)
    assert {"lead", "co", "deadline", "indicator", "dept", "definition", "overview", "compare"} <= set(types)
    traps = Counter(q.trap for q in gold.unanswerable)
    assert traps["wrong_region"] >= 5 and traps["missing_figure"] >= 5
    locate_evidence(gold, corpus_texts())                     # raises on any quote not found
    assert all(q.spans for q in gold.answerable)


def test_a_quote_not_in_the_text_is_reported(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("docs: {}\nquestions:\n- {id: x, type: general, q: 问题, answer: [a], evidence: "
                   "[[门头沟区_氧吧, 这句话不在文件里]]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not found verbatim"):
        locate_evidence(load_gold(bad), corpus_texts())


@pytest.mark.integration
def test_retrieval_meets_the_acceptance_figures(tmp_path):
    from eval.retrieval import evaluate
    from kb import KnowledgeBase, Settings

    kb = KnowledgeBase(Settings(kb_dir=tmp_path))
    kb.ingest([CORPUS])
    gold = load_gold(GOLD)
    locate_evidence(gold, {d["doc_id"]: d["parsed"]["text"] for d in kb.registry.all()})
    res = evaluate(kb, gold)["policykb"]
    assert res.hit_at(1) >= 0.90 and res.hit_at(5) >= 0.98
    assert res.traps >= 10 and res.leaks == []
