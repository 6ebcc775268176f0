"""langchain's RecordManager on the registry's SQLite file (used by ``langchain_core.indexing.index``).

Its own module so that opening a knowledge base to answer does not import ``langchain_core.indexing``
(and, through it, langchain's tracing stack): only writing vectors needs it.

Example:
    >>> rm = SQLiteRecordManager("chroma/policykb", registry)
    >>> rm.list_keys(group_ids=["门头沟_氧吧三年行动计划"])
"""
from __future__ import annotations

import time
from typing import Any, Sequence

from langchain_core.indexing import RecordManager

from .registry import Registry


class SQLiteRecordManager(RecordManager):
    """langchain's RecordManager on the registry's SQLite file (used by ``langchain_core.indexing.index``)."""

    def __init__(self, namespace: str, registry: Registry):
        super().__init__(namespace=namespace)
        self.reg = registry

    def create_schema(self) -> None:  # created with the registry
        return None

    async def acreate_schema(self) -> None:
        return None

    def get_time(self) -> float:
        return time.time()

    async def aget_time(self) -> float:
        return self.get_time()

    def update(self, keys: Sequence[str], *, group_ids: Sequence[str | None] | None = None,
               time_at_least: float | None = None) -> None:
        if group_ids is None:
            group_ids = [None] * len(keys)
        if len(group_ids) != len(keys):
            raise ValueError("keys and group_ids must have the same length")
        now = self.get_time()
        if time_at_least and now < time_at_least:
            raise AssertionError(f"time went backwards: {now} < {time_at_least}")
        with self.reg.lock, self.reg.con:
            self.reg.con.executemany(
                "INSERT INTO upsertion_record (namespace, key, group_id, updated_at) VALUES (?,?,?,?)"
                " ON CONFLICT(namespace, key) DO UPDATE SET group_id=excluded.group_id, updated_at=excluded.updated_at",
                [(self.namespace, k, g, now) for k, g in zip(keys, group_ids)])

    async def aupdate(self, keys, *, group_ids=None, time_at_least=None) -> None:
        self.update(keys, group_ids=group_ids, time_at_least=time_at_least)

    def exists(self, keys: Sequence[str]) -> list[bool]:
        if not keys:
            return []
        found = set()
        for i in range(0, len(keys), 500):
            part = list(keys[i:i + 500])
            q = f"SELECT key FROM upsertion_record WHERE namespace=? AND key IN ({','.join('?' * len(part))})"
            found.update(r[0] for r in self.reg.con.execute(q, [self.namespace, *part]))
        return [k in found for k in keys]

    async def aexists(self, keys):
        return self.exists(keys)

    def list_keys(self, *, before: float | None = None, after: float | None = None,
                  group_ids: Sequence[str] | None = None, limit: int | None = None) -> list[str]:
        q = "SELECT key FROM upsertion_record WHERE namespace=?"
        args: list[Any] = [self.namespace]
        if before is not None:
            q += " AND updated_at < ?"
            args.append(before)
        if after is not None:
            q += " AND updated_at > ?"
            args.append(after)
        if group_ids is not None:
            q += f" AND group_id IN ({','.join('?' * len(group_ids))})"
            args.extend(group_ids)
        if limit:
            q += " LIMIT ?"
            args.append(limit)
        return [r[0] for r in self.reg.con.execute(q, args)]

    async def alist_keys(self, *, before=None, after=None, group_ids=None, limit=None):
        return self.list_keys(before=before, after=after, group_ids=group_ids, limit=limit)

    def delete_keys(self, keys: Sequence[str]) -> None:
        with self.reg.lock, self.reg.con:
            self.reg.con.executemany("DELETE FROM upsertion_record WHERE namespace=? AND key=?",
                                     [(self.namespace, k) for k in keys])

    async def adelete_keys(self, keys) -> None:
        self.delete_keys(keys)
