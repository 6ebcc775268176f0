"""Spreadsheets: every sheet a table with its header rows; a 任务分解表 sheet yields tasks."""
import pytest

from ingest import IngestError, parse_file


def _task_workbook(path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "2024年任务"
    ws.append(["某区2024年生态建设重点任务分解表"])
    ws.merge_cells("A1:F1")                        # a title banner over the table
    ws.append(["序号", "任务类别", "工作任务", "责任单位", None, "完成时间"])
    ws.append([None, None, None, "牵头单位", "配合单位", None])
    for col in "ABCF":
        ws.merge_cells(f"{col}2:{col}3")             # headers spanning two rows
    ws.merge_cells("D2:E2")                        # 责任单位 over 牵头单位 / 配合单位
    ws.append([1, "生态保护", "新建口袋公园20个", "区园林绿化局", "各街道", "2024年12月底前"])
    ws.append([2, None, "完成造林5000亩", "区园林绿化局", "区规划自然资源分局", "2024年6月"])
    ws.merge_cells("B4:B5")                        # one category over two tasks
    ws.append([3, "环境治理", "建成污水处理厂1座", "区水务局", None, "2025年"])
    ws.append(["注：完成时间以区政府督查通知为准。"])
    notes = wb.create_sheet("说明")
    notes.append(["项目", "内容"])
    notes.append(["填报单位", "区发展改革委"])
    wb.save(path)


def test_task_sheet_with_merged_headers_yields_tasks(tmp_path):
    p = tmp_path / "任务分解表.xlsx"
    _task_workbook(p)
    doc = parse_file(p)
    assert doc.meta.title == "某区2024年生态建设重点任务分解表"
    table = doc.tables[0]
    assert table.headers == ["序号", "任务类别", "工作任务", "责任单位·牵头单位", "责任单位·配合单位", "完成时间"]
    assert [r.cells["任务类别"] for r in table.rows] == ["生态保护", "生态保护", "环境治理"]
    tasks = {t.name or t.content: t for t in doc.tasks}
    t = next(t for t in doc.tasks if "造林5000亩" in t.content)
    assert t.lead == ["区园林绿化局"] and t.co == ["区规划自然资源分局"] and t.deadline.due == "2024-06"
    assert next(t for t in doc.tasks if "污水处理厂" in t.content).lead == ["区水务局"]
    assert len(doc.tasks) == 3, tasks
    assert "完成时间以区政府督查通知为准" in doc.text          # a note row stays as text
    assert len(doc.tables) == 2 and doc.tables[1].rows[0].cells["内容"] == "区发展改革委"


def test_csv_any_column_order(tmp_path):
    p = tmp_path / "分工.csv"
    p.write_text("完成时间,配合单位,牵头单位,重点任务\n2025年底,区城管委,区交通委,建设绿道30公里\n"
                 "持续推进,各街道,区园林绿化局,开展全民植树\n", encoding="utf-8-sig")
    doc = parse_file(p)
    (a, b) = doc.tasks
    assert a.lead == ["区交通委"] and a.co == ["区城管委"] and a.deadline.due == "2025-12"
    assert b.lead == ["区园林绿化局"] and "全民植树" in b.content


@pytest.mark.parametrize("name,data,match", [
    ("broken.xlsx", b"PK\x03\x04 not really", "xlsx"),
    ("text.xlsx", "这不是表格".encode(), "不是有效的 .xlsx"),
    ("empty.csv", "\n\n".encode(), "文件为空|没有可读取的表格"),
])
def test_bad_spreadsheets(tmp_path, name, data, match):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(IngestError, match=match):
        parse_file(p)
