"""The policykb command end to end: real e5 embedder, Chroma on disk, a real subprocess."""
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import corpus_file

pytestmark = pytest.mark.integration


def run(*args, check=True):
    env = dict(os.environ, HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    p = subprocess.run([sys.executable, "-m", "service.cli", *args], capture_output=True, text=True, env=env, timeout=600)
    if check and p.returncode != 0:
        raise AssertionError(p.stdout + p.stderr)
    return p


def test_cli_ingest_docs_search_inspect_rm(tmp_path):
    kbdir = str(tmp_path / "kb")
    docs = tmp_path / "docs"
    docs.mkdir()
    src = corpus_file("门头沟区_氧吧")
    (docs / src.name).write_bytes(src.read_bytes())
    (docs / "broken.docx").write_text("not a docx", encoding="utf-8")

    p = run("ingest", "--kb", kbdir, str(docs), check=False)
    assert p.returncode == 1                                   # one file failed …
    assert "[已导入]" in p.stdout and "broken.docx" in p.stderr  # … and says which and why
    assert "各阶段用时" in p.stdout

    p = run("ingest", "--kb", kbdir, str(docs / src.name))
    assert "[未变化]" in p.stdout

    listed = json.loads(run("docs", "--kb", kbdir, "--json").stdout)
    assert [d["doc_id"] for d in listed] == [src.stem] and listed[0]["meta"]["region"] == "门头沟区"

    hits = json.loads(run("search", "--kb", kbdir, "--json", "-k", "5", "万级负氧离子体验区由谁牵头").stdout)
    assert any("万级负氧离子体验区" in h["text"] for h in hits)
    assert all(h["breadcrumb"].startswith("“中国天然氧吧”") for h in hits)
    out = run("search", "--kb", kbdir, "海淀区森林覆盖率目标").stdout
    assert "没有关于海淀区的文件" in out

    out = run("inspect", "--kb", kbdir, src.stem).stdout
    assert "二、重点任务" in out and "（2025年）任务分解表" in out and "区市场监管局区商务局" in out

    assert "已删除" in run("rm", "--kb", kbdir, src.stem).stdout
    assert json.loads(run("docs", "--kb", kbdir, "--json").stdout) == []
    assert run("rm", "--kb", kbdir, "nope", check=False).returncode == 1


def test_e5_embeddings_are_normalised_and_prefixed():
    from kb.embeddings import E5Embeddings

    emb = E5Embeddings()
    q = emb.embed_query("森林覆盖率达到多少")
    d = emb.embed_documents(["全区森林覆盖率达到50%", "举办首届气象经济高端论坛"])
    assert len(q) == 384 and abs(sum(x * x for x in q) - 1) < 1e-3
    sim = [sum(a * b for a, b in zip(q, v)) for v in d]
    assert sim[0] > sim[1]
