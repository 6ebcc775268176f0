"""Versions and status of the documents in a knowledge base.

Every document gets a status — 征求意见稿 / 送审稿 / 正式 / 已废止 / 已被替代 — and may be a version of
another one:

- documents whose titles name the same plan once draft marks are taken off ("…实施方案（征求意见稿）"
  and "…实施方案"; the ``印发《…》的通知`` wrapper counts as the plan's own name) are versions of one
  plan. Its **current** version is the latest dated final text (正式); an earlier final text is
  已被替代, a draft stays a draft whose current version is the final one. A plan with drafts only has
  no final text, and its latest draft answers;
- a repeal clause ("《…》同时废止", "原《…》废止", "《…》（国办发〔2016〕82号）停止执行",
  ``ingest.versions``) in a final text marks the document it names (by title or 文号) 已废止, replaced
  by the repealing document; a repealed measure that is not in the knowledge base is still known,
  so a question about it can be told what repealed it;
- an admin's settings in ``<kb>/doc_status.json`` come first: ``{"DOC_ID": {"status": "已废止",
  "version_of": "OTHER_DOC", "replaced_by": "NEW_DOC", "note": "…"}}`` (``set_status``).

The answer path uses ``current_only`` (which documents may answer) and ``note_for`` (what an older
or draft version says differently; what repealed a measure a refused question names).

Example:
    >>> idx = index_for(kb)
    >>> idx.get("朝阳区_全面推进美丽朝阳建设实施方案_征求意见稿").status
    '征求意见稿'
    >>> idx.current_only(["old_plan", "new_plan"])
    ['new_plan']
    >>> set_status(kb, "old_plan", status="已废止", replaced_by="new_plan")
"""
from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ingest.regions import CITY_OF
from ingest.versions import DRAFT, FINAL, REPEALED, REVIEW, STATUSES, SUPERSEDED, Repeal, detect

log = logging.getLogger(__name__)

SIDECAR = "doc_status.json"
_MARKS = re.compile(r"[（(〔\[【]?(?:公开)?(?:征求意见稿|送审稿|草案|讨论稿|修订稿|修订版|代拟稿|\d{4}年修订|修订|试行|暂行)[）)〕\]】]?")
_PUNCT = re.compile(r"[\s“”\"'‘’《》〈〉（）()、，,。·・—\-–_：:]")
_INNER = re.compile(r"(?:印发|转发|下发)《(.+?)》")
_NOT_IN_FORCE = (REPEALED, SUPERSEDED)
# kinds of documents that have versions (a plan, a measure): two notices or web articles with one title
# (a repost, a yearly reminder) are not versions of each other
PLAN_KINDS = {"三年行动计划", "行动计划", "行动方案", "实施方案", "工作方案", "试点方案", "建设方案", "实施意见", "指导意见",
              "实施细则", "管理办法", "考核指标", "评价指标", "工作要点", "规划", "纲要", "办法", "意见", "规定", "方案",
              "条例", "细则", "规则", "决定", "任务分解表"}
_LEADING_AREA = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:省|自治区|市|区|县)(?:人民政府(?:办公厅|办公室)?)?")
_CLAUSE_WORDS = ("废止", "停止执行", "不再执行", "失效", "修订", "修改")


def plan_key(title: str) -> str:
    """The plan a title names, without draft marks, wrapper and punctuation: "关于印发《X（征求意见稿）》
    的通知" and "X" give the same key."""
    t = title or ""
    inner = _INNER.search(t)
    if inner:
        t = inner.group(1)
    return _PUNCT.sub("", _MARKS.sub("", t))


@dataclass
class DocVersion:
    doc_id: str
    title: str
    status: str = FINAL
    detected: str = FINAL                 # what the text says (before links and the admin's setting)
    basis: str = ""                       # why: the draft word, the repeal sentence, 管理员设置
    set_by: str = "检测"                   # 检测 | 管理员
    plan: str = ""                        # plan key; documents with the same key and region are versions of one plan
    date: str = ""
    region: str = ""
    kind: str = ""
    doc_number: str = ""
    current: str | None = None            # the plan's current version (None: this one, or no final text)
    replaced_by: str | None = None        # doc id that repealed or superseded this one
    replaced_by_title: str = ""
    repeals: list[Repeal] = field(default_factory=list)

    @property
    def in_force(self) -> bool:
        return self.status not in _NOT_IN_FORCE

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["repeals"] = [asdict(r) for r in self.repeals]
        return d


@dataclass
class RepealedMeasure:
    """A measure some document repeals, whether or not it is in the knowledge base."""

    title: str
    doc_number: str
    by_doc: str
    by_title: str
    sentence: str
    doc_id: str | None = None             # the repealed document, when it is in the knowledge base
    verb: str = ""                        # 同时废止 / 停止执行 …


