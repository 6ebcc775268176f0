"""Exports and the department brief, read back with the libraries Excel and Word files are read with."""
import csv
from datetime import date

import pytest

from assistant import reports, views
from kb import task_links

TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def facts_kb(seed_kb):
    return seed_kb


def test_csv_and_xlsx_round_trip(facts_kb, tmp_path):
    titles = views.doc_titles(facts_kb.documents())
    tasks = facts_kb.facts.tasks(dept="区气象局")
    rows = [reports.task_export_row(t, TODAY, titles) for t in tasks]
    assert len(rows) == 35
    c = reports.write_table(tmp_path / "t.csv", reports.TASK_EXPORT_COLUMNS, rows)
    assert c.read_bytes().startswith(b"\xef\xbb\xbf")                   # BOM: Excel opens it as UTF-8
    with open(c, encoding="utf-8-sig", newline="") as f:
        back = list(csv.reader(f))
    assert back[0] == reports.TASK_EXPORT_COLUMNS and back[1:] == [[str(v) for v in r] for r in rows]

    from openpyxl import load_workbook

    x = reports.write_table(tmp_path / "t.xlsx", reports.TASK_EXPORT_COLUMNS, rows, sheet="任务分工")
    ws = load_workbook(x)["任务分工"]
    got = [[c.value or "" for c in r] for r in ws.iter_rows()]
    assert got[0] == reports.TASK_EXPORT_COLUMNS and len(got) == 36
    assert all("区气象局" in r[3] + r[4] for r in got[1:])
    with pytest.raises(ValueError):
        reports.write_table(tmp_path / "t.ods", ["a"], [])


def test_department_brief(facts_kb, tmp_path):
    from docx import Document

    path = reports.department_brief(tmp_path / "b.docx", facts_kb.facts, facts_kb.documents(), "区园林局", TODAY)
    d = Document(path)
    text = "\n".join(p.text for p in d.paragraphs)
    summary = task_links.summary(facts_kb.facts, "区园林局", TODAY)         # tasks, not rows
    assert (len(summary["lead"]), len(summary["co"])) == (1, 1)
    assert "牵头 1 项，配合 1 项（按任务计" in text
    assert "区园林绿化局 任务与指标清单" in text                   # the alias resolves to the full name
    lead_table, co_table = d.tables[0], d.tables[1]
    assert len(lead_table.rows) == len(summary["lead"]) + 1 and len(co_table.rows) == len(summary["co"]) + 1
    assert all("›" in r.cells[5].text for r in lead_table.rows[1:])          # each task carries its source
    steps = lead_table.rows[1].cells[2].text                                # 厚植生态本底 with its three years
    assert "2024年：2024年12月（已到期）" in steps and "2026年：2026年12月（未到期）" in steps
    assert lead_table.rows[1].cells[5].text.count("2026年任务分解表") == 5
    assert "森林覆盖率：≥50%" in text and "原文：" in text                # related indicator with its sentence
    with pytest.raises(LookupError):
        reports.department_brief(tmp_path / "x.docx", facts_kb.facts, facts_kb.documents(), "区宇航局", TODAY)
