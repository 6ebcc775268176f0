"""Question understanding and relative time (no knowledge base needed)."""
import re
from datetime import date

import pytest
from hypothesis import given, strategies as st

from assistant.understand import understand
from assistant.timeframe import TimeWindow, find_window, month_of, status

TODAY = date(2026, 11, 21)


def units(text):
    names = {"区气象局": "区气象局", "气象局": "区气象局", "区园林绿化局": "区园林绿化局", "园林局": "区园林绿化局",
             "区委宣传部": "区委宣传部", "宣传部": "区委宣传部"}
    return list(dict.fromkeys(v for k, v in names.items() if k in text))


@pytest.mark.parametrize("q, intent, roles", [
    ("万级负氧离子体验区由谁牵头？", "lead", ("lead",)),
    ("万级负氧离子体验区建设的配合单位有哪些？", "co", ("co",)),
    ("标识推广方案谁牵头、谁配合？", "lead", ("lead", "co")),
    ("万级负氧离子体验区建设什么时候完成？", "deadline", ()),
    ("门头沟森林覆盖率目标是多少？", "indicator", ()),
    ("园林局在门头沟氧吧计划里配合哪项工作？", "dept", ("co",)),
    ("区气象局牵头哪些任务", "dept", ("lead",)),
    ("今年年底前到期的任务有哪些", "dept", ("lead", "co")),
    ("美丽朝阳实施方案分为哪几大板块？", "overview", ()),
    ("三单管理指的是哪三单", "definition", ()),
    ("朝阳区燃气供暖有什么限制", "general", ()),
])
def test_intents(q, intent, roles):
    got = understand(q, TODAY, units=units)
    assert (got.intent, got.roles) == (intent, roles)


def test_entities_and_topic():
    q = understand("门头沟区2025年宣传部要配合哪些氧吧任务？", TODAY, units=units)
    assert q.regions == ["门头沟区"] and q.departments == ["区委宣传部"] and q.years == [2025]
    assert "门头沟" not in q.topic and "宣传部" not in q.topic and "氧吧" in q.topic
    assert understand("森林覆盖率达到50%由园林局牵头吗？", TODAY, units=units).yes_no


def test_follow_ups_keep_the_subject_and_take_their_own_intent():
    first = understand("万级负氧离子体验区由谁牵头？", TODAY, units=units)
    co = understand("那配合单位呢？", TODAY, previous=first, units=units)
    when = understand("什么时候完成？", TODAY, previous=co, units=units)
    assert (co.intent, co.followup, co.topic) == ("co", True, first.topic)
    assert (when.intent, when.followup, when.topic) == ("deadline", True, first.topic)
    assert "万级负氧离子体验区" in when.search_text
    fresh = understand("氧吧优品系列农产品由谁牵头？", TODAY, previous=first, units=units)
    assert not fresh.followup and "氧吧" in fresh.topic


@pytest.mark.parametrize("q, window", [
    ("今年年底前到期的任务", TimeWindow("2026-01", "2026-12", "2026年")),
    ("明年要完成的任务有哪些", TimeWindow("2027-01", "2027-12", "2027年")),
    ("已经过期的任务", TimeWindow("0000-01", "2026-10", "已到期")),
    ("本月到期的任务", TimeWindow("2026-11", "2026-11", "2026年11月")),
    ("2025年上半年到期的任务", TimeWindow("2025-01", "2025-06", "2025年上半年")),
])
def test_relative_time(q, window):
    assert find_window(q, TODAY) == window


def test_no_window_without_time_words():
    assert find_window("万级负氧离子体验区由谁牵头？", TODAY) is None


@given(st.integers(2000, 2099), st.integers(1, 12), st.integers(2000, 2099), st.integers(1, 12))
def test_status_agrees_with_month_order(y, m, ty, tm):
    due, today = f"{y:04d}-{m:02d}", date(ty, tm, 15)
    got = status(due, today)
    ref = "已到期" if (y, m) < (ty, tm) else "本月到期" if (y, m) == (ty, tm) else "未到期"
    assert got == ref
    assert status(str(y), today) == status(f"{y:04d}-12", today)
    assert month_of(str(y)) == f"{y:04d}-12"


@given(st.integers(2000, 2099), st.integers(1, 12))
def test_window_contains_reference(y, m):
    w = find_window(f"{y}年到期的任务", TODAY)
    assert w.contains(f"{y:04d}-{m:02d}") and not w.contains(f"{y + 1:04d}-{m:02d}") and w.contains(str(y))


# --- the whole question: cleaning, asks -------------------------------------------------------------


from assistant.understand import normalize, split_asks, understand_question  # noqa: E402


def test_traditional_characters_and_full_width_digits_are_folded():
    assert normalize("門頭溝區森林覆蓋率的目標是多少？") == "门头沟区森林覆盖率的目标是多少？"
    assert normalize(" ２０２５年底前 ") == "2025年底前"


