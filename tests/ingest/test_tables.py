"""Table recovery: every row of the three 门头沟 任务分解表, plus other layouts."""
import pytest

from ingest import parse_file
from ingest.cleaning import clean_text
from ingest.tables import find_tables, row_text
from tests.conftest import OTHER, corpus_file

# (任务名称 prefix, 任务内容 prefix, 牵头单位, 配合单位, 完成时间) for every row, in order.
EXPECTED = {
    "2024": [
        ("一、打造", "全面提升“氧吧”应用的主动意识", "区气象局", "", "2024年12月"),
        ("一、打造", "开展“万级负氧离子体验区”建设", "区气象局、区文旅局", "百花山管理处、区委宣传部", "2024年12月"),
        ("一、打造", "推动完成3家“氧吧”民宿", "区气象局、区文旅局", "区财政局、各镇街", "2024年12月"),
        ("一、打造", "依托区政府民生项目，在重点景区建设20套", "区气象局", "区文旅局、区规自分局", "2024年12月"),
        ("一、打造", "开展气象“冷经济”研究", "区气象局、区文旅局", "清水镇", "2024年12月"),
        ("二、丰富", "将我区“灵山绿产”", "区农业农村局、区气象局", "区文旅局、各镇街", "2024年12月"),
        ("二、丰富", "发掘我区独具特色的气象景观", "区气象局、区文旅局", "区委宣传部、相关镇街", "2024年12月"),
        ("三、融入", "举办首届“气象经济高端论坛”", "区气象局、百花山管理处", "区文旅局、区委宣传部、区财政局", "2024年12月"),
        # the row with an empty 序号: its task name is carried down from the merged cell above
        ("三、融入", "在国际山地徒步大会", "区气象局、区体育局", "区委宣传部、区文旅局", "2024年12月"),
        ("四、推广", "制定《门头沟区“中国天然氧吧”专用标识应用推广方案》", "区气象局", "区市场监管局、区商务局", "2024年12月"),
        # glued units are kept verbatim here; the unit splitter separates them
        ("四、推广", "制定《门头沟区“中国天然氧吧”专用标识使用管理办法》", "区气象局", "区市场监管局区商务局", "2024年12月"),
        ("五、开展", "开展分类研究，试点出台星空、云海景观分类标准；开展星空观测、预报研究。编制符合华北", "区气象局", "区市场监管局", "2024年12月"),
    ],
    "2025": [
        ("一、打造", "将“氧吧”概念不断深入到行业发展中", "区气象局", "", "2025年12月"),
        ("一、打造", "做好“万级负氧离子体验区”宣传推广", "区气象局、区文旅局", "百花山管理处、区委宣传部", "2025年12月"),
        ("一、打造", "继续开展“氧吧”民宿", "区气象局、区文旅局", "区财政局、各镇街", "2025年12月"),
        ("二、丰富", "宣传推广“氧吧优品”", "区气象局、区农业农村局", "区文旅局、各镇街", "2025年12月"),
        ("二、丰富", "继续发布星空、云海、晚霞", "区气象局、区文旅局", "区委宣传部、相关镇街", "2025年12月"),
        ("三、融入", "继续举办气象经济相关论坛", "区气象局、百花山管理处", "区文旅局、区委宣传部、区财政局", "2025年12月"),
        ("三、融入", "做好“氧吧”元素与体育赛事的融合", "区气象局、区体育局", "区委宣传部、区文旅局", "2025年12月"),
        ("四、推动", "完善门头沟区“中国天然氧吧”专用标识", "区气象局", "区市场监管局区商务局", "2025年12月"),
        ("五、开展", "完善“氧吧”相关标准", "区气象局", "区市场监管局", "2025年12月"),
    ],
    "2026": [
        ("一、守护", "继续落实2024年、2025年任务", "区气象局", "相关单位", "2026年12月"),
        ("一、守护", "生态环境状况指数EI保良创优（优为75）", "区生态环境局", "相关单位", "2026年12月"),
        ("一、守护", "增加城市绿色空间", "区园林绿化局", "相关单位", "2026年12月"),
        # spilled rows: their 序号 and 任务名称 cells are merged with the rows above
        ("一、守护", "大力实施人工造林", "区园林绿化局", "相关单位", "2026年12月"),
        ("一、守护", "不断提高湿地保护水平", "区园林绿化局", "相关单位", "2026年12月"),
        ("二、“氧吧”生态效益评估", "从经济效益、生态效益", "区气象局、区政府办", "相关单位", "2026年12月"),
        ("三、编制门头沟区", "对“氧吧”行业落地我区", "区气象局", "相关单位", "2026年12月"),
        ("四、“氧吧”专项验收工作", "完成“氧吧”专项的目标实现", "区气象局", "相关单位", "2026年12月"),
    ],
}


