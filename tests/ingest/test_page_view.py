"""Page images of citations: the quoted span's boxes highlighted on the rendered page."""

from hypothesis import given, strategies as st

from ingest.page_view import Box, find_span, line_boxes, render_citation
from tests.ingest.test_ocr import _text_pdf
from tests.ingest.test_ofd import PAGE1, write_ofd


def _yellow(img, box=None):
    px = img.load()
    x0, y0, x1, y1 = box or (0, 0, img.size[0], img.size[1])
    return sum(1 for x in range(int(x0), int(x1), 2) for y in range(int(y0), int(y1), 2)
               if px[x, y][0] > 200 and px[x, y][1] > 150 and px[x, y][2] < 120)


def test_pdf_quote_is_highlighted_on_its_page(tmp_path):
    p = tmp_path / "plan.pdf"
    _text_pdf(p, [["第一页正文。"], ["某区方案", "到2025年底，全区绿色出行比例达到75%以上，", "新建自行车道30公里。"]])
    # the parsed text joins the two lines: the quote runs over a line break
    img = render_citation(p, 2, "全区绿色出行比例达到75%以上，新建自行车道30公里")
    assert img is not None and _yellow(img) > 50
    top_half = _yellow(img, (0, 0, img.size[0], img.size[1] / 2))
    assert top_half == _yellow(img)            # the lines sit near the top of the page
    assert _yellow(render_citation(p, 1, "全区绿色出行比例")) == 0       # not on page 1
    assert render_citation(p, 3, "x") is None


def test_ofd_page_is_drawn_with_the_quote(tmp_path):
    p = tmp_path / "a.ofd"
    write_ofd(p, [PAGE1])
    img = render_citation(p, 1, "某园发〔2024〕12号")
    assert img is not None and _yellow(img) > 20


@given(st.lists(st.sampled_from(list("区园林局 \n年月1")), min_size=1, max_size=30), st.data())
def test_find_span_ignores_whitespace(chars, data):
    flat = [i for i, c in enumerate(chars) if c.strip()]
    if not flat:
        assert find_span(chars, "区") == []
        return
    a = data.draw(st.integers(0, len(flat) - 1))
    b = data.draw(st.integers(a, len(flat) - 1))
    quote = "".join(chars[i] for i in flat[a:b + 1])
    span = find_span(chars, quote)
    assert "".join(chars[i] for i in span) == quote


def test_line_boxes_merge_glyphs_per_line():
    glyphs = [Box(10 * k, 0, 10 * k + 9, 12) for k in range(5)] + [Box(10 * k, 20, 10 * k + 9, 32) for k in range(3)]
    assert line_boxes(glyphs) == [Box(0, 0, 49, 12), Box(0, 20, 29, 32)]


def test_data_uri_for_a_source_panel(tmp_path):
    import base64
    import io

    from PIL import Image

    from ingest.page_view import citation_data_uri

    p = tmp_path / "plan.pdf"
    _text_pdf(p, [["某区方案", "新建自行车道30公里。"]])
    uri = citation_data_uri(p, 1, "新建自行车道30公里", width=400)
    img = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert uri.startswith("data:image/png;base64,") and img.width == 400 and _yellow(img.convert("RGB")) > 5
    assert citation_data_uri(tmp_path / "a.txt", 1, "x") is None


def test_a_table_row_is_found_by_its_cells(tmp_path):
    """A table row cited as "表题\\n列：值；列：值" is highlighted where its cells are printed."""
    p = tmp_path / "budget.pdf"
    _text_pdf(p, [["2025年部门收入预算总表", "201  13  01  行政运行  9,389,913.00", "201  13  02  一般行政管理事务  4,545,000.00"]])
    row = "2025年部门收入预算总表（单位：元）\n类：201；款：13；项：02；名称：一般行政管理事务；合计：4,545,000.00"
    img = render_citation(p, 1, row)
    assert img is not None and _yellow(img) > 20
    # lines are drawn 33 pt apart from y=780 pt: the third line's glyphs lie below 208 px (scale 2), the second's above
    assert _yellow(img, (0, 208, img.size[0], img.size[1])) == _yellow(img)      # the second row, not the first


@given(st.lists(st.sampled_from(["类", "款", "名称", "合计"]), min_size=2, max_size=4, unique=True),
       st.lists(st.text(alphabet="0123456789行政运行支出,.", min_size=1, max_size=8), min_size=4, max_size=4))
def test_quote_forms_of_a_row_are_its_values_in_order(headers, values):
    from ingest.page_view import quote_forms

    row = "某表\n" + "；".join(f"{h}：{v}" for h, v in zip(headers, values))
    forms = quote_forms(row)
    assert forms[0] == row and forms[1] == "".join(values[:len(headers)])


def test_quote_forms_fall_back_to_the_first_sentence():
    from ingest.page_view import quote_forms

    q = "到2025年底，全区绿色出行比例达到75%以上。新建自行车道30公里。\n跨页后的内容"
    assert quote_forms(q) == [q, "到2025年底，全区绿色出行比例达到75%以上。新建自行车道30公里。", "到2025年底，全区绿色出行比例达到75%以上。"]
