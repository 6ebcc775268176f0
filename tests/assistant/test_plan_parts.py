"""Questions about a plan's parts: one named by its place ("第五部分"), and the parts a 起草说明
describes ("分为哪几个部分"). The documents are written here; retrieval is keyword-only."""
import pytest

from .conftest import plan_assistant

PLAN = """\
上海市静安区海绵城市建设实施方案

一、总体要求

到2025年底，全区建成区40%以上面积达到海绵城市建设要求。

二、重点任务

（一）完善海绵设施创新体系。建立健全部门协调联动的协同创新机制。（区建管委负责）

（二）健全海绵城市人才培养体系。推进海绵城市相关学科建设。（区教育局负责）

（三）区财政局要加大投入。保障海绵城市重点项目建设资金。

三、管控流程

小区海绵设施原则上移交给相应小区的物业管理单位负责维护。

四、组织保障

（一）加强组织领导。强化统筹协调工作机制，形成工作合力。

（二）加强考核评估。考核结果向社会公布。

（三）加强宣传引导。通过多种渠道普及海绵城市建设理念。

五、工作职责

（一）区建管委：牵头协调督促本区海绵城市建设工作落实。

（二）区民防办：结合海绵城市建设，开展避难场所规划建设。

（三）区水务局

负责排水设施海绵化改造的技术指导。
"""

NOTE = """\
关于《静安区公园城市建设三年行动计划（征求意见稿）》的起草说明

一、起草背景

为贯彻落实本市公园城市建设部署，区绿化市容局起草了《行动计划》。

二、主要内容

《行动计划》主要分为三个部分。

第一部分：总体要求。包含指导思想、工作原则和工作目标。

第二部分：重点任务。围绕五个方面展开。

第三部分：保障措施。一是加强组织领导；二是强化资金保障。

三、起草过程

2024年初，区绿化市容局通过座谈会征求了各单位意见。
"""


SHELTERS = """\
静安区应急避难场所建设工作方案

一、主要任务

（一）推进应急避难场所标准化建设。完成10处应急避难场所改造。（牵头单位：区民防办；配合单位：区应急局、区财政局、区水务局）
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return plan_assistant(tmp_path_factory, {"静安区海绵城市建设实施方案.txt": PLAN,
                                             "静安区公园城市建设三年行动计划起草说明.txt": NOTE,
                                             "静安区应急避难场所建设工作方案.txt": SHELTERS})


def test_a_part_named_by_its_place_lists_its_subsections(bot):
    a = bot.ask("静安海绵方案第四部分包括哪几方面措施？")
    assert not a.refused and "“四、组织保障”包括以下 3 个方面" in a.answer
    assert all(h in a.answer for h in ("加强组织领导", "加强考核评估", "加强宣传引导"))


def test_a_quoted_name_that_is_not_at_the_place_wins_and_no_place_gives_no_whole_outline(bot):
    a = bot.ask("静安海绵方案第二部分“组织保障”包括哪几方面措施？")     # 组织保障 is 四, not 二
    assert "“二、重点任务”包括" not in a.answer and "加强组织领导" in a.answer
    a = bot.ask("静安海绵方案第七部分包括哪些内容？")                   # there is no 七
    assert "包括以下 5 个方面" not in a.answer


def test_the_parts_a_drafting_note_describes_are_the_parts_asked_for(bot):
    a = bot.ask("静安公园城市建设三年行动计划分为哪几个部分？")
    assert not a.refused and "“二、主要内容”包括以下 3 个方面" in a.answer
    assert all(h in a.answer for h in ("总体要求", "重点任务", "保障措施"))
    assert "起草过程" not in a.answer
    a = bot.ask("静安公园城市建设三年行动计划起草说明分为哪几个部分？")   # the note's own parts
    assert "一、起草背景" in a.answer and "三、起草过程" in a.answer


def test_a_units_duties_under_its_own_heading_come_with_its_tasks(bot):
    a = bot.ask("静安区海绵城市建设实施方案中区民防办的职责是什么？")    # its task is another plan's: the duty alone
    assert not a.refused and "应急避难场所标准化建设" not in a.answer
    assert "区民防办的职责（《上海市静安区海绵城市建设实施方案》“五、工作职责”）：（二）区民防办：结合" in a.answer
    a = bot.ask("区民防办的职责是什么？")                          # no plan named: its duty and its task
    assert "区民防办的职责（《上海市静安区海绵城市建设实施方案》" in a.answer and "应急避难场所标准化建设" in a.answer
    a = bot.ask("静安海绵方案中区财政局的职责是什么？")          # a task heading that starts with the unit
    assert "区财政局的职责（" not in a.answer
    a = bot.ask("上海市静安区海绵城市建设实施方案中区水务局的职责是什么？")    # a heading over its duty
    assert "“五、工作职责”）：（三）区水务局 负责排水设施海绵化改造的技术指导。" in a.answer
    a = bot.ask("静安海绵城市建设中区建管委要做哪些工作？")      # a duty item and a task it leads
    assert "区建管委的职责（《上海市静安区海绵城市建设实施方案》“五、工作职责”）：（一）区建管委：牵头协调督促" in a.answer
    assert "区建管委在已收录文件中：牵头" in a.answer and "完善海绵设施创新体系" in a.answer
    assert a.answer.count("牵头协调督促") == 1                    # the duty item is no task of its own


def test_an_ordinal_names_a_top_level_part_only():
    from assistant.readers.overview import _is_part, _ordinal
    assert _ordinal("四、组织保障") == 4 and _ordinal("第七部分：保障措施") == 7 and _ordinal("第三章 监督管理") == 3
    assert _ordinal("（四）加强考核评估") is None and _ordinal("4.海绵型公园") is None
    assert _is_part("第一部分：总体要求") and _is_part("第三篇 保障措施") and not _is_part("一、总体要求")


def test_a_quote_in_the_plans_name_does_not_stop_the_place(bot):
    a = bot.ask("静安“海绵城市”实施方案第四部分包括哪几方面措施？")      # the quote names the plan
    assert not a.refused and "“四、组织保障”包括以下 3 个方面" in a.answer


def test_the_place_prefers_the_asked_noun():
    from assistant.readers.overview import _at_place
    sections = [{"id": 0, "parent": None, "title": "规划"},
                {"id": 1, "parent": 0, "title": "第三部分 重点任务"},
                {"id": 2, "parent": 1, "title": "第三章 创新驱动"},
                {"id": 3, "parent": 0, "title": "三、保障措施"}]
    assert _at_place(sections, 3, "章") == {2} and _at_place(sections, 3, "部分") == {1}
    assert _at_place(sections, 3, "篇") == {1, 2}                      # no 篇: 部分 and 章 alike
    assert _at_place(sections[:1] + sections[3:], 3, "章") == {3}      # no marked part: the top-level 三、
