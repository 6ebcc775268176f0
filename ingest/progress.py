"""Per-page progress of slow ingestion steps (OCR of scanned pages), reported to whoever is waiting:
the web page's progress bar during an upload, ``policykb ingest`` on the terminal.

A caller opens ``page_progress(callback)`` around the ingestion; the format modules call
``report(...)`` before each page they recognise. The callback is held in a context variable, so
concurrent uploads (threads) each see their own, and a parse without a listener costs nothing.

Example:
    >>> with page_progress(lambda p: print(p.message())):
    ...     parse_file("扫描件.pdf")
    扫描件.pdf：正在识别文字（OCR），第 1/3 页
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator


@dataclass(frozen=True)
class PageProgress:
    path: str
    page: int        # 1-based page (or image frame) about to be read
    pages: int       # pages in the file
    step: str = "ocr"

    @property
    def fraction(self) -> float:
        """How far through the file this page is (0 before the first page)."""
        return (self.page - 1) / self.pages if self.pages else 0.0

    def message(self) -> str:
        return f"{Path(self.path).name}：正在识别文字（OCR），第 {self.page}/{self.pages} 页"


Listener = Callable[[PageProgress], None]
_listener: ContextVar[Listener | None] = ContextVar("policykb_page_progress", default=None)


@contextmanager
def page_progress(listener: Listener | None) -> Iterator[None]:
    """Send the page progress of everything parsed inside the block to ``listener``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def report(path: str | Path, page: int, pages: int, step: str = "ocr") -> None:
    """Called by a format module before it reads ``page``; a listener's error never stops ingestion."""
    listener = _listener.get()
    if listener is None:
        return
    try:
        listener(PageProgress(str(path), page, pages, step))
    except Exception:          # a progress display must not fail the import
        pass
