"""Real servers on 127.0.0.1 over a copy of the seed knowledge base: the web app (`python app.py`)
with API keys, and `policykb serve-api` without them."""
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.app.conftest import TODAY, free_port
from tests.conftest import ROOT

SEED_Q = "万级负氧离子体验区由谁牵头？"
FOLLOW_UP = "那配合单位呢？"
REFUSED_Q = "海淀区的森林覆盖率目标是多少？"


def env(kb_dir: Path, **extra: str) -> dict[str, str]:
    return dict(os.environ, POLICYKB_KB_DIR=str(kb_dir), POLICYKB_TODAY=TODAY, GRADIO_ANALYTICS_ENABLED="False",
                HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1", **extra)


class Proc:
    """A server process; ready when ``probe`` answers (any HTTP status counts)."""

    def __init__(self, cmd: list[str], environ: dict[str, str], log: Path, probe: str):
        self.log = log
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=environ, stdout=open(log, "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text()}")
            try:
                urllib.request.urlopen(probe, timeout=2)
                return
            except urllib.error.HTTPError:
                return
            except Exception:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"server did not start: {log.read_text()}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def add_key(users: Path, name: str, role: str) -> str:
    out = subprocess.run([sys.executable, "-m", "service.cli", "user", "add-key", name, "--role", role, "--file", str(users)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stdout.strip()


@pytest.fixture(scope="session")
def kb_copy(seed_kb, tmp_path_factory):
    def make(name: str) -> Path:
        dest = tmp_path_factory.mktemp(name) / "kb"
        shutil.copytree(seed_kb.settings.kb_dir, dest)
        return dest
    return make


@pytest.fixture(scope="session")
def app_with_keys(kb_copy, tmp_path_factory):
    """`python app.py` with a users file holding a reader key and an admin key (`policykb user add-key`);
    the API and MCP are mounted on the web app's own FastAPI app."""
    d = tmp_path_factory.mktemp("svc-app")
    users = d / "users.txt"
    keys = {"reader": add_key(users, "reader-key", "reader"), "admin": add_key(users, "admin-key", "admin")}
    port = free_port()
    p = Proc([sys.executable, str(ROOT / "app.py")], env(kb_copy("svc-app-kb"), POLICYKB_PORT=str(port),
                                                        POLICYKB_AUTH=str(users)),
             d / "app.log", f"http://127.0.0.1:{port}/")
    p.url, p.keys = f"http://127.0.0.1:{port}", keys
    yield p
    p.stop()


@pytest.fixture(scope="session")
def api_server(kb_copy, tmp_path_factory):
    """`policykb serve-api` without keys configured (loopback, every caller an admin)."""
    d = tmp_path_factory.mktemp("svc-api")
    port = free_port()
    p = Proc([sys.executable, "-m", "service.cli", "serve-api", "--port", str(port)], env(kb_copy("svc-api-kb")),
             d / "api.log", f"http://127.0.0.1:{port}/v1/models")
    p.url = f"http://127.0.0.1:{port}"
    yield p
    p.stop()


def in_fresh_thread(fn, *args):
    """Run ``fn(*args)`` (an event-loop runner such as ``asyncio.run``) on its own thread: an earlier
    test in the same process (Playwright's sync API) may leave a running loop on the main thread."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args).result()
