"""Answers from the real files of ../shared/real-formats (keyword retrieval): a budget PDF's text
and tables, a saved Guangzhou 政府信息公开 page, a red-header OFD 公文."""
import re
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.cells import asked_cell, labelled_cells
from assistant.evidence import Topic
from assistant.read import NUMBER

from .conftest import TODAY

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-formats"
FILES = ["gbc_上海市普陀区商务委员会25年预算.pdf", "html_26_最低生活保障及相关社会救助标准通知_穗民规字2025-2号.html", "ofd_n.ofd"]


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    if not all((REAL / f).is_file() for f in FILES):
        pytest.skip("../shared/real-formats not present")
    from kb import KnowledgeBase, Settings

    kb = KnowledgeBase(Settings(kb_dir=tmp_path_factory.mktemp("formatskb")))
    assert [r.status for r in kb.ingest([REAL / f for f in FILES], embed=False)] == ["ingested"] * 3
    return Assistant(kb=kb, today=TODAY)


def test_budget_text_figure(bot):
    a = bot.ask("普陀区商务委员会2025年“三公”经费预算是多少？")
    assert not a.refused and "1.00万元" in a.answer


def test_table_only_figure_names_row_and_column(bot):
    # 17,200,000.00 is written only in the 收入预算总表 and the 支出预算总表 (the text says 1,720.00万元)
    a = bot.ask("普陀区商务委员会2025年收入预算总表中科技条件专项是多少？")
    assert not a.refused
    assert "17,200,000.00元（科技条件专项 · 收入预算·合计）" in a.answer
    assert "部门收入预算总表" in a.answer
    # a column the question names: that column's cell of the row
    a = bot.ask("普陀区商务委员会2025年支出预算总表中科技条件专项的项目支出是多少？")
    assert not a.refused
    assert "17,200,000.00元（科技条件专项 · 支出预算·项目支出）" in a.answer and "部门支出预算总表" in a.answer


def test_html_notice_and_ofd(bot):
    a = bot.ask("广州市最低生活保障标准是多少？")
    assert not a.refused and "1309元" in a.answer
    a = bot.ask("穗民规字〔2025〕2号从什么时候开始执行？")          # named by its 文号 alone
    assert not a.refused and re.search(r"时间：2025年[16]月1日起", a.answer)
    a = bot.ask("广州市2025年最低生活保障及相关社会救助标准的通知的文号是什么？")
    assert not a.refused and "穗民规字〔2025〕2号" in a.answer
    a = bot.ask("关于同意张阿三同志辞职的批复的文号是什么？")
    assert not a.refused and "路卫发〔2011〕76号" in a.answer


class _Words:
    """A stand-in topic: coverage is the share of its words in the text."""

    def __init__(self, *words):
        self.words = words

    def __bool__(self):
        return bool(self.words)

    def coverage(self, text):
        return sum(w in text for w in self.words) / len(self.words)


ROW = ("2025年部门收入预算总表（单位：元）\n项目·功能分类科目编码·类：206；项目·功能分类科目编码·款：05；"
       "项目·功能分类科目名称：科技条件专项；收入预算·合计：17,200,000.00；收入预算·财政拨款收入：17,000,000.00；"
       "收入预算·其他收入：200,000.00")


def test_asked_cell_picks_the_column_the_question_names():
    caption, pairs = labelled_cells(ROW)
    assert caption == "2025年部门收入预算总表（单位：元）" and pairs[0] == ("项目·功能分类科目编码·类", "206")
    first = asked_cell(ROW, NUMBER, _Words("科技", "专项"))
    assert (first.value, first.column, first.row, first.unit) == ("17,200,000.00", "收入预算·合计", "科技条件专项", "元")
    assert asked_cell(ROW, NUMBER, _Words("科技", "其他收入")).value == "200,000.00"
    assert asked_cell(ROW, NUMBER, _Words("财政拨款")).column == "收入预算·财政拨款收入"
    # a unit written in the cell is not repeated from the caption; a row without figures has no cell
    assert asked_cell("表（单位：万元）\n项目：经费；金额：3万元", NUMBER, _Words("经费")).unit == ""
    assert asked_cell("表\n任务：建设公园；牵头单位：区园林绿化局", NUMBER, _Words("公园")) is None
    assert asked_cell("plain sentence", NUMBER, _Words("x")) is None


def test_asked_cell_against_real_topic():
    topic = Topic("科技条件专项 财政拨款收入", lambda term: 1.0)
    assert asked_cell(ROW, NUMBER, topic).column == "收入预算·财政拨款收入"
    assert re.fullmatch(r"[\d,.]+", asked_cell(ROW, NUMBER, topic).value)
