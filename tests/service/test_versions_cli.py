"""`policykb versions`, `policykb diff` and `policykb indicators --compare` on a knowledge base holding a
test-made version of a seed plan (in process: the commands read facts only, no embedder)."""
import json

import pytest

from service.cli import main
from tests.version_helpers import EXPECTED, SEED, VERSION_NAME, vkb  # noqa: F401


@pytest.fixture
def kbdir(vkb):
    return str(vkb.settings.kb_dir)


def test_cli_diff_json_lists_exactly_the_changes(kbdir, capsys):
    assert main(["diff", "--kb", kbdir, SEED.stem, VERSION_NAME, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["a"], out["b"]) == (SEED.stem, VERSION_NAME)
    assert {(c["kind"], c["change"], c["item"], c["field"], c["old"], c["new"]) for c in out["changes"]} == EXPECTED


def test_cli_diff_table(kbdir, capsys):
    assert main(["diff", "--kb", kbdir, SEED.name, VERSION_NAME, "--width", "200"]) == 0
    out = capsys.readouterr().out
    assert "任务：删除 1 项，修改 2 处；指标：修改 1 处" in out
    assert "2025年6月" in out and "区市场监管局、区园林绿化局" in out and "30套" in out


def test_cli_diff_unknown_document(kbdir):
    with pytest.raises(SystemExit, match="没有文档"):
        main(["diff", "--kb", kbdir, SEED.stem, "no-such-doc"])


def test_cli_indicators_compare(kbdir, capsys):
    assert main(["indicators", "--kb", kbdir, "--compare", "森林覆盖率", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["region"], r["value_text"], r["year"]) for r in rows} == {("北京市", "≥66%", 2027), ("门头沟区", "≥50%", 2026)}
    assert main(["indicators", "--kb", kbdir, "--compare", "森林覆盖率"]) == 0
    assert "森林覆盖率：2 个目标值，2 个地区，2 份文件" in capsys.readouterr().out
    assert main(["indicators", "--kb", kbdir, "森林覆盖率", "--format", "json"]) == 0    # the plain command still works
    assert len(json.loads(capsys.readouterr().out)) >= 3


def test_cli_versions_list_and_set(kbdir, capsys):
    assert main(["versions", "--kb", kbdir, "--format", "json"]) == 0
    rows = {d["doc_id"]: d for d in json.loads(capsys.readouterr().out)}
    assert rows[SEED.stem]["status"] == "已被替代" and rows[SEED.stem]["replaced_by"] == VERSION_NAME
    assert main(["versions", "--kb", kbdir, "--set", VERSION_NAME, "--status", "征求意见稿", "--format", "json"]) == 0
    rows = {d["doc_id"]: d for d in json.loads(capsys.readouterr().out.split("\n", 1)[1])}
    assert rows[VERSION_NAME]["status"] == "征求意见稿" and rows[VERSION_NAME]["set_by"] == "管理员"
    assert rows[SEED.stem]["status"] == "正式" and rows[VERSION_NAME]["current"] == SEED.stem
    assert main(["versions", "--kb", kbdir, "--set", VERSION_NAME, "--clear"]) == 0
    assert "已清除管理员设置" in capsys.readouterr().out
