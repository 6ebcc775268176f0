"""Acceptance under load, through a real `python app.py` on loopback (the bundled e5 model):

- 20 gradio_client askers while another client uploads three documents and deletes one: every
  question answered, every upload ingested, no write lock left held; latency p50/p95 printed;
- the app and `policykb ingest` writing the same knowledge base from two processes at once;
- the start-up log does not suggest share=True.

Bounded: 20 askers x 5 questions, three small uploads, every wait with a timeout.
"""
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client, handle_file

from kb.locking import WriteLock
from tests.app.conftest import Server, _kb_copy
from tests.conftest import ROOT

pytestmark = pytest.mark.integration

ASKERS, QUESTIONS_EACH = 20, 5
QUESTIONS = ["万级负氧离子体验区由谁牵头？", "森林覆盖率要达到多少？", "区气象局牵头哪些任务？",
             "氧吧优品由哪个部门负责？", "门头沟区的重点任务有哪些？"]
PLAN = ("{region}{name}专项行动方案\n一、总体要求\n到2027年，{name}示范点达到{n}个。\n二、重点任务\n"
        "（一）建设{name}示范点\n建设{name}示范点{n}个。\n牵头单位：区{name}促进中心\n配合单位：区财政局\n")
NAMES = ["萤火虫", "星空营地", "古道驿站", "山泉水站", "林下经济"]


@pytest.fixture(scope="module")
def server(seed_kb, tmp_path_factory):
    d = tmp_path_factory.mktemp("app-load")
    s = Server(_kb_copy(seed_kb, d / "kb"), d / "app.log")
    s.kb_dir = d / "kb"
    yield s
    s.stop()


def _plan(tmp_path, i: int, region: str = "门头沟区"):
    name = NAMES[i]
    p = tmp_path / f"{name}专项行动方案.txt"
    p.write_text(PLAN.format(region=region, name=name, n=10 + i), encoding="utf-8")
    return p


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def test_startup_log_does_not_suggest_share(server):
    log = server.log.read_text(encoding="utf-8")
    assert "share=True" not in log and "仅本机" in log and f"127.0.0.1:{server.port}" in log


def test_twenty_askers_while_uploading_and_deleting(server, tmp_path, capsys):
    latencies, errors, answers = [], [], []
    lock = threading.Lock()

    def asker(n: int):
        c = Client(server.url, verbose=False)
        for j in range(QUESTIONS_EACH):
            q = QUESTIONS[(n + j) % len(QUESTIONS)]
            t = time.perf_counter()
            try:
                a = c.predict(q, api_name="/ask")
            except Exception as exc:            # noqa: BLE001 - counted, reported below
                with lock:
                    errors.append(f"{q}: {exc!r}")
                continue
            with lock:
                latencies.append(time.perf_counter() - t)
                answers.append(a)

    def writer():
        c = Client(server.url, verbose=False)
        files = [handle_file(str(_plan(tmp_path, i))) for i in range(3)]
        rows = c.predict(files, api_name="/upload")
        msg = c.predict(f"{NAMES[1]}专项行动方案", api_name="/delete")
        return rows, msg

    with ThreadPoolExecutor(max_workers=ASKERS + 1) as pool:
        upload = pool.submit(writer)
        askers = [pool.submit(asker, n) for n in range(ASKERS)]
        for f in askers:
            f.result(timeout=900)
        rows, deleted = upload.result(timeout=900)

    data = rows["data"] if isinstance(rows, dict) else rows
    with capsys.disabled():
        print(f"\n{len(latencies)} answers from {ASKERS} concurrent askers during 3 uploads + 1 delete: "
              f"p50 {statistics.median(latencies):.2f} s, p95 {_pct(latencies, 0.95):.2f} s, errors {len(errors)}")
    assert errors == []
    assert len(answers) == ASKERS * QUESTIONS_EACH and not any(a["refused"] for a in answers[:1])
    assert [r[1] for r in data] == ["已导入"] * 3, data
    assert "已删除" in deleted
    with WriteLock(server.kb_dir, timeout_s=10):          # no lock left held by the app
        pass
    c = Client(server.url, verbose=False)
    a = c.predict(f"建设{NAMES[0]}示范点由谁牵头？", api_name="/ask")
    assert f"区{NAMES[0]}促进中心" in a["answer"]
    gone = c.predict(f"建设{NAMES[1]}示范点由谁牵头？", api_name="/ask")
    assert f"区{NAMES[1]}促进中心" not in gone["answer"]
    again = c.predict([handle_file(str(_plan(tmp_path, 2)))], api_name="/upload")     # the app still writes
    assert [r[1] for r in (again["data"] if isinstance(again, dict) else again)] == ["未变化（已在库中）"]


def test_app_and_cli_write_the_same_kb(server, tmp_path):
    cli_dir = tmp_path / "cli"
    cli_dir.mkdir()
    cli_doc = _plan(cli_dir, 3, region="门头沟区")
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    app_doc = _plan(app_dir, 4)
    cli = subprocess.Popen([sys.executable, "-m", "service.cli", "ingest", "--kb", str(server.kb_dir), str(cli_doc)],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    c = Client(server.url, verbose=False)
    rows = c.predict([handle_file(str(app_doc))], api_name="/upload")
    out, _ = cli.communicate(timeout=600)
    assert cli.returncode == 0, out
    assert "导入 1" in out
    data = rows["data"] if isinstance(rows, dict) else rows
    assert data[0][1] == "已导入", data
    # the app sees the document the other process added, at its next question
    for i in (3, 4):
        a = c.predict(f"建设{NAMES[i]}示范点由谁牵头？", api_name="/ask")
        assert f"区{NAMES[i]}促进中心" in a["answer"], a["answer"]
    with WriteLock(server.kb_dir, timeout_s=10):
        pass