def read_overrides(kb_dir: str | Path) -> dict[str, dict[str, Any]]:
    p = Path(kb_dir) / SIDECAR
    if not p.is_file():
        return {}
    try:
        data = json.loads(p.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError) as exc:        # a hand-edited file with a stray comma must not stop answers
        log.warning("ignoring %s: %s", p, exc)
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items()
            if isinstance(v, dict) and (not v.get("status") or v["status"] in STATUSES)}


def set_status(kb, doc_id: str, status: str | None = None, version_of: str | None = None,
               replaced_by: str | None = None, note: str | None = None) -> dict[str, Any]:
    """An admin's setting for one document, written to ``<kb>/doc_status.json`` (empty values clear
    it). Raises ValueError for an unknown document or status."""
    if not kb.registry.get(doc_id):
        raise ValueError(f"知识库中没有文档 {doc_id}")
    if status and status not in STATUSES:
        raise ValueError(f"状态应为 {' / '.join(STATUSES)} 之一，而不是“{status}”")
    for other in (version_of, replaced_by):
        if other and (other == doc_id or not kb.registry.get(other)):
            raise ValueError(f"“{other}”不是知识库中的另一份文档")
    path = Path(kb.settings.kb_dir) / SIDECAR
    with kb.write_lock:
        data = read_overrides(kb.settings.kb_dir)
        entry = {k: v for k, v in {"status": status, "version_of": version_of, "replaced_by": replaced_by,
                                   "note": note}.items() if v}
        if entry:
            data[doc_id] = entry
        else:
            data.pop(doc_id, None)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(path)
    _CACHE.pop(str(Path(kb.settings.kb_dir).resolve()), None)
    return entry


