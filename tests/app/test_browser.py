"""Acceptance in a real browser: Debian chromium driven by Playwright against `python app.py`."""
import re

import pytest

from tests.app.conftest import PASSWORDS

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def ask(page, question: str, n: int) -> str:
    """Type a question, send it, wait for the n-th answer (with its sources) and return its text."""
    page.fill("#pk-question textarea", question)
    page.click("#pk-send")
    page.wait_for_function(f"document.querySelectorAll('#pk-chat .pk-sources').length >= {n}")
    return page.locator("#pk-chat .message-row.bot-row, #pk-chat [data-testid=bot]").last.inner_text()


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def test_ask_then_follow_up_with_sources(open_server, page, tmp_path):
    page.goto(open_server.url)
    page.wait_for_selector("#pk-question textarea")
    first = ask(page, "万级负氧离子体验区由谁牵头？", 1)
    assert "区气象局" in first and "[1]" in first
    source = page.locator("#pk-chat details.pk-source").first
    assert "门头沟" in source.locator("summary").inner_text()
    source.locator("summary").click()
    mark = source.locator(".pk-passage mark").first
    assert mark.is_visible() and mark.inner_text().strip()          # the quoted span is highlighted
    page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)

    second = ask(page, "那配合单位呢？", 2)                           # no subject: continues the first question
    assert "百花山管理处" in second and "区委宣传部" in second
    page.screenshot(path=str(tmp_path / "follow-up.png"), full_page=True)

    page.click("#pk-clear")
    page.wait_for_function("document.querySelectorAll('#pk-chat .pk-sources').length == 0")
    assert page.external_requests == []


def test_refusal_is_marked(open_server, page, tmp_path):
    page.goto(open_server.url)
    page.wait_for_selector("#pk-question textarea")
    page.fill("#pk-question textarea", "海淀区森林覆盖率目标是多少？")
    page.click("#pk-send")
    page.wait_for_selector("#pk-chat .pk-refused")
    assert "未找到" in page.locator("#pk-chat").inner_text()
    page.screenshot(path=str(tmp_path / "refusal.png"), full_page=True)


def test_example_question_is_answered(open_server, page, tmp_path):
    page.goto(open_server.url)
    example = page.locator("#pk-examples button", has_text="？").first
    text = example.inner_text().strip()
    assert text.endswith("？")
    example.click()
    page.wait_for_function("document.querySelectorAll('#pk-chat .pk-sources').length >= 1")
    assert page.locator("#pk-chat .pk-refused").count() == 0
    page.screenshot(path=str(tmp_path / "example.png"), full_page=True)


def test_tasks_filtered_by_department(open_server, page, tmp_path):
    page.goto(open_server.url)
    open_tab(page, "任务分工")
    dept = page.locator("#pk-dept input")
    dept.fill("区气象局")
    dept.press("Enter")
    page.wait_for_function("document.querySelector('#pk-dept-summary').innerText.includes('区气象局')")
    summary = page.locator("#pk-dept-summary").inner_text()
    # tasks, not rows: each body task with its rows of the 2024/2025/2026 tables is one task
    assert re.search(r"牵头\s*13\s*项，配合\s*0\s*项", summary), summary
    assert "共 13 项任务" in page.locator("#pk-task-count").inner_text()
    assert page.locator("#pk-task-table [role=grid]").get_attribute("aria-rowcount") == "14"   # header + 13
    page.get_by_role("radio", name="配合").check()        # by role: the timeline chart's bars are labelled 配合 too
    page.wait_for_function("document.querySelector('#pk-task-count').innerText.includes('共 0 项任务')")
    page.get_by_role("radio", name="全部").check()
    page.wait_for_function("document.querySelector('#pk-task-count').innerText.includes('共 13 项任务')")
    page.locator("#pk-task-table [data-testid=cell-0-2]").click()       # the row's source passage
    page.wait_for_selector("#pk-task-source mark")
    assert "区气象局" in page.locator("#pk-task-source").inner_text()
    page.screenshot(path=str(tmp_path / "tasks.png"), full_page=True)

    with page.expect_download() as dl:                                     # the department brief
        page.click("#pk-brief")
        page.wait_for_selector("#pk-task-file a[download]")
        page.locator("#pk-task-file a[download]").first.click()
    path = tmp_path / "brief.docx"
    dl.value.save_as(path)
    from docx import Document

    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "区气象局" in text and "牵头 13 项，配合 0 项" in text


