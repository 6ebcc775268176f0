"""The blind-set gold format: a ``corpus:`` list, ``compound`` questions, ``neighbour_scope`` traps,
documents named by file name, quotes found despite whitespace; per-question dumps; and
``policykb eval --gold`` taking its corpus from the file."""
import json

import pytest
import yaml

from eval.answers import AnswerResult, render_answers, score, write_dump
from eval.gold import Question, load_gold, locate_evidence

TEXTS = {"09_普府办2025-1_普陀区海绵城市建设实施方案": "（一）区建管委\n牵头协调督促本区海绵城市建设工作落实。\n"
                                                   "到2025年底，本区建成区40%以上面积达到海绵城市建设要求。",
         "05_嘉定区海绵城市实施方案": "嘉定区建成区面积的45%达到要求。"}

BLIND = {
    "corpus": ["corpus", "../shared/other-corpus"],
    "questions": [
        {"id": "b1", "type": "compound", "q": "普陀区海绵城市方案到2025年达标比例是多少？由哪个部门牵头？",
         "answer": ["40%", "区建管委"],
         "evidence": [["09_普府办2025-1_普陀区海绵城市建设实施方案.md", "到2025年底，本区建成区40%以上面积"],
                      ["09_普府办2025-1_普陀区海绵城市建设实施方案.md", "（一）区建管委 牵头协调督促"]]},
        {"id": "b2", "type": "indicator", "q": "嘉定达标比例？", "answer": ["45%"],
         "evidence": [["05_嘉定", "建成区面积的45%"]]},
        {"id": "b3", "q": "普陀区长征镇的达标比例是多少？", "answerable": False, "trap": "neighbour_scope",
         "region": "普陀区"},
    ]}


@pytest.fixture
def blind(tmp_path):
    p = tmp_path / "blind.yaml"
    p.write_text(yaml.safe_dump(BLIND, allow_unicode=True), encoding="utf-8")
    return load_gold(p)


def test_blind_format_loads_and_locates(blind):
    assert blind.corpus == ["corpus", "../shared/other-corpus"] and blind.docs == {}
    assert [q.type for q in blind.questions] == ["compound", "indicator", "unanswerable"]
    assert blind.questions[2].trap == "neighbour_scope" and not blind.questions[2].answerable
    assert locate_evidence(blind, TEXTS) == []
    b1 = blind.questions[0]
    assert b1.doc_ids == {"09_普府办2025-1_普陀区海绵城市建设实施方案"} and len(b1.spans) == 2
    text = TEXTS["09_普府办2025-1_普陀区海绵城市建设实施方案"]
    assert text[b1.spans[1].start:b1.spans[1].end] == "（一）区建管委\n牵头协调督促"   # newline vs space
    assert blind.questions[1].doc_ids == {"05_嘉定区海绵城市实施方案"}                # unique prefix


def test_missing_quotes_are_reported_or_raised(blind):
    blind.questions[1].evidence = [("05_嘉定", "不在文中的句子")]
    with pytest.raises(ValueError):
        locate_evidence(blind, TEXTS)
    missing = locate_evidence(blind, TEXTS, strict=False)
    assert len(missing) == 1 and missing[0].startswith("b2")
    assert blind.questions[1].doc_ids == {"05_嘉定区海绵城市实施方案"}     # citations still checkable


def test_compound_needs_every_answer(blind):
    locate_evidence(blind, TEXTS)
    b1 = blind.questions[0]
    assert score(b1, "40%以上；牵头：区建管委[1]", False, None, None).correct
    partial = score(b1, "40%以上[1]", False, None, None)
    assert not partial.correct and partial.missing == ["区建管委"]
    assert not score(b1, "已收录的文件中未找到", True, None, None).correct


def test_dump_and_trap_table(blind, tmp_path):
    locate_evidence(blind, TEXTS)
    doc = "09_普府办2025-1_普陀区海绵城市建设实施方案"
    cite = [{"n": 1, "doc_id": doc, "section": "", "quote": "到2025年底", "start": 0, "end": 1}]
    items = [score(blind.questions[0], "40%；区建管委[1]", False, cite, lambda c: True),
             score(blind.questions[1], "未找到", True, [], None),
             score(blind.questions[2], "长征镇40%", False, cite, lambda c: True)]
    r = AnswerResult("policykb", items)
    assert r.traps() == {"neighbour_scope": (0, 1)}
    assert "| neighbour_scope | 1 | 0/1 |" in render_answers({"policykb": r})
    write_dump(tmp_path / "d.jsonl", r)
    rows = [json.loads(line) for line in (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["correct"] for row in rows] == [True, False, False]
    assert rows[0]["expected"] == ["40%", "区建管委"] and rows[0]["citations"][0]["doc_id"] == doc
    assert rows[1]["refused"] and rows[1]["missing"] == []
    assert {"q", "expected", "answer", "refused", "correct", "missing", "citations"} <= set(rows[2])


def test_question_without_spans_keeps_no_doc_ids():
    assert Question(id="z", q="?", type="general").doc_ids == set()


@pytest.mark.integration
def test_eval_cli_reads_the_corpus_from_the_gold_file(seed_kb, tmp_path):
    """`policykb eval --gold FILE` without --corpus: the file's corpus: list, here the seed folder."""
    from eval.__main__ import main

    doc = next(d for d in seed_kb.registry.ready_hashes() if d.startswith("门头沟"))
    text = seed_kb.registry.get(doc)["parsed"]["text"]
    quote = next(line for line in text.splitlines() if "区气象局" in line)[:30]
    gold = {"corpus": ["corpus"], "questions": [
        {"id": "c1", "type": "compound", "q": "万级负氧离子体验区由谁牵头？配合单位有哪些？", "answer": ["区气象局"],
         "evidence": [[doc + ".txt", quote]]},
        {"id": "c2", "q": "门头沟区某镇的财政收入是多少？", "answerable": False, "trap": "neighbour_scope"}]}
    path = tmp_path / "g.yaml"
    path.write_text(yaml.safe_dump(gold, allow_unicode=True), encoding="utf-8")
    dump, report = tmp_path / "d.jsonl", tmp_path / "r.md"
    assert main(["--kb", str(seed_kb.settings.kb_dir), "--gold", str(path), "--no-baseline",
                 "--dump", str(dump), "--report", str(report)]) == 0
    rows = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["c1", "c2"]
    assert "neighbour_scope" in report.read_text(encoding="utf-8")
