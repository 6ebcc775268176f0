"""An accepted upload into the knowledge base: stored under ``DATA/uploads`` and ingested, one file
per call, under the write lock (taken and released inside the call, never across a caller's yield).

Two different files never share a document id. An upload whose file name is that of a document
already in the knowledge base is a *conflict*: with ``on_conflict="ask"`` (the default) nothing
is written and the caller asks the user; ``"replace"`` makes it the new version of that document
(same id; a replaced file outside the upload folder is remembered, so that ingesting its folder
again does not bring the old version back); ``"new"`` stores it under a name of its own as
another document. An upload with the same content as a document already held is unchanged.

Example:
    >>> out = ingest_upload(kb, check, settings.upload_dir)           # check: kb.access.UploadCheck
    >>> out.status                  # ingested | unchanged | error | conflict
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ingest import content_hash_of

from .access import UploadCheck, settle_upload, store_upload
from .registry import path_key

OnConflict = Literal["ask", "replace", "new"]
ON_CONFLICT = ("ask", "replace", "new")


@dataclass
class UploadOutcome:
    status: str                 # ingested | unchanged | error | conflict
    doc_id: str = ""
    chunks: int = 0
    message: str = ""
    conflict: dict[str, Any] | None = None     # the registry row of the same-named document


def same_named(kb, stored_name: str, upload_dir: Path) -> dict[str, Any] | None:
    """The document an upload called ``stored_name`` would collide with: the earlier upload of that
    name, else a document from another folder whose file has that name."""
    rows = [d for d in kb.registry.all(parsed=False) if Path(d["path"]).name == stored_name]
    here = path_key(Path(upload_dir) / stored_name)
    return next((d for d in rows if path_key(d["path"]) == here), rows[0] if rows else None)


def _free_name(upload_dir: Path, name: str, kb) -> str:
    """``name`` or ``stem (2).suffix``, ``stem (3).suffix`` … : a name no file and no document uses."""
    p = Path(name)
    used = {Path(d["path"]).name for d in kb.registry.all(parsed=False)}
    n = 2
    while True:
        cand = f"{p.stem} ({n}){p.suffix}"
        if cand not in used and not (upload_dir / cand).exists():
            return cand
        n += 1


def ingest_upload(kb, check: UploadCheck, upload_dir: Path, on_conflict: OnConflict = "ask") -> UploadOutcome:
    if on_conflict not in ON_CONFLICT:
        raise ValueError(f"on_conflict must be one of {ON_CONFLICT}")
    if not check.ok or check.source is None:
        return UploadOutcome("error", message=check.error or "未收到文件内容")
    upload_dir = Path(upload_dir)
    with kb.write_lock:
        target = same_named(kb, check.stored_name, upload_dir)
        h = content_hash_of(check.source)
        same = next((d for d in ([target] if target else []) + kb.registry.all(parsed=False)
                     if d["content_hash"] == h), None)
        if same is not None:                   # never a second copy of a document already held
            return UploadOutcome("unchanged", same["doc_id"], same["n_chunks"],
                                 f"与已有文档《{same['title']}》内容相同", target)
        doc_id = None
        if target is not None:
            if on_conflict == "ask":
                return UploadOutcome("conflict", target["doc_id"], message=(
                    f"已有同名文档《{target['title']}》（{target['doc_id']}）：请选择“替换同名文档”或“另存为新文档”"),
                    conflict=target)
            if on_conflict == "replace":
                doc_id = target["doc_id"]
            else:
                check = UploadCheck(check.name, check.source, _free_name(upload_dir, check.stored_name, kb))
        try:
            path, previous = store_upload(check, upload_dir)
        except (OSError, ValueError) as exc:
            return UploadOutcome("error", message=f"无法保存：{exc}")
        r = kb.upsert_file(path, doc_id=doc_id)
        settle_upload(path, previous, r.status != "error")
        if r.status != "error" and target is not None and doc_id and path_key(target["path"]) != path_key(path):
            kb.registry.mark_replaced(target["path"], target["content_hash"], doc_id)
        return UploadOutcome(r.status, r.doc_id, r.chunks, r.message.replace(str(path), check.name), target)
