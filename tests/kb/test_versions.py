"""Versions and status across documents (kb/versions.py) and their effect on answers."""
import json

import pytest

from assistant import Assistant
from kb import KnowledgeBase, Settings
from kb.versions import (DRAFT, FINAL, REPEALED, SUPERSEDED, VersionIndex, index_for, note_for, plan_key,
                         read_overrides, set_status)
from tests.version_helpers import SEED, VERSION_NAME


def _row(doc_id, title, date="", doc_number="", status=None, short="", kind="方案", region="某区"):
    return {"doc_id": doc_id, "title": title, "status": "ready",
            "meta": {"date": date, "doc_number": doc_number, "status": status, "kind": kind, "region": region,
                     "extra": {"short_title": short} if short else {}}}


def test_plan_key_ignores_draft_marks_and_the_wrapper():
    assert plan_key("全面推进美丽朝阳建设实施方案（征求意见稿）") == plan_key("全面推进美丽朝阳建设实施方案")
    assert plan_key("关于印发《某市数据条例（草案）》的通知") == plan_key("某市数据条例")
    assert plan_key("某市数据条例") != plan_key("某市数据条例实施细则")


def test_draft_and_final_of_one_plan():
    rows = [_row("draft", "某区行动方案（征求意见稿）", "2024-01-01"), _row("final", "某区行动方案", "2024-06-01"),
            _row("other", "另一方案")]
    idx = VersionIndex(rows, lambda d: "")
    assert idx.get("draft").status == DRAFT and idx.get("draft").current == "final"
    assert idx.get("final").status == FINAL and idx.get("final").current is None
    assert idx.current_only() == ["final", "other"]
    assert idx.older_versions("final") == ["draft"]
    # the user's own pick is kept unless it also holds the newer version
    assert idx.current_only(["draft"], explicit=True) == ["draft"]
    assert idx.current_only(["draft", "final"], explicit=True) == ["final"]


def test_later_final_text_supersedes_the_earlier():
    idx = VersionIndex([_row("v1", "某区行动方案", "2023-01-01"), _row("v2", "某区行动方案", "2024-01-01")], lambda d: "")
    assert idx.get("v1").status == SUPERSEDED and idx.get("v1").replaced_by == "v2"
    assert idx.current_only() == ["v2"]


def test_same_title_is_no_version_across_regions_or_for_notices():
    idx = VersionIndex([_row("a", "某行动方案", "2023-01-01", region="甲区"), _row("b", "某行动方案", "2024-01-01", region="乙区"),
                        _row("n1", "关于做好春节期间工作的通知", "2023-01-01", kind="通知"),
                        _row("n2", "关于做好春节期间工作的通知", "2024-01-01", kind="通知")], lambda d: "")
    assert all(d.status == FINAL and d.current is None for d in idx.docs.values())
    assert idx.current_only() == ["a", "b", "n1", "n2"] and not idx.has_versions()


def test_admin_repeal_without_replacement_is_told():
    idx = VersionIndex([_row("a", "某市停车管理办法")], lambda d: "", {"a": {"status": REPEALED, "note": "2024年3月起废止"}})
    assert idx.current_only() == []
    note = note_for(idx, _Answer("已收录的文件中未找到……", refused=True), "某市停车管理办法怎么收费？")
    assert note == "《某市停车管理办法》已废止（2024年3月起废止）"


def test_repeal_clause_links_by_title_and_by_number():
    texts = {"new": "本条例自2021年3月1日起施行。《某省信息化促进条例》同时废止。",
             "notice": "自本通知印发之日起，《关于加大激励支持力度的通知》（国办发〔2016〕82号）停止执行。"}
    rows = [_row("new", "某省数字经济促进条例"), _row("old", "某省信息化促进条例"),
            _row("notice", "关于进一步加大激励支持力度的通知"), _row("n16", "激励通知", doc_number="国办发〔2016〕82号")]
    idx = VersionIndex(rows, lambda d: texts.get(d, ""))
    assert idx.get("old").status == REPEALED and idx.get("old").replaced_by == "new"
    assert "同时废止" in idx.get("old").basis
    assert idx.get("n16").status == REPEALED and idx.get("n16").replaced_by == "notice"
    assert idx.current_only() == ["new", "notice"]
    named = idx.repealed_named("信息化促进条例还有效吗？")
    assert [m.title for m in named] == ["某省信息化促进条例"]


