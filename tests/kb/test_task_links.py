"""Linking task-table rows to body-text tasks (kb/task_links.py): the hand-checked lists, the
yearly steps and current step, the links on fact-store rows, and properties on made-up plans."""
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eval import task_links as ev
from kb import task_links as tl
from tests.conftest import OTHER


def _plan(name: str) -> ev.Plan:
    return next(p for p in ev.load_gold() if p.file.name.startswith(name))


def test_mentougou_links_match_the_hand_checked_list():
    s = ev.score_plan(_plan("门头沟区_氧吧"))
    assert (s["rows"], s["gold_links"]) == (29, 26)
    assert s["precision"] >= 0.95 and s["recall"] >= 0.95, s


@pytest.mark.skipif(not OTHER.is_dir(), reason="../shared/other-corpus not present")
def test_jiading_links_on_the_fit_plan():
    s = ev.score_plan(_plan("05_嘉府办发"))
    assert s["rows"] == 12
    # measured 1.000 / 0.909: the one miss (海绵示范项目建设 -> 重大工程“+海绵”) shares almost no words
    assert s["precision"] >= 0.95 and s["recall"] >= 0.9, s


def test_gold_list_must_cover_every_row():
    p = _plan("门头沟区_氧吧")
    short = ev.Plan(p.file, p.role, p.rows[:-1])
    with pytest.raises(ValueError, match="not in the gold list"):
        ev.score_plan(short)


@pytest.fixture(scope="module")
def mentougou_rows():
    from ingest.pipeline import parse_file

    return tl.parsed_rows(parse_file(_plan("门头沟区_氧吧").file))


def test_steps_and_current_step(mentougou_rows):
    tasks = tl.plan_tasks(mentougou_rows, date(2026, 11, 21))
    assert len(tasks) == 13                               # 10 body tasks + 3 rows of 2026 of their own
    eco = next(t for t in tasks if t.name.startswith("厚植生态本底"))
    assert [s.year for s in eco.steps] == [2024, 2025, 2026]
    assert len(eco.steps[2].sources) == 5 and eco.current_step.year == 2026 and eco.due == "2026-12"
    assert eco.lead == ["区园林绿化局", "区生态环境局"] and "区气象局" in eco.current_step.lead
    assert eco.units_differ() and eco.role_of(["区气象局"]) == "lead" and eco.role_of(["区财政局"]) is None
    neg = next(t for t in tasks if t.name.startswith("开展“万级负氧离子体验区”"))
    assert [s.year for s in neg.steps] == [2024, 2025] and neg.current_step.year == 2025   # no 2026 row: the last
    assert tl.plan_tasks(mentougou_rows, date(2025, 3, 1))[1].current_step.year == 2025
    assert tl.plan_tasks(mentougou_rows, date(2023, 3, 1))[1].current_step.year == 2024  # before: the next
    alone = [t for t in tasks if t.text is None]
    assert {t.name[:6] for t in alone} == {"“氧吧”生态", "编制门头沟区", "“氧吧”专项"}
    assert all(len(t.steps) == 1 and t.steps[0].year == 2026 for t in alone)
    # every source stays citable: 39 facts, each once
    assert sorted(s["idx"] for t in tasks for s in t.sources) == list(range(39))


def test_annotate_puts_steps_on_fact_rows(mentougou_rows):
    rows = tl.annotate([dict(r) for r in mentougou_rows])
    eco = rows[0]
    assert [s["year"] for s in eco["steps"]] == [2024, 2025, 2026]
    assert all(r["linked_to"] == 0 for s in eco["steps"] for r in s["rows"])
    assert [r["plan_year"] for r in tl.step_rows(eco, [2026])] == [2026] * 5
    assert tl.step_rows(rows[1], [2026]) == [] and tl.step_rows(rows[36], [2026]) == []


def test_parameters_are_checked():
    with pytest.raises(ValueError):
        tl.link_rows([], threshold=0)
    with pytest.raises(ValueError):
        tl.link_rows([], unit_weight=1.0)


# --- made-up plans ----------------------------------------------------------------------------
_CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=12, max_size=40)