@pytest.fixture(scope="module")
def mentougou_tables():
    text = clean_text(corpus_file("门头沟区_氧吧").read_text(encoding="utf-8"))
    return {t.table.caption[t.table.caption.index("（") + 1:][:4]: t.table for t in find_tables(text)}


@pytest.mark.parametrize("year", ["2024", "2025", "2026"])
def test_every_row_of_mentougou_task_tables(mentougou_tables, year):
    table = mentougou_tables[year]
    assert table.headers == ["序号", "任务名称", "任务内容", "牵头单位", "配合单位", "完成时间"]
    assert f"（{year}年）任务分解表" in table.caption
    got = [(r.cells["任务名称"], r.cells["任务内容"], r.cells["牵头单位"], r.cells["配合单位"], r.cells["完成时间"])
           for r in table.rows]
    assert len(got) == len(EXPECTED[year])
    for (name, content, lead, co, due), (e_name, e_content, e_lead, e_co, e_due) in zip(got, EXPECTED[year]):
        assert name.startswith(e_name), (name, e_name)
        assert content.startswith(e_content), (content, e_content)
        assert (lead, co, due) == (e_lead, e_co, e_due), content


def test_row_spans_point_at_the_row(mentougou_tables):
    text = clean_text(corpus_file("门头沟区_氧吧").read_text(encoding="utf-8"))
    for table in mentougou_tables.values():
        for row in table.rows:
            assert row.cells["任务内容"][:10] in text[row.start:row.end]


def test_row_text_keeps_caption_and_headers(mentougou_tables):
    t = mentougou_tables["2024"]
    s = row_text(t, t.rows[1])
    assert s.startswith(t.caption)
    assert "牵头单位：区气象局、区文旅局" in s and "完成时间：2024年12月" in s


def test_markdown_pipe_table():
    text = "表1 重点任务\n| 序号 | 任务 | 责任单位 | 完成时限 |\n|---|---|---|---|\n| 1 | 建设绿道 | 区绿化市容局 | 2025年底 |\n| 2 | | 区水务局 | 2026年 |\n"
    (span,) = find_tables(text)
    t = span.table
    assert t.caption == "表1 重点任务"
    assert [r.cells["责任单位"] for r in t.rows] == ["区绿化市容局", "区水务局"]
    assert t.rows[1].cells["任务"] == "建设绿道"          # blank task name carried down


@pytest.mark.skipif(not OTHER.is_dir(), reason="other-corpus missing")
def test_pipe_stream_table_state_council_indicators():
    doc = parse_file(next(OTHER.glob("03_*")))
    (t,) = doc.tables
    assert t.headers == ["一级指标", "二级指标", "三级指标", "指标性质", "指标说明"]
    assert len(t.rows) == 55
    assert t.rows[0].cells["二级指标"] == "（一）功能定位" and t.rows[0].cells["三级指标"].startswith("1.门诊人次数")
    assert t.rows[7].cells["二级指标"] == "（二）质量安全"        # new merged group starts
    assert t.rows[-1].cells["三级指标"].startswith("55.")


