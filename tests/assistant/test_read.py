import pytest
"""Reading: the asked item in the clause that answers, windows around a sentence, and verification."""
from hypothesis import given, strategies as st

from assistant.evidence import Topic
from assistant.read import DATE, NUMBER, UNIT, find_slot, fit_of
from assistant.spans import extend, past_echo
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
    code = "根据《慈善捐赠物资免征进口税收暂行办法》（公告2015年第102号）等规定，进口物资可免征进口税收。"
    assert find_slot(code, NUMBER, Topic("进口 物资 免征 税收", IDF)) == ""        # a 文号's number is no amount
    assert find_slot("第3条规定，补助3万元。", NUMBER, Topic("补助", IDF)) == "3万元"


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


def _topic(words: str) -> Topic:
    return Topic(words, lambda t: 1.0)


def test_run_on_takes_a_list_it_opens_but_not_an_asked_items_siblings():
    from assistant.spans import run_on
    text = "操作步骤如下：第一步，登陆开票系统。第二步，上报汇总数据。第三步，自动清卡。二、其他事项。系统运行平稳。"
    a, b = 0, text.index("。") + 1
    assert text[a:run_on(text, a, b)].endswith("第三步，自动清卡。")
    items = "（二）对长时间超负荷工作的医务人员，要强制休息。（三）开展慰问活动。"
    assert run_on(items, 0, items.index("。") + 1) == items.index("。") + 1


def test_run_on_reads_a_headings_body_and_stops_at_the_next_heading():
    from assistant.spans import run_on
    text = "四、安全平安过节。出行文明，出门自觉戴口罩。注意用水用电安全。五、温馨服务过节。开通热线。"
    end = run_on(text, 0, text.index("。") + 1)
    assert text[:end] == "四、安全平安过节。出行文明，出门自觉戴口罩。注意用水用电安全。"


def test_run_on_keeps_its_paragraph_and_sentences_on_the_topic_and_drops_the_rest():
    from assistant.spans import run_on
    topic = _topic("储备 冻猪肉 销售价")
    for brk in ("\n", " ", "\u3000\u3000"):       # a line break, or the space or indent left of one
        text = ("据了解，第二批储备冻猪肉销售价格实行最高限价管理，各销售点可自主定价。 "
                "根据有关规定，第二批储备冻猪肉的销售最高限价为出库价。" + brk + "相关部门提醒市民做好个人防护。")
        end = run_on(text, 0, text.index("。") + 1, topic)
        assert text[:end].endswith("销售最高限价为出库价。"), brk
    # within a paragraph the quote goes on to its end, on the topic or not
    text = ("对MTC车辆来说，2月16日12:00至24:00期间，在入口收费站收费车道领取纸质通行券。自2月17日00:00后，"
            "在入口收费站车道无需领取纸质通行券，在出口收费站直接驶离。 免通后恢复正常收费。")
    end = run_on(text, 0, text.index("。") + 1, _topic("MTC 车辆 免费 规定"))
    assert text[:end].endswith("直接驶离。")


def test_a_which_question_whose_quote_lists_nothing_takes_the_next_sentence_that_lists():
    from assistant.spans import to_enumeration
    text = ("第二批储备冻猪肉投放更加便民、惠民。 第二批再增加大乐购超市太阳广场店、步步高南城百货超市梅西店、"
            "汇上佳超市等9个投放点。 此外，品种更为丰富。")
    assert text[:to_enumeration(text, 0, text.index("。") + 1)].endswith("等9个投放点。")
    listed = "投放点有大乐购超市、汇上佳超市、惠彤超市。 此外，还增加了前腿肉、后腿肉、排骨。"
    assert to_enumeration(listed, 0, listed.index("。") + 1) == listed.index("。") + 1     # it lists already
    plain = "第二批储备冻猪肉投放更加便民。 此外，品种更为丰富。"
    assert to_enumeration(plain, 0, plain.index("。") + 1) == plain.index("。") + 1     # nothing lists after it
    # nor a heading, a question, a signature, a table row or the next line
    for after in (" （一）加强组织、协调、调度。", " 3、哪些企业、个体户、合作社可以申请？", " 市发改委、市财政局、市卫健委 2020年2月20日",
                  " 1\t口罩、消毒液、防护服储备\t市发改委", "\n包括大乐购超市、汇上佳超市、惠彤超市。"):
        t = "第二批储备冻猪肉投放更加便民。" + after
        assert to_enumeration(t, 0, t.index("。") + 1) == t.index("。") + 1, after


def test_a_wrapped_line_is_not_a_sentence_of_the_paragraph():
    from assistant.spans import same_paragraph
    text = "保障一线医务人员的需要。市场监管部门要加强价格监管，严厉打击哄抬\n物价行为。"
    end = text.index("。") + 1
    assert not same_paragraph(text, end, end, text[end:text.index("\n")])       # cut by the line break
    assert same_paragraph(text, end, end, "市场监管部门要加强价格监管。")
    assert not same_paragraph("甲。 乙。", 2, 3, "乙。")                           # a space: the next paragraph


