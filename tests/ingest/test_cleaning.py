"""Each cleaning rule, on the artefacts seen in the seeds."""
from ingest import parse_file
from ingest.cleaning import clean_text, fix_number_spaces, resolve_footnotes
from tests.conftest import corpus_file


def test_bookmarks_removed():
    assert clean_text("[bookmark: _Toc21601][bookmark: _Toc25782]一、总体要求") == "一、总体要求"


def test_footnote_attached_to_its_term():
    line = "聚焦“三大产业”[footnoteRef:0]，高水平建设园区。强化“四尘共治”[footnoteRef:1]。 [0:  人工智能、超高清数字视听、心血管领域医疗器械] [1:  施工、道路、裸地和外来沙尘] "
    out = resolve_footnotes(line)
    assert "“三大产业”（人工智能、超高清数字视听、心血管领域医疗器械），" in out
    assert "“四尘共治”（施工、道路、裸地和外来沙尘）。" in out
    assert "[" not in out and not out.rstrip().endswith("]")


def test_footnotes_in_seed_stay_with_terms():
    doc = parse_file(corpus_file("门头沟区_深入实施"))
    chunk = next(c for c in doc.chunks if "三大产业" in c.text)
    assert "“三大产业”（人工智能、超高清数字视听、心血管领域医疗器械）" in chunk.text
    assert "footnote" not in doc.text and "bookmark" not in doc.text
    assert "“一廊、一环、两区”（根据门头沟分区规划" in doc.text


def test_word_split_by_page_break_rejoined():
    doc = parse_file(corpus_file("北京市_"))
    assert "着力扩大生态环境容量" in doc.text
    assert "让天更蓝、山更绿" in doc.text
    assert "恢复官厅水库饮用水源功能" in doc.text
    # headings followed by a blank line are not glued to the next paragraph
    assert "二、坚定不移持续巩固提升生态涵养品质\n" in doc.text


def test_split_rejoin_does_not_glue_titles_or_headings():
    text = "关于某事项的实施方案\n\n本市生态涵养区作为首都屏障，特制定本方案。\n\n二、主要任务\n\n推进造林。"
    assert clean_text(text) == text


def test_number_and_unit_spaces():
    assert fix_number_spaces("（国发〔2022〕11 号）到2026 年达到50 %，建成8 套") == "（国发〔2022〕11号）到2026年达到50%，建成8套"
    assert fix_number_spaces("第 3 条") == "第3条"
    # a space between two numbers or before a word is left alone
    assert fix_number_spaces("2024 2025 plan") == "2024 2025 plan"


def test_bracketed_note_is_not_glued_to_the_title():
    text = "[Source note: text of a row, found in a dump; wording unchanged.]\n\n关于推进人才集聚工程的实施意见\n\n正文。"
    assert clean_text(text) == text
