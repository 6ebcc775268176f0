"""Scope: regions and the documents a question names (title, short title, quoted name, 文号)."""
from hypothesis import given, strategies as st

from assistant.scope import DocInfo, references, resolve, _shared_runs

DOCS = [
    DocInfo("pt", "上海市普陀区人民政府办公室关于印发《普陀区海绵城市建设实施方案》的通知", "普陀区", "上海市",
            short_title="普陀区海绵城市建设实施方案", doc_number="普府办〔2025〕1号"),
    DocInfo("jd", "嘉定区系统化全域推进海绵城市建设的实施方案", "嘉定区", "上海市", doc_number="嘉府办发〔2024〕23号"),
    DocInfo("byl", "上海市花白玉兰推广应用三年行动计划（2024-2026年）", "上海市", "上海市"),
    DocInfo("wf", "国务院办公厅关于印发“无废城市”建设试点工作方案的通知", "全国", None, doc_number="国办发〔2018〕128号"),
    DocInfo("web", "疫情防控期间企业复工复产指引", None, None, head="山西省推行工程建设项目“不见面审批” 省住建厅2月5日发布通知"),
]


def test_a_short_name_selects_the_document():
    s = resolve("普陀海绵城市方案提出的目标是什么？", DOCS)
    assert s.preferred == ["pt"] and s.allowed == {"pt", "byl"}        # its city's plans may answer too
    assert "海绵城市" in s.title_words


def test_a_document_number_and_a_quoted_name_select_the_document():
    assert references("国办发〔2018〕128号文件是关于什么的？", DOCS)[0] == ["wf"]
    assert references("《白玉兰推广应用三年行动计划》里的“1”指什么", DOCS)[0] == ["byl"]


def test_generic_title_words_name_no_document():
    assert references("实施方案的工作目标是什么？", DOCS) == ([], [])
    assert references("三年行动计划有哪些保障措施", DOCS) == ([], [])


def test_a_region_without_documents_is_missing_and_a_named_region_limits_the_scope():
    s = resolve("静安区海绵城市建设由谁牵头？", DOCS)
    assert s.missing == ["静安区"] and not s.allowed
    s = resolve("嘉定区海绵城市建设由谁牵头？", DOCS)
    assert "pt" not in s.allowed and "jd" in s.allowed


def test_a_document_without_a_region_belongs_to_the_region_its_opening_names():
    s = resolve("山西省工程建设项目怎么审批？", DOCS)
    assert s.allowed == {"web"} and not s.missing


def test_filters_apply_before_scope():
    assert resolve("海绵城市建设由谁牵头？", DOCS, doc_ids=["jd"]).allowed == {"jd"}


@given(st.text(alphabet="普陀区海绵城市建设实施方案的目标是什么", max_size=30),
       st.text(alphabet="普陀区海绵城市建设实施方案", max_size=20))
def test_shared_runs_are_common_substrings(question, title):
    for run in _shared_runs(question, title):
        assert len(run) >= 2 and run in question and run in title


NAMING_DOCS = DOCS + [
    DocInfo("art", "关于做好复工复产工作的通知", None, None, head="各有关单位：", body="各有关单位：请静安区、嘉定区参照执行。"),
    DocInfo("nat", "国务院关于生态保护的意见", "全国", None, body="……在嘉定等地开展试点……"),
]


@given(st.sampled_from(["静安区海绵城市建设由谁牵头？", "嘉定区复工复产有什么要求？", "山西省工程建设项目怎么审批？",
                        "普陀区生态保护试点在哪里？", "静安复工复产", "海绵城市建设由谁牵头？"]))
def test_a_place_lookup_gives_the_scope_of_reading_the_bodies(question):
    """``naming`` (KnowledgeBase.documents_naming, from mentions found at ingestion) replaces reading
    DocInfo.body: the same scope."""
    def naming(names, among):
        return {d.doc_id for d in NAMING_DOCS if d.doc_id in among
                and any(n in f"{d.title} {d.head} {d.body}" for n in names)}

    assert resolve(question, NAMING_DOCS, naming=naming) == resolve(question, NAMING_DOCS)


