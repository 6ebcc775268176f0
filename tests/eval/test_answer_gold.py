"""Answer acceptance figures (extractive mode, real embedder) on both gold sets, and the scorer
itself against hand-made cases."""
import datetime as dt

import pytest

from eval.answers import evaluate_answers, score
from eval.gold import Question, load_gold, locate_evidence
from ingest import parse_file
from tests.conftest import CORPUS, OTHER, ROOT

OTHER_GOLD = ROOT / "eval/gold/questions_other.yaml"


def test_scorer_reference_cases():
    q = Question(id="x", q="谁牵头", type="lead", answer=["区气象局"], also=["区文旅局"])
    q.spans = []
    assert score(q, "牵头单位：区气象局；配合单位：区财政局。[1]", False, None, None).correct
    assert not score(q, "牵头单位：区气象局、区财政局。[1]", False, None, None).correct       # extra unit
    assert score(q, "牵头单位：区气象局、区文旅局、各镇街。[1]", False, None, None).correct   # also / collective
    assert not score(q, "已收录的文件中未找到", True, None, None).correct
    # a quoted note's co-units are not named as leads; an extra lead inside the note still is
    assert score(q, "牵头单位：区气象局。原文：…（牵头单位：区气象局，配合单位：区财政局、各镇街）。[1]", False, None, None).correct
    assert not score(q, "原文：…（牵头单位：区气象局、区财政局，配合单位：区文旅局）。[1]", False, None, None).correct
    # a unit's own brackets stay in its name: a bracket neither ends the list nor hides the units after it
    c = Question(id="z", q="谁配合", type="co", answer=["区发改局"])
    c.spans = []
    assert not score(c, "配合单位：各乡（镇）人民政府、区发改局、区财政局。[1]", False, None, None).correct
    m = Question(id="m", q="谁牵头", type="lead", answer=["市发展改革委（市粮食和储备局）"])
    m.spans = []
    assert score(m, "牵头单位：市发展改革委（市粮食和储备局）。[1]", False, None, None).correct
    g = Question(id="y", q="…", type="general", answer=["氧吧元素融入"])
    assert score(g, "将“氧吧”元素融入文旅体验项目", False, None, None).correct                # quotes ignored


def test_other_gold_set_is_large_and_verbatim():
    if not OTHER.is_dir():
        pytest.skip("../shared/other-corpus not present")
    gold = load_gold(OTHER_GOLD)
    assert len(gold.answerable) >= 40 and len(gold.unanswerable) >= 5
    texts = {p.stem: parse_file(p).text for p in sorted(OTHER.iterdir()) if p.suffix in (".txt", ".md")}
    locate_evidence(gold, texts)


@pytest.mark.integration
def test_seed_answers_meet_the_acceptance_figures(seed_kb):
    from assistant import Assistant

    gold = load_gold(ROOT / "eval/gold/questions_seed.yaml")
    locate_evidence(gold, {d: seed_kb.registry.get(d)["parsed"]["text"] for d in seed_kb.registry.ready_hashes()})
    r = evaluate_answers(Assistant(kb=seed_kb, today=dt.date(2026, 11, 21)), gold)["policykb"]
    assert r.correctness() >= 0.95
    assert r.citation_validity() == 1.0
    assert r.refusal_recall() >= 0.90
    assert r.false_refusals() <= 0.03


@pytest.mark.integration
def test_other_corpus_answers_generalise(tmp_path):
    if not OTHER.is_dir():
        pytest.skip("../shared/other-corpus not present")
    from assistant import Assistant
    from kb import KnowledgeBase, Settings

    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"))
    kb.ingest([CORPUS, OTHER])
    gold = load_gold(OTHER_GOLD)
    locate_evidence(gold, {d: kb.registry.get(d)["parsed"]["text"] for d in kb.registry.ready_hashes()})
    r = evaluate_answers(Assistant(kb=kb, today=dt.date(2026, 11, 21)), gold)["policykb"]
    assert r.correctness() >= 0.85
    assert r.citation_validity() == 1.0
