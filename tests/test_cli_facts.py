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


def test_tasks_for_a_department(kbdir, capsys):
    assert main(["tasks", "--kb", kbdir, "--dept", "区气象局"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "区气象局：牵头 34 项，配合 1 项"
    assert "2024年12月" in out and "区市场监管局、区商务局" in out

    assert main(["tasks", "--kb", kbdir, "--dept", "区气象局", "--role", "co", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["lead_count"], data["co_count"]) == (0, 1)
    assert data["co"][0]["lead"] == ["区园林绿化局", "区生态环境局"]

    assert main(["tasks", "--kb", kbdir, "--dept", "区园林局", "--due-before", "2026-12", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3 and {r["完成时间"] for r in rows} == {"2026年12月"}

    assert main(["tasks", "--kb", kbdir, "--dept", "区不存在局"]) == 1


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
