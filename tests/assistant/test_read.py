"""Reading: the asked item in the clause that answers, windows around a sentence, and verification."""
from hypothesis import given, strategies as st

from assistant.evidence import Topic
from assistant.read import DATE, NUMBER, UNIT, extend, find_slot, fit_of
from assistant.readers import Reading
from assistant.scope import AnswerScope
from assistant.understand import understand
from assistant.verify import Thresholds, answers

IDF = lambda t: 1.0          # noqa: E731


def test_the_deadline_of_the_asked_action_not_the_paragraphs_first():
    text = "2024年底前完成监测站点建设，2025年6月底前建成数据平台，2026年底前全面推广应用。"
    assert find_slot(text, DATE, Topic("数据平台", IDF)) == "2025年6月底前"
    assert find_slot(text, DATE, Topic("推广应用", IDF)) == "2026年底前"


def test_the_number_of_the_asked_measure_and_never_a_year_or_a_code():
    text = "到2025年，森林覆盖率达到50%，城市绿化覆盖率达到48.5%；深化PM2.5治理。"
    assert find_slot(text, NUMBER, Topic("城市绿化覆盖率", IDF)) == "48.5%"
    assert find_slot("深化PM2.5治理，到2027年基本建成。", NUMBER, Topic("PM2.5", IDF)) == ""


def test_a_sentence_without_the_asked_item_takes_its_neighbour():
    text = "一、工作目标\n稳步推进海绵城市建设。到2025年底，本区建成区40%以上面积达到要求。其他内容。"
    a = text.index("稳步")
    b = text.index("。", a) + 1
    a2, b2 = extend(text, a, b, NUMBER, "indicator")
    assert "40%" in text[a2:b2] and a2 == a


def test_a_heading_is_read_with_what_follows():
    text = "（一）区建管委\n牵头协调督促本区海绵城市建设工作落实，统筹推进海绵城市规划建设。\n（二）区发改委\n负责立项。"
    a, b = 0, len("（一）区建管委")
    _, b2 = extend(text, a, b, None, "lead")
    assert "牵头协调督促" in text[a:b2] and "区发改委" not in text[a:b2]


def test_who_fit_wants_a_unit_with_its_role():
    assert fit_of("lead", "牵头协调督促本区海绵城市建设工作落实", "（一）区建管委", UNIT) == 1.0
    assert fit_of("lead", "由区绿化市容局牵头成立工作专班", "", UNIT) == 1.0
    assert fit_of("lead", "细化落实区建管、发改等部门职责", "", UNIT) < 1.0


@given(st.text(alphabet="2025年底前6月完成建设0123456789，。", max_size=40))
def test_a_slot_is_always_text_of_the_quote(text):
    slot = find_slot(text, DATE, Topic("建设", IDF))
    assert slot == "" or slot in text


def _reading(kind="passage", slot="50%", quote="森林覆盖率达到50%", doc="beijing", score=0.9, own=0.9):
    return Reading(score, lambda c: "", kind, slot=slot, doc_id=doc, quote=quote, own=own)


def test_verify_refuses_a_wider_areas_figure_for_a_district():
    ask = understand("怀柔区森林覆盖率目标是多少？")
    scope = AnswerScope(allowed={"beijing"}, primary=set(), regions=["怀柔区"])
    assert not answers(_reading(), ask, scope, Thresholds())
    assert answers(_reading(quote="怀柔区森林覆盖率达到50%"), ask, scope, Thresholds())
    assert answers(_reading(doc="huairou"), ask, AnswerScope(allowed={"huairou"}, primary={"huairou"},
                                                             regions=["怀柔区"]), Thresholds())


def test_verify_refuses_a_description_for_an_amount_and_a_weak_match():
    ask = understand("森林覆盖率目标是多少？")
    scope = AnswerScope(allowed={"beijing"})
    assert not answers(_reading(slot=""), ask, scope, Thresholds())
    assert not answers(_reading(score=0.3), ask, scope, Thresholds())
    assert answers(_reading(kind="indicator", slot=""), ask, scope, Thresholds())   # a matched fact
