"""One writer per knowledge-base directory.

The web app, the CLI and a second app process may all point at the same ``kb_dir``. Readers are
fine (SQLite and Chroma handle them), but two writers interleaving a document's chunks, facts and
registry row would break the "ready only when complete" rule. ``WriteLock`` is an advisory
``flock`` on ``KB_DIR/.write.lock`` for other processes, and a plain ``threading.Lock`` for the
other threads of this process.

It is re-entrant for the thread that took it, so ``ingest`` can hold it around several
``upsert_file`` calls. Its state belongs to the lock object, not to the thread: a ``with`` block
whose exit runs on another thread than its entry (a generator resumed by a different worker
thread, as Gradio does) still releases it. Code that yields must not hold the lock across the
yield, though: a nested entry from the new thread would wait for the lock its own request holds
(the web app's handlers take it per file, inside one call).

Example:
    >>> lock = WriteLock(Path("data"), timeout_s=5)
    >>> with lock:
    ...     pass  # write
"""
from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path


class KBBusyError(RuntimeError):
    """Another process or thread kept the knowledge base locked for longer than the timeout."""


class WriteLock:
    def __init__(self, kb_dir: Path, timeout_s: float = 600.0, poll_s: float = 0.1):
        if timeout_s < 0 or poll_s <= 0:
            raise ValueError("need timeout_s >= 0 and poll_s > 0")
        self.path = Path(kb_dir) / ".write.lock"
        self.timeout_s = timeout_s
        self.poll_s = poll_s
        self._threads = threading.Lock()      # excludes the other threads of this process
        self._state = threading.Lock()        # guards the fields below
        self._owner: int | None = None        # thread ident of the holder
        self._depth = 0
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this process holds the lock (any thread)."""
        return self._depth > 0

    @property
    def held_here(self) -> bool:
        """Whether the calling thread holds the lock."""
        return self._depth > 0 and self._owner == threading.get_ident()

    def _busy(self) -> KBBusyError:
        return KBBusyError(f"知识库 {self.path.parent} 正由另一个进程写入（导入或删除），请稍后再试")

    def __enter__(self) -> "WriteLock":
        me = threading.get_ident()
        with self._state:
            if self._depth > 0 and self._owner == me:
                self._depth += 1
                return self
        deadline = time.monotonic() + self.timeout_s
        got = self._threads.acquire(timeout=self.timeout_s) if self.timeout_s > 0 else self._threads.acquire(False)
        if not got:
            raise self._busy()
        try:
            fd = self._flock(deadline)
        except BaseException:
            self._threads.release()
            raise
        with self._state:
            self._owner, self._depth, self._fd = me, 1, fd
        return self

    def _flock(self, deadline: float) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise self._busy() from None
                time.sleep(self.poll_s)

    def __exit__(self, *exc) -> None:
        with self._state:
            if self._depth <= 0:
                raise RuntimeError("WriteLock released more often than taken")
            self._depth -= 1
            if self._depth:
                return
            fd, self._fd, self._owner = self._fd, None, None
        try:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
        finally:
            self._threads.release()