def test_a_documents_issuer_names_it():
    from assistant.scope import DocInfo, references
    docs = [DocInfo("swj", "上海市普陀区2025年区级部门预算", "普陀区", issuer="上海市普陀区商务委员会"),
            DocInfo("sfj", "上海市普陀区2025年区级部门预算", "普陀区", issuer="上海市普陀区司法局"),
            DocInfo("bgs", "上海市普陀区2024年区级部门预算", "普陀区", issuer="上海市普陀区人民政府办公室")]
    ids, words = references("普陀区商务委员会2025年“三公”经费预算是多少？", docs)
    assert ids == ["swj"] and any("商务委员会" in w for w in words)


def test_a_provinces_document_that_names_a_city_may_answer_for_it_but_no_other_city():
    docs = DOCS + [DocInfo("zj", "浙江精准分析疫情", "浙江省", None, head="浙江省卫健委", body="杭州市各小区建立出入体温检测登记制度"),
                   DocInfo("nb", "宁波市复工指引", "宁波市", None, body="宁波市各企业")]
    s = resolve("杭州市各小区建立出入登记制度时信息登记到哪？", docs)
    # the province's document that names it, and (the city having none of its own) the national ones, marked
    assert "zj" in s.allowed and "nb" not in s.allowed and not s.missing
    assert "zj" not in s.borrowed["杭州市"] and s.allowed - {"zj"} == s.borrowed["杭州市"]
    # a district is not answered from its city's documents when it has none of its own
    assert resolve("静安区海绵城市建设由谁牵头？", docs).missing == ["静安区"]
    # a city with no document of its own: its province's documents answer for it, marked as borrowed
    # (the answer says whose they are); another province's never do
    s = resolve("南京市各小区如何登记？", docs + [DocInfo("js", "江苏省复工指引", "江苏省", None, body="苏州市")])
    assert not s.missing and "js" in s.borrowed["南京市"] and "zj" not in s.allowed
    # a city with documents of its own is answered from them, not from its province's
    s = resolve("宁波市各企业如何复工？", docs)
    assert s.allowed == {"nb"} and not s.borrowed


def test_a_document_that_names_no_place_may_answer_for_a_region_with_documents_and_is_marked():
    docs = DOCS + [DocInfo("np", "餐饮服务单位疫情防控指引", None, None, head="餐饮服务单位应做好员工健康管理。")]
    s = resolve("嘉定区餐饮服务单位如何做好员工健康管理？", docs)
    assert "np" in s.allowed and s.unplaced == {"np"}
    assert "pt" not in s.allowed and "web" not in s.allowed      # another district's, another province's
    s = resolve("静安区餐饮服务单位如何做好员工健康管理？", docs)   # no document of its own: still refused
    assert s.missing == ["静安区"] and not s.allowed and not s.unplaced
    assert resolve("餐饮服务单位如何做好员工健康管理？", docs).unplaced == set()
    assert resolve("全国餐饮服务单位如何做好员工健康管理？", docs).unplaced == set()     # national: no widening
    # a place named late in the body, or "本区" for a place it does not name, is not placeless
    late = DocInfo("hd", "2020年绿化工作要点", None, None, head="一、总体要求", body="……" * 200 + "由海淀区园林绿化局牵头")
    own = DocInfo("own", "绿化工作要点", None, None, head="本区绿化工作", body="本区绿化工作由区园林绿化局牵头。")
    s = resolve("嘉定区绿化工作由谁牵头？", DOCS + [late, own])
    assert not s.unplaced and "hd" not in s.allowed and "own" not in s.allowed


def test_documents_named_equally_come_in_the_same_order_in_every_process():
    # two documents that the question names as much as each other: which one a reader tries first must
    # not depend on the process's string hashing (it did: set order decided the tie)
    import subprocess
    import sys

    code = ("from assistant.scope import DocInfo, references\n"
            "docs = [DocInfo('nm', '内蒙古自治区工业和信息化厅关于推动落实《中小企业数字化赋能专项行动方案》的通知', '内蒙古自治区', None),\n"
            "        DocInfo('gx', '工业和信息化部办公厅关于印发《中小企业数字化赋能专项行动方案》的通知', '全国', None)]\n"
            "print(references('工信部的中小企业数字化赋能专项行动方案，文号多少？哪天印发？', docs))\n")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={"PYTHONHASHSEED": str(seed), "PATH": ""}).stdout for seed in range(8)}
    assert len(outputs) == 1 and outputs.pop().startswith("(['nm', 'gx']")      # ties in the documents' order