def test_a_drafts_repeal_clause_is_not_in_force():
    rows = [_row("d", "某省数字经济促进条例（草案）", status="草案"), _row("old", "某省信息化促进条例")]
    idx = VersionIndex(rows, lambda d: "《某省信息化促进条例》同时废止。" if d == "d" else "")
    assert idx.get("old").status == FINAL


def test_admin_setting_comes_first():
    rows = [_row("a", "甲方案"), _row("b", "乙方案")]
    idx = VersionIndex(rows, lambda d: "", {"a": {"status": REPEALED, "replaced_by": "b", "note": "见乙方案第十条"}})
    a = idx.get("a")
    assert (a.status, a.set_by, a.replaced_by, a.basis) == (REPEALED, "管理员", "b", "见乙方案第十条")
    idx = VersionIndex(rows, lambda d: "", {"a": {"status": DRAFT, "version_of": "b"}})
    assert idx.get("a").current == "b" and idx.current_only() == ["b"]


class _Answer:
    def __init__(self, text, refused=False, docs=()):
        self.answer, self.refused = text, refused
        self.citations = [type("C", (), {"doc_id": d})() for d in docs]


def test_note_for_an_older_version_that_differs():
    idx = VersionIndex([_row("draft", "某区行动方案（征求意见稿）"), _row("final", "某区行动方案", "2024-01-01")],
                       lambda d: "")
    ans = _Answer("建成口袋公园12处。[1]", docs=["final"])
    note = note_for(idx, ans, "建成多少处口袋公园", rerun=lambda ids: _Answer("建成口袋公园10处。[1]", docs=ids))
    assert note == "以上依据现行版本《某区行动方案》；征求意见稿《某区行动方案（征求意见稿）》中为：建成口袋公园10处"
    same = note_for(idx, ans, "建成多少处口袋公园", rerun=lambda ids: _Answer("建成口袋公园12处。[2]", docs=ids))
    assert same == ""


# --- on a knowledge base (vkb: tests/kb/conftest.py) ------------------------------------------
def test_made_version_supersedes_the_seed(vkb):
    idx = index_for(vkb)
    old, new = idx.get(SEED.stem), idx.get(VERSION_NAME)
    assert (old.status, old.replaced_by) == (SUPERSEDED, VERSION_NAME)
    assert new.status == FINAL and SEED.stem not in idx.current_only()
    assert idx.get("朝阳区_全面推进美丽朝阳建设实施方案_征求意见稿").status == DRAFT


def test_answer_uses_the_current_version_and_says_what_the_older_one_said(vkb):
    bot = Assistant(kb=vkb)
    a = bot.ask("在重点景区建设多少套微型气象景观观测站？")
    assert not a.refused and "30套" in a.answer.splitlines()[0]
    assert {c.doc_id for c in a.citations} == {VERSION_NAME}
    assert "此前版本（已被替代）" in a.answer and "20套" in a.answer.split("（注：", 1)[1]
    # unchanged content: no note
    b = bot.ask("万级负氧离子体验区由谁牵头？")
    assert "（注：" not in b.answer and {c.doc_id for c in b.citations} == {VERSION_NAME}


def test_set_status_sidecar(vkb):
    with pytest.raises(ValueError):
        set_status(vkb, SEED.stem, status="作废")
    with pytest.raises(ValueError):
        set_status(vkb, "no-such-doc", status=REPEALED)
    set_status(vkb, SEED.stem, status=FINAL, note="管理员恢复")
    assert read_overrides(vkb.settings.kb_dir) == {SEED.stem: {"status": FINAL, "note": "管理员恢复"}}
    assert index_for(vkb).get(SEED.stem).set_by == "管理员"
    set_status(vkb, SEED.stem)
    assert json.loads((vkb.settings.kb_dir / "doc_status.json").read_text(encoding="utf-8")) == {}
    assert index_for(vkb).get(SEED.stem).status == SUPERSEDED


def test_refusal_about_a_repealed_measure_says_what_repealed_it(tmp_path, fake_embeddings):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "数据条例.txt").write_text(
        "某省数据条例\n第一章　总则\n第一条　为了促进数据开发利用，制定本条例。\n第二条　省人民政府统筹推进数据基础设施建设。\n"
        "第三十条　本条例自2024年1月1日起施行。《某省信息化促进条例》同时废止。\n", encoding="utf-8")
    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)
    kb.ingest([docs])
    a = Assistant(kb=kb).ask("某省信息化促进条例规定的信息化专项资金是多少亿元？")
    assert a.refused
    first, note = a.answer.splitlines()[:2]
    assert note.startswith("（注：《某省信息化促进条例》已废止：《某省数据条例》规定“") and "同时废止" in note