@pytest.mark.skipif(not OTHER.is_dir(), reason="other-corpus missing")
def test_blank_line_table_jiading_responsibility_column():
    doc = parse_file(next(OTHER.glob("05_*")))
    t = next(t for t in doc.tables if "任务分解表" in t.caption)
    assert t.headers == ["序号", "任务类型", "重点内容", "责任单位", "参考文件"]
    assert [r.cells["序号"] for r in t.rows] == [str(i) for i in range(1, len(t.rows) + 1)]
    assert t.rows[0].cells["责任单位"].startswith("区建设管理委")


# --- grids from PDF / HTML / spreadsheets -------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from ingest.tables import grid_text, join_headers  # noqa: E402

_cell = st.text(alphabet="区园林绿化局任务建设公园年月完成0123456789、", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5).flatmap(lambda w: st.tuples(
    st.lists(st.text(alphabet="任务牵头配合单位时间名称序号", min_size=1, max_size=6), min_size=w, max_size=w, unique=True),
    st.lists(st.lists(_cell, min_size=w, max_size=w), min_size=1, max_size=6))))
def test_grid_text_reads_back_as_the_same_table(grid):
    headers, rows = grid
    text = "正文段落。\n\n" + grid_text([headers] + rows, caption="附表1 任务清单", header_rows=1) + "后续正文。\n"
    (span,) = find_tables(text)
    t = span.table
    assert t.headers == headers and t.caption == "附表1 任务清单"
    assert [list(r.cells.values()) for r in t.rows] == [r for r in rows if any(c for k, c in enumerate(r) if headers[k] != "序号")]


def test_joined_headers_are_unique():
    assert join_headers([["收入", "收入", "支出", "支出"], ["项目", "预算数", "项目", "预算数"]]) == [
        "收入·项目", "收入·预算数", "支出·项目", "支出·预算数"]
    assert join_headers([["科目编码", "科目名称", "科目编码", "科目名称"]]) == ["科目编码", "科目名称", "科目编码2", "科目名称2"]


def test_blank_budget_code_cells_stay_blank():
    """A 类/款/项 code column (科目编码) is no grouping column: a blank 款 or 项 of a 类 row is not the
    code of the row above (the 收入预算总表 of the 普陀区商务委员会 budget)."""
    grid = [["项目", "项目", "项目", "项目", "收入预算"],
            ["功能分类科目编码", "功能分类科目编码", "功能分类科目编码", "功能分类科目名称", "合计"],
            ["类", "款", "项", "功能分类科目名称", "合计"],
            ["201", "13", "99", "其他商贸事务支出", "4,765,000.00"],
            ["206", "", "", "科学技术支出", "17,200,000.00"],
            ["206", "05", "", "科技条件与服务", "17,200,000.00"]]
    (span,) = find_tables("正文。\n\n" + grid_text(grid, caption="2025年部门收入预算总表（单位：元）", header_rows=3))
    rows = [r.cells for r in span.table.rows]
    assert rows[1]["项目·功能分类科目编码·款"] == "" and rows[1]["项目·功能分类科目编码·项"] == ""
    assert rows[2]["项目·功能分类科目编码·款"] == "05" and rows[2]["项目·功能分类科目编码·项"] == ""


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["201", "206", "208"]), st.sampled_from(["", "05", "13"]),
                          st.sampled_from(["", "01", "99"]), st.text(alphabet="科技支出事务行政运行", min_size=2, max_size=8),
                          st.integers(1, 10 ** 7).map(lambda v: f"{v:,}.00")), min_size=1, max_size=8))
def test_code_columns_read_back_as_printed(rows):
    grid = [["科目编码·类", "科目编码·款", "科目编码·项", "科目名称", "合计"]] + [list(r) for r in rows]
    (span,) = find_tables("正文。\n\n" + grid_text(grid, caption="收入预算总表", header_rows=1))
    assert [list(r.cells.values())[:3] for r in span.table.rows] == [list(r[:3]) for r in rows]
