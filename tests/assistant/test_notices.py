"""Questions about notices as a 北大法宝 export prints them: a document's own 文号, date and issuers
(also asked after another ask: "…管到哪一年？是哪天发的？"), a meeting's labelled fields (时间, 地点,
承办 / 协办单位, 联系人), and a city with no document of its own answered from its province's. The
documents are written here; retrieval is keyword-only."""
import pytest

from assistant import Assistant
from assistant.readers.fields import fields_of

from .conftest import TODAY

MEETING = """\
中国城市规划协会关于举办城市更新数字化转型交流会的通知

（中规协函〔2026〕7号）

各省、自治区、直辖市城市规划协会，有关单位：

　　为推动城市更新与数字化转型，我会将举办城市更新数字化转型交流会。现将有关事项通知如下。

　　一、会议组织

　　主办单位：中国城市规划协会

　　承办单位：中国城市规划协会数字化分会

　　北京城规认证中心有限公司

　　协办单位：湖南省城市规划协会

　　长沙市勘测设计协会

　　二、会务安排

　　1、会议时间：2026年6月16日至18日（6月16日全天报到）

　　2、报到地点：长沙湘江国际酒店大堂

　　3、会议地点：长沙湘江国际会议中心

　　三、其他事项

　　请于2026年5月31日前将参会回执发送至会务组邮箱。会议经费由主办单位承担。

　　联系人及电话：

　　数字化分会

　　张明远 010-66661234

　　电子邮箱：urban2026@example.org

中国城市规划协会

2026年5月6日
"""

FUND = """\
漳州市发展和改革委员会、漳州市财政局关于印发漳州市数字经济发展专项资金管理办法的通知

（漳发改数字〔2026〕21号　2026年4月8日）

各县（区）发展改革局、财政局：

　　现将《漳州市数字经济发展专项资金管理办法》印发给你们，请遵照执行。执行期限为2026—2028年。

　　第一条　专项资金用于支持数字经济核心产业项目，单个项目补助不超过200万元。

　　第二条　补助资金每年9月底前拨付到项目单位。

　　第三条　已获得其他市级财政资金支持的同一项目，不予支持。

　　第四条　支持的项目须在漳州市行政区域内实施。

　　地址：漳州市行政服务中心三楼
"""

CASES = """\
工业和信息化部中小企业局关于征集2026年度中小企业数字化转型典型案例的通知

各省、自治区、直辖市中小企业主管部门：

　　为推广中小企业数字化转型经验，现开展2026年度典型案例征集工作。

　　一、征集内容

　　地方政府推进中小企业数字化转型模式案例，每个省推荐不超过3个。

　　二、材料报送

　　交流展示活动定于2026年11月20日在杭州举办，入选案例将在活动上发布。

　　请各省级主管部门于2026年10月25日前将电子版材料发送至联系人邮箱。

　　三、展示报名

　　展示报名请于2026年9月1日前完成，展示会2026年11月20日开幕，展示报名截止后不再受理。

　　四、制度建设

　　各省级主管部门要修订案例评审管理办法，入选案例计入当年工作考核总量。

　　五、工作要求

　　各省级主管部门修订管理办法请在2026年6月底前完成。
"""