class VersionIndex:
    """Status, plan and current version of every ready document."""

    def __init__(self, rows: Iterable[dict[str, Any]], text_of: Callable[[str], str],
                 overrides: dict[str, dict[str, Any]] | None = None):
        overrides = overrides or {}
        self.docs: dict[str, DocVersion] = {}
        for r in rows:
            if r.get("status", "ready") != "ready":
                continue
            meta = r.get("meta") or {}
            title = r.get("title") or r["doc_id"]
            short = (meta.get("extra") or {}).get("short_title") or ""
            det = detect(text_of(r["doc_id"]), short or title)
            meta_status = meta.get("status") or ""
            status, basis = det.status, det.status_basis
            if status == FINAL and meta_status in (DRAFT, REVIEW):
                status, basis = meta_status, f"元数据：{meta_status}"
            elif status == FINAL and meta_status in ("草案", "讨论稿"):
                status, basis = DRAFT, f"元数据：{meta_status}"
            self.docs[r["doc_id"]] = DocVersion(r["doc_id"], title, status, status, basis, plan=plan_key(short or title),
                                                date=str(meta.get("date") or ""), doc_number=meta.get("doc_number") or "",
                                                region=meta.get("region") or "", kind=meta.get("kind") or "",
                                                repeals=det.repeals)
        self.repealed: list[RepealedMeasure] = []
        self._apply_overrides_links(overrides)
        self._link_plans()
        self._link_repeals()
        self._apply_overrides_status(overrides)

    # --- building -------------------------------------------------------------------------------
    def _apply_overrides_links(self, overrides: dict[str, dict[str, Any]]) -> None:
        for doc_id, o in overrides.items():
            d, other = self.docs.get(doc_id), self.docs.get(o.get("version_of") or "")
            if d and other:
                d.plan, d.region, d.kind = other.plan, other.region, other.kind or d.kind
            if d and o.get("status"):
                d.status, d.set_by, d.basis = o["status"], "管理员", o.get("note") or "管理员设置"

    def _link_plans(self) -> None:
        groups: dict[tuple[str, str], list[DocVersion]] = {}
        for d in self.docs.values():
            groups.setdefault((d.plan, d.region), []).append(d)
        for members in groups.values():
            if len(members) < 2:
                continue
            finals = [d for d in members if d.status == FINAL]
            if not finals or not all(d.kind in PLAN_KINDS or d.set_by == "管理员" for d in finals):
                continue
            cur = max(finals, key=lambda d: (d.date, d.doc_id))
            for d in members:
                if d is cur:
                    continue
                d.current = cur.doc_id
                if d.status == FINAL and d.set_by != "管理员":
                    d.status, d.basis = SUPERSEDED, f"同一文件的较新版本：《{cur.title}》{cur.date}"
                    d.replaced_by, d.replaced_by_title = cur.doc_id, cur.title

    def _link_repeals(self) -> None:
        by_plan: dict[str, list[DocVersion]] = {}
        for d in self.docs.values():
            by_plan.setdefault(d.plan, []).append(d)
        for a in list(self.docs.values()):
            if a.status in (DRAFT, REVIEW):
                continue                          # a draft's repeal clause is not in force
            for r in a.repeals:
                # by title only within the repealing document's area (its own, its districts', or
                # region-less ones): a city's "原《公共租赁住房管理办法》废止" leaves another city's alone
                hits = [b for b in by_plan.get(plan_key(r.title), [])
                        if b.doc_id != a.doc_id and (not a.region or not b.region or b.region == a.region
                                                     or CITY_OF.get(b.region) == a.region)]
                hits += [b for b in self.docs.values() if r.doc_number and b.doc_number == r.doc_number
                         and b.doc_id != a.doc_id and b not in hits]
                self.repealed.append(RepealedMeasure(r.title, r.doc_number, a.doc_id, a.title, r.sentence,
                                                     hits[0].doc_id if hits else None, r.verb))
                for b in hits:
                    if b.set_by == "管理员":
                        continue
                    b.status, b.basis = REPEALED, r.sentence
                    b.replaced_by, b.replaced_by_title = a.doc_id, a.title

    def _apply_overrides_status(self, overrides: dict[str, dict[str, Any]]) -> None:
        for doc_id, o in overrides.items():
            d = self.docs.get(doc_id)
            if not d:
                continue
            by = self.docs.get(o.get("replaced_by") or "")
            if by:
                d.replaced_by, d.replaced_by_title = by.doc_id, by.title
                if d.status == REPEALED:
                    self.repealed.append(RepealedMeasure(d.title, d.doc_number, by.doc_id, by.title,
                                                         o.get("note") or "管理员设置", d.doc_id))
            elif d.status == REPEALED and not any(m.doc_id == d.doc_id for m in self.repealed):
                self.repealed.append(RepealedMeasure(d.title, d.doc_number, "", "", o.get("note") or "管理员设置",
                                                     d.doc_id))
            if d.status in (DRAFT, REVIEW) and d.current is None:
                finals = [x for x in self.docs.values() if x.plan == d.plan and x.region == d.region
                          and x.status == FINAL and x is not d]
                d.current = finals[0].doc_id if finals else None

    # --- reading --------------------------------------------------------------------------------
    def get(self, doc_id: str) -> DocVersion | None:
        return self.docs.get(doc_id)

    def has_versions(self) -> bool:
        """Whether any document is out of force or has a current version other than itself."""
        return any(not d.in_force or d.current for d in self.docs.values()) or bool(self.repealed)

    def current_only(self, doc_ids: Iterable[str] | None = None, explicit: bool = False) -> list[str]:
        """The documents of ``doc_ids`` (all when None) that answer by default: in force, and not a draft
        whose final text exists. ``explicit`` (the user picked these documents): only drop a document
        whose current version was picked too."""
        ids = list(self.docs) if doc_ids is None else [i for i in doc_ids]
        picked = set(ids)
        out = []
        for i in ids:
            d = self.docs.get(i)
            if d is None:
                out.append(i)
                continue
            newer = d.current or d.replaced_by
            if explicit:
                if newer and newer in picked:
                    continue
            elif not d.in_force or (d.current and d.current in self.docs):
                continue
            out.append(i)
        return out

    def older_versions(self, doc_id: str) -> list[str]:
        """Drafts and superseded texts of the same plan as ``doc_id`` (newest first)."""
        d = self.docs.get(doc_id)
        if not d:
            return []
        olds = [x for x in self.docs.values() if x.doc_id != doc_id and x.plan == d.plan and x.region == d.region
                and (x.current == doc_id or x.replaced_by == doc_id)]
        return [x.doc_id for x in sorted(olds, key=lambda x: x.date, reverse=True)]

    def repealed_named(self, question: str) -> list[RepealedMeasure]:
        """Repealed measures the question names (by title, plan name or 文号)."""
        q = _PUNCT.sub("", question or "")
        out = []
        for m in self.repealed:
            key = plan_key(m.title)
            bare = _LEADING_AREA.sub("", key)
            if (key and len(key) >= 4 and key in q) or (len(bare) >= 6 and bare in q) or (m.doc_number and _PUNCT.sub("", m.doc_number) in q):
                out.append(m)
        return out

    def name(self, doc_id: str) -> str:
        """《title》, with the document id when another version has the same title."""
        d = self.docs[doc_id]
        twin = any(x.title == d.title for x in self.docs.values() if x.doc_id != doc_id)
        return f"《{d.title}》" + (f"（{doc_id}{'，' + d.date if d.date else ''}）" if twin else "")

    def rows(self) -> list[DocVersion]:
        return sorted(self.docs.values(), key=lambda d: (d.plan, d.date, d.doc_id))


