"""Task extraction from the four shapes plans use, on synthetic documents."""
import pytest

from ingest import parse_file
from ingest.deadlines import parse_deadline
from ingest.facts import extract_facts
from ingest.structure import build_sections
from ingest.tables import find_tables


def _facts(text: str):
    spans = find_tables(text)
    tree = build_sections(text, "测试方案", spans)
    by_id = {s.id: s for s in tree.sections}

    def crumbs(sid):
        out, node = [], by_id.get(sid)
        while node is not None:
            out.append(node.title)
            node = by_id.get(node.parent) if node.parent is not None else None
        return out[::-1]

    return extract_facts(text, tree.sections, [s.table for s in spans], crumbs)


ROLE_LINES = """某区行动计划
一、重点任务
（一）建设绿色空间
1.推进口袋公园建设。2025年底前建成口袋公园10处，全区森林覆盖率达到45%。
牵头单位：区园林局
配合单位：区规划资源局、各街道
2.提升河道水质。开展河道治理。
牵头单位：区水务局区生态环境局
配合单位：相关单位
（二）加强宣传
面向市民开展宣传活动。
牵头单位：区委宣传部
"""


def test_role_lines_belong_to_the_paragraph_above():
    tasks, inds = _facts(ROLE_LINES)
    assert [(t.name, t.lead, t.co) for t in tasks] == [
        ("推进口袋公园建设", ["区园林局"], ["区规划资源局", "各街道"]),
        ("提升河道水质", ["区水务局", "区生态环境局"], ["相关单位"]),
        ("加强宣传", ["区委宣传部"], []),
    ]
    assert tasks[0].deadline.due == "2025-12"          # "2025年底前" in the paragraph
    assert tasks[0].breadcrumb.endswith("1.推进口袋公园建设")
    # indicators inside a task carry its lead units
    forest = next(i for i in inds if i.measure == "森林覆盖率")
    assert (forest.value, forest.units_responsible) == (45, ["区园林局"])


NOTES = """某市实施方案
一、主要任务
（一）完善制度。2024年6月底前出台管理办法。（市发展改革委牵头，市财政局、市统计局参与）健全统计制度。（市统计局、市财政局负责）
（二）推动试点。开展试点示范。（牵头单位：市科委；配合单位：市经信委，各区）
（三）强化监管。加强执法检查。(责任单位：市市场监管局、市公安局)
（四）说明。本方案所称园区（含开发区）为市级以上园区。
"""


def test_bracketed_notes_close_a_task():
    tasks, _ = _facts(NOTES)
    got = [(t.lead, t.co, t.deadline.due) for t in tasks]
    assert got == [
        (["市发展改革委"], ["市财政局", "市统计局"], "2024-06"),
        (["市统计局"], ["市财政局"], None),                # "（A、B负责）": the first listed leads
        (["市科委"], ["市经信委", "各区"], None),
        (["市市场监管局", "市公安局"], [], None),           # every 责任单位 is responsible
    ]
    assert tasks[0].name == "完善制度" and tasks[1].content.startswith("健全统计制度")


TABLE = """某区2025年重点任务分解表
| 序号 | 任务名称 | 任务内容 | 责任单位 | 配合单位 | 完成时限 |
|---|---|---|---|---|---|
| 1 | 绿化 | 新建绿道20公里 | 区绿化市容局 | 各街镇 | 2025年12月底前 |
| 2 |  | 完成林地抚育 | 区绿化市容局 |  | 持续推进 |
"""


def test_table_rows_with_unit_columns():
    tasks, inds = _facts(TABLE)
    assert [(t.name, t.lead, t.co, t.deadline.due, t.deadline.kind, t.plan_year) for t in tasks] == [
        ("绿化", ["区绿化市容局"], ["各街镇"], "2025-12", "date", 2025),
        ("绿化", ["区绿化市容局"], [], None, "ongoing", 2025),     # 任务名称 carried down
    ]
    (km,) = inds
    assert (km.value, km.unit, km.due, km.units_responsible, km.table_index) == (20, "公里", "2025-12",
                                                                                ["区绿化市容局"], 0)


def test_duty_lines():
    tasks, _ = _facts("某区方案\n四、职责分工\n（一）区发展改革委：负责项目审批和投资政策制定。\n（二）区财政局：负责资金保障。\n")
    assert [(t.lead, t.source) for t in tasks] == [(["区发展改革委"], "duty"), (["区财政局"], "duty")]


def test_no_units_no_tasks():
    tasks, _ = _facts("某区方案\n一、总体要求\n坚持绿色发展（以下简称“绿色”），加强组织领导（详见附件）。\n")
    assert tasks == []
    assert parse_deadline("2024年12月").due == "2024-12"


@pytest.mark.parametrize("role_lines,lead,co", [
    ("牵头单位：区园林绿化局", ["区园林绿化局"], []),                                   # after a bare heading
    ("牵头单位：区园林绿化局；配合单位：区城管委", ["区园林绿化局"], ["区城管委"]),
    ("牵头单位：区园林绿化局  配合单位：区城管委", ["区园林绿化局"], ["区城管委"]),     # two roles, one line
    ("【牵头单位】区园林绿化局\n【配合单位】区城管委", ["区园林绿化局"], ["区城管委"]),
    ("牵头：区园林绿化局\n配合：区城管委", ["区园林绿化局"], ["区城管委"]),
])
def test_role_lines_after_a_task(tmp_path, role_lines, lead, co):
    for heading in ("（一）建设口袋公园", "（一）建设口袋公园。2025年底前新建口袋公园10个。"):
        p = tmp_path / "upload.txt"
        p.write_text(f"某区绿化行动方案\n一、重点任务\n{heading}\n{role_lines}\n（二）加强管护\n正文。\n", encoding="utf-8")
        (task,) = parse_file(p).tasks
        assert task.name == "建设口袋公园" and task.lead == lead and task.co == co, (heading, role_lines)


def test_role_line_in_an_uploaded_docx(tmp_path):
    import docx

    d = docx.Document()
    for line in ("某区绿化行动方案", "一、重点任务", "（一）建设口袋公园", "2025年底前新建口袋公园10个。",
                 "牵头单位：区园林绿化局"):
        d.add_paragraph(line)
    p = tmp_path / "上传.docx"
    d.save(p)
    (task,) = parse_file(p).tasks
    assert task.lead == ["区园林绿化局"] and task.deadline.due == "2025-12"