def test_indicator_search(open_server, page, tmp_path):
    page.goto(open_server.url)
    open_tab(page, "指标要求")
    page.fill("#pk-ind-query textarea", "森林覆盖率")
    page.click("#pk-ind-search")
    page.wait_for_function("document.querySelector('#pk-ind-count').innerText.includes('共 3 项指标')")
    table = page.locator("#pk-ind-table").inner_text()
    assert "森林覆盖率" in table and "50" in table and "66" in table
    page.locator("#pk-ind-table [data-testid=cell-0-1]").click()
    page.wait_for_selector("#pk-ind-source mark")
    assert "森林覆盖率" in page.locator("#pk-ind-source mark").inner_text()
    page.screenshot(path=str(tmp_path / "indicators.png"), full_page=True)


def _plan_docx(path):
    from docx import Document

    d = Document()
    d.add_heading("青川区智慧路灯改造三年行动计划（2025-2027年）", level=1)
    d.add_paragraph("为提升城市照明智慧化水平，制定本计划。")
    d.add_paragraph("一、重点任务")
    d.add_paragraph("（一）推进智慧路灯改造。2026年底前完成主干道智慧路灯改造1200盏，同步建设路灯物联网管理平台。")
    d.add_paragraph("牵头单位：区城市管理委员会")
    d.add_paragraph("配合单位：区财政局、区科信局")
    d.add_paragraph("（二）建立运维机制。制定智慧路灯运维管理办法，2025年6月底前印发。")
    d.add_paragraph("牵头单位：区财政局")
    d.save(path)
    return path


def test_upload_docx_then_ask_about_it(open_server, page, tmp_path):
    doc = _plan_docx(tmp_path / "青川区智慧路灯改造三年行动计划.docx")
    page.goto(open_server.url)
    open_tab(page, "文档库")
    page.set_input_files("#pk-upload input[type=file]", str(doc))
    page.wait_for_timeout(500)
    page.click("#pk-upload-btn")
    page.wait_for_function("document.querySelector('#pk-upload-results').innerText.includes('已导入')", timeout=120_000)
    assert "青川区智慧路灯改造三年行动计划.docx" in page.locator("#pk-upload-results").inner_text()
    page.wait_for_function("document.querySelector('#pk-doc-table').innerText.includes('青川区')")
    page.screenshot(path=str(tmp_path / "upload.png"), full_page=True)

    open_tab(page, "智能问答")
    answer = ask(page, "智慧路灯改造由谁牵头？", 1)
    assert "区城市管理委员会" in answer
    assert "智慧路灯" in page.locator("#pk-chat details.pk-source summary").first.inner_text()
    page.screenshot(path=str(tmp_path / "upload-answer.png"), full_page=True)


def login(page, url: str, name: str) -> None:
    page.goto(url)
    page.locator("input[type=text], input[name=username]").first.fill(name)
    page.locator("input[type=password]").first.fill(PASSWORDS[name])
    page.locator("button[type=submit], button:has-text('Login'), button:has-text('登录')").first.click()
    page.wait_for_selector("#pk-question textarea")


def test_reader_cannot_upload_admin_can_see_upload(auth_server, browser, tmp_path):
    for name, can_upload in (("reader1", False), ("admin1", True)):
        ctx = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        login(page, auth_server.url, name)
        page.wait_for_function(f"document.querySelector('#pk-user').innerText.includes('{name}')")
        open_tab(page, "文档库")
        page.wait_for_timeout(500)
        assert page.locator("#pk-upload-btn").is_visible() is can_upload
        assert page.locator("#pk-del-btn").is_visible() is can_upload
        assert page.locator("#pk-reader-note").is_visible() is (not can_upload)
        page.screenshot(path=str(tmp_path / f"docs-{name}.png"), full_page=True)
        ctx.close()