_CACHE: dict[str, tuple[Any, VersionIndex]] = {}
_LOCK = threading.Lock()


def index_for(kb, text_of: Callable[[str], str] | None = None) -> VersionIndex:
    """The version index of ``kb``, rebuilt when its documents or ``doc_status.json`` change."""
    key = str(Path(kb.settings.kb_dir).resolve())
    side = Path(kb.settings.kb_dir) / SIDECAR
    version = (tuple(sorted(kb.registry.ready_hashes().items())), side.stat().st_mtime_ns if side.exists() else 0)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit and hit[0] == version:
            return hit[1]
    if text_of is None:
        # only texts that can hold a repeal or revision clause are read (a draft mark in the title or the
        # opening is already in the metadata): at 2,000 documents reading every parsed text costs seconds
        likes = " OR ".join(f"parsed_json LIKE '%{w}%'" for w in _CLAUSE_WORDS)
        holders = {r[0] for r in kb.registry.con.execute(f"SELECT doc_id FROM documents WHERE {likes}")}

        def text_of(doc_id: str) -> str:
            row = kb.registry.get(doc_id) if doc_id in holders else None
            return (row or {}).get("parsed", {}).get("text", "") if row else ""
    idx = VersionIndex(kb.registry.all(parsed=False), text_of, read_overrides(kb.settings.kb_dir))
    with _LOCK:
        _CACHE[key] = (version, idx)
    return idx


# --- the answer path ---------------------------------------------------------------------------
_MARKER = re.compile(r"\[\d+\]|（注：[^）]*）")


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", _MARKER.sub("", text or ""))


def _cited_docs(answer) -> list[str]:
    out: list[str] = []
    for c in getattr(answer, "citations", []) or []:
        if c.doc_id not in out:
            out.append(c.doc_id)
    return out


def note_for(index: VersionIndex, answer, question: str, rerun: Callable[[list[str]], Any] | None = None) -> str:
    """What to add to ``answer``: for a refusal, which named measure was repealed and by what; for an
    answer from a plan with older or draft versions, what those say when it differs (``rerun`` answers
    the same question from other documents). A question naming a repealed measure is told what repealed it."""
    notes: list[str] = []
    said = "" if getattr(answer, "refused", False) else _plain(getattr(answer, "answer", ""))   # 参考 is no answer
    for m in index.repealed_named(question):
        if _plain(f"《{m.title}》") in said and _plain(m.verb) in said:
            continue                              # the answer quotes the repeal clause itself
        verb = "已废止" if "废止" in m.verb or not m.verb else f"已{m.verb.removeprefix('同时').removeprefix('予以')}"
        by = f"：《{m.by_title}》规定“{m.sentence.rstrip('。；')}”" if m.by_title else f"（{m.sentence}）"
        notes.append(f"《{m.title}》{f'（{m.doc_number}）' if m.doc_number else ''}{verb}{by}")
    if getattr(answer, "refused", False):
        return "；".join(notes)
    for doc_id in _cited_docs(answer):
        d = index.get(doc_id)
        if d is None:
            continue
        olds = index.older_versions(doc_id)
        if not olds or rerun is None:
            continue
        alt = rerun(olds)
        if alt is None or getattr(alt, "refused", True) or _plain(alt.answer) == _plain(answer.answer):
            continue
        src = index.get(_cited_docs(alt)[0]) if _cited_docs(alt) else index.get(olds[0])
        label = src.status if src.status in (DRAFT, REVIEW) else f"此前版本（{src.status}）"
        said = _MARKER.sub("", alt.answer).strip().splitlines()[0][:200].rstrip("。；")
        notes.append(f"以上依据现行版本{index.name(d.doc_id)}；{label}{index.name(src.doc_id)}中为：{said}")
    return "；".join(dict.fromkeys(notes))


def answer_current(kb, run: Callable[[list[str] | None], Any], doc_ids: list[str] | None, question: str):
    """Answer from the current versions (``run(doc_ids)`` answers over those documents) and add the
    note of ``note_for``. The user's own document filter is kept, minus versions it also holds a newer
    one of. Without any versioned document this is ``run(doc_ids)``."""
    index = index_for(kb)
    if not index.has_versions():
        return run(doc_ids)
    ids = index.current_only(doc_ids, explicit=True) if doc_ids else index.current_only()
    answer = run(ids or ["\x00"])           # an empty list would mean "no filter"
    note = note_for(index, answer, question, rerun=lambda olds: run(olds))
    if note and note not in answer.answer:
        if answer.refused and "\n" in answer.answer:       # before the 参考 list, which is no answer
            head, rest = answer.answer.split("\n", 1)
            answer.answer = f"{head}\n（注：{note}。）\n{rest}"
        else:
            answer.answer = f"{answer.answer}\n（注：{note}。）"
    return answer
