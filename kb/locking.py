"""One writer per knowledge-base directory.

The web app, the CLI and a second app process may all point at the same ``kb_dir``. Readers are
fine (SQLite and Chroma handle them), but two writers interleaving a document's chunks, facts and
registry row would break the "ready only when complete" rule. ``WriteLock`` is an advisory
``flock`` on ``KB_DIR/.write.lock``: it excludes other processes and, because each acquisition
opens its own file description, other threads of this process too. It is re-entrant within a
thread, so ``ingest`` can hold it around several ``upsert_file`` calls.

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
        self._local = threading.local()

    @property
    def held(self) -> bool:
        return getattr(self._local, "depth", 0) > 0

    def __enter__(self) -> "WriteLock":
        depth = getattr(self._local, "depth", 0)
        if depth == 0:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            deadline = time.monotonic() + self.timeout_s
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        os.close(fd)
                        raise KBBusyError(f"知识库 {self.path.parent} 正由另一个进程写入（导入或删除），请稍后再试") from None
                    time.sleep(self.poll_s)
            self._local.fd = fd
        self._local.depth = depth + 1
        return self

    def __exit__(self, *exc) -> None:
        self._local.depth -= 1
        if self._local.depth == 0:
            fcntl.flock(self._local.fd, fcntl.LOCK_UN)
            os.close(self._local.fd)
            self._local.fd = None
