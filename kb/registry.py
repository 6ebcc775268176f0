"""SQLite beside the Chroma store: the document registry (langchain's record manager on the same file
is ``kb.records``).

The registry holds one row per document (content hash, metadata, status, parsed structure). A
document's chunks are only visible to search once its row says ``ready`` with the same hash the
chunks carry, so a crash mid-document never exposes a half-indexed version.

Example:
    >>> reg = Registry(Path("data/policykb.sqlite3"))
    >>> reg.get("门头沟_氧吧三年行动计划")
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Sequence

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id       TEXT PRIMARY KEY,
    path         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status       TEXT NOT NULL,             -- ready | indexing
    title        TEXT,
    meta_json    TEXT NOT NULL DEFAULT '{}',
    parsed_json  TEXT NOT NULL DEFAULT '{}', -- sections and tables, for `inspect`
    n_chunks     INTEGER NOT NULL DEFAULT 0,
    n_tables     INTEGER NOT NULL DEFAULT 0,
    n_sections   INTEGER NOT NULL DEFAULT 0,
    updated_at   REAL NOT NULL,
    vector_hash  TEXT                       -- content_hash whose vectors are all in the store
);
CREATE TABLE IF NOT EXISTS upsertion_record (
    namespace  TEXT NOT NULL,
    key        TEXT NOT NULL,
    group_id   TEXT,
    updated_at REAL NOT NULL,
    PRIMARY KEY (namespace, key)
);
-- the ready documents and their hashes, read at every question: from this index alone, not from the
-- rows (each carries its parsed text, so a scan of the table reads every document)
CREATE INDEX IF NOT EXISTS idx_documents_ready ON documents(status, doc_id, content_hash, vector_hash);
CREATE INDEX IF NOT EXISTS idx_record_group ON upsertion_record(namespace, group_id);
CREATE INDEX IF NOT EXISTS idx_record_time ON upsertion_record(namespace, updated_at);
CREATE TABLE IF NOT EXISTS kb_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- embeddings by text, so that no text is embedded twice (also across re-ingests of an edited file)
CREATE TABLE IF NOT EXISTS embedding_cache (
    key    TEXT PRIMARY KEY,                -- sha256 of the embedding signature and the text
    vector BLOB NOT NULL                    -- float32
);
-- the gazetteer places each document's title or text names (kb.places), for the scope of questions
CREATE TABLE IF NOT EXISTS doc_places (
    doc_id       TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    version      INTEGER NOT NULL,
    names_json   TEXT NOT NULL
);
-- a source file whose document an upload replaced (the user confirmed): while the file keeps this
-- content, ingesting its folder again does not bring the old version back
CREATE TABLE IF NOT EXISTS replaced_files (
    path_key     TEXT PRIMARY KEY,          -- resolved absolute path
    content_hash TEXT NOT NULL,
    doc_id       TEXT NOT NULL              -- the document that replaced it
);
"""


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    con.execute("PRAGMA journal_mode=WAL")
    # WAL with NORMAL: a commit is not synced to disk until a checkpoint. A killed process loses
    # nothing committed and the database stays consistent; only a power cut can lose the last
    # commits. Ingesting 2,000 documents spent 11 s in per-commit syncs with FULL.
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    con.executescript(_SCHEMA)
    cols = {r[1] for r in con.execute("PRAGMA table_info(documents)")}
    if "vector_hash" not in cols:
        # a registry from before background embedding: its ready rows were embedded before being marked
        with con:
            con.execute("ALTER TABLE documents ADD COLUMN vector_hash TEXT")
            con.execute("UPDATE documents SET vector_hash=content_hash WHERE status='ready'")
    return con


