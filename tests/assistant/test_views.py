"""What the page shows: answers with expandable, highlighted sources; markers; example questions
drawn from whatever corpus is loaded; passages and escaping checked against simple references."""
import html
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import views
from tests.assistant.conftest import TODAY
from tests.assistant.test_llm import llm_bot
from tests.assistant.fake_openai import FakeChat

Q = "万级负氧离子体验区由谁牵头？"


def marks(message: str) -> list[str]:
    return [html.unescape(re.sub(r"<br>", "\n", m)) for m in re.findall(r"<mark>(.*?)</mark>", message, re.S)]


@pytest.mark.integration
def test_answer_message_has_numbered_highlighted_sources(bot):
    a = bot.ask(Q)
    msg = views.answer_message(a, bot.docs)
    assert msg.startswith(a.answer.strip()[:20])                  # no marker on a plain extractive answer
    assert msg.count('<details class="pk-source">') == len(a.citations) >= 2
    for c in a.citations:
        assert f"<summary>[{c.n}] " in msg
    text = {c.doc_id: bot.docs.text(c.doc_id) for c in a.citations}
    for c, m in zip(a.citations, marks(msg)):
        squeeze = lambda x: re.sub(r"\s+", "", x)  # noqa: E731
        assert squeeze(m) == squeeze(c.quote) and c.quote in text[c.doc_id]  # the highlighted span is the quote
    assert "门头沟" in msg and "任务分解表" in msg                        # document and breadcrumb


@pytest.mark.integration
def test_refusal_marker_and_references(bot):
    a = bot.ask("门头沟区2030年碳排放强度下降多少？")
    assert a.refused
    msg = views.answer_message(a, bot.docs)
    assert 'class="pk-badge pk-refused"' in msg and "未找到依据" in msg
    if a.references:
        assert "并非答案" in msg and "pk-reference" in msg
    assert '<details class="pk-source">' not in msg                      # references are not sources


@pytest.mark.integration
def test_llm_and_fallback_markers(seed_kb):
    with FakeChat() as fake:
        fake.reply = "牵头单位为区气象局、区文旅局。[1]"
        a = llm_bot(seed_kb, fake.url).ask(Q)
    msg = views.answer_message(a, llm_bot(seed_kb, "http://x").docs, llm_enabled=True)
    assert "pk-llm" in msg and "pk-fallback" not in msg
    with FakeChat() as fake:
        fake.reply = "牵头单位为区气象局，2031年完成。[1]"                      # 2031 is in no source
        b = llm_bot(seed_kb, fake.url).ask(Q)
    msg = views.answer_message(b, llm_bot(seed_kb, "http://x").docs, llm_enabled=True)
    assert msg.count("pk-fallback") == 2 and "未通过核验" in msg and "pk-source" in msg


class _Cite:
    def __init__(self, quote, start, end):
        self.n, self.doc_id, self.title, self.section, self.page = 1, "d", "标题", "标题 › 一、任务", 3
        self.quote, self.start, self.end = quote, start, end