def test_a_restated_question_answers_with_what_follows():
    from assistant.spans import past_question
    text = "6、对拒绝隔离治疗的病人应如何处理？《传染病防治法》规定：可以由公安机关协助采取强制隔离治疗措施。7、下一问？"
    a, b = past_question(text, 0, text.index("？") + 1)
    assert text[a:b].startswith("《传染病防治法》")


def test_a_news_dateline_is_not_part_of_the_quote():
    from assistant.read import DATELINE
    s = "新华社天津2月15日电（记者 栗雅婷）天津交通运输部门对接重点群体返程需求。"
    assert s[DATELINE.match(s).end():].startswith("天津交通运输部门")
    assert DATELINE.match("天津交通运输部门对接需求。") is None


def test_a_one_line_article_is_split_where_a_heading_follows_a_space():
    from assistant.evidence import sentences
    text = "现就有关事项通知如下：　一、做好捐赠款物管理使用 各慈善组织要加强管理。　二、及时公开。"
    parts = [s for _, _, s in sentences(text)]
    assert parts[0] == "现就有关事项通知如下："
    assert parts[1].startswith("一、做好捐赠款物管理使用") and parts[2] == "二、及时公开。"
    assert all(text[a:b] == s for a, b, s in sentences(text))


def test_a_speakers_attribution_is_not_part_of_the_quote():
    from assistant.read import SAID
    s = "陆靖表示，上海各学校都实行了封闭式管理。"
    assert s[SAID.match(s).end():] == "上海各学校都实行了封闭式管理。"


def test_verify_refuses_a_sibling_item_for_the_asked_one():
    ask = understand("零碳物流园区建成期的年综合能耗原则上不小于多少吨标准煤？")
    scope = AnswerScope(allowed={"sh"})
    fact = {"type": "indicator", "title": "上海市零碳园区建设工作方案", "section": "一、园区类型",
            "measure": "零碳工业园区建成期的年综合能耗", "sentence": "零碳工业园区建成期的年综合能耗原则上应不小于5万吨标准煤。"}
    sibling = Reading(1.8, lambda c: "", "indicator", facts=[fact])
    assert not answers(sibling, understand("零碳物流园区建成期的年综合能耗原则上不小于多少吨标准煤？"), scope, Thresholds())
    assert answers(sibling, understand("零碳工业园区建成期的年综合能耗原则上不小于多少吨标准煤？"), scope, Thresholds())
    assert ask.intent == "indicator"


def test_verify_refuses_a_figure_about_something_else():
    ask = understand("示范区绿道总长度的目标是多少？")
    scope = AnswerScope(allowed={"sh"})
    off = _reading(quote="到2025年，公园绿地服务半径覆盖率达到90%以上。", slot="90%")
    assert not answers(off, ask, scope, Thresholds())
    on = _reading(quote="示范区区域绿道总长度达200公里左右。", slot="200公里")
    assert answers(on, ask, scope, Thresholds())


def test_from_issue_is_a_date_answer():
    assert DATE.search("第五十四条本办法自印发之日起施行，有效期5年。").group(0) == "自印发之日起施行"


def test_novelty_is_what_a_quote_says_beyond_the_question():
    from assistant.read import novelty
    t = _topic("加快 企业 复工 项目 开工")
    assert novelty("加快企业复工，加快项目开工。", t) < 0.5 < novelty("开展点对点精准帮扶，优化程序，确保3月份全面复工。", t)


def test_a_single_space_inside_a_sentence_does_not_split_it():
    from assistant.evidence import sentences
    for text in ("根据《条例》 第十二条的规定，开展工作。", "全区完成造林 10、 20 亩。"):
        assert [s for _, _, s in sentences(text)] == [text]


def test_field_labels_are_not_speakers():
    from assistant.read import SAID
    assert SAID.match("项目名称：森林覆盖率提升工程。") is None
    assert SAID.match("以下简称：生态办。") is None


def test_a_short_plain_sentence_is_not_a_heading_that_takes_everything_after_it():
    from assistant.spans import run_on
    text = ("各街镇要加强组织领导，明确分管领导和具体责任人员。 要建立工作台账，逐项明确完成时限。 "
            "区财政局要统筹安排年度经费预算，保障各项工作顺利开展。")     # three paragraphs of a one-line page
    end = run_on(text, 0, text.index("。") + 1, _topic("街镇 组织 领导"))
    assert text[:end] == "各街镇要加强组织领导，明确分管领导和具体责任人员。 要建立工作台账，逐项明确完成时限。"


def test_an_amount_with_thousands_separators_is_read_whole_and_beats_a_code():
    s = "2025年，本部门收入预算37,151.47万元，其中：财政拨款收入37,151.47万元，比2024年增加24,558.18万元；"
    assert find_slot(s, NUMBER, _topic("财政 拨款 收入")) == "37,151.47万元"
    assert find_slot("206 05 03 科技条件专项 17,200,000.00 17,200,000.00", NUMBER, _topic("科技 条件 专项")) == "17,200,000.00"


