"""A real `python app.py` process per configuration, on a copy of the seed knowledge base, and a
headless Debian chromium driven by Playwright (never `playwright install`)."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
TODAY = "2026-11-21"
PASSWORDS = {"reader1": "read-only-pass", "admin1": "admin-pass"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, kb_dir: Path, log: Path, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log
        full = dict(os.environ, POLICYKB_KB_DIR=str(kb_dir), POLICYKB_PORT=str(self.port), POLICYKB_TODAY=TODAY,
                    GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1", **env)
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=full,
                                     stdout=open(log, "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app exited: {log.read_text()}")
            try:
                urllib.request.urlopen(self.url, timeout=2)
                return
            except Exception:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"app did not start: {log.read_text()}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _kb_copy(seed_kb, dest: Path) -> Path:
    shutil.copytree(seed_kb.settings.kb_dir, dest)
    return dest


@pytest.fixture(scope="session")
def open_server(seed_kb, tmp_path_factory):
    """No login configured: loopback only, everyone is an admin."""
    d = tmp_path_factory.mktemp("app-open")
    s = Server(_kb_copy(seed_kb, d / "kb"), d / "app.log")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def auth_server(seed_kb, tmp_path_factory):
    """Login with a users file holding one reader and one admin (written by `policykb user add`)."""
    d = tmp_path_factory.mktemp("app-auth")
    users = d / "users.txt"
    for name, role in (("reader1", "reader"), ("admin1", "admin")):
        subprocess.run([sys.executable, "-m", "service.cli", "user", "add", name, "--role", role, "--file", str(users),
                        "--password-stdin"], input=PASSWORDS[name] + "\n", text=True, check=True, cwd=ROOT)
    s = Server(_kb_copy(seed_kb, d / "kb"), d / "app.log", POLICYKB_AUTH=str(users))
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian chromium (apt-get install -y chromium fonts-noto-cjk)")
        pytest.skip("Debian chromium not installed (apt-get install -y chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, tmp_path):
    """A fresh zh-CN page; every request leaving 127.0.0.1 is recorded (the page must work offline);
    a screenshot is saved under the test's tmp path at the end."""
    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    pg.external_requests = []
    pg.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
          else pg.external_requests.append(r.url))
    yield pg
    pg.screenshot(path=str(tmp_path / "final.png"), full_page=True)
    ctx.close()
    assert pg.external_requests == [], "the page must work offline"
