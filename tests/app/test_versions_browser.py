"""Versions and indicator comparison in a real browser (service/app_versions.py): the diff view of a version
made in the test lists exactly its changes; the 森林覆盖率 comparison shows two regions with their years."""
import pytest

from tests.app.conftest import Server, _kb_copy
from tests.version_helpers import EXPECTED, SEED, VERSION_NAME, make_version

pytestmark = [pytest.mark.integration, pytest.mark.browser]


@pytest.fixture(scope="module")
def version_server(seed_kb, tmp_path_factory):
    """A copy of the seed knowledge base plus the made version (its unchanged passages' vectors come
    from the embedding cache), served by `python app.py`."""
    from kb import KnowledgeBase, Settings

    d = tmp_path_factory.mktemp("app-versions")
    kb_dir = _kb_copy(seed_kb, d / "kb")
    kb = KnowledgeBase(Settings(kb_dir=kb_dir))
    assert [r.status for r in kb.ingest([make_version(d / "docs")])] == ["ingested"]
    s = Server(kb_dir, d / "app.log")
    yield s
    s.stop()


def table_rows(page, elem_id: str) -> list[list[str]]:
    """The cells of a Gradio Dataframe, row by row (its cells carry data-testid="cell-ROW-COL")."""
    n = page.locator(f"#{elem_id} [data-testid^='cell-'][data-testid$='-0']").count()
    cols = page.locator(f"#{elem_id} [data-testid^='cell-0-']").count()
    return [[page.locator(f"#{elem_id} [data-testid='cell-{i}-{j}']").inner_text().strip() for j in range(cols)]
            for i in range(n)]


def choose(page, elem_id: str, value: str) -> None:
    box = page.locator(f"#{elem_id} input")
    box.click()
    box.fill(value)
    box.press("Enter")
    page.keyboard.press("Escape")


def test_diff_view_lists_exactly_the_changes(version_server, page, tmp_path):
    page.goto(version_server.url)
    page.get_by_role("tab", name="文档库").click()
    page.locator("#pk-diff").get_by_text("版本对比").click()
    choose(page, "pk-diff-a", SEED.stem)
    choose(page, "pk-diff-b", VERSION_NAME)
    page.click("#pk-diff-btn")
    page.wait_for_function("document.querySelector('#pk-diff-summary').innerText.includes('任务：')")
    assert "任务：删除 1 项，修改 2 处；指标：修改 1 处" in page.locator("#pk-diff-summary").inner_text()
    rows = table_rows(page, "pk-diff-table")
    assert len(rows) == len(EXPECTED)
    assert {tuple(r[:6]) for r in rows} == EXPECTED
    for r in rows:                                      # a source on each side that has the item
        assert (r[6] != "") == (r[1] != "新增") and (r[7] != "") == (r[1] != "删除")
    page.screenshot(path=str(tmp_path / "diff.png"), full_page=True)
    # a row opens both passages, the changed text highlighted in B
    row = next(i for i, r in enumerate(rows) if r[5] == "30套")
    page.locator(f"#pk-diff-table [data-testid='cell-{row}-2']").click()
    page.wait_for_selector("#pk-diff-source mark")
    source = page.locator("#pk-diff-source").inner_text()
    assert "20套" in source and "30套" in source
    page.screenshot(path=str(tmp_path / "diff-source.png"), full_page=True)


def test_versions_table_shows_the_superseded_seed(version_server, page, tmp_path):
    page.goto(version_server.url)
    page.get_by_role("tab", name="文档库").click()
    page.locator("#pk-versions").get_by_text("版本与状态").click()
    page.locator("#pk-version-table [data-testid='cell-0-0']").wait_for()
    rows = {r[0]: r for r in table_rows(page, "pk-version-table")}
    assert rows[SEED.stem][2] == "已被替代" and rows[VERSION_NAME][2] == "正式"
    assert rows["朝阳区_全面推进美丽朝阳建设实施方案_征求意见稿"][2] == "征求意见稿"
    page.screenshot(path=str(tmp_path / "versions.png"), full_page=True)


def test_forest_cover_comparison_with_years(version_server, page, tmp_path):
    page.goto(version_server.url)
    page.get_by_role("tab", name="指标要求").click()
    choose(page, "pk-compare-measure", "森林覆盖率")
    page.click("#pk-compare-btn")
    page.wait_for_function("document.querySelector('#pk-compare-note').innerText.includes('个目标值')")
    assert "2 个地区" in page.locator("#pk-compare-note").inner_text()
    cells = {tuple(r[1:5]) for r in table_rows(page, "pk-compare-table")}
    assert ("北京市", "门头沟区、平谷区、怀柔区、密云区、延庆区", "≥66%", "2027") in cells
    assert ("门头沟区", "全区", "≥50%", "2026") in cells
    # the chart is drawn in the page (Gradio's own Vega plot, nothing from the internet): one bar per value,
    # each labelled with its region, value and year
    page.wait_for_function("document.querySelectorAll(\"#pk-compare-plot svg [aria-label^='地区']\").length >= 2")
    bars = page.locator("#pk-compare-plot svg [aria-label^='地区']")
    labels = [bars.nth(i).get_attribute("aria-label") or "" for i in range(bars.count())]
    assert len(labels) == 2
    assert any("北京市" in x and "66" in x and "2027" in x for x in labels), labels
    assert any("门头沟区" in x and "50" in x and "2026" in x for x in labels), labels
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)
