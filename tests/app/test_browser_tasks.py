"""任务分工 in Debian chromium: 区气象局's tasks with their yearly steps (not rows) and the status of
the current year's step, every source of a task on click, the 12-month timeline, and the .ics
download read back with icalendar (TODAY of the app: 2026-11-21)."""
import re
from datetime import date

import pytest

from tests.app.test_browser import open_tab

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def _rows(page) -> list[list[str]]:
    """The table's cells by their data-testid (cell-ROW-COL), row by row."""
    cells = page.evaluate("""() => [...document.querySelectorAll('#pk-task-table [data-testid^=cell-]')].map(
        e => [e.getAttribute('data-testid'), e.innerText.trim()])""")
    out: dict[int, dict[int, str]] = {}
    for tid, text in cells:
        i, j = map(int, tid.split("-")[1:3])
        out.setdefault(i, {})[j] = text
    return [[row[j] for j in sorted(row)] for _, row in sorted(out.items())]


def test_department_tasks_with_steps_and_calendar(open_server, page, tmp_path):
    page.goto(open_server.url)
    open_tab(page, "任务分工")
    dept = page.locator("#pk-dept input")
    dept.fill("区气象局")
    dept.press("Enter")
    page.wait_for_function("document.querySelector('#pk-task-count').innerText.includes('共 13 项任务')")
    summary = page.locator("#pk-dept-summary").inner_text()
    assert re.search(r"牵头\s*13\s*项，配合\s*0\s*项（按任务计，含 23 个年度步骤）", summary), summary
    assert "当前步骤状态：已到期 9 项，未到期 4 项" in summary
    rows = _rows(page)
    assert len(rows) == 13
    by_task = {r[2]: r for r in rows}
    eco = next(r for name, r in by_task.items() if name.startswith("厚植生态本底"))
    assert eco[3] == "2024年12月 / 2025年12月 / 2026年12月（当前）" and eco[6:] == ["2026年12月", "未到期"]
    assert "（正文）" in eco[4] and "（2026年表）" in eco[4]              # text and this year's table differ
    neg = next(r for name, r in by_task.items() if name.startswith("开展“万级负氧离子体验区”"))
    assert neg[3] == "2024年12月 / 2025年12月（当前）" and neg[7] == "已到期"   # no 2026 row: 2025 was its last
    assert sum(1 for r in rows if r[7] == "未到期") == 4

    i = rows.index(eco)
    page.locator(f"#pk-task-table [data-testid=cell-{i}-2]").click()    # every source of the task
    page.wait_for_function("document.querySelectorAll('#pk-task-source .pk-fact-source').length === 8")
    src = page.locator("#pk-task-source").inner_text()
    assert "正文" in src and "2024年任务分解表第1行" in src and "2026年任务分解表第5行" in src

    page.wait_for_selector("#pk-task-timeline canvas, #pk-task-timeline svg")     # the 12-month timeline
    page.screenshot(path=str(tmp_path / "task-steps.png"), full_page=True)

    with page.expect_download() as dl:
        page.click("#pk-export-ics")
        page.wait_for_selector("#pk-task-file a[download*='.ics']")
        page.locator("#pk-task-file a[download*='.ics']").first.click()
    path = tmp_path / "tasks.ics"
    dl.value.save_as(path)
    from icalendar import Calendar

    events = list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
    assert len(events) == 23
    this_year = [e for e in events if e.decoded("dtstart").year == 2026]
    assert len(this_year) == 4 and {e.decoded("dtstart") for e in this_year} == {date(2026, 12, 31)}
    eco_2026 = next(e for e in this_year if "厚植生态本底" in str(e["summary"]))
    assert str(eco_2026["summary"]).startswith("【牵头】") and "湿地保有量" in str(eco_2026["description"])
    assert "文件：《“中国天然氧吧”助力“绿水青山门头沟”" in str(eco_2026["description"])
