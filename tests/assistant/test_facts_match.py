"""A task asked about "今年" / "2025年" answers with that year's step of its yearly tables (the rows
kb/task_links.py linked to it), also as a follow-up; without a year, as before."""
from datetime import date

import pytest

from assistant import Assistant
from kb import KnowledgeBase, Settings
from tests.conftest import corpus_file


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    from tests.conftest import CharNgramEmbeddings

    d = tmp_path_factory.mktemp("steps-kb")
    kb = KnowledgeBase(Settings(kb_dir=d), embeddings=CharNgramEmbeddings())
    kb.ingest([corpus_file("门头沟区_氧吧")])
    return Assistant(Settings(kb_dir=d), kb=kb, today=date(2026, 11, 21))


def test_this_year_uses_the_current_step(bot):
    a = bot.ask("厚植生态本底这项任务今年由谁牵头、什么时候完成？")
    assert not a.refused and "2026年12月" in a.answer and "区生态环境局" in a.answer and "区气象局" in a.answer
    assert all("2026年" in c.section for c in a.citations if "任务分解表" in c.section)
    assert "2026年任务分解表" in a.answer


def test_a_named_year_and_a_follow_up(bot):
    first = bot.ask("厚植生态本底由谁牵头？")
    assert "区园林绿化局" in first.answer and "2026年任务分解表" not in first.answer      # no year: the text
    a = bot.ask("这项任务今年由谁牵头、什么时候完成？", [first])
    assert "2026年12月" in a.answer and "区生态环境局" in a.answer
    b = bot.ask("厚植生态本底2025年由谁牵头、什么时候完成？")
    assert "2025年12月" in b.answer and "将“氧吧”概念不断深入到行业发展中" in b.answer


def test_a_task_named_whole_wins_but_not_a_shorter_name_inside_it():
    from assistant.evidence import Topic
    from assistant.facts_match import match_tasks
    tasks = [{"name": "推进垃圾分类", "content": "推进垃圾分类。", "doc_id": "a"},
             {"name": "推进垃圾分类示范片区建设", "content": "推进垃圾分类示范片区建设。", "doc_id": "a"},
             {"name": "完善垃圾分类示范体系", "content": "完善垃圾分类示范片区建设体系，推进垃圾分类示范片区建设。", "doc_id": "a"}]
    topic = Topic("推进 垃圾 分类 示范 片区 建设", lambda t: 1.0)
    got = match_tasks(tasks, topic, question="推进垃圾分类示范片区建设由哪个部门牵头？")
    assert [t["name"] for _, t in got] == ["推进垃圾分类示范片区建设"]