def test_a_named_article_is_that_article_not_one_ending_in_the_same_characters():
    from types import SimpleNamespace
    from assistant.readers.overview import named_section
    text = "第十条 本条例所称数字基础设施，是指公共设施体系。第六十条 建设单位违反本条例规定的，处罚款。"
    sections = [{"id": 1, "title": "第十条", "start": 0, "heading_end": 4, "end": 26, "parent": None},
                {"id": 2, "title": "第六十条", "start": 26, "heading_end": 31, "end": len(text), "parent": None}]
    doc = {"doc_id": "zj", "title": "浙江省数字经济促进条例", "text": text, "sections": sections}
    docs = SimpleNamespace(get=lambda d: doc if d == "zj" else None)
    ctx = SimpleNamespace(preferred=["zj"], docs=docs)
    ask = understand("浙江数字经济促进条例第十条讲的是什么？")
    readings = named_section(ask, SimpleNamespace(hits=[]), ctx)
    seen = {}

    class Cites:
        def add(self, doc_id, a, b, section, quote=None):
            seen["quote"] = quote
            return "[1]"
    assert readings and "数字基础设施" in readings[0].render(Cites()) and "第六十条" not in seen["quote"]


def test_a_heading_that_restates_the_question_answers_with_its_body():
    from assistant.spans import past_heading
    q = "广西壮族自治区红十字会接收捐款账户信息是什么？"
    topic = Topic("红十字会 接收 捐款 账户 信息", lambda t: 1.0)
    text = ("二、捐赠途径 （一）广西壮族自治区红十字会接收捐款账户信息。 1.银行捐款 开户名：广西壮族自治区红十字会"
            " 账号：2102108009249007743 2.网络捐款 扫描二维码捐款 （二）广西慈善总会接收捐款账户信息。 开户名：广西慈善总会")
    b = text.index("信息。") + 3
    a2, b2 = past_heading(text, 0, b, topic, q)
    assert text[a2:b2].startswith("1.银行捐款") and text[a2:b2].endswith("扫描二维码捐款")   # up to its sibling
    # a marked sentence that says more than the question is the answer itself
    q2 = "沈阳市对长时间超负荷工作的一线医务人员有何政策？"
    t2 = "（三）对长时间超负荷工作的一线医务人员，要强制休息并安排人员补位。对因参加疫情防控未能休假的，要及时安排补休。"
    topic2 = Topic("长时间 超负荷 工作 一线 医务人员 政策", lambda t: 1.0)
    end = t2.index("。") + 1
    assert past_heading(t2, 0, end, topic2, q2) == (0, end)


def test_a_notices_headline_number_and_addressees_are_not_part_of_the_quote():
    from assistant.read import SALUTATION
    s = ("关于进一步做好新型冠状病毒感染肺炎疫情防控经费保障工作的通知 财办〔2020〕7号 各省、自治区、直辖市、"
         "计划单列市财政厅（局），新疆生产建设兵团财政局： 近期，湖北省武汉市等地发生疫情。")
    assert s[SALUTATION.match(s).end():].startswith("近期，湖北省")
    assert SALUTATION.match("尊敬的广大市民朋友：为全面落实部署，定于2月10日起推行。").end() == len("尊敬的广大市民朋友：")
    # an ordinary sentence, or one with a colon that addresses no one, keeps its words
    assert SALUTATION.match("各地要根据疫情实际分类施策。") is None
    assert SALUTATION.match("地方各级财政部门要加强库款形势分析研判：有序规范组织资金调度。") is None


def test_run_on_takes_the_items_under_a_heading_but_not_its_sibling():
    from assistant.spans import run_on
    text = ("三、切实减轻企业负担 　　5.缓解企业用能成本压力。市政控股公司实行“欠费不停供”措施。 　　6.延长合同履行期限。"
            "可以适当延长合同履行期限。 　　四、加大金融支持 　　8.加大信贷支持。")
    b = run_on(text, 0, len("三、切实减轻企业负担"), None, limit=400)
    assert text[:b].endswith("可以适当延长合同履行期限。") and "四、" not in text[:b]


def test_run_on_takes_sentences_built_alike_and_step_lists():
    from assistant.spans import LIST_ASK, run_on
    text = ("各地要根据疫情实际分类施策，统筹推进疫情防控和经济社会发展，确保两手抓两手硬。 对于疫情严重的地区，首要任务还是"
            "疫情防控。 对于疫情比较轻的地区，要尽快实现全面复工。 据悉，目前全国其他各省区市已经开始复工。")   # paragraphs
    # 疫情 is in nearly every sentence (low weight): the third sentence covers little of the topic but is
    # built like the second
    topic = Topic("分类 施策 疫情", lambda t: 0.1 if t == "#疫情" else 1.0)
    b = run_on(text, 0, text.index("疫情防控。") + 5, topic, limit=400)
    assert text[:b].endswith("全面复工。")
    # the same opening without any topic word is not taken
    other = "我市将进一步加大对中小微企业的融资支持力度，帮助企业渡过难关，稳定就业，确保全市经济平稳运行。 我市将于3月召开全市文旅推介大会。"
    end = other.index("平稳运行。") + 5
    assert run_on(other, 0, end, Topic("融资 支持", lambda t: 1.0)) == end
    assert LIST_ASK.search("金税盘清卡解锁的操作步骤是什么？")


