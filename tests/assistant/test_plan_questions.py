"""Questions about a district plan in officials' wording: a task named whole, a unit's duties under
its own heading, who maintains what, the parts of a draft plan, a marker symbol, two measures asked
at once, and a city named with its district. The plan is written here; retrieval is keyword-only."""
import pytest

from .conftest import plan_assistant

PLAN = """\
上海市静安区海绵城市建设实施方案

静府办发〔2025〕3号

（征求意见稿）

为贯彻落实国家和本市关于海绵城市建设的部署，结合本区实际，制定本方案。

一、总体要求

到2025年底，全区建成区40%以上面积达到海绵城市建设要求，城镇污水处理率达到99%，雨水资源利用率达到5%。全区绿化覆盖率达到25%。海绵型停车场透水铺装面积原则上应不小于3000平方米。

二、重点任务

（一）完善海绵设施创新体系。加强顶层设计与动态评估，建立健全部门协调联动的协同创新机制，完善以企业为主体的海绵设施创新体系。（区建管委、区发改委、区科委等负责。列第一位者为牵头单位，下同）

（二）健全海绵城市人才培养体系。加强海绵城市相关学科建设，推进海绵设施创新体系建设所需人才的培养和引进，完善海绵城市建设人才支撑体系。（区教育局、区建管委、区人社局等负责）

三、管控流程

建筑与小区、道路与广场等各类项目的海绵设施建成后同主体工程同步移交。小区海绵设施原则上移交给相应小区的物业管理单位负责维护。

四、职责分工

（一）区建管委

牵头协调督促本区海绵城市建设工作落实，负责建设项目海绵方案的审批和监管。

（二）区财政局

负责在政府投资项目中安排海绵城市建设年度预算，对海绵设施运营养护费用提供保障。

五、组织保障

（一）加强组织领导。强化统筹协调工作机制，统筹部署海绵城市建设工作，细化落实区建管、发改、财政等部门职责，形成工作合力。

（二）加强考核评估。国家监测指标分析工作每年3月底前完成，考核结果向社会公布。

附件：考核指标说明

1.海绵城市建设考核指标由建设成效、管理能力等2个方面的指标构成，同时确定部分指标作为重点监测指标。

2.标记“▲”的12个指标为重点监测指标，其中5个指标自动生成。
"""


# another district's plan: its tasks put 区财政局 into the unit directory, and they are not 静安's
OTHER = """\
上海市杨浦区公园城市建设实施方案

一、重点任务

（一）推进口袋公园建设。结合城市更新，每年新建口袋公园5座以上。（区绿化市容局牵头，区财政局配合）

（二）保障公园建设资金。统筹安排口袋公园建设和养护资金。（区财政局牵头，区绿化市容局配合）
"""


# the city's plan: figures for several districts together
CITY = """\
上海市中心城区绿化建设实施方案

一、工作目标

到2025年，静安区、黄浦区、徐汇区等中心城区总体绿化覆盖率保持在30%以上，总体公园绿地服务半径覆盖率达到90%。
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return plan_assistant(tmp_path_factory, {"静安区海绵城市建设实施方案.txt": PLAN, "杨浦区公园城市建设实施方案.txt": OTHER,
                                             "上海市中心城区绿化建设实施方案.txt": CITY})


def test_a_task_the_question_names_whole_is_the_asked_one(bot):
    # the plan's title words (海绵, 体系 …) also fill the 人才培养体系 task, which names the asked one in its text
    a = bot.ask("静安海绵方案里，完善海绵设施创新体系由哪个部门牵头？")
    assert not a.refused and "牵头单位：区建管委" in a.answer and "区教育局" not in a.answer


def test_a_units_duties_are_read_under_its_own_heading(bot):
    a = bot.ask("静安海绵城市建设里，区财政局的职责是什么？")
    assert not a.refused and "年度预算" in a.answer and "形成工作合力" not in a.answer


def test_who_maintains_is_the_unit_as_written(bot):
    a = bot.ask("静安的小区海绵设施建成后，原则上交给谁负责维护？")
    assert not a.refused and "：物业管理单位。" in a.answer


def test_the_parts_of_a_draft_plan(bot):
    a = bot.ask("静安海绵方案（征求意见稿）由哪几大板块构成？")
    assert not a.refused and "包括以下 5 个方面" in a.answer
    assert all(h in a.answer for h in ("一、总体要求", "三、管控流程", "五、组织保障"))


def test_a_marker_symbol_the_question_quotes_finds_its_note(bot):
    for q in ("静安海绵城市建设考核指标中，标▲的重点监测指标一共有几个？", "静安海绵城市建设考核指标中，标有▲的重点监测指标一共有几个？"):
        a = bot.ask(q)
        assert not a.refused and a.answer.startswith("数值：12个"), q


def test_two_measures_asked_at_once_are_answered_each(bot):
    a = bot.ask("静安海绵方案中，城镇污水处理率和雨水资源利用率各是多少？")
    assert "城镇污水处理率达到99%" in a.answer and "雨水资源利用率达到5%" in a.answer


def test_a_city_written_before_its_district_keeps_the_scope_to_the_district(bot):
    a = bot.ask("上海市黄浦区海绵城市建设由哪个部门牵头？")
    assert a.refused and "黄浦区" in a.answer      # no 黄浦 plan here: not 静安's


def test_a_groups_figure_does_not_answer_for_one_of_its_districts(bot):
    a = bot.ask("静安区公园绿地服务半径覆盖率目标是多少？")
    assert a.refused and "90%" in a.answer          # shown as a reference, not as the answer
    a = bot.ask("静安区绿化覆盖率目标是多少？")
    assert not a.refused and "25%" in a.answer and "30%" not in a.answer
    a = bot.ask("静安区、黄浦区、徐汇区合起来算，绿化覆盖率要保持在什么水平？")
    assert not a.refused and "30%" in a.answer and "25%" not in a.answer


def test_a_threshold_asked_as_a_bar_is_the_value(bot):
    a = bot.ask("静安海绵方案里，海绵型停车场透水铺装面积门槛是多少？")
    assert not a.refused and "3000平方米" in a.answer


def test_a_units_tasks_in_a_named_plan_are_that_plans(bot):
    # no place named, the 文号 names the plan: 杨浦's tasks of 区财政局 are not this plan's
    a = bot.ask("静府办发〔2025〕3号里，区财政局负责什么？")
    assert not a.refused and "年度预算" in a.answer and "公园" not in a.answer


def test_a_second_ask_that_repeats_the_first_is_answered_once(bot):
    a = bot.ask("完善海绵设施创新体系是区发改委牵头吗？到底谁牵头？")
    assert a.answer.count("牵头单位：区建管委") == 1 and "未写明" not in a.answer
