"""Page images in a real browser (Debian chromium via Playwright): a PDF in 文档库 › inspect shows its
first page, and a clicked chunk's page with the chunk highlighted; a chat answer from the PDF
shows the cited page in its source panel."""
import base64
import io

import pytest

from tests.app.conftest import Server
from tests.app.test_browser import ask, open_tab

pytestmark = [pytest.mark.integration, pytest.mark.browser]

QUOTE = "到2025年底，全区绿色出行比例达到75%以上。"


@pytest.fixture(scope="module")
def pdf_server(tmp_path_factory):
    from kb import KnowledgeBase, Settings
    from tests.ingest.test_ocr import _text_pdf

    d = tmp_path_factory.mktemp("app-pdf")
    pdf = d / "青川区绿色出行行动方案.pdf"
    _text_pdf(pdf, [["青川区绿色出行行动方案", "一、总体目标", "全区推进绿色出行，完善慢行系统。"],
                    ["二、主要指标", QUOTE, "新建自行车道30公里。"]])
    kb = KnowledgeBase(Settings(kb_dir=d / "kb"))
    assert [r.status for r in kb.ingest([pdf], embed=False)] == ["ingested"]
    s = Server(d / "kb", d / "app.log")
    yield s
    s.stop()


def _yellow(src: str) -> int:
    from PIL import Image

    img = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
    return sum(1 for x in range(0, img.width, 3) for y in range(0, img.height, 3)
               if img.getpixel((x, y))[0] > 200 and img.getpixel((x, y))[2] < 120 and img.getpixel((x, y))[1] > 150)


def test_inspect_shows_the_page_of_a_clicked_chunk(pdf_server, page, tmp_path):
    page.goto(pdf_server.url)
    open_tab(page, "文档库")
    sel = page.locator("#pk-inspect input")
    sel.click()
    sel.fill("青川区绿色出行")
    page.get_by_role("option").filter(has_text="青川区绿色出行").first.click()
    page.wait_for_selector("#pk-inspect-page img.pk-page")
    assert "原文第1页" in page.locator("#pk-inspect-page").inner_text()
    assert _yellow(page.locator("#pk-inspect-page img.pk-page").get_attribute("src")) == 0
    page.locator("#pk-inspect-chunks [data-testid^=cell-]", has_text="75%").first.click()
    page.wait_for_function("document.querySelector('#pk-inspect-page').innerText.includes('原文第2页')")
    img = page.locator("#pk-inspect-page img.pk-page")
    assert img.get_attribute("alt") == "第2页"
    assert _yellow(img.get_attribute("src")) > 20                         # the chunk's opening is highlighted
    page.screenshot(path=str(tmp_path / "inspect-page.png"), full_page=True)


def test_chat_source_shows_the_cited_page(pdf_server, page, tmp_path):
    page.goto(pdf_server.url)
    answer = ask(page, "青川区绿色出行比例要达到多少？", 1)
    assert "75%" in answer
    src = page.locator("#pk-chat details.pk-source").first
    src.locator("summary").click()
    img = src.locator("img.pk-page")
    img.wait_for()
    assert img.get_attribute("alt") == "第2页" and _yellow(img.get_attribute("src")) > 20
    page.screenshot(path=str(tmp_path / "chat-page.png"), full_page=True)