def test_how_long_is_a_quantity_and_the_day_of_a_date_is_no_amount():
    from assistant.understand import understand
    assert understand("受疫情影响的中小企业可延期缴纳税款多久？").intent == "indicator"
    topic = Topic("延期 缴纳 税款", lambda t: 1.0)
    assert find_slot("受疫情影响难以按期缴纳税款的中小企业，可延期缴纳税款3个月。", NUMBER, topic) == "3个月"
    assert find_slot("本通知规定的标准均从2025年1月1日起执行。", NUMBER, Topic("标准 执行", lambda t: 1.0)) == ""


def test_heading_levels_follow_the_usual_order_and_a_body_crosses_line_breaks():
    from assistant.spans import past_heading, run_on
    text = "2.强化资金保障。 （1）设立专项资金。 （2）加快拨付进度。 3.优化审批服务。"
    b = run_on(text, 0, len("2.强化资金保障。"), None, limit=400)
    assert text[:b].endswith("加快拨付进度。")                        # 2. takes its （1）（2）, not 3.
    text = "1.强化资金保障。 （1）设立专项资金。 （2）加快拨付进度。 2.优化审批服务。 三、其他事项。"
    b = run_on(text, 0, len("1.强化资金保障。"), None, limit=400)
    assert text[:b].endswith("2.优化审批服务。")                     # a list from its first item, sub-items too
    q = "红十字会接收捐款账户信息是什么？"
    body = "（一）红十字会接收捐款账户信息。 1.银行捐款\n开户名：红十字会 账号：2102108009249007743\n（二）慈善总会接收捐款账户信息。"
    a2, b2 = past_heading(body, 0, body.index("信息。") + 3, Topic("红十字会 接收 捐款 账户 信息", lambda t: 1.0), q)
    assert body[a2:b2].startswith("1.银行捐款") and body[a2:b2].endswith("2102108009249007743")


def test_a_headline_or_subheading_before_a_body_is_cut_off_at_its_space():
    from assistant.evidence import headline_cuts
    s = "全力保障患者救治 省政府办公厅联合省医保局推出“三个确保” 采取特殊医保政策 昨天，省医保局推出问答，确保就医。"
    cuts = headline_cuts(s)
    assert len(cuts) == 3 and s[cuts[-1][1]:].startswith("昨天，省医保局")
    assert s[:cuts[0][0]] == "全力保障患者救治"
    sub = "确保确诊和疑似患者享受各项医疗保障待遇 已参加基本医疗保险的患者，个人不承担任何医疗费用。"
    assert sub[headline_cuts(sub)[-1][1]:].startswith("已参加")
    # a space inside a sentence, after a clause has begun, after a short word or after a unit's name
    for text in ("根据《条例》 第十二条的规定，开展工作。", "各地要抓紧落实，全区完成 造林任务。", "全区完成造林 10、 20 亩。",
                 "北京市卫生健康委员会 北京市财政局联合印发《医疗费用保障通知》，明确保障范围。",
                 "市疫情防控领导小组物资保障组： 李 勇（13520693975）"):
        assert headline_cuts(text) == [], text


def test_only_a_text_that_lost_its_line_breaks_has_headlines_run_into_it():
    from assistant.evidence import one_line
    assert one_line("江苏：采取特殊医保政策 全力保障患者救治 昨天，省医保局推出问答。" * 40)
    assert not one_line("本区将于2020年5月1日起\n全面推行生活垃圾分类，各街镇要抓紧落实。\n" * 40)


def test_a_quotation_opens_where_its_marks_balance():
    from assistant.evidence import quotation_start
    text = "专家介绍。“我们强调“四早”原则，要早发现、早报告。”疾控中心专家说。"
    assert text[quotation_start(text, text.index("”疾控")):].startswith("“我们强调")
    assert quotation_start("没有引号”他说。", 4) == -1


@given(st.lists(st.sampled_from(["保障患者救治", "推出“三个确保”", "，", "。", " ", "昨天", "a1", "《条例》"]), max_size=12))
def test_headline_cuts_are_spaces_after_runs_without_clause_punctuation(parts):
    from assistant.evidence import headline_cuts
    s = "".join(parts)
    pos = 0
    for c0, c1 in headline_cuts(s):
        assert pos <= c0 < c1 <= len(s) and not s[c0:c1].strip()
        assert not any(ch in s[pos:c0] for ch in "，,；;。！？!?、：:")
        assert sum("\u4e00" <= ch <= "\u9fff" for ch in s[pos:c0]) >= 6
        pos = c1
    # reference: a run of six CJK characters before the first space, then more text, is always cut
    if s.startswith("保障患者救治 ") and len(s) >= len("保障患者救治 ") + 4 and s[len("保障患者救治 ")] in "保推昨《":
        assert headline_cuts(s)[:1] == [(6, 7)]


