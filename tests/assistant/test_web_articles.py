"""Answers from one-line web articles (the way news and notices are saved from government sites):
a headline and subheadings run into the body, a quotation ends with its speaker, a notice ends
with its signature. The articles are written here; retrieval is keyword-only."""
import pytest

from assistant import Assistant

from .conftest import TODAY

ARTICLES = {
    "江苏采取特殊医保政策全力保障患者救治.txt":
        "江苏：采取特殊医保政策 全力保障患者救治 省政府办公厅政务公开办联合省医保局推出“三个确保” 采取特殊医保政策 "
        "全力保障患者救治 昨天，省政府办公厅政务公开办联合省医保局推出有关医保服务政策简明问答，更好地落实相关政策，"
        "确保新型冠状病毒感染的肺炎患者不因费用影响就医，确保参保人员不因疫情中断医疗保险服务，确保定点收治的医疗机构"
        "不因支付政策影响救治。 确保确诊和疑似患者享受各项医疗保障待遇 已参加基本医疗保险的确诊和疑似患者，个人不承担"
        "任何医疗费用。",
    "国家卫健委介绍防护措施.txt":
        "国家卫健委：戴口罩和手卫生是最有效的防护措施 新华社北京2月10日电 国家卫健委10日召开新闻发布会，介绍疫情防控"
        "最新进展。“戴好口罩和做好手卫生是最重要、最有效的防护措施，坚持勤洗手、规范洗手和手消毒，可以从根本上减少"
        "感染风险。”国家卫健委新闻发言人米锋说。他表示，公众还应尽量减少外出。“我们强调“四早”原则，要早发现、早报告、"
        "早隔离、早治疗。”疾控中心专家吴尊友说。",
    "海陵区关于有序推动服务业恢复营业的通告.txt":
        "关于有序推动服务业恢复营业的通告 为切实保障疫情防控期间群众生产生活需求，经研究决定，有序做好服务业恢复营业"
        "工作。现将有关事项通告如下： 一、明确复业范围 超市、农贸市场、便利店、药店、理发店等店铺，自2020年2月21日零时"
        "起可恢复营业。 二、落实防控措施 恢复营业的场所要保持环境整洁，加强场所通风，开业前、结业后进行全面的卫生清洁和"
        "消毒。 泰州市海陵区应对新型冠状病毒肺炎疫情工作领导小组办公室 2020年2月20日",
    "智能外呼系统助力排查.txt":
        "智能外呼系统助力社区排查 “系统每天自动拨打电话询问居民健康状况。”郭程明说，自1月30日系统启用，"
        "已累计完成呼叫65.6万次，接通率达85%，没接听的则人工排查。",
    "财政部预拨第二批疫情防控补助资金80亿元.txt":
        "财政部预拨第二批疫情防控补助资金80亿元 新华社北京2月15日电（记者 申铖）记者15日从财政部获悉，经国务院批准，"
        "财政部14日预拨2020年第二批新型冠状病毒肺炎疫情防控补助资金80亿元，支持各地开展疫情防控相关工作，"
        "其中对湖北省预拨35亿元。",
    "梧州第二批储备冻猪肉投放.txt":
        "梧州第二批储备冻猪肉投放 根据市民群众的意见和建议，梧州第二批储备冻猪肉新增投放地点，更加便民、惠民。 "
        "包括大乐购超市太阳广场店、汇上佳超市、惠彤超市灏景店等3处，方便市民就近购买。 此外，品种更为丰富。",
    "餐饮服务单位疫情防控指引.txt":
        "餐饮服务单位疫情防控指引 一、员工健康管理 餐饮服务单位应建立员工健康监测制度，员工每日上岗前测量体温，"
        "出现发热、咳嗽等症状的应立即停止工作并及时就医。",
}


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    from kb import KnowledgeBase, Settings

    docs = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (docs / name).write_text(text + "\n", encoding="utf-8")
    kb = KnowledgeBase(Settings(kb_dir=tmp_path_factory.mktemp("articleskb")))
    assert [r.status for r in kb.ingest([docs], embed=False)] == ["ingested"] * len(ARTICLES)
    return Assistant(kb=kb, today=TODAY)