def _body(i: int, text: str) -> dict:
    return {"idx": i, "doc_id": "d", "name": text[:6], "content": text, "lead": [f"单位{i}"], "co": [],
            "table_index": None, "plan_year": None}


def _row(i: int, text: str, table: int, year: int | None = None, name: str = "") -> dict:
    return {"idx": i, "doc_id": "d", "name": name, "content": text, "lead": ["单位x"], "co": [],
            "table_index": table, "row_index": i, "plan_year": year, "due": f"{year}-12" if year else None}


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(_CJK, min_size=2, max_size=6, unique_by=lambda t: t[:3]), data=st.data())
def test_a_row_copying_a_body_paragraph_links_to_it(texts, data):
    # distinct paragraphs: a row that repeats one of them verbatim (its start) implements that one
    grams = [tl._grams(t) for t in texts]
    k = data.draw(st.integers(0, len(texts) - 1))
    others = set().union(*(g for j, g in enumerate(grams) if j != k))
    if len(grams[k] - others) < len(grams[k]) * 0.8:      # too much shared by chance: not a clean case
        return
    tasks = [_body(i, t) for i, t in enumerate(texts)]
    tasks.append(_row(len(tasks), texts[k][: data.draw(st.integers(8, len(texts[k])))], table=0, year=2024))
    links = tl.link_rows(tasks)
    assert links == {len(texts): k}


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(_CJK, min_size=1, max_size=5), rows=st.lists(_CJK, min_size=1, max_size=8),
       years=st.lists(st.sampled_from([2024, 2025, 2026, None]), min_size=8, max_size=8))
def test_links_go_from_rows_to_body_tasks_and_every_fact_stays(texts, rows, years):
    tasks = [_body(i, t) for i, t in enumerate(texts)]
    tasks += [_row(len(texts) + j, t, table=j % 3, year=years[j]) for j, t in enumerate(rows)]
    links = tl.link_rows(tasks)
    assert all(tasks[r]["table_index"] is not None and tasks[b]["table_index"] is None for r, b in links.items())
    grouped = tl.plan_tasks(tasks, date(2026, 1, 1))
    assert sorted(s["idx"] for t in grouped for s in t.sources) == list(range(len(tasks)))
    for t in grouped:
        assert [s.year for s in t.steps] == sorted({s.year for s in t.steps}, key=lambda y: (y is None, y or 0))


def test_no_table_rows_or_no_body_means_no_links():
    assert tl.link_rows([_body(0, "建设口袋公园和街心花园")]) == {}
    assert tl.link_rows([_row(0, "建设口袋公园", 0, 2024)]) == {}
    tasks = tl.plan_tasks([_row(0, "建设口袋公园", 0, 2024), _row(1, "建设街心花园", 0, 2025)], date(2026, 1, 1))
    assert [(t.text, [s.year for s in t.steps]) for t in tasks] == [(None, [2024]), (None, [2025])]


def test_rows_repeating_last_year_and_sharing_a_category_follow_it():
    body = [_body(0, "全面推进口袋公园建设，打造街心花园示范点，完成绿道贯通"), _body(1, "开展湿地保护修复和野生动物栖息地建设")]
    rows = [_row(2, "打造街心花园示范点10处", 0, 2024, name="一、公园建设"),
            _row(3, "湿地保护修复", 0, 2024, name="二、湿地"),
            _row(4, "街心花园示范点10处", 1, 2025, name="一、公园建设"),      # across years: as 2024's row
            _row(5, "持续深化上年成果", 1, 2025, name="一、公园建设")]          # category + shared lead unit
    body[0]["co"] = ["单位x"]
    links = tl.link_rows(body + rows)
    assert links == {2: 0, 3: 1, 4: 0, 5: 0}


def test_an_undated_tables_rows_take_the_year_of_their_deadline():
    from kb.task_links import _step_year
    assert _step_year({"plan_year": 2025, "due": "2026-06"}) == 2025
    assert _step_year({"plan_year": None, "due": "2026-06"}) == 2026
    assert _step_year({"plan_year": None, "due": None}) is None