def test_a_signature_answers_no_question_and_a_speaker_keeps_the_quotation():
    from assistant.read import ATTRIBUTION, SIGNATURE
    assert SIGNATURE.match("泰州市海陵区应对新型冠状病毒肺炎疫情工作领导小组办公室 2020年2月20日。")
    assert SIGNATURE.match("商务部办公厅 财政部办公厅 2020年2月11日")
    assert not SIGNATURE.match("各地要在2020年2月20日前完成。")
    from assistant.read import SIGNED_NOTHING
    assert "lead" not in SIGNED_NOTHING and "deadline" not in SIGNED_NOTHING   # a flattened task row looks alike
    assert ATTRIBUTION.match("”国家卫健委新闻发言人米锋说。") and ATTRIBUTION.match("”他说。")
    assert not ATTRIBUTION.match("他说，要戴好口罩。")


def test_a_labels_value_and_the_date_an_extension_runs_to():
    topic = Topic("举报 违法 热线 电话", lambda t: 1.0)
    quote = "政策业务咨询服务： 平婧（65396026，13911530695） 举报违法热线电话：84038110 北京市民政局 2020年2月11日。"
    assert find_slot(quote, NUMBER, topic) == "84038110"
    quote = "2020年2月份法定申报纳税期限延长至2月24日（根据税总函〔2020〕27号）。"
    topic = Topic("2 月份 申报 纳税 期限 延长", lambda t: 1.0)
    assert find_slot(quote, DATE, topic, "重庆市税务部门将2月份申报纳税期限延长至何时了？") == "2月24日"


def test_an_amount_is_in_the_asked_unit_and_a_sum_of_money_in_yuan():
    from assistant.read import asked_unit
    assert asked_unit("外呼系统已完成多少次累计呼叫？") == "次" and asked_unit("有多少所医疗机构？") == "所"
    assert asked_unit("补助资金的预拨金额是多少？") == "元" and asked_unit("需要多少钱？") == "元"
    assert asked_unit("疑似患者医疗费用可以报销多少？") is None        # may be a share (80%)
    for share_or_count in ("财政补助资金的分担比例是多少？", "资金到位率是多少？", "专项资金支持多少企业？", "资金链断裂企业有多少？"):
        assert asked_unit(share_or_count) is None, share_or_count
    assert find_slot("全区共投入疫情防控资金5000余万元。", NUMBER, _topic("疫情 防控 资金"), "投入资金的金额是多少？") == "5000余万元"
    assert find_slot("今年投入资金3.5亿，用于防控。", NUMBER, _topic("投入 资金"), "投入资金的金额是多少？") == "3.5亿"
    assert find_slot("累计开展口罩价格检查1200余次。", NUMBER, _topic("口罩 价格 检查"), "检查多少次？") == "1200余次"
    text = "财政部14日预拨2020年第二批新型冠状病毒肺炎疫情防控补助资金80亿元，支持各地开展疫情防控相关工作。"
    assert find_slot(text, NUMBER, _topic("第二批 补助 资金 预拨"), "第二批补助资金的预拨金额是多少？") == "80亿元"
    assert find_slot("已累计完成呼叫65.6万次，接通率达85%。", NUMBER, _topic("累计 呼叫"), "累计呼叫多少次？") == "65.6万次"
    assert find_slot("接通率达85%。", NUMBER, _topic("接通率"), "累计呼叫多少次？") == ""     # nothing in 次


def test_a_heading_after_a_closing_bracket_and_a_space_starts_a_sentence():
    from assistant.evidence import sentences
    text = "给予场租补贴。（责任单位：市商务局） 二、加大金融支持力度 6.进一步增加信贷投放。"
    parts = [s for _, _, s in sentences(text)]
    assert parts[1] == "（责任单位：市商务局）" and parts[2].startswith("二、加大金融支持力度")
    assert all(text[a:b] == s for a, b, s in sentences(text))
    assert [s for _, _, s in sentences("（详见附件） 以下简称条例。")] == ["（详见附件） 以下简称条例。"]   # no marker after it


def test_a_measures_duty_note_belongs_to_its_quote_and_closes_a_run():
    from assistant.spans import run_on, duty_note
    text = ("对受疫情影响无法按时缴纳职工社会保险的，可申请缓缴社会保险费。(责任单位:省人力资源和社会保障厅、省医疗保障局)"
            "　　3.降低用电成本。")
    b = text.index("。") + 1
    assert text[:duty_note(text, b)].endswith("省医疗保障局)")
    assert duty_note("缓缴期间免收滞纳金。（详见附件）", 10) == 10          # a bracket that names no duty
    assert text[:run_on(text, 0, b, _topic("缴纳 社会保险 缓缴"))].endswith("省医疗保障局)")
    flat = "可申请缓缴社会保险费。（牵头单位：区人社局；配合单位：区财政局）缓缴期间免收滞纳金。"
    assert flat[:run_on(flat, 0, flat.index("。") + 1, _topic("社会保险 缓缴 滞纳金"))].endswith("配合单位：区财政局）")
    for note in ("（区人社局牵头，区财政局配合）", "（责任单位：市发展改革委（市粮食和储备局）、市财政局）"):
        assert duty_note("降低用电成本。" + note, 7) == 7 + len(note), note
    for other in ("（各实施单位应于每季度末报送进度，逾期不予拨付）", "（由企业负责人签字）"):
        assert duty_note("降低用电成本。" + other, 7) == 7, other