@pytest.mark.parametrize("q, asks", [
    ("普陀区海绵城市建设实施方案提出到2025年建成区达标面积比例是多少？由哪个部门牵头？", ["indicator", "lead"]),
    ("万级负氧离子体验区由谁牵头，什么时候完成？", ["lead", "deadline"]),
    ("“氧吧优品”由区农业农村局牵头，配合单位有哪些？", ["co"]),
    ("对于因疫情影响暂停举办的展会，有何支持政策？", ["general"]),
])
def test_compound_questions_split_into_asks(q, asks):
    read = understand_question(q, today=TODAY)
    assert [a.intent for a in read.asks] == asks
    assert all(a.topic for a in read.asks)            # a later ask takes the first one's subject


def test_a_stated_unit_is_context_not_the_ask():
    read = understand_question("“氧吧优品”由区农业农村局牵头，配合单位有哪些？", today=TODAY)
    assert read.asks[0].intent == "co" and "氧吧优品" in read.asks[0].topic


@pytest.mark.parametrize("q, problem", [("", "empty"), ("   ", "empty"), ("？？", "no_words"), ("。！", "no_words"),
                                        ("森林覆盖率" * 120, "too_long")])
def test_questions_with_nothing_to_answer(q, problem):
    read = understand_question(q, today=TODAY, max_chars=500)
    assert read.problem == problem and not read.asks


@given(st.text(alphabet="森林覆盖率由谁牵头什么时候多少，？。、 ", max_size=60))
def test_split_asks_keeps_every_word_character(text):
    """Asks with their context give back the question's words, in order (only punctuation between
    asks may go). Not so for "A和B各是多少", rewritten per item (tested below): no 各/分别 here."""
    parts = split_asks(text.strip())
    joined = "".join(c + a for c, a in parts)
    assert re.sub(r"\W", "", joined) == re.sub(r"\W", "", text)


@given(st.text(max_size=40))
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


def test_a_department_as_the_subject_of_a_what_question_is_not_a_duties_question():
    units = lambda t: [u for u in ("国家药品监管局", "区气象局") if u in t]
    assert understand("国家药品监管局要求各地严格落实“四个最严”，要求是什么？", units=units).intent != "dept"
    assert understand("区气象局负责哪些任务？", units=units).intent == "dept"
    assert understand("区气象局有哪些工作？", units=units).intent == "dept"
    assert understand("区气象局牵头了什么？", units=units).intent == "dept"


def test_requirements_about_a_departments_work_are_not_its_task_list():
    units = lambda t: [u for u in ("区财政局",) if u in t]
    assert understand("区财政局在资金保障方面的工作有哪些要求？", units=units).intent != "dept"
    assert understand("区财政局的工作有哪些？", units=units).intent == "dept"


def test_cooperate_asks_for_units_only_beside_a_unit_word_or_who():
    for q in ("泰安市对拒不配合的、强行进入的人员有什么措施？", "南京西路派出所配合街道推出了怎样的楼宇防护举措？",
              "对拒不配合的单位有什么处罚措施？", "餐饮服务单位需要配合做好哪些工作？"):
        assert understand(q).intent == "general", q
    for q in ("门头沟开展氧吧相关标准研究，参与配合的是哪个部门？", "将氧吧元素融入文旅体验项目需要谁配合？",
              "气象冷经济研究配合单位是哪个镇？", "氧吧标准研究需要哪些配合？", "氧吧标准研究的协助方有哪些？",
              "哪些街道配合开展？"):
        assert understand(q).intent == "co", q


def test_two_measures_asked_with_each_are_two_asks_but_compared_places_and_plans_are_one():
    from assistant.understand import split_asks
    asks = [a for _, a in split_asks("农机意见中，棉花收获机械化率和甘蔗收获机械化率各是多少？")]
    assert asks == ["农机意见中，棉花收获机械化率是多少？", "农机意见中，甘蔗收获机械化率是多少？"]
    assert len(split_asks("到2025年，城市生活垃圾回收利用率、城镇污水处理率和雨水资源利用率分别要达到多少？")) == 3
    assert [a for _, a in split_asks("农机意见中棉花收获机械化率和甘蔗收获机械化率各是多少？")][1] == \
        "农机意见中甘蔗收获机械化率是多少？"                             # the plan stays with each ask
    for one in ("门头沟和延庆的森林覆盖率目标分别是多少？", "门头沟和延庆森林覆盖率分别是多少？",
                "2025年和2026年森林覆盖率目标分别是多少？", "第一批和第二批补助资金分别是多少亿元？",
                "国务院意见和北京市方案分别什么时候印发？", "北京市方案和门头沟氧吧计划对森林覆盖率的要求分别是多少？",
                "完善海绵设施创新体系的牵头单位和配合单位分别是哪个单位？"):
        assert len(split_asks(one)) == 1, one


def test_colloquial_who_asks():
    assert understand("这件事是哪家挑头？").intent == "lead"
    assert understand("绿容局每周的联合执法检查要拉上哪几家？").intent == "co"
    assert understand("区财政局的职责是什么？", units=lambda t: ["区财政局"] if "财政局" in t else []).topic == "区财政局"


def test_a_later_how_ask_does_not_take_the_first_asks_when():
    asks = understand_question("2020中国工业互联网大会报名哪天截止？怎么报？").asks
    assert [a.intent for a in asks][0] == "deadline" and asks[1].intent != "deadline"
