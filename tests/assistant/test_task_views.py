"""任务分工 views of tasks with yearly steps (assistant/task_views.py): rows, per-step rows, the
unit summary counted in tasks, every source as a passage, the .ics file read back with icalendar,
and the 12-month timeline."""
from datetime import date

import pytest

from assistant import task_views
from kb import task_links as tl
from tests.conftest import corpus_file

TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def parsed():
    from ingest.pipeline import parse_file

    return parse_file(corpus_file("门头沟区_氧吧"))


@pytest.fixture(scope="module")
def tasks(parsed):
    return tl.plan_tasks(tl.parsed_rows(parsed), TODAY)


def _task(tasks, start):
    return next(t for t in tasks if t.name.startswith(start))


def test_row_shows_steps_current_status_and_both_units(tasks):
    eco = task_views.task_row(_task(tasks, "厚植生态本底"), TODAY, {})
    assert eco[3] == "2024年12月 / 2025年12月 / 2026年12月（当前）"
    assert eco[4] == "区园林绿化局、区生态环境局（正文）；区气象局、区生态环境局、区园林绿化局（2026年表）"
    assert eco[6:] == ["2026年12月", "未到期"]
    neg = task_views.task_row(_task(tasks, "开展“万级负氧离子体验区”"), TODAY, {})
    assert neg[3] == "2024年12月 / 2025年12月（当前）" and neg[4] == "区气象局、区文旅局" and neg[7] == "已到期"
    assert task_views.task_row(_task(tasks, "开展“万级负氧离子体验区”"), date(2025, 12, 5), {})[7] == "本月到期"


def test_step_rows_one_per_year(tasks):
    rows = task_views.step_rows(_task(tasks, "厚植生态本底"), TODAY, {})
    assert [r[2] for r in rows] == ["2024年", "2025年", "2026年"]
    assert [r[7] for r in rows] == ["已到期", "已到期", "未到期"]
    assert rows[2][8].count("2026年任务分解表") == 5 and "湿地保有量" in rows[2][3]


def test_summary_counts_tasks_not_rows(tasks):
    names = ["区气象局"]
    s = {"query": "区气象局", "names": names, "canonical": "区气象局",
         "lead": [t for t in tasks if t.role_of(names) == "lead"], "co": [t for t in tasks if t.role_of(names) == "co"]}
    md = task_views.department_summary(s, TODAY)
    assert "牵头 **13** 项，配合 **0** 项（按任务计，含 23 个年度步骤）" in md
    assert "当前步骤状态：已到期 9 项，未到期 4 项" in md
    assert "2026年12月" in md.split("最近到期：")[1]


def test_sources_show_text_and_every_row(tasks, parsed):
    class Docs:
        def get(self, doc_id):
            return {"text": parsed.text, "sections": []} if doc_id == parsed.doc_id else None

    html = task_views.task_sources(_task(tasks, "发掘打造“氧吧”气象景观"), Docs(), "计划")
    assert html.count('class="pk-fact-source"') == 3 and html.count("<mark>") >= 3
    assert "正文" in html and "2024年任务分解表第7行" in html and "2025年任务分解表第5行" in html


def test_calendar_parses_back_with_icalendar(tasks):
    from icalendar import Calendar

    mine = [t for t in tasks if t.role_of(["区气象局"])]
    cal = Calendar.from_ical(task_views.task_calendar(mine, {tasks[0].doc_id: "三年行动计划"}, "区气象局", ["区气象局"]))
    events = list(cal.walk("VEVENT"))
    assert len(events) == sum(len(t.steps) for t in mine) == 23
    assert len({str(e["uid"]) for e in events}) == 23
    starts = sorted(e.decoded("dtstart") for e in events)
    assert starts[0] == date(2024, 12, 31) and starts[-1] == date(2026, 12, 31)
    eco = [e for e in events if str(e["summary"]).startswith("【牵头】厚植生态本底") and e.decoded("dtstart").year == 2026]
    assert len(eco) == 1 and str(eco[0]["summary"]).endswith("（2026年度）")
    desc = str(eco[0]["description"])
    assert "湿地保有量" in desc and "文件：《三年行动计划》" in desc and "2026年任务分解表第5行" in desc
    assert eco[0].decoded("dtend") == date(2027, 1, 1)


def test_timeline_has_twelve_months(tasks):
    rows = task_views.timeline([(t, "牵头") for t in tasks], TODAY)
    months = sorted({r["月份"] for r in rows})
    assert len(months) == 12 and months[0] == "2026-11" and months[-1] == "2027-10"
    due = {(r["月份"], r["角色"]): r["到期数"] for r in rows}
    assert due[("2026-12", "牵头")] == 4 and due[("2026-11", "牵头")] == 0 and due[("2026-12", "配合")] == 0