def test_a_list_whose_items_carry_duty_notes_runs_through_all_of_them():
    from assistant.spans import run_on
    text = "主要措施如下：1.降低用电成本。（责任单位：市发展改革委）2.降低用气成本。（责任单位：市城管委）3.减免房租。"
    assert run_on(text, 0, len("主要措施如下："), None, limit=400) == len(text)
    body = "三、减轻企业负担 5.降低用电成本。（责任单位：市发展改革委） 6.延长合同期限。（区人社局牵头，区财政局配合）"
    assert run_on(body, 0, len("三、减轻企业负担"), None, limit=400) == len(body)


def test_a_closing_quote_after_the_end_punctuation_ends_the_sentence_with_it():
    from assistant.evidence import sentences
    text = "将返还社会保险费的50%。“返还资金可用于稳定就业岗位相关支出。” 具备哪些条件可申请?"
    parts = [s for _, _, s in sentences(text)]
    assert parts == ["将返还社会保险费的50%。", "“返还资金可用于稳定就业岗位相关支出。”", "具备哪些条件可申请?"]
    assert all(text[a:b] == s for a, b, s in sentences(text))
    straight = '条件如下。"一是年满18周岁。"'                     # a straight quote that opens the next one
    assert [s for _, _, s in sentences(straight)] == ["条件如下。", '"一是年满18周岁。"']
    cited = "依据《传染病防治法》（2013年修正） 第十二条的规定，做好防控工作。"   # no heading after a bracket
    assert [s for _, _, s in sentences(cited)] == [cited]


def test_run_on_reads_past_a_sentence_that_opens_with_a_date_or_cites_an_article():
    from assistant.spans import run_on
    text = ("对MTC车辆来说，2月16日12:00至24:00期间，在入口领取纸质通行券，在出口正常交费通行。"
            "2月17日00:00後，在入口无需领取纸质通行券，在出口直接免费通行。")
    assert run_on(text, 0, text.index("。") + 1, _topic("MTC 车辆 规定")) == len(text)
    law = ("第二十七条规定：“对被污染的污水、污物，必须进行严格消毒处理。” "
           "第四十七条规定：“疫区中被污染的物品，经消毒可以使用的，方可使用。”")
    assert run_on(law, 0, law.index("” ") + 1, _topic("污染 污水 污物 消毒 处理")) == len(law)
    heading = "必须进行严格消毒处理。 第四十七条 疫区中被污染的物品，经消毒方可使用。"
    assert run_on(heading, 0, heading.index("。") + 1, _topic("污染 消毒 处理")) == heading.index("。") + 1
    steps = "推进建设。2024年：完成10个示范点。2025年：完成20个示范点。"        # a year's step is an item
    assert run_on(steps, steps.index("2024"), steps.index("2025"), _topic("示范点 完成")) == steps.index("2025")


def test_a_sibling_of_a_subject_word_refuses_only_for_a_word_of_the_documents():
    from dataclasses import replace
    from assistant.verify import subject_ok
    seen = {"#物流", "#工业", "#园区", "#集体", "#薄弱", "#消薄", "#村集"}
    idf = lambda t: 1.0 if t in seen else 5.0                      # a bigram no document holds: the top weight
    ask = understand("零碳物流园区的库容面积是多少？")
    sibling = _reading(slot="5万吨", quote="零碳工业园区建成期的年综合能耗原则上应不小于5万吨标准煤。")
    assert not subject_ok(replace(ask, topic="零碳 物流园区"), sibling, Thresholds(), idf)
    glued = _reading(slot="10万元", quote="基本消除年经营性收入小于10万元的集体经济薄弱村，建立消薄长效机制。")
    assert subject_ok(replace(ask, topic="区搞消薄 集体 薄弱"), glued, Thresholds(), idf)   # jieba's "区搞消薄"


def test_a_figure_asked_for_several_districts_together_is_the_groups():
    ask = understand("门头沟、平谷、延庆三个区合起来算，森林覆盖率要守在什么水平？")
    assert ask.intent == "indicator"
    scope = AnswerScope(allowed={"mtg", "bj"}, primary={"mtg"}, regions=ask.regions)
    one = _reading(quote="全区森林覆盖率达到50%。", doc="mtg")
    group = _reading(slot="66%", quote="门头沟区、平谷区、延庆区总体森林覆盖率保持在66%以上。", doc="bj")
    assert not answers(one, ask, scope, Thresholds()) and answers(group, ask, scope, Thresholds())


def test_a_quote_starts_past_its_clauses_that_restate_the_question():
    q = "对受疫情影响严重的企业到期还款困难的，央行提供哪些补救措施？"
    text = "人民银行表示，对受疫情影响严重的企业到期还款困难的，可予以展期或续贷，不得抽贷断贷。"
    a = text.index("对受")
    assert text[past_echo(text, a, len(text), q):] == "可予以展期或续贷，不得抽贷断贷。"
    # a clause that says what the question does not ("人民银行表示，") is kept
    assert past_echo(text, 0, len(text), q) == 0


