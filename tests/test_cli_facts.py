"""`policykb tasks / indicators / depts` on a knowledge base built with the test embedder."""
import csv
import io
import json

import pytest

from kb import KnowledgeBase, Settings
from service.cli import main
from tests.conftest import corpus_file


@pytest.fixture
def kbdir(tmp_path, fake_embeddings):
    d = tmp_path / "kb"
    KnowledgeBase(Settings(kb_dir=d), embeddings=fake_embeddings).ingest(
        [corpus_file("门头沟区_氧吧"), corpus_file("北京市_")])
    return str(d)


def test_tasks_for_a_department(kbdir, capsys, monkeypatch):
    monkeypatch.setenv("POLICYKB_TODAY", "2026-11-21")
    assert main(["tasks", "--kb", kbdir, "--dept", "区气象局"]) == 0
    out = capsys.readouterr().out
    # tasks, not rows: a body task and its rows of the 2024/2025/2026 tables are one task
    assert out.splitlines()[0] == "区气象局：牵头 13 项，配合 0 项（按任务计）"
    assert "2024年12月" in out and "区市场监管局、区商务局" in out and out.strip().endswith("共 13 项任务")

    assert main(["tasks", "--kb", kbdir, "--dept", "区委宣传部", "--role", "co", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["lead_count"], data["co_count"]) == (0, 4)
    assert data["co"][0]["lead"] == ["区气象局", "区文旅局"] and [s["year"] for s in data["co"][0]["steps"]] == [2024, 2025]

    assert main(["tasks", "--kb", kbdir, "--dept", "区园林局", "--due-before", "2026-12", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["角色"], r["完成时间"], r["状态"]) for r in rows] == [("牵头", "2026年12月", "未到期"),
                                                                ("配合", "2025年12月", "已到期")]
    assert rows[0]["年度步骤"] == "2024年12月 / 2025年12月 / 2026年12月（当前）"
    assert rows[0]["牵头单位"] == "区园林绿化局、区生态环境局（正文）；区气象局、区生态环境局、区园林绿化局（2026年表）"

    assert main(["tasks", "--kb", kbdir, "--dept", "区不存在局"]) == 1


def test_tasks_one_row_per_step(kbdir, capsys, monkeypatch):
    monkeypatch.setenv("POLICYKB_TODAY", "2026-11-21")
    assert main(["tasks", "--kb", kbdir, "--dept", "区园林局", "--steps", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["角色"], r["年度"], r["状态"]) for r in rows] == [
        ("牵头", "2024年", "已到期"), ("牵头", "2025年", "已到期"), ("牵头", "2026年", "未到期"),
        ("配合", "2024年", "已到期"), ("配合", "2025年", "已到期")]
    assert "森林覆盖率达到50%" in rows[2]["本年度内容"] and rows[2]["来源"].count("2026年任务分解表") == 5
    assert main(["tasks", "--kb", kbdir, "--steps"]) == 0
    assert capsys.readouterr().out.strip().endswith("共 13 项任务，23 个年度步骤")


def test_tasks_as_icalendar(kbdir, capsys, tmp_path, monkeypatch):
    from icalendar import Calendar

    monkeypatch.setenv("POLICYKB_TODAY", "2026-11-21")
    out = tmp_path / "qxj.ics"
    assert main(["tasks", "--kb", kbdir, "--dept", "区气象局", "--format", "ics", "-o", str(out)]) == 0
    events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert len(events) == 23 and all(str(e["summary"]).startswith("【牵头】") for e in events)
    assert sum(1 for e in events if e.decoded("dtstart").year == 2026) == 4
    assert all("文件：《“中国天然氧吧”助力“绿水青山门头沟”" in str(e["description"]) for e in events)
    assert main(["tasks", "--kb", kbdir, "--dept", "区委宣传部", "--format", "ics"]) == 0        # to stdout
    cal = Calendar.from_ical(capsys.readouterr().out.encode("utf-8"))
    assert len(list(cal.walk("VEVENT"))) == 8 and str(cal["x-wr-calname"]) == "区委宣传部 任务完成时间"


def test_indicators_and_depts(kbdir, capsys, tmp_path):
    assert main(["indicators", "--kb", kbdir, "森林覆盖率", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["value_text"], r["region"]) for r in rows} == {("≥50%", "门头沟区"), ("≥66%", "北京市")}
    assert all(r["sentence"] and r["breadcrumb"] for r in rows)

    out_file = tmp_path / "ind.csv"
    assert main(["indicators", "--kb", kbdir, "--doc", "北京市", "--format", "csv", "-o", str(out_file)]) == 0
    text = out_file.read_text(encoding="utf-8-sig")
    assert text.startswith("文件,指标,要求,目标值") and "27.5%" in text

    assert main(["depts", "--kb", kbdir]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith("区园林绿化局"))
    assert "区园林局" in line and "部门" in line
