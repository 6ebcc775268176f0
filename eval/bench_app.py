"""Web app latency as a user sees it: `python app.py` in a fresh process on a copy of a knowledge
base, then Debian chromium (Playwright) and gradio_client against it.

Prints: start-up until HTTP 200; page load until the question box is usable (cold and warm);
time from "发送" to the first streamed update and to the answer with its sources, in the browser;
the same through the /chat API; all external requests the page made (should be none).

    python -m eval.bench_app --kb data [--rounds 5] [--chromium /usr/bin/chromium]
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["万级负氧离子体验区由谁牵头？", "门头沟区森林覆盖率要达到多少？", "区气象局牵头哪些任务？",
             "氧吧优品什么时候完成？", "延庆区有哪些重点任务？"]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def _p50(xs: list[float]) -> float:
    return sorted(xs)[len(xs) // 2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench_app", description=__doc__.splitlines()[0])
    ap.add_argument("--kb", required=True, help="knowledge base to copy (it is not modified)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="policykb-bench-app-"))
    shutil.copytree(args.kb, work / "kb")
    port = _port()
    url = f"http://127.0.0.1:{port}/"
    env = dict(os.environ, POLICYKB_KB_DIR=str(work / "kb"), POLICYKB_PORT=str(port), GRADIO_ANALYTICS_ENABLED="False",
               HF_HUB_OFFLINE="1")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except Exception:
                if proc.poll() is not None or time.perf_counter() - t0 > 300:
                    raise SystemExit("app did not start")
                time.sleep(0.2)
        print(f"start-up (process start -> HTTP 200): {_ms(t0) / 1000:.1f} s")
        _browser(url, args)
        _api(url, args.rounds)
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _browser(url: str, args) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=args.chromium, args=ARGS)
        external: list[str] = []
        loads, firsts, answers = [], [], []
        for i in range(args.rounds):
            ctx = b.new_context(locale="zh-CN")          # a new context: no cached assets on the first round only
            page = ctx.new_page()
            page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                    else external.append(r.url))
            t = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("#pk-question textarea")
            page.wait_for_function("document.querySelectorAll('#pk-examples button').length > 0")
            loads.append(_ms(t))
            q = QUESTIONS[i % len(QUESTIONS)]
            page.fill("#pk-question textarea", q)
            t = time.perf_counter()
            page.click("#pk-send")
            page.wait_for_function("document.querySelectorAll('#pk-chat .message-row').length >= 2", polling=10)
            firsts.append(_ms(t))
            page.wait_for_function("document.querySelector('#pk-chat .pk-sources, #pk-chat .pk-refused')", polling=10)
            answers.append(_ms(t))
            ctx.close()
        b.close()
    print(f"page load until the question box and examples are ready: first {loads[0]:.0f} ms, "
          f"p50 {_p50(loads):.0f} ms over {len(loads)} fresh browser contexts")
    print(f"browser, 发送 -> first streamed update: p50 {_p50(firsts):.0f} ms; "
          f"-> answer with sources shown: first {answers[0]:.0f} ms, p50 {_p50(answers):.0f} ms")
    print(f"external requests made by the page: {len(external)}" + (f" {external[:5]}" if external else ""))


def _api(url: str, rounds: int) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False)
    firsts, totals = [], []
    for i in range(rounds):
        t = time.perf_counter()
        job = client.submit(QUESTIONS[i % len(QUESTIONS)], [], [], [], api_name="/chat")
        first = None
        for _ in job:
            if first is None:
                first = _ms(t)
        firsts.append(first or _ms(t))
        totals.append(_ms(t))
    print(f"/chat API (gradio_client): first update p50 {_p50(firsts):.0f} ms, final answer p50 {_p50(totals):.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
