"""Structured facts in SQLite (the registry's database): tasks, their units, indicators, and the
department directory built from every unit the corpus names.

A document's facts are replaced as a whole when it is re-ingested and removed with it. The
directory (names, kinds, aliases) is rebuilt from all documents after every change, so it always
reflects the corpus rather than a hand list.

Example:
    >>> facts = FactStore(registry)
    >>> facts.tasks(dept="区气象局", role="lead")
    >>> facts.department_summary("区园林局")   # alias of 区园林绿化局
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ingest.deadlines import due_key
from ingest.model import ParsedDocument
from ingest.units import is_alias, unit_kind

from . import task_links
from .registry import Registry

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL, idx INTEGER NOT NULL, title TEXT, region TEXT,
    name TEXT, content TEXT, lead_json TEXT, co_json TEXT,
    deadline TEXT, due TEXT, due_key TEXT, deadline_kind TEXT, plan_year INTEGER,
    section_id INTEGER, breadcrumb TEXT, source TEXT, start INTEGER, end INTEGER, page INTEGER,
    table_index INTEGER, row_index INTEGER, role_text TEXT
);
CREATE INDEX IF NOT EXISTS idx_tasks_doc ON tasks(doc_id);
CREATE TABLE IF NOT EXISTS task_units (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL, unit TEXT NOT NULL, role TEXT NOT NULL, pos INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_task_units_unit ON task_units(unit);
-- replacing a document deletes its units by doc_id, and the cascade from tasks looks them up by
-- task_id: without these each re-ingest scanned the whole table (quadratic in a 2,000-document ingest)
CREATE INDEX IF NOT EXISTS idx_task_units_doc ON task_units(doc_id);
CREATE INDEX IF NOT EXISTS idx_task_units_task ON task_units(task_id);
CREATE TABLE IF NOT EXISTS indicators (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL, idx INTEGER NOT NULL, title TEXT, region TEXT,
    measure TEXT, comparator TEXT, value REAL, value_max REAL, unit TEXT, strict INTEGER, aspirational INTEGER,
    comparator_text TEXT, target TEXT, due TEXT, scope TEXT, sentence TEXT, start INTEGER, end INTEGER,
    page INTEGER, units_json TEXT, section_id INTEGER, breadcrumb TEXT, task_idx INTEGER
);
CREATE INDEX IF NOT EXISTS idx_ind_doc ON indicators(doc_id);
CREATE TABLE IF NOT EXISTS departments (
    name TEXT PRIMARY KEY, canonical TEXT NOT NULL, kind TEXT NOT NULL, mentions INTEGER NOT NULL
);
"""


