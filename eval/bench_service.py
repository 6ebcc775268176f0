"""Latency of the OpenAI-compatible API against in-process ``Assistant.ask``: non-streaming, warm,
extractive (model ``policykb-extractive``), the same questions alternately through both, several
rounds. The server is a real process on 127.0.0.1 (``policykb serve-api``, or with ``--target app``
the web app with the API mounted on it), called with the official ``openai`` client. Prints
figures; asserts nothing.

    python -m eval.bench_service --kb data [--target serve-api|app] [--rounds 3] [--limit 100]
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(target: str, kb: str, port: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ, POLICYKB_KB_DIR=kb, POLICYKB_PORT=str(port), GRADIO_ANALYTICS_ENABLED="False",
               HF_HUB_OFFLINE="1")
    env.pop("POLICYKB_AUTH", None)
    cmd = ([sys.executable, str(ROOT / "app.py")] if target == "app" else
           [sys.executable, "-m", "service.cli", "serve-api", "--port", str(port)])
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2)
            return proc
        except urllib.error.HTTPError:
            return proc
        except Exception:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"server did not start: {log.read_text()}")


def main(argv: list[str] | None = None) -> int:
    import tempfile

    from openai import OpenAI

    from assistant import Assistant
    from kb import Settings

    from . import percentile
    from .gold import load_gold

    ap = argparse.ArgumentParser(prog="python -m eval.bench_service", description=__doc__.splitlines()[0])
    ap.add_argument("--kb", required=True, help="a knowledge base that holds the questions' documents")
    ap.add_argument("--gold", default=str(ROOT / "eval/gold/questions_seed.yaml"))
    ap.add_argument("--target", choices=["serve-api", "app"], default="serve-api")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=100, help="the first N questions of the gold file")
    args = ap.parse_args(argv)

    questions = [q.q for q in load_gold(args.gold).questions][:args.limit]
    port = _free_port()
    log = Path(tempfile.mkdtemp(prefix="policykb-bench-")) / "server.log"
    t = time.perf_counter()
    proc = _start(args.target, args.kb, port, log)
    print(f"{args.target} on 127.0.0.1:{port} ready in {time.perf_counter() - t:.1f} s; "
          f"{len(questions)} questions x {args.rounds} rounds from {Path(args.gold).name}")
    try:
        bot = Assistant(Settings(kb_dir=Path(args.kb), llm_base_url=None, llm_model=None))
        client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="bench", max_retries=0)

        served: list[float] = []
        sizes: list[int] = []

        def http(q: str) -> None:
            """The round trip; the server's own answer time goes to ``served``."""
            raw = client.chat.completions.with_raw_response.create(
                model="policykb-extractive", messages=[{"role": "user", "content": q}])
            r = raw.parse()
            served.append(r.model_extra["policykb"]["timings_ms"].get("total", 0.0))
            sizes.append(len(raw.content))

        for q in questions:                                  # warm both: models, indexes, caches, connection
            bot.ask(q)
            http(q)
        served.clear()
        sizes.clear()
        local, remote, diff = [], [], []
        for _ in range(args.rounds):
            for q in questions:
                t = time.perf_counter()
                bot.ask(q)
                a = (time.perf_counter() - t) * 1000
                t = time.perf_counter()
                http(q)
                b = (time.perf_counter() - t) * 1000
                local.append(a)
                remote.append(b)
                diff.append(b - a)
    finally:
        proc.terminate()
        proc.wait(10)

    def line(name: str, v: list[float]) -> str:
        return (f"  {name:<44} p50 {percentile(v, 50):6.1f} ms   p95 {percentile(v, 95):6.1f} ms   "
                f"max {max(v):6.1f} ms")

    print(line("in process, Assistant.ask", local))
    print(line(f"/v1/chat/completions ({args.target}, openai client)", remote))
    print(line("difference per question (HTTP - in process)", diff))
    transport = [r - s for r, s in zip(remote, served)]
    print(line("in the server, Assistant.ask (timings_ms)", served))
    print(line("round trip minus the server's answer time", transport))
    print(f"  response body p50 {percentile(sizes, 50) / 1024:.1f} KiB, max {max(sizes) / 1024:.1f} KiB")
    print(f"  p50 of HTTP minus p50 in process: {percentile(remote, 50) - percentile(local, 50):.1f} ms "
          f"(target: within 20 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
