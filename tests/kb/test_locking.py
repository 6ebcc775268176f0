"""One writer per knowledge-base directory, across processes and threads; re-entrant in a thread."""
import subprocess
import sys
import threading
import time

import pytest

from kb.locking import KBBusyError, WriteLock


def test_reentrant_in_one_thread(tmp_path):
    lock = WriteLock(tmp_path, timeout_s=0.2)
    with lock:
        with lock:
            assert lock.held
        assert lock.held
    assert not lock.held


def test_excludes_another_process(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from kb.locking import WriteLock\n"
        f"l = WriteLock(Path({str(tmp_path)!r}))\n"
        "l.__enter__(); print('held', flush=True); time.sleep(30)")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t0 = time.monotonic()
        with pytest.raises(KBBusyError, match="另一个进程"):
            with WriteLock(tmp_path, timeout_s=0.3):
                pass
        assert time.monotonic() - t0 >= 0.3
    finally:
        holder.kill()
        holder.wait()
    with WriteLock(tmp_path, timeout_s=2):          # released when the holder dies
        pass


def test_excludes_another_thread(tmp_path):
    lock = WriteLock(tmp_path, timeout_s=5, poll_s=0.01)
    order = []

    def writer(name):
        with lock:
            order.append(f"{name}+")
            time.sleep(0.1)
            order.append(f"{name}-")

    ts = [threading.Thread(target=writer, args=(n,)) for n in "ab"]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert order in (["a+", "a-", "b+", "b-"], ["b+", "b-", "a+", "a-"])


def test_knowledge_base_writes_take_the_lock(tmp_path, fake_embeddings):
    from kb import KnowledgeBase, Settings
    from tests.conftest import corpus_file

    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb", write_lock_timeout_s=0.2), embeddings=fake_embeddings)
    other = WriteLock(tmp_path / "kb")
    t = threading.Thread(target=lambda: (other.__enter__(), time.sleep(1.0), other.__exit__(None, None, None)))
    t.start()
    time.sleep(0.1)
    with pytest.raises(KBBusyError):
        kb.ingest([corpus_file("门头沟区_氧吧")])
    t.join()
    assert [r.status for r in kb.ingest([corpus_file("门头沟区_氧吧")])] == ["ingested"]


def test_exit_on_another_thread_releases_the_lock(tmp_path):
    """Gradio resumes a generator on whichever worker thread is free: a with-block entered on one
    thread and left on another must release the lock (it used to raise AttributeError on the
    thread-local depth and keep the lock until restart)."""
    lock = WriteLock(tmp_path, timeout_s=0.5, poll_s=0.01)
    entered = threading.Thread(target=lock.__enter__)
    entered.start()
    entered.join()
    assert lock.held and not lock.held_here
    errors = []

    def leave():
        try:
            lock.__exit__(None, None, None)
        except Exception as exc:          # noqa: BLE001 - recorded for the assertion
            errors.append(exc)

    left = threading.Thread(target=leave)
    left.start()
    left.join()
    assert errors == [] and not lock.held
    with WriteLock(tmp_path, timeout_s=0.5):           # another holder (a second app, the CLI) gets it
        pass
    with lock:                                          # and so does this process again
        assert lock.held_here


def test_busy_thread_gets_busy_error_and_the_lock_stays_usable(tmp_path):
    lock = WriteLock(tmp_path, timeout_s=0.2, poll_s=0.01)
    release = threading.Event()

    def holder():
        with lock:
            release.wait(5)

    t = threading.Thread(target=holder)
    t.start()
    time.sleep(0.05)
    with pytest.raises(KBBusyError):
        with lock:
            pass
    release.set()
    t.join()
    assert not lock.held
    with lock:
        pass


def test_unbalanced_exit_is_an_error(tmp_path):
    with pytest.raises(RuntimeError):
        WriteLock(tmp_path).__exit__(None, None, None)
