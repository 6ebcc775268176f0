"""What changed between two versions (kb/version_diff.py): exactly the changes made to the seed."""
from kb.version_diff import Change, diff_documents, diff_tasks, summary
from tests.version_helpers import EXPECTED, SEED, VERSION_NAME


def test_diff_lists_exactly_the_changes_made(vkb):
    changes = diff_documents(vkb.facts, SEED.stem, VERSION_NAME)
    assert {(c.kind, c.change, c.item, c.field, c.old, c.new) for c in changes} == EXPECTED
    assert len(changes) == len(EXPECTED)
    for c in changes:                         # each side's source, where the side exists
        assert (c.ref_a is not None) == (c.change != "新增") and (c.ref_b is not None) == (c.change != "删除")
        if c.ref_a:
            assert c.ref_a["doc_id"] == SEED.stem and c.source_a
        if c.ref_b:
            assert c.ref_b["doc_id"] == VERSION_NAME and c.source_b
    deadline = next(c for c in changes if c.field == "完成时间")
    assert "2024年" in deadline.source_a and "表格第8行" in deadline.source_b
    assert summary(changes) == "任务：删除 1 项，修改 2 处；指标：修改 1 处"


def test_reverse_diff_adds_what_was_removed(vkb):
    changes = diff_documents(vkb.facts, VERSION_NAME, SEED.stem)
    added = [c for c in changes if c.change == "新增"]
    assert [(c.kind, c.item) for c in added] == [("任务", "推广“氧吧”标识")]
    assert {(c.field, c.old, c.new) for c in changes if c.change == "修改"} == {
        ("完成时间", "2025年6月", "2024年12月"), ("配合单位", "区市场监管局、区园林绿化局", "区市场监管局"),
        ("目标值", "30套", "20套")}


def test_a_document_against_itself_has_no_changes(vkb):
    assert diff_documents(vkb.facts, SEED.stem, SEED.stem) == []
    assert summary([]).startswith("两个版本")


def _task(name, content, lead=(), co=(), deadline="", plan_year=None, source="table", row=0):
    return {"doc_id": "d", "name": name, "content": content, "lead": list(lead), "co": list(co), "deadline": deadline,
            "plan_year": plan_year, "source": source, "row_index": row, "page": None, "breadcrumb": "", "start": 0,
            "end": 1}


def test_same_row_text_in_two_years_pairs_within_its_year():
    a = [_task("监测", "新建监测站", ["区气象局"], deadline="2024年12月", plan_year=2024),
         _task("监测", "新建监测站", ["区气象局"], deadline="2025年12月", plan_year=2025)]
    b = [_task("监测", "新建监测站", ["区气象局"], deadline="2025年12月", plan_year=2025)]
    changes = diff_tasks(a, b)
    assert [(c.change, c.old) for c in changes] == [("删除", "新建监测站")]
    assert "2024年" in changes[0].source_a


def test_unit_order_only_is_named_so():
    a = [_task("监测", "新建监测站", ["区气象局", "区文旅局"])]
    b = [_task("监测", "新建监测站", ["区文旅局", "区气象局"])]
    (c,) = diff_tasks(a, b)
    assert isinstance(c, Change) and c.field == "牵头单位（顺序）" and c.old == "区气象局、区文旅局"
