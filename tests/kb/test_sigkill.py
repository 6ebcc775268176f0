"""SIGKILL at the worst moments: during keyword indexing, during embedding, during an upload in the
web app. Afterwards the knowledge base opens and answers, and a re-run ends with the same counts
as a clean ingest. Embeddings come from an OpenAI-compatible server faked in the test (slowed down
so that the kill lands mid-work): the same worker path a remote TEI/vLLM host would take."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from kb import KnowledgeBase, Settings
from tests.conftest import CORPUS, OTHER, ROOT, CharNgramEmbeddings

pytestmark = pytest.mark.integration
DELAY_S = 0.3


class SlowEmbeddings(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        time.sleep(DELAY_S)
        data = [{"object": "embedding", "index": i, "embedding": CharNgramEmbeddings()._vec(str(t))}
                for i, t in enumerate(texts)]
        out = json.dumps({"object": "list", "data": data, "model": body["model"],
                          "usage": {"prompt_tokens": 1, "total_tokens": 1}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def embed_url():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), SlowEmbeddings)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "docs"
    shutil.copytree(CORPUS, d)
    if OTHER.is_dir():
        for p in sorted(OTHER.iterdir())[:8]:
            if p.suffix in (".txt", ".md"):
                shutil.copy(p, d / p.name)
    return d


def _env(kb_dir, url):
    return dict(os.environ, POLICYKB_KB_DIR=str(kb_dir), POLICYKB_EMBEDDING_BACKEND="openai",
                POLICYKB_EMBEDDING_BASE_URL=url, POLICYKB_EMBEDDING_MODEL="fake-e5", POLICYKB_EMBEDDING_BATCH_SIZE="8",
                PYTHONUNBUFFERED="1", HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")


def _cli(args, kb_dir, url, **kw):
    return subprocess.Popen([sys.executable, "-m", "service.cli", *args], cwd=ROOT, env=_env(kb_dir, url),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def _progress(kb_dir):
    """(documents with vectors, documents) read straight from SQLite while the writer runs."""
    try:
        con = sqlite3.connect(f"file:{kb_dir / 'policykb.sqlite3'}?mode=ro", uri=True, timeout=5)
        row = con.execute("SELECT COALESCE(SUM(vector_hash=content_hash), 0), COUNT(*) FROM documents"
                          " WHERE status='ready'").fetchone()
        con.close()
        return tuple(row)
    except sqlite3.Error:
        return (0, 0)


def _counts(kb_dir, settings_kw=None):
    kb = KnowledgeBase(Settings(kb_dir=kb_dir, **(settings_kw or {})), embeddings=CharNgramEmbeddings())
    docs = kb.documents(parsed=False)
    return {"documents": len(docs), "chunks": sum(d["n_chunks"] for d in docs),
            "tasks": len(kb.facts.tasks()), "indicators": len(kb.facts.indicators())}


def _clean(folder, tmp_path):
    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "clean"), embeddings=CharNgramEmbeddings())
    kb.ingest([folder], embed=False)
    return _counts(tmp_path / "clean")


def _answers(kb_dir):
    kb = KnowledgeBase(Settings(kb_dir=kb_dir), embeddings=CharNgramEmbeddings())
    hits = kb.search("万级负氧离子体验区由谁牵头", k=3)
    return hits and "区气象局" in hits[0].text


def _kill(proc):
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)


def test_sigkill_during_keyword_indexing(folder, tmp_path, embed_url):
    kb_dir = tmp_path / "kb"
    p = _cli(["ingest", "--no-embed", str(folder)], kb_dir, embed_url)
    seen = 0
    for line in p.stdout:
        seen += line.startswith("[已导入]")
        if seen == 2:
            _kill(p)
            break
    else:
        pytest.fail("ingest ended before the kill")
    assert _counts(kb_dir)["documents"] >= 1                     # opens after the kill
    rerun = _cli(["ingest", str(folder)], kb_dir, embed_url)
    out, _ = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, out
    assert _counts(kb_dir) == _clean(folder, tmp_path)
    assert _answers(kb_dir) and _progress(kb_dir)[0] == _progress(kb_dir)[1]


def test_sigkill_during_embedding(folder, tmp_path, embed_url):
    kb_dir = tmp_path / "kb"
    p = _cli(["ingest", str(folder)], kb_dir, embed_url)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and p.poll() is None:
        done, total = _progress(kb_dir)
        if total and 0 < done < total:
            break
        time.sleep(0.05)
    assert p.poll() is None, "ingest ended before the kill"
    _kill(p)
    done, total = _progress(kb_dir)
    assert done < total and _answers(kb_dir)                    # keyword search works meanwhile
    rerun = _cli(["ingest", str(folder)], kb_dir, embed_url)
    out, _ = rerun.communicate(timeout=600)
    assert rerun.returncode == 0 and "导入 0" in out, out
    counts = _counts(kb_dir)
    assert counts == _clean(folder, tmp_path)
    kb = KnowledgeBase(Settings(kb_dir=kb_dir), embeddings=CharNgramEmbeddings())
    assert kb.registry.vector_progress()[2:] == (counts["documents"],) * 2
    assert kb.store._collection.count() == counts["chunks"]      # no duplicate or orphan vectors
    # dense search in a new process (a Chroma client opened in this process before the re-run keeps
    # the vector index it loaded; see README, deployment)
    out = subprocess.run([sys.executable, "-m", "service.cli", "search", "--json", "万级负氧离子体验区由谁牵头", "-k", "3"],
                         cwd=ROOT, env=_env(kb_dir, embed_url), capture_output=True, text=True, timeout=300)
    assert any("dense" in h["scores"] for h in json.loads(out.stdout)), out.stderr


def test_sigkill_during_upload(tmp_path, embed_url):
    from gradio_client import Client, handle_file

    from tests.app.conftest import Server

    kb_dir = tmp_path / "kb"
    seed = _cli(["ingest", "--no-embed", str(CORPUS)], kb_dir, embed_url)
    assert seed.wait(600) == 0
    sent = tmp_path / "sent"
    sent.mkdir()
    if OTHER.is_dir():
        for p in sorted(q for q in OTHER.iterdir() if q.suffix == ".txt")[:4]:
            shutil.copy(p, sent / p.name)
    else:
        for i in range(4):
            (sent / f"方案{i}.txt").write_text(CORPUS.joinpath(next(CORPUS.glob("朝阳*.txt")).name)
                                             .read_text(encoding="utf-8").replace("朝阳", f"测试{i}"), encoding="utf-8")
    env = {k: v for k, v in _env(kb_dir, embed_url).items() if k.startswith("POLICYKB_EMBEDDING")}
    server = Server(kb_dir, tmp_path / "app.log", **env)
    before = _counts(kb_dir)["documents"]
    c = Client(server.url, verbose=False)
    job = c.submit([handle_file(str(p)) for p in sorted(sent.iterdir())], api_name="/upload")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and _counts(kb_dir)["documents"] == before:
        time.sleep(0.02)
    server.proc.send_signal(signal.SIGKILL)                     # mid-batch: some files in, some not
    server.proc.wait(30)
    del job
    got = _counts(kb_dir)
    assert before < got["documents"] <= before + len(list(sent.iterdir()))
    assert _answers(kb_dir)
    # the re-run: the app again, the same files uploaded again (what a user does after a crash)
    server = Server(kb_dir, tmp_path / "app2.log", **env)
    try:
        rows = Client(server.url, verbose=False).predict([handle_file(str(p)) for p in sorted(sent.iterdir())],
                                                         api_name="/upload")
        data = rows["data"] if isinstance(rows, dict) else rows
        assert {r[1] for r in data} <= {"已导入", "未变化（已在库中）"}, data
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and _progress(kb_dir)[0] < _progress(kb_dir)[1]:
            time.sleep(0.2)
    finally:
        server.stop()
    clean_dir = tmp_path / "clean-src"
    shutil.copytree(CORPUS, clean_dir)
    for p in sent.iterdir():
        shutil.copy(p, clean_dir / p.name)
    counts = _counts(kb_dir)
    assert counts == _clean(clean_dir, tmp_path)
    kb = KnowledgeBase(Settings(kb_dir=kb_dir), embeddings=CharNgramEmbeddings())
    assert kb.registry.vector_progress()[2] == counts["documents"]
    assert kb.store._collection.count() == counts["chunks"]
    assert sorted(p.name for p in (kb_dir / "uploads").iterdir()) == sorted(p.name for p in sent.iterdir())