PROVINCE = """\
福建省卫生健康委员会关于推广应用健康出行码的通知

各设区市卫生健康委：

　　健康出行码在全省范围内通用，申领后即可在公共交通、商场超市等场所出示使用。持码人员须如实申报健康状况，出行码有效期为14天。
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    from kb import KnowledgeBase, Settings

    docs = tmp_path_factory.mktemp("notices")
    for name, text in (("城市更新数字化转型交流会通知.txt", MEETING), ("漳州市数字经济专项资金管理办法.txt", FUND),
                       ("福建省健康出行码通知.txt", PROVINCE), ("数字化转型典型案例征集通知.txt", CASES)):
        (docs / name).write_text(text, encoding="utf-8")
    kb = KnowledgeBase(Settings(kb_dir=tmp_path_factory.mktemp("noticekb")))
    assert [r.status for r in kb.ingest([docs], embed=False)] == ["ingested"] * 4
    return Assistant(kb=kb, today=TODAY)


def test_a_label_runs_on_over_its_bare_value_lines():
    found = fields_of(MEETING, "organiser")
    assert [f.value for f in found] == ["中国城市规划协会数字化分会、北京城规认证中心有限公司"]
    assert [f.value for f in fields_of(MEETING, "co_host")] == ["湖南省城市规划协会、长沙市勘测设计协会"]
    assert [f.label for f in fields_of(MEETING, "place")] == ["报到地点", "会议地点"]


def test_the_documents_own_number_date_and_issuers(bot):
    a = bot.ask("漳州那个数字经济专项资金管理办法，文号是多少？")
    assert not a.refused and "文号：漳发改数字〔2026〕21号" in a.answer
    a = bot.ask("漳州市数字经济发展专项资金管理办法是哪几个部门联合发的？")
    assert not a.refused and "漳州市发展和改革委员会" in a.answer and "漳州市财政局" in a.answer


def test_a_later_ask_that_names_nothing_is_about_the_document_named_before(bot):
    a = bot.ask("漳州数字经济专项资金管理办法管到哪一年？是哪天发的？")
    assert not a.refused and "2026—2028年" in a.answer and "发布日期：2026年4月8日" in a.answer


def test_a_meetings_time_and_place_are_its_labelled_lines(bot):
    a = bot.ask("城市更新数字化转型交流会什么时候开？在哪开？")
    assert not a.refused and "会议时间：2026年6月16日至18日" in a.answer
    assert "会议地点：长沙湘江国际会议中心" in a.answer and "报到地点" not in a.answer


def test_who_hosts_and_cooperates_and_whom_to_contact(bot):
    a = bot.ask("中规协函〔2026〕7号那个交流会由谁承办？")
    assert not a.refused and "中国城市规划协会数字化分会、北京城规认证中心有限公司" in a.answer
    assert "牵头单位" not in a.answer
    a = bot.ask("城市更新数字化转型交流会的协办单位有哪些？")
    assert not a.refused and "湖南省城市规划协会、长沙市勘测设计协会" in a.answer
    a = bot.ask("城市更新数字化转型交流会的联系人是谁？邮箱是多少？")
    assert not a.refused and "张明远 010-66661234" in a.answer and "urban2026@example.org" in a.answer


def test_a_city_without_documents_of_its_own_is_answered_from_its_provinces(bot):
    a = bot.ask("莆田市的健康出行码有效期是多久？")
    assert not a.refused and "14天" in a.answer
    assert "没有莆田市本级的文件" in a.answer and "福建省文件" in a.answer
    # a city of another province gets nothing from it
    a = bot.ask("杭州市的健康出行码有效期是多久？")
    assert a.refused


def test_whom_a_notice_is_sent_to_and_what_a_numbered_one_is_about(bot):
    a = bot.ask("漳州市数字经济发展专项资金管理办法发给了哪些单位？")
    assert not a.refused and "主送：各县（区）发展改革局、财政局" in a.answer
    a = bot.ask("漳发改数字〔2026〕21号这份通知是关于什么事的？")
    assert not a.refused and "标题：漳州市发展和改革委员会、漳州市财政局关于印发漳州市数字经济发展专项资金管理办法的通知" in a.answer


def test_a_field_ends_before_the_signature():
    assert [f.value for f in fields_of(MEETING, "contact")][-1] == "urban2026@example.org"


def test_other_questions_about_a_notice_are_not_taken_by_its_fields_or_its_header(bot):
    a = bot.ask("城市更新数字化转型交流会的参会回执什么时候之前发送？")
    assert not a.refused and "5月31日" in a.answer and "会议时间" not in a.answer
    a = bot.ask("城市更新数字化转型交流会的会议经费从哪里来？")
    assert "会议地点" not in a.answer
    a = bot.ask("漳州市数字经济发展专项资金的补助什么时候发？")
    assert not a.refused and "9月底前" in a.answer and "发布日期" not in a.answer
    a = bot.ask("漳州市数字经济发展专项资金管理办法规定不予支持的是什么事？")
    assert "标题：" not in a.answer
    # a labelled 地址 answers where an event is held, not where a plan's projects are
    a = bot.ask("漳州数字经济专项资金支持的项目在哪？")
    assert "行政区域内实施" in a.answer and "》地址：" not in a.answer


def test_a_day_asked_before_which_is_the_date_written_with_前(bot):
    # the meeting's own dates (6月16日至18日) are no answer to when the reply is due
    a = bot.ask("城市更新数字化转型交流会的参会回执哪天截止？")
    assert not a.refused and "时间：2026年5月31日前" in a.answer
    a = bot.ask("漳州市数字经济发展专项资金的补助资金哪天前拨付？")
    assert not a.refused and "9月底前" in a.answer
    # not the year in the notice's title, nor the day of the event it names
    a = bot.ask("2026年度中小企业数字化转型典型案例征集，材料哪天前交？")
    assert not a.refused and "时间：2026年10月25日前" in a.answer
    # 最晚: the date written as a deadline, not the "当年" of the sentence on the topic
    a = bot.ask("典型案例征集要求修订案例评审管理办法，最晚什么时候完成？")
    assert not a.refused and "2026年6月底前" in a.answer
    a = bot.ask("典型案例展示报名哪天截止？")
    assert not a.refused and "时间：2026年9月1日前" in a.answer


def test_the_slot_of_a_day_asked_before_which_is_the_date_written_with_前():
    from assistant.evidence import Topic
    from assistant.read import DATE, find_slot

    topic = Topic("展示", lambda term: 1.0)
    quote = "展示会定于2026年6月16日开幕，展示材料请于2026年6月1日前提交。"
    assert find_slot(quote, DATE, topic, "展示哪天截止？") == "2026年6月1日前"
    assert find_slot(quote, DATE, topic, "展示什么时候开幕？") == "2026年6月16日"
