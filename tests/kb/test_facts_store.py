"""Facts in the knowledge base: stored per document, replaced on re-ingestion, removed with it;
department directory with aliases; jieba user dictionary."""
import jieba
import pytest

from kb import KnowledgeBase, Settings
from tests.conftest import corpus_file

PLAN = """某区生态行动计划
一、重点任务
1.推进口袋公园建设。建成口袋公园10处。
牵头单位：区园林绿化局
配合单位：区气象局
2.开展监测。新建负氧离子监测站5套。
牵头单位：区气象局
"""


@pytest.fixture
def kb(tmp_path, fake_embeddings):
    return KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)


def test_facts_follow_the_document(kb, tmp_path):
    p = tmp_path / "plan.txt"
    p.write_text(PLAN, encoding="utf-8")
    kb.ingest([p])
    assert [t["lead"] for t in kb.facts.tasks(doc="plan")] == [["区园林绿化局"], ["区气象局"]]
    assert kb.documents()[0]["n_tasks"] == 2 and kb.documents()[0]["n_indicators"] == 2
    p.write_text(PLAN.replace("牵头单位：区气象局", "牵头单位：区生态环境局"), encoding="utf-8")
    kb.ingest([p])
    assert [t["lead"] for t in kb.facts.tasks(doc="plan")] == [["区园林绿化局"], ["区生态环境局"]]
    assert [t["name"] for t in kb.facts.tasks(dept="区气象局")] == ["推进口袋公园建设"]   # now only as co-unit
    kb.delete("plan")
    assert kb.facts.tasks() == [] and kb.facts.indicators() == [] and kb.facts.departments() == []


def test_department_queries_on_the_mentougou_plan(kb, tmp_path):
    kb.ingest([corpus_file("门头沟区_氧吧")])
    s = kb.facts.department_summary("区气象局")
    assert (len(s["lead"]), len(s["co"])) == (34, 1)
    # 区园林局 (text) and 区园林绿化局 (tables) are one unit, found by either name
    names = kb.facts.resolve("区园林局")
    assert set(names) == {"区园林局", "区园林绿化局"}
    assert len(kb.facts.tasks(dept="区园林局")) == len(kb.facts.tasks(dept="区园林绿化局")) == 5
    # a long form not written in the corpus still finds its contraction
    assert kb.facts.resolve("区文化和旅游局") == ["区文旅局"]
    # glued 区市场监管局区商务局 was split
    assert {"区市场监管局", "区商务局"} <= {d["name"] for d in kb.facts.departments()}
    assert "相关单位" in {d["name"] for d in kb.facts.departments() if d["kind"] == "collective"}
    due = kb.facts.tasks(dept="区气象局", due_before="2024-12")
    assert len(due) == 12 and all(t["due"] == "2024-12" for t in due)
    assert kb.facts.tasks(dept="没有这个局") == []
    forest = kb.facts.indicators("森林覆盖率")
    assert [(i["value_text"], i["due"]) for i in forest] == [("≥50%", None), ("≥50%", "2026-12")]


def test_userdict_keeps_unit_names_whole(kb, tmp_path):
    kb.ingest([corpus_file("门头沟区_氧吧")])
    tk = jieba.Tokenizer()
    assert "区园林绿化局" not in tk.lcut("区园林绿化局负责的任务")
    tk.load_userdict(str(kb.userdict_path))
    assert "区园林绿化局" in tk.lcut("区园林绿化局负责的任务")
    assert "负氧离子监测站数量" in kb.userdict_path.read_text(encoding="utf-8")