class Registry:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.con = connect(self.path)
        self.lock = threading.RLock()
        self._read_cache: dict[str, tuple[tuple[int, int], dict[str, str]]] = {}

    # --- documents -------------------------------------------------------------
    def get(self, doc_id: str) -> dict[str, Any] | None:
        row = self.con.execute("SELECT * FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return self._row(row) if row else None

    def find(self, ref: str) -> dict[str, Any] | None:
        """Look a document up by id, file path, file name or (unique) title fragment."""
        doc = self.get(ref)
        if doc:
            return doc
        rows = [self._row(r) for r in self.con.execute("SELECT * FROM documents")]
        for d in rows:
            if d["path"] == ref or Path(d["path"]).name == ref or Path(d["path"]).stem == ref:
                return d
        hits = [d for d in rows if ref and ref in (d["title"] or "")]
        return hits[0] if len(hits) == 1 else None

    def all(self, parsed: bool = True) -> list[dict[str, Any]]:
        """Every row; ``parsed=False`` leaves out the parsed text and chunks (lists and titles only)."""
        if parsed:
            return [self._row(r) for r in self.con.execute("SELECT * FROM documents ORDER BY doc_id")]
        cols = ("doc_id, path, content_hash, status, title, meta_json, '{}', n_chunks, n_tables, n_sections, updated_at,"
                " vector_hash")
        return [self._row(r) for r in self.con.execute(f"SELECT {cols} FROM documents ORDER BY doc_id")]

    def content_hash(self, doc_id: str) -> str | None:
        row = self.con.execute("SELECT content_hash FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def id_for_path(self, path: Path, base_id: str) -> str:
        """The document id of the file at ``path``: the id it already has, else ``base_id`` or, when
        another file holds that id, ``base_id-2``, ``-3`` … Two different files never share an id."""
        key = path_key(path)
        rows = self.con.execute("SELECT doc_id, path FROM documents WHERE doc_id=? OR doc_id GLOB ?",
                                (base_id, f"{_glob_escape(base_id)}-[0-9]*")).fetchall()
        for doc_id, stored in rows:
            if path_key(stored) == key:
                return doc_id
        taken = {r[0] for r in rows}
        if base_id not in taken:
            return base_id
        n = 2
        while f"{base_id}-{n}" in taken:
            n += 1
        return f"{base_id}-{n}"

    def mark_replaced(self, path: str | Path, content_hash: str, doc_id: str) -> None:
        with self.lock, self.con:
            self.con.execute("INSERT OR REPLACE INTO replaced_files (path_key, content_hash, doc_id) VALUES (?,?,?)",
                             (path_key(path), content_hash, doc_id))

    def replaced_by(self, path: str | Path, content_hash: str) -> str | None:
        """The document that replaced this file's content, if an upload did."""
        row = self.con.execute("SELECT doc_id FROM replaced_files WHERE path_key=? AND content_hash=?",
                               (path_key(path), content_hash)).fetchone()
        return row[0] if row else None

    def forget_replacements(self, doc_id: str) -> None:
        with self.lock, self.con:
            self.con.execute("DELETE FROM replaced_files WHERE doc_id=?", (doc_id,))

    def ready_hashes(self) -> dict[str, str]:
        """Documents searchable by keywords and facts: their id and content hash."""
        return self._unchanged_or("ready", "SELECT doc_id, content_hash FROM documents WHERE status='ready'")

    def vector_hashes(self) -> dict[str, str]:
        """Documents whose vectors are all in the store (for this content): id and content hash."""
        return self._unchanged_or("vectors", "SELECT doc_id, content_hash FROM documents WHERE status='ready'"
                                             " AND vector_hash=content_hash")

    def _unchanged_or(self, name: str, query: str) -> dict[str, str]:
        """The query's rows as a dict, read again only when the database changed: ``data_version``
        moves when another connection (this or another process) commits, ``total_changes`` when this
        one writes. Asked several times per question; at 2,000 documents a read took 5-15 ms."""
        with self.lock:
            key = (self.con.execute("PRAGMA data_version").fetchone()[0], self.con.total_changes)
            hit = self._read_cache.get(name)
            if hit is None or hit[0] != key:
                hit = self._read_cache[name] = (key, dict(self.con.execute(query)))
            return dict(hit[1])

    def pending_vectors(self, limit: int | None = None) -> list[tuple[str, str, int]]:
        """(doc_id, content_hash, n_chunks) of ready documents still waiting for their vectors, oldest first."""
        q = ("SELECT doc_id, content_hash, n_chunks FROM documents WHERE status='ready'"
             " AND (vector_hash IS NULL OR vector_hash != content_hash) ORDER BY updated_at, doc_id")
        return self.con.execute(q + (f" LIMIT {int(limit)}" if limit else "")).fetchall()

    def mark_vectors(self, doc_id: str, content_hash: str) -> bool:
        """Record that this version's vectors are all stored; False if the document changed meanwhile."""
        with self.lock, self.con:
            cur = self.con.execute("UPDATE documents SET vector_hash=? WHERE doc_id=? AND content_hash=?",
                                   (content_hash, doc_id, content_hash))
        return cur.rowcount == 1

    def clear_vectors(self, doc_id: str) -> None:
        with self.lock, self.con:
            self.con.execute("UPDATE documents SET vector_hash=NULL WHERE doc_id=?", (doc_id,))

    def vector_progress(self) -> tuple[int, int, int, int]:
        """(chunks with vectors, chunks, documents with vectors, documents) over the ready documents."""
        row = self.con.execute(
            "SELECT COALESCE(SUM(CASE WHEN vector_hash=content_hash THEN n_chunks ELSE 0 END), 0),"
            " COALESCE(SUM(n_chunks), 0), COALESCE(SUM(vector_hash=content_hash), 0), COUNT(*)"
            " FROM documents WHERE status='ready'").fetchone()
        return tuple(int(v or 0) for v in row)

    # --- embedding cache --------------------------------------------------------------
    def cached_vectors(self, keys: Sequence[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        keys = list(keys)
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            q = f"SELECT key, vector FROM embedding_cache WHERE key IN ({','.join('?' * len(part))})"
            out.update(self.con.execute(q, part).fetchall())
        return out

    def cache_vectors(self, items: Sequence[tuple[str, bytes]]) -> None:
        with self.lock, self.con:
            self.con.executemany("INSERT OR IGNORE INTO embedding_cache (key, vector) VALUES (?, ?)", items)

    def upsert(self, doc_id: str, path: str, content_hash: str, status: str, title: str, meta: dict,
               parsed: dict, n_chunks: int, n_tables: int, n_sections: int) -> None:
        with self.lock, self.con:
            self.con.execute(
                "INSERT INTO documents (doc_id, path, content_hash, status, title, meta_json, parsed_json,"
                " n_chunks, n_tables, n_sections, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(doc_id) DO UPDATE SET path=excluded.path, content_hash=excluded.content_hash,"
                " status=excluded.status, title=excluded.title, meta_json=excluded.meta_json,"
                " parsed_json=excluded.parsed_json, n_chunks=excluded.n_chunks, n_tables=excluded.n_tables,"
                " n_sections=excluded.n_sections, updated_at=excluded.updated_at",
                (doc_id, path, content_hash, status, title, json.dumps(meta, ensure_ascii=False),
                 json.dumps(parsed, ensure_ascii=False), n_chunks, n_tables, n_sections, time.time()))

    def delete(self, doc_id: str) -> None:
        with self.lock, self.con:
            self.con.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
            self.con.execute("DELETE FROM doc_places WHERE doc_id=?", (doc_id,))

    # --- places each document names (kb.places) ------------------------------------------
    def set_places(self, doc_id: str, content_hash: str, version: int, names: list[str]) -> None:
        with self.lock, self.con:
            self.con.execute("INSERT OR REPLACE INTO doc_places (doc_id, content_hash, version, names_json)"
                             " VALUES (?,?,?,?)", (doc_id, content_hash, version, json.dumps(names, ensure_ascii=False)))

    def places(self, version: int) -> dict[str, tuple[str, list[str]]]:
        """doc_id -> (content hash, names) of the stored mentions of this ``version``."""
        rows = self.con.execute("SELECT doc_id, content_hash, names_json FROM doc_places WHERE version=?", (version,))
        return {d: (h, json.loads(n)) for d, h, n in rows}

    def info(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM kb_info WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_info(self, key: str, value: str) -> None:
        with self.lock, self.con:
            self.con.execute("INSERT OR REPLACE INTO kb_info (key, value) VALUES (?, ?)", (key, value))

    @staticmethod
    def _row(row: sqlite3.Row | tuple) -> dict[str, Any]:
        keys = ["doc_id", "path", "content_hash", "status", "title", "meta_json", "parsed_json", "n_chunks",
                "n_tables", "n_sections", "updated_at", "vector_hash"]
        d = dict(zip(keys, row))
        d["meta"] = json.loads(d.pop("meta_json") or "{}")
        d["parsed"] = json.loads(d.pop("parsed_json") or "{}")
        return d


def path_key(path: str | Path) -> str:
    """A file's identity for the registry: its resolved absolute path."""
    return str(Path(path).expanduser().resolve())


def _glob_escape(s: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in s)