def test_the_headline_is_not_the_answer_and_does_not_cut_the_body_short(bot):
    a = bot.ask("江苏省政府办公厅政务公开办联合省医保局推出的“三个确保”具体指什么？")
    assert not a.refused
    quote = a.citations[0].quote
    assert quote.startswith("昨天，") and "全力保障患者救治" not in quote
    assert quote.endswith("确保定点收治的医疗机构不因支付政策影响救治。")


def test_a_speaker_after_a_quotation_answers_with_the_quotation(bot):
    a = bot.ask("国家卫健委新闻发言人米锋说了什么？")
    assert not a.refused and a.citations[0].quote.startswith("“戴好口罩和做好手卫生是最重要、最有效的防护措施")
    a = bot.ask("疾控中心专家吴尊友说了什么？")          # the quotation's own “四早” does not open it
    assert not a.refused and a.citations[0].quote.startswith("“我们强调“四早”原则")


def test_a_notices_signature_is_no_answer_and_ends_a_run(bot):
    a = bot.ask("泰州市海陵区自2020年2月21日零时可恢复营业的场所有什么要求？")
    assert not a.refused and "保持环境整洁" in a.answer
    assert "领导小组办公室 2020年2月20日" not in a.answer


def test_an_article_that_names_no_place_answers_with_a_note(bot):
    a = bot.ask("江苏省餐饮服务单位员工健康管理有什么要求？")
    assert not a.refused and "员工每日上岗前测量体温" in a.answer
    assert "《餐饮服务单位疫情防控指引》未写明适用地区，请核对是否适用于江苏省" in a.answer
    placed = bot.ask("江苏省政府办公厅政务公开办联合省医保局推出的“三个确保”具体指什么？")
    assert "采取特殊医保政策" in placed.citations[0].title and "未写明适用地区" not in placed.answer
    # the 海陵 notice names its district in its signature: it answers for no other place
    assert all("海陵" not in c.title for c in bot.ask("江苏省恢复营业的场所有什么要求？").citations)


def test_an_amount_is_of_the_asked_measure_and_in_the_asked_unit(bot):
    # the sentence covers the question, but its extracted indicator (接通率 85%) is not what is asked
    a = bot.ask("外呼系统已完成多少次累计呼叫？")
    assert not a.refused and "65.6万次" in a.answer and not a.answer.startswith("接通率")


def test_an_indicator_whose_measure_the_question_does_not_name_does_not_answer():
    from assistant.evidence import Topic
    from assistant.facts_match import match_indicators

    inds = [{"measure": "接通率", "sentence": "外呼系统启用以来已累计完成呼叫65.6万次，接通率达85%。", "unit": "%"},
            {"measure": "森林覆盖率", "sentence": "到2025年，森林覆盖率达到50%。", "unit": "%"}]
    topic = Topic("外呼 系统 累计 呼叫", lambda t: 1.0)
    assert match_indicators(inds, topic) == []
    assert [i["measure"] for _, i in match_indicators(inds, Topic("森林覆盖率 目标", lambda t: 1.0))] == ["森林覆盖率"]


def test_a_sum_in_the_named_article_is_answered_in_yuan(bot):
    # every word but 新冠/肺炎/金额 is in the title that names the article: its sentence still answers,
    # with the sum in 元 and not the day "14日"
    a = bot.ask("财政部第二批新冠肺炎疫情防控补助资金的预拨金额是多少？")
    assert not a.refused and a.answer.startswith("数值：80亿元")


def test_a_which_question_takes_the_sentence_that_lists_after_one_that_does_not(bot):
    a = bot.ask("梧州第二批储备冻猪肉新增投放地点有哪几个？")
    assert not a.refused and "大乐购超市太阳广场店、汇上佳超市、惠彤超市灏景店等3处" in a.answer