def test_source_block_escapes_and_falls_back_to_search():
    doc = {"doc_id": "d", "title": "标题", "meta": {}, "text": "前言。\n一、任务\n开展<script>alert(1)</script>建设。\n结尾。",
           "sections": [{"start": 4, "end": 40, "title": "一、任务", "level": 1}]}

    class Docs:
        def get(self, _):
            return doc

    quote = "开展<script>alert(1)</script>建设。"
    block = views.source_block(1, _Cite(quote, -1, -1), Docs())      # no span: found by search
    assert "<script>" not in block and "&lt;script&gt;" in block
    assert marks(block) == [quote.replace("\t", "　")]
    assert "[1] 标题 › 一、任务 · 第3页" in block                       # root crumb equal to the title dropped


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="甲乙丙。\n<>&\"' ab", min_size=1, max_size=300), st.data())
def test_passage_and_highlight_reference(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    doc = {"text": text, "sections": []}
    p0, p1 = views.passage_bounds(doc, start, end, max_chars=80)
    assert p0 <= start and end <= p1 or (p1 - p0 <= 80 and p0 <= start)     # holds the quote unless it is too long
    assert 0 <= p0 < p1 <= len(text)
    out = views.highlighted(text, p0, p1, start, end)
    assert "<" not in re.sub(r"</?mark>|<br>", "", out)                      # only our own tags
    plain = html.unescape(re.sub(r"</?mark>", "", out).replace("<br>", "\n"))
    core = text[p0:p1].strip("\n")
    assert re.sub(r"\s+", "", plain.strip("…")) == re.sub(r"\s+", "", core)


def test_department_summary_text():
    t = lambda i, due, kind="date": {"doc_id": "d", "idx": i, "name": f"任务{i}", "due": due,  # noqa: E731
                                     "deadline": "", "deadline_kind": kind, "breadcrumb": "计划 › 表"}
    summary = {"canonical": "区气象局", "names": ["区气象局", "气象局"], "lead": [t(1, "2024-12"), t(2, "2026-11"),
               t(3, "2027-06")], "co": [t(4, None, "ongoing")]}
    md = views.department_summary(summary, date(2026, 11, 21))
    assert "**区气象局**（含 气象局）：牵头 **3** 项，配合 **1** 项" in md
    assert "已到期 1 项，本月到期 1 项，未到期 1 项，持续 1 项" in md
    assert md.index("2026年11月") < md.index("2027年6月") and "2024年12月" not in md   # next deadlines only


@pytest.mark.integration
def test_example_questions_are_answerable_on_the_seeds(bot):
    qs = views.example_questions(bot.kb.facts, bot.kb.documents())
    assert len(qs) == 6 and len(set(qs)) == 6
    for q in qs:
        a = bot.ask(q)
        assert not a.refused and a.citations, q


def test_example_questions_follow_the_loaded_corpus(other_corpus, tmp_path, fake_embeddings):
    from assistant import Assistant
    from kb import KnowledgeBase, Settings

    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)
    kb.ingest(other_corpus[:4])
    bot = Assistant(kb=kb, today=TODAY)
    qs = views.example_questions(kb.facts, kb.documents())
    assert qs and not any("门头沟" in q or "气象局" in q for q in qs)
    for q in qs:
        a = bot.ask(q)
        assert not a.refused and a.citations, q


def test_a_pdf_citation_shows_its_page_with_the_quote_highlighted(tmp_path):
    import base64
    import io

    from PIL import Image

    from assistant.evidence import Citation
    from tests.ingest.test_ocr import _text_pdf

    p = tmp_path / "plan.pdf"
    _text_pdf(p, [["第一页正文。"], ["某区方案", "到2025年底，全区绿色出行比例达到75%以上。"]])
    quote = "到2025年底，全区绿色出行比例达到75%以上。"
    text = "第一页正文。\n某区方案\n" + quote
    doc = {"doc_id": "d", "title": "某区方案", "text": text, "sections": [], "page_starts": [0, 7],
           "meta": {"extra": {"ocr_pages": [2]}}, "path": str(p)}

    class Docs:
        def get(self, doc_id):
            return doc

    c = Citation(n=1, doc_id="d", title="某区方案", section="某区方案", page=2, quote=quote,
                 start=text.index(quote), end=len(text))
    block = views.source_block(1, c, Docs())
    assert "识别文字" in block and '<img class="pk-page"' in block
    uri = block.split('src="', 1)[1].split('"', 1)[0]
    img = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")
    assert img.width <= 900
    yellow = sum(1 for x in range(0, img.width, 3) for y in range(0, img.height, 3)
                 if img.getpixel((x, y))[0] > 200 and img.getpixel((x, y))[2] < 120 and img.getpixel((x, y))[1] > 150)
    assert yellow > 20
    c_txt = Citation(n=1, doc_id="d", title="某区方案", section="", page=None, quote=quote)
    assert "<img" not in views.source_block(1, c_txt, Docs())       # no page, no image


# --- page images in 文档库 › inspect, OCR pages as stored, 款 in source labels -----------------------

def _yellow(uri: str) -> int:
    import base64
    import io

    from PIL import Image

    img = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")
    return sum(1 for x in range(0, img.width, 3) for y in range(0, img.height, 3)
               if img.getpixel((x, y))[0] > 200 and img.getpixel((x, y))[2] < 120 and img.getpixel((x, y))[1] > 150)