def test_a_restating_clause_that_names_a_figure_or_opens_a_quotation_is_kept():
    q = "门头沟打蓝天保卫战，要深化的是什么攻坚行动？"
    text = "深化“0.1微克”攻坚行动，以细颗粒物（PM2.5）控制为主线，推进多污染物协同减排。"
    assert past_echo(text, 0, len(text), q) == 0
    q2 = "通知规定的消毒要求是什么？"
    text2 = "通知规定：“消毒要求，对被污染的物品进行严格消毒处理。”"
    assert past_echo(text2, 0, len(text2), q2) == text2.index("“")
    # nothing is cut that would leave a stub under ECHO_REST characters
    text3 = "通知规定的消毒要求，严格消毒。"
    assert past_echo(text3, 0, len(text3), q2) == 0


@pytest.mark.parametrize("text, question", [
    ("非受疫情影响严重的企业到期还款困难的，按原合同执行，不予展期或续贷，不得另行减免。", "对受疫情影响严重的企业到期还款困难的，央行提供哪些补救措施？"),
    ("对延期还款不超过三个月的中小微企业，免收罚息并保持征信记录不变。", "对延期还款不超过六个月的中小微企业有何政策？"),
    ("对延期还款不超过１个月的中小微企业，免收罚息并保持征信记录不变。", "对延期还款不超过12个月的中小微企业有何政策？"),
    ("企业可以延期缴纳社会保险费，期限最长不超过6个月，期间不收滞纳金。", "企业是否可以延期缴纳社会保险费？"),
    ("对中小企业，减免三个月房租；对个体工商户，减免一个月房租。", "疫情期间对中小企业和个体工商户有哪些支持政策？"),
    ("密切接触者，是指与疑似病例、确诊病例有过近距离接触的人员。", "什么是密切接触者？"),
    ("【对受疫情影响严重的企业，到期还款困难的】可予以展期或续贷，不得抽贷断贷。", "对受疫情影响严重的企业到期还款困难的，央行提供哪些补救措施？"),
    ("对受疫情影响严重的企业到期还款困难的，——可予以展期或续贷，不得抽贷断贷。", "对受疫情影响严重的企业到期还款困难的，央行提供哪些补救措施？"),
    ("对受疫情影响严重的企业到期还款困难的，央行提供，补救措施。（责任单位：人民银行）", "对受疫情影响严重的企业到期还款困难的，央行提供哪些补救措施？"),
])
def test_a_restating_clause_is_kept_where_cutting_it_changes_or_breaks_the_quote(text, question):
    # a negation, another figure (Chinese numerals, full-width digits, whole numbers only), a yes-or-no
    # ask, one of several targets, a definition's subject, an unclosed 【, a quote starting on punctuation,
    # and a rest that is only a stub and a duty note
    assert past_echo(text, 0, len(text), question) == 0


from dataclasses import replace

from assistant.read import Weights


def _read(text: str, question: str, **weights):
    """The candidates of one passage holding all of ``text``, best first."""
    from types import SimpleNamespace
    from assistant.gather import Evidence
    from assistant.read import ReadContext, Weights, read_passages
    from kb.retrievers import Hit
    hit = Hit("d", "", "", text, 1.0, "text", 0, len(text), None, None, "c")
    ctx = ReadContext(docs=SimpleNamespace(text=lambda d: text), idf=IDF, weights=Weights(**weights))
    return read_passages(understand(question), Evidence([hit], rank={"c": 1.0}), ctx)


def test_the_clause_that_asks_outweighs_the_one_that_sets_the_scene():
    q = "自2月14日10时起泰安市公共场所均要实行扫码通行，对拒不配合的人员有什么措施？"
    assert understand(q).focus == "对拒不配合的人员有什么措施"
    assert understand("泰安市公共场所要实行什么通行方式？").focus == ""               # one clause: no focus
    assert understand("据通知，泰安市公共场所实行扫码通行。").focus == ""             # no question word
    text = ("二、自2月14日10时起，泰安市所有公共场所均要实行扫码通行，请市民配合。 "
            "三、对拒不配合的人员，公共场所有权拒绝其进入，并做好登记。")
    assert "拒绝其进入" in _read(text, q)[0].quote
    assert "拒绝其进入" not in _read(text, q, focus=0.0)[0].quote              # the whole question alone: the scene wins
    for c in _read(text, q):                                                # the reader scores as eval.fit does
        assert abs(c.score - Weights().total(c.parts)) < 1e-9


@pytest.mark.parametrize("question, focus", [
    ("对受疫情影响严重的企业到期还款困难的，央行提供哪些补救措施？", ""),          # a condition stays with the ask
    ("按照疫情防控相关的技术要求，交通运输部采取了哪些措施？", ""),                # and so does a basis
    ("“停课不停学，停课不停教”是什么意思？", ""),                              # a comma inside a quotation
    ("哪些人员需要居家隔离，任何人都要报备？", "哪些人员需要居家隔离"),          # 任何 asks nothing
    ("如何申请稳岗补贴，需要哪些材料，多久能到账？", ""),                        # several clauses ask
    ("杭州市各小区建立出入体温检测登记制度时，信息登记到哪？", "信息登记到哪"),
])
def test_the_asking_clause_is_one_clause_that_asks_with_its_conditions(question, focus):
    assert understand(question).focus == focus