def _num(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def value_text(ind: dict[str, Any]) -> str:
    """"≥50%", "1–3处", "≈1万名"."""
    v = _num(ind["value"]) + (f"–{_num(ind['value_max'])}" if ind.get("value_max") is not None else "")
    return f"{ind['comparator'] if ind['comparator'] != '=' else ''}{v}{ind['unit'] or ''}"


class FactStore:
    def __init__(self, registry: Registry):
        self.reg = registry
        self.con = registry.con
        with registry.lock, self.con:
            self.con.executescript(_SCHEMA)

    # --- writing ----------------------------------------------------------------------------
    def replace_document(self, doc: ParsedDocument, rebuild: bool = True) -> None:
        """Swap in a document's tasks and indicators in one transaction. ``rebuild=False`` leaves the
        department directory to one ``rebuild_directory()`` after a batch of documents."""
        title, region = doc.meta.title, doc.meta.region or ""
        with self.reg.lock, self.con:
            self._delete(doc.doc_id)
            for i, t in enumerate(doc.tasks):
                cur = self.con.execute(
                    "INSERT INTO tasks (doc_id, idx, title, region, name, content, lead_json, co_json, deadline, due,"
                    " due_key, deadline_kind, plan_year, section_id, breadcrumb, source, start, end, page, table_index,"
                    " row_index, role_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (doc.doc_id, i, title, region, t.name, t.content, json.dumps(t.lead, ensure_ascii=False),
                     json.dumps(t.co, ensure_ascii=False), t.deadline.raw, t.deadline.due, due_key(t.deadline.due),
                     t.deadline.kind, t.plan_year, t.section_id, t.breadcrumb, t.source, t.start, t.end,
                     doc.page_at(t.start), t.table_index, t.row_index, t.role_text))
                tid = cur.lastrowid
                self.con.executemany(
                    "INSERT INTO task_units (task_id, doc_id, unit, role, pos) VALUES (?,?,?,?,?)",
                    [(tid, doc.doc_id, u, "lead", p) for p, u in enumerate(t.lead)]
                    + [(tid, doc.doc_id, u, "co", p) for p, u in enumerate(t.co)])
            self.con.executemany(
                "INSERT INTO indicators (doc_id, idx, title, region, measure, comparator, value, value_max, unit, strict,"
                " aspirational, comparator_text, target, due, scope, sentence, start, end, page, units_json, section_id,"
                " breadcrumb, task_idx) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(doc.doc_id, i, title, region, x.measure, x.comparator, x.value, x.value_max, x.unit, int(x.strict),
                  int(x.aspirational), x.comparator_text, x.target, x.due, x.scope, x.sentence, x.start, x.end,
                  doc.page_at(x.start), json.dumps(x.units_responsible, ensure_ascii=False), x.section_id,
                  x.breadcrumb, x.task_index) for i, x in enumerate(doc.indicators)])
        if rebuild:
            self.rebuild_directory()

    def delete_document(self, doc_id: str) -> None:
        with self.reg.lock, self.con:
            self._delete(doc_id)
        self.rebuild_directory()

    def _delete(self, doc_id: str) -> None:
        self.con.execute("DELETE FROM task_units WHERE doc_id=?", (doc_id,))
        self.con.execute("DELETE FROM tasks WHERE doc_id=?", (doc_id,))
        self.con.execute("DELETE FROM indicators WHERE doc_id=?", (doc_id,))

    # --- department directory ---------------------------------------------------------------------
    def rebuild_directory(self) -> None:
        """Every unit named in a task, its kind, and its canonical name: a contraction that matches
        exactly one longer name (区园林局 -> 区园林绿化局) joins it; the most used form is canonical."""
        counts = Counter(dict(self.con.execute("SELECT unit, COUNT(*) FROM task_units GROUP BY unit").fetchall()))
        names = sorted(counts, key=len)
        parent = {n: n for n in names}

        def root(n: str) -> str:
            while parent[n] != n:
                n = parent[n]
            return n

        for short in names:
            longs = [n for n in names if is_alias(short, n)]
            if len(longs) == 1:
                parent[root(short)] = root(longs[0])
        groups: dict[str, list[str]] = defaultdict(list)
        for n in names:
            groups[root(n)].append(n)
        rows = []
        for members in groups.values():
            canon = max(members, key=lambda n: (counts[n], len(n)))
            rows += [(n, canon, unit_kind(n), counts[n]) for n in members]
        with self.reg.lock, self.con:
            self.con.execute("DELETE FROM departments")
            self.con.executemany("INSERT INTO departments (name, canonical, kind, mentions) VALUES (?,?,?,?)", rows)

    def resolve(self, name: str) -> list[str]:
        """All names in the corpus that denote the unit ``name`` (its aliases included)."""
        name = name.strip()
        rows = dict(self.con.execute("SELECT name, canonical FROM departments").fetchall())
        canon = set()
        if name in rows:
            canon.add(rows[name])
        else:
            for n, c in rows.items():
                if is_alias(name, n) or is_alias(n, name):
                    canon.add(c)
        return sorted(n for n, c in rows.items() if c in canon)

    def unit_expansions(self, text: str) -> list[str]:
        """Every name of each unit that ``text`` mentions, also without its 区/市/县 prefix
        ("园林局的任务" -> 区园林局, 区园林绿化局), for keyword search."""
        rows = self.con.execute("SELECT name, canonical FROM departments WHERE kind='department'").fetchall()
        hit = {canon for name, canon in rows
               if name in text or (name[0] in "区市县" and len(name) >= 4 and name[1:] in text)}
        return sorted(n for n, c in rows if c in hit)

    def departments(self) -> list[dict[str, Any]]:
        rows = self.con.execute("SELECT name, canonical, kind, mentions FROM departments").fetchall()
        by_canon: dict[str, dict[str, Any]] = {}
        for name, canon, kind, mentions in rows:
            d = by_canon.setdefault(canon, {"name": canon, "kind": unit_kind(canon), "aliases": [], "lead": 0, "co": 0,
                                            "regions": set(), "documents": set()})
            if name != canon:
                d["aliases"].append(name)
        q = ("SELECT d.canonical, u.role, COUNT(DISTINCT u.task_id), GROUP_CONCAT(DISTINCT t.region),"
             " GROUP_CONCAT(DISTINCT t.doc_id) FROM task_units u JOIN departments d ON d.name=u.unit"
             " JOIN tasks t ON t.id=u.task_id GROUP BY d.canonical, u.role")
        for canon, role, n, regions, docs in self.con.execute(q):
            d = by_canon[canon]
            d[role] += n
            d["regions"].update(x for x in (regions or "").split(",") if x)
            d["documents"].update(x for x in (docs or "").split(",") if x)
        out = []
        for d in by_canon.values():
            d["regions"], d["documents"] = sorted(d["regions"]), sorted(d["documents"])
            out.append(d)
        return sorted(out, key=lambda d: (d["kind"] != "department", -(d["lead"] + d["co"]), d["name"]))

    # --- reading ------------------------------------------------------------------------------
    def tasks(self, dept: str | None = None, doc: str | None = None, due_before: str | None = None,
              role: str | None = None, region: str | None = None, due_after: str | None = None) -> list[dict[str, Any]]:
        """Tasks in document order; ``due_before`` / ``due_after`` ("2025", "2025-06") keep dated tasks
        due in or before / in or after that period. Without a unit or date filter the rows carry their
        links: ``steps`` on a body task, ``linked_to`` on a table row that implements one."""
        q = "SELECT * FROM tasks t WHERE 1=1"
        args: list[Any] = []
        if dept:
            names = self.resolve(dept)
            if not names:
                return []
            sub = f"SELECT task_id FROM task_units WHERE unit IN ({','.join('?' * len(names))})"
            args += names
            if role:
                sub += " AND role=?"
                args.append(role)
            q += f" AND t.id IN ({sub})"
        q += _doc_filter("t", doc, region, args)
        if due_before:
            q += " AND t.due IS NOT NULL AND t.due_key <= ?"
            args.append(due_key(due_before))
        if due_after:
            q += " AND t.due IS NOT NULL AND t.due_key >= ?"
            parts = due_after.split("-")
            args.append(f"{parts[0]}-{parts[1] if len(parts) > 1 else '01'}-00")
        q += " ORDER BY t.doc_id, t.idx"
        rows = [self._task(r) for r in self._dicts(q, args)]
        # whole documents: a body task's yearly steps and a row's body task (kb/task_links.py)
        return rows if dept or due_before or due_after else task_links.annotate(rows)

    def department_summary(self, dept: str, roles: tuple[str, ...] = ("lead", "co"), **filters: Any) -> dict[str, Any]:
        """"区气象局 牵头 N 项、配合 M 项" with each task's deadline and source; ``filters`` as for ``tasks``."""
        names = self.resolve(dept)
        canon = self.con.execute("SELECT canonical FROM departments WHERE name=?", (names[0],)).fetchone() if names else None
        out: dict[str, Any] = {"query": dept, "names": names, "canonical": canon[0] if canon else dept}
        for role in ("lead", "co"):
            out[role] = self.tasks(dept=dept, role=role, **filters) if names and role in roles else []
        return out

    def indicators(self, query: str | None = None, doc: str | None = None,
                   region: str | None = None) -> list[dict[str, Any]]:
        args: list[Any] = []
        q = "SELECT * FROM indicators i WHERE 1=1" + _doc_filter("i", doc, region, args)
        rows = [self._indicator(r) for r in self._dicts(q + " ORDER BY i.doc_id, i.idx", args)]
        if query:
            terms = _terms(query)
            rows = [r for r in rows if all(t in r["measure"] or t in r["sentence"] for t in terms)]
        return rows

    def counts(self, doc_id: str) -> dict[str, int]:
        n_t = self.con.execute("SELECT COUNT(*) FROM tasks WHERE doc_id=?", (doc_id,)).fetchone()[0]
        n_i = self.con.execute("SELECT COUNT(*) FROM indicators WHERE doc_id=?", (doc_id,)).fetchone()[0]
        return {"tasks": n_t, "indicators": n_i}

    def write_userdict(self, path: Path) -> Path:
        """A jieba user dictionary: unit names and indicator names, so that retrieval keeps
        区园林绿化局 or 森林覆盖率 as one word."""
        words = {r[0] for r in self.con.execute("SELECT name FROM departments WHERE kind='department'")}
        words |= {r[0] for r in self.con.execute("SELECT DISTINCT measure FROM indicators") if 2 <= len(r[0]) <= 16}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text("".join(f"{w.replace(' ', '')} 2000 nt\n" for w in sorted(words) if w.strip()), encoding="utf-8")
        tmp.replace(path)
        return path

    # --- helpers -------------------------------------------------------------------------------
    def _dicts(self, q: str, args: list[Any]) -> list[dict[str, Any]]:
        cur = self.con.execute(q, args)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    @staticmethod
    def _task(r: dict[str, Any]) -> dict[str, Any]:
        r["lead"] = json.loads(r.pop("lead_json") or "[]")
        r["co"] = json.loads(r.pop("co_json") or "[]")
        return r

    @staticmethod
    def _indicator(r: dict[str, Any]) -> dict[str, Any]:
        r["units"] = json.loads(r.pop("units_json") or "[]")
        r["strict"], r["aspirational"] = bool(r["strict"]), bool(r["aspirational"])
        r["value_text"] = value_text(r)
        return r


def _doc_filter(alias: str, doc: str | None, region: str | None, args: list[Any]) -> str:
    """SQL for "this document (id or title fragment)" and "this region", appending its arguments."""
    q = ""
    if doc:
        q += f" AND ({alias}.doc_id=? OR {alias}.title LIKE ?)"
        args += [doc, f"%{doc}%"]
    if region:
        q += f" AND {alias}.region LIKE ?"
        args.append(f"%{region}%")
    return q


def _terms(query: str) -> list[str]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    stop = set("的了吗呢是多少什么要求指标目标达到怎么哪些有和与及")
    out = [w for w in jieba.lcut(query.strip()) if w.strip() and not all(ch in stop for ch in w)]
    return out or [query.strip()]