def test_a_repealed_document_in_the_kb_no_longer_answers(tmp_path, fake_embeddings):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "旧办法.txt").write_text("某市口袋公园管理办法\n第一条　为了规范口袋公园管理，制定本办法。\n"
                                   "第二条　口袋公园由市园林绿化局负责监督管理。\n", encoding="utf-8")
    (docs / "新办法.txt").write_text("某市公园绿地管理办法\n第一条　为了规范公园绿地管理，制定本办法。\n"
                                   "第二条　公园绿地由市城市管理委员会负责统筹。\n"
                                   "第九条　本办法自2025年1月1日起施行。《某市口袋公园管理办法》同时废止。\n", encoding="utf-8")
    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)
    kb.ingest([docs])
    idx = index_for(kb)
    assert idx.get("旧办法").status == REPEALED and idx.get("旧办法").replaced_by == "新办法"
    a = Assistant(kb=kb).ask("某市口袋公园管理办法规定口袋公园由哪个部门负责监督管理？")
    assert all(c.doc_id != "旧办法" for c in a.citations)
    assert "《某市口袋公园管理办法》已废止：《某市公园绿地管理办法》规定“" in a.answer
    # the user may still pick the repealed document itself
    b = Assistant(kb=kb).ask("口袋公园由哪个部门负责监督管理？", doc_ids=["旧办法"])
    assert not b.refused and "市园林绿化局" in b.answer


def test_draft_made_from_the_seed_is_noted_when_it_differs(tmp_path, fake_embeddings):
    """A 征求意见稿 of the 门头沟 plan (its title line marked, one value different) beside the final text:
    answers come from the final text and say what the draft said."""
    docs = tmp_path / "docs"
    docs.mkdir()
    final = docs / SEED.name
    final.write_bytes(SEED.read_bytes())
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("高质量发展三年行动计划（2024-2026年）\n", "高质量发展三年行动计划（2024-2026年）\n（征求意见稿）\n", 1)
    (docs / "门头沟区_氧吧三年行动计划_征求意见稿.txt").write_text(
        text.replace("建设20套微型气象景观观测站", "建设12套微型气象景观观测站"), encoding="utf-8")
    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)
    kb.ingest([docs])
    idx = index_for(kb)
    draft = idx.get("门头沟区_氧吧三年行动计划_征求意见稿")
    assert draft.status == DRAFT and draft.current == SEED.stem
    a = Assistant(kb=kb).ask("在重点景区建设多少套微型气象景观观测站？")
    assert "20套" in a.answer.splitlines()[0] and {c.doc_id for c in a.citations} == {SEED.stem}
    note = a.answer.split("（注：", 1)[1]
    assert note.startswith("以上依据现行版本《") and "征求意见稿《" in note and "12套" in note


def test_a_broken_status_file_is_ignored_not_fatal(tmp_path):
    from kb.versions import SIDECAR, read_overrides
    (tmp_path / SIDECAR).write_text('{"a": {"status": "已废止"},}', encoding="utf-8")
    assert read_overrides(tmp_path) == {}
    (tmp_path / SIDECAR).write_text('{"a": {"status": "作废"}, "b": {"status": "已废止"}}', encoding="utf-8")
    assert read_overrides(tmp_path) == {"b": {"status": "已废止"}}


def test_a_repeal_by_title_stays_within_the_repealing_documents_area():
    from kb.versions import VersionIndex
    rows = [{"doc_id": "gz", "title": "广州市公共租赁住房保障办法", "meta": {"region": "广州市", "kind": "办法", "date": "2024-01-01"}},
            {"doc_id": "sz_old", "title": "公共租赁住房管理办法", "meta": {"region": "深圳市", "kind": "办法"}},
            {"doc_id": "gz_old", "title": "公共租赁住房管理办法", "meta": {"region": "广州市", "kind": "办法"}}]
    texts = {"gz": "第五十四条 本办法自印发之日起施行，原《公共租赁住房管理办法》同时废止。", "sz_old": "正文。", "gz_old": "正文。"}
    idx = VersionIndex(rows, texts.get)
    assert idx.get("gz_old").status == "已废止" and idx.get("sz_old").status != "已废止"