def test_a_follow_up_has_no_asking_clause_of_its_own():
    first = understand("万级负氧离子体验区由谁牵头？")
    later = understand("那配合单位呢？", previous=first)
    assert later.followup
    # "收到，那配合单位呢？": what it asks is the earlier question's task, which this text does not name
    assert replace(later, text="收到，那配合单位呢？").focus == ""
    assert replace(later, text="收到，那配合单位呢？", followup=False).focus == "那配合单位呢"


def test_a_quote_that_opens_with_a_heading_the_question_names_is_preferred():
    from assistant.read import heading_named
    q = "内蒙古是如何为一线医务人员家中老年亲属提供健康服务的？"
    assert heading_named("二、提供健康服务 各地要通过电话、微信等方式定期了解其健康状况。", q)
    assert heading_named("（二）健康服务：各地要定期了解其健康状况。", q)
    assert not heading_named("三、提供托养服务 各地要组织养老机构提供托养。", q)     # 托养 is not asked
    assert not heading_named("提供健康服务 各地要定期了解其健康状况。", q)             # no heading marker
    assert not heading_named("二、提供健康服务，各地要定期了解其健康状况。", q)         # a sentence, not a heading
    assert not heading_named("二、 各地要为一线医务人员家中老年亲属提供健康服务。", q)   # a body after its marker
    assert not heading_named("二、提供健康服务", q)                                      # no body
    assert not heading_named("2020年提供健康服务 各地要通过电话等方式定期了解其健康状况。", q)   # a year, no marker
    for marked in ("第二部分 提供健康服务 ", "2.1 提供健康服务 ", "②提供健康服务 ", "3.提供健康服务。"):
        assert heading_named(marked + "各地要通过电话、微信等方式定期了解其健康状况。", q), marked
    text = ("二、了解实际需求 各地要指定专人负责，建立工作台账，全面掌握一线医务人员家中老年亲属的照料情况。 "
            "三、提供健康服务 各地要将老年亲属作为重点关爱对象，通过电话、微信等方式定期了解其健康状况。")
    assert _read(text, q)[0].quote.startswith("三、提供健康服务")
    assert not _read(text, q, heading=0.0)[0].quote.startswith("三、提供健康服务")
    best = _read(text, q)[0]
    assert best.boost == Weights().heading and best.score - best.boost == Weights(heading=0.0).total(best.parts)


def test_a_named_heading_ranks_but_is_no_evidence_of_an_answer():
    # "六、其他事宜" for "宠物美容店营业的其他事宜有哪些？": the bonus may not lift a weak quote over the threshold
    ask = understand("宠物美容店营业的其他事宜有哪些？")
    scope = AnswerScope(allowed={"d"})
    weak = Reading(0.45 + 0.2, lambda c: "", "passage", doc_id="d", quote="六、其他事宜 政府部门根据疫情发展情况另行通知。",
                   own=0.5, boost=0.2)
    assert not answers(weak, ask, scope, Thresholds())
    assert answers(replace(weak, score=0.65 + 0.2), ask, scope, Thresholds())


def test_a_number_of_ten_thousands_keeps_its_measure_word_and_is_no_sum_of_money():
    from assistant.read import in_unit
    s = "市、区两级重点引进和培养1万名左右具有博士、硕士学位的企业紧缺人才。"
    slot = find_slot(s, NUMBER, _topic("紧缺 人才 安家 补助 金额"))
    assert slot == "1万名" and not in_unit(slot, "元")
    assert in_unit(find_slot("预拨补助资金3.5亿元。", NUMBER, _topic("补助 资金")), "元")
    # the character after 万/亿 is a measure word only when it is not the start of a noun
    for text, number in [("5亿人民币", "5亿"), ("5000万场馆建设资金", "5000万"), ("3亿个体工商户", "3亿"),
                         ("200万项目资金", "200万"), ("10万人次", "10万人次"), ("1万家企业", "1万家")]:
        assert NUMBER.search(text).group() == number, text


def test_a_labelled_unit_list_ends_at_the_next_label():
    from assistant.readers.who import _CO_CLAUSE, _LEAD_CLAUSE
    note = "（牵头单位：市住房保障办，配合单位：市规划局、市国土房管局，各区、县级市）"
    assert _LEAD_CLAUSE[0].search(note).group(1) == "市住房保障办"
    assert _CO_CLAUSE[0].search(note).group(1) == "市规划局、市国土房管局，各区、县级市"
    own = "牵头单位：市发展改革委（市粮食和储备局）、市财政局；配合单位：各区政府"
    assert _LEAD_CLAUSE[0].search(own).group(1) == "市发展改革委（市粮食和储备局）、市财政局"
    for spaced in ["牵头单位：市发改委 配合单位：市财政局", "牵头单位：市发改委配合单位：市财政局"]:
        assert _LEAD_CLAUSE[0].search(spaced).group(1).strip() == "市发改委", spaced
