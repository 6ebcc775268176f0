"""One writer, several readers on one data directory: three reader processes search in a loop
while a writer process ingests (keywords, then vectors through an OpenAI-compatible server faked in
the test); no reader fails, and each ends up seeing the writer's new documents."""
import json
import shutil
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer

import pytest

from tests.conftest import CORPUS, OTHER, ROOT
from tests.kb.test_sigkill import SlowEmbeddings, _env

pytestmark = pytest.mark.integration

READER = """
import json, sys, time
from kb import KnowledgeBase, Settings
seen, errors, n = set(), [], 0
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    kb = KnowledgeBase(Settings())          # a fresh view each round, as a reader app's next question
    try:
        for h in kb.search("森林覆盖率要达到多少", k=10):
            seen.add(h.doc_id)
        n += 1
    except Exception as exc:
        errors.append(repr(exc))
    time.sleep(0.2)
print(json.dumps({"rounds": n, "errors": errors, "seen": sorted(seen)}))
"""


@pytest.fixture(scope="module")
def embed_url():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), SlowEmbeddings)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()


def test_readers_during_a_writer(tmp_path, embed_url):
    kb_dir = tmp_path / "kb"
    env = _env(kb_dir, embed_url)
    seed = subprocess.run([sys.executable, "-m", "service.cli", "ingest", "--no-embed", str(next(CORPUS.glob("门头沟区_氧吧*")))],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert seed.returncode == 0, seed.stdout + seed.stderr
    more = tmp_path / "more"
    shutil.copytree(CORPUS, more)
    if OTHER.is_dir():
        for p in sorted(OTHER.iterdir())[:6]:
            if p.suffix in (".txt", ".md"):
                shutil.copy(p, more / p.name)
    readers = [subprocess.Popen([sys.executable, "-c", READER, "90"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(3)]
    writer = subprocess.run([sys.executable, "-m", "service.cli", "ingest", str(more)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert writer.returncode == 0, writer.stdout + writer.stderr
    outs = [json.loads(r.communicate(timeout=300)[0].strip().splitlines()[-1]) for r in readers]
    assert all(o["errors"] == [] and o["rounds"] > 0 for o in outs), outs
    assert all(any(d.startswith("北京市") for d in o["seen"]) for o in outs), outs   # a writer's new document