def test_inspect_page_shows_the_chunks_page_with_its_opening_highlighted(tmp_path):
    from tests.ingest.test_ocr import _text_pdf

    p = tmp_path / "plan.pdf"
    _text_pdf(p, [["第一页正文。"], ["某区方案", "到2025年底，全区绿色出行比例达到75%以上。"]])
    row = {"path": str(p)}
    first = views.inspect_page_html(row)
    assert "原文第1页" in first and '<img class="pk-page"' in first
    assert _yellow(first.split('src="', 1)[1].split('"', 1)[0]) == 0               # nothing chosen, nothing marked
    chunk = {"kind": "text", "page": 2, "text": "到2025年底，全区绿色出行比例达到75%以上。\n下一行"}
    html_ = views.inspect_page_html(row, chunk)
    assert "原文第2页" in html_ and _yellow(html_.split('src="', 1)[1].split('"', 1)[0]) > 20
    txt = tmp_path / "plan.txt"
    txt.write_text("正文", encoding="utf-8")
    assert views.inspect_page_html({"path": str(txt)}, chunk) == ""                # no pages, no image
    assert views.inspect_page_html(None) == ""


def test_ocr_pages_as_the_metadata_stores_them(tmp_path):
    """``ocr_pages`` is stored as "1,3": the source block marks those pages 识别文字 (and does not fail)."""
    from assistant.evidence import Citation

    assert views.ocr_pages({"extra": {"ocr_pages": "1,3"}}) == {1, 3}
    assert views.ocr_pages({"extra": {"ocr_pages": [2]}}) == {2} and views.ocr_pages(None) == set()
    text = "扫描件正文第一句。"
    doc = {"doc_id": "d", "title": "扫描件", "text": text, "sections": [], "page_starts": [0],
           "meta": {"extra": {"ocr_pages": "1"}}, "path": str(tmp_path / "missing.pdf")}

    class Docs:
        def get(self, doc_id):
            return doc

    c = Citation(n=1, doc_id="d", title="扫描件", section="扫描件", page=1, quote=text, start=0, end=len(text))
    assert "识别文字" in views.source_block(1, c, Docs())


def test_file_notes_say_signed_and_ocr():
    notes = views.file_notes({"extra": {"signed": True, "ocr_pages": "2"}})
    assert any("电子签章" in n for n in notes) and any("第 2 页" in n for n in notes)
    assert views.file_notes({"extra": {}}) == []


def test_source_label_names_the_clause_of_a_regulation():
    from assistant.evidence import Citation
    from ingest.structure import build_sections

    text = ("某省促进条例\n第一章　总则\n第一条　本条例适用于本省。\n"
            "第二条　县级以上人民政府应当加强领导。\n本条例所称数字经济，是指以数据为要素的经济形态。\n")
    sections = [s.to_dict() for s in build_sections(text, "某省促进条例").sections]
    doc = {"doc_id": "d", "title": "某省促进条例", "text": text, "sections": sections, "page_starts": [],
           "meta": {}, "path": ""}

    class Docs:
        def get(self, doc_id):
            return doc

    quote = "本条例所称数字经济，是指以数据为要素的经济形态。"
    c = Citation(n=1, doc_id="d", title="某省促进条例", section="某省促进条例 › 第一章　总则 › 第二条", page=None,
                 quote=quote, start=text.index(quote), end=text.index(quote) + len(quote))
    summary = views.source_block(1, c, Docs()).split("<summary>", 1)[1].split("</summary>", 1)[0]
    assert summary.endswith("第一章　总则 › 第二条第二款")
    one = "本条例适用于本省。"
    c1 = Citation(n=2, doc_id="d", title="某省促进条例", section="某省促进条例 › 第一章　总则 › 第一条", page=None,
                  quote=one, start=text.index(one), end=text.index(one) + len(one))
    assert views.source_block(2, c1, Docs()).split("</summary>", 1)[0].endswith("第一条")   # one paragraph


def test_a_clicked_row_is_found_by_its_values_even_in_a_sorted_table():
    from assistant.views import clicked_row
    rows = [["a", 1], ["b", 2]]
    assert clicked_row([0, 1], ["b", 2], rows) == 1          # the user sorted: row 0 on the page is "b"
    assert clicked_row([1, 0], ["z", 9], rows) == 1          # no row has those values: the clicked index
    assert clicked_row(0, None, None) == 0
