"""What the OpenAI-compatible API and the MCP server serve: answers, passages, tasks, indicators and
documents of one knowledge base, as JSON-ready dicts, for either caller.

Answers come only from the public answer API (``Assistant.ask`` and ``Answer.to_json``). The model
``policykb`` answers in the configured mode; ``policykb-extractive`` never calls the LLM (a second
``Assistant`` on the same knowledge base with the LLM settings cleared, made only when an LLM is
configured).

Example:
    >>> svc = PolicyService(Assistant(Settings(kb_dir="data")))
    >>> a = svc.ask("万级负氧离子体验区由谁牵头？")
    >>> a["refused"], a["citations"][0]["title"]
    >>> print(answer_text(a))                  # the answer, then its 来源 list
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from assistant import Assistant
from ingest.deadlines import parse_deadline

MODEL_CONFIGURED = "policykb"
MODEL_EXTRACTIVE = "policykb-extractive"


@dataclass(frozen=True)
class ModelInfo:
    id: str
    description: str


class UnknownDocument(LookupError):
    pass


class PolicyService:
    """One knowledge base behind the API: ``ask``, ``search``, ``tasks``, ``indicators``,
    ``documents`` and, for admins, ``delete``. Shared by all requests (as the web app's handlers are)."""

    def __init__(self, bot: Assistant):
        self.bot, self.kb, self.settings = bot, bot.kb, bot.settings
        self._extractive: Assistant | None = None

    # --- models -------------------------------------------------------------------------------
    def models(self) -> list[ModelInfo]:
        mode = (f"大模型改写（{self.settings.llm_model}），出处逐一核对 / LLM rewrite, checked against the sources"
                if self.settings.llm_enabled else "原文摘录 / extractive (no LLM configured)")
        return [ModelInfo(MODEL_CONFIGURED, f"policykb，按配置的回答方式：{mode}"),
                ModelInfo(MODEL_EXTRACTIVE, "policykb，只用原文摘录，不调用大模型 / extractive only, never the LLM")]

    def assistant_for(self, model: str) -> Assistant:
        if model == MODEL_CONFIGURED:
            return self.bot
        if model != MODEL_EXTRACTIVE:
            raise KeyError(model)
        if not self.settings.llm_enabled:
            return self.bot
        if self._extractive is None:
            settings = self.settings.model_copy(update={"llm_base_url": None, "llm_model": None})
            self._extractive = Assistant(settings, kb=self.kb)
        return self._extractive

    # --- reading ------------------------------------------------------------------------------
    def ask(self, question: str, history: Iterable[Any] | None = None, regions: list[str] | None = None,
            documents: list[str] | None = None, model: str = MODEL_CONFIGURED) -> dict[str, Any]:
        """The ``policykb ask --json`` record of one answer; ``history`` holds earlier chat messages
        ({"role", "content"}) or earlier questions, ``documents`` ids or title fragments."""
        doc_ids = self.resolve_documents(documents)
        answer = self.assistant_for(model).ask(question, list(history or []), doc_ids=doc_ids,
                                               regions=list(regions) if regions else None)
        return answer.to_json()

    def resolve_documents(self, refs: Iterable[str] | None) -> list[str] | None:
        """Document ids for ids or title fragments; an unknown one raises ``UnknownDocument``."""
        if not refs:
            return None
        return [self.find_document(ref)["doc_id"] for ref in refs]

    def find_document(self, ref: str) -> dict[str, Any]:
        """The registry row of a document id, file name or unique title fragment."""
        row = self.kb.registry.find(ref)
        if row:
            return row
        matches = [d["doc_id"] for d in self.kb.registry.all(parsed=False) if ref and ref in (d["title"] or "")]
        if matches:
            raise UnknownDocument(f"“{ref}”对应多个文件，请用文件 id：{'、'.join(matches)}")
        raise UnknownDocument(f"知识库中没有文件“{ref}”（可用 documents 查看文件列表）")

    def search(self, query: str, k: int = 5, regions: list[str] | None = None,
               documents: list[str] | None = None) -> dict[str, Any]:
        r = self.kb.retrieve(query, k=max(1, min(int(k), 50)), doc_ids=self.resolve_documents(documents),
                             regions=list(regions) if regions else None)
        passages = [{"doc_id": h.doc_id, "title": h.title, "breadcrumb": h.breadcrumb, "page": h.page,
                     "region": h.region, "kind": h.kind, "score": round(float(h.score), 4), "text": h.text}
                    for h in r.hits]
        return {"query": query, "passages": passages, "missing_regions": list(r.scope.missing)}

    def tasks(self, unit: str | None = None, role: str | None = None, document: str | None = None,
              due_before: str | None = None) -> dict[str, Any]:
        """Tasks (a body-text task with the yearly table rows that implement it, ``kb.task_links``)
        with lead / cooperating units, deadlines and their ``steps``; with ``unit`` (any alias) its
        lead and cooperating tasks and their counts (tasks, not table rows)."""
        from kb import task_links

        facts = self.kb.facts
        if role not in (None, "lead", "co"):
            raise ValueError("role 应为 lead（牵头）或 co（配合）")
        due_before = due_period(due_before)
        today = self.bot.today
        kw = dict(doc=document or None, due_before=due_before or None)
        if not unit:
            rows = task_links.query(facts, today, **kw)
            return {"unit": None, "names": [], "lead_count": None, "co_count": None,
                    "tasks": [_task(t) for t in rows]}
        s = task_links.summary(facts, unit, today, roles=(role,) if role else ("lead", "co"), **kw)
        if not s["names"]:
            raise LookupError(f"知识库中没有名为“{unit}”的单位")
        tasks = [_task(t, "lead") for t in s["lead"]] + [_task(t, "co") for t in s["co"]]
        return {"unit": s["canonical"], "names": s["names"], "lead_count": len(s["lead"]),
                "co_count": len(s["co"]), "tasks": tasks}

    def indicators(self, query: str | None = None, document: str | None = None) -> dict[str, Any]:
        rows = self.kb.facts.indicators((query or "").strip() or None, doc=document or None)
        keep = ("doc_id", "title", "measure", "comparator", "comparator_text", "value", "value_max", "value_text",
                "unit", "target", "due", "scope", "region", "units", "sentence", "breadcrumb", "page")
        return {"indicators": [{k: r.get(k) for k in keep if k in r} for r in rows]}

    def documents(self) -> dict[str, Any]:
        out = []
        for d in self.kb.documents(parsed=False):
            m = d.get("meta") or {}
            out.append({"doc_id": d["doc_id"], "title": d["title"], "status": d.get("status"),
                        "region": m.get("region"), "kind": m.get("kind"), "date": m.get("date"),
                        "issuer": m.get("issuer"), "chunks": d.get("n_chunks"), "tasks": d.get("n_tasks"),
                        "indicators": d.get("n_indicators")})
        return {"documents": out}

    # --- admin --------------------------------------------------------------------------------
    def delete(self, document: str) -> dict[str, Any]:
        """Remove a document (id or title fragment) with its chunks and facts; an uploaded file goes
        with it, a file of the corpus folder stays (the next ingest of that folder brings it back)."""
        try:
            row = self.find_document(document)
        except UnknownDocument as exc:
            return {"deleted": None, "message": str(exc)}
        gone = self.kb.delete(row["doc_id"])
        src = Path(row["path"]) if row.get("path") else None
        if gone and src and src.resolve().parent == self.settings.upload_dir.resolve():
            src.unlink(missing_ok=True)
        return {"deleted": gone, "message": f"已删除：{row['title']}" if gone else "文件已不在知识库中"}


_PERIOD = re.compile(r"((?:19|20)\d{2})(?:\s*[-./]\s*(\d{1,2}))?")


def due_period(value: str | None) -> str | None:
    """"2025", "2025-6", "2025.06", "2025年6月", "2025年6月底前" -> "2025" / "2025-06"; empty -> None."""
    v = (value or "").strip()
    if not v:
        return None
    m = _PERIOD.fullmatch(v)
    if m and (not m.group(2) or 1 <= int(m.group(2)) <= 12):
        return m.group(1) + (f"-{int(m.group(2)):02d}" if m.group(2) else "")
    due = None if m else parse_deadline(v).due
    if due:
        return due
    raise ValueError(f"无法识别的时间“{v}”，请写成 2025 或 2025-06")


def _task(t: Any, role: str | None = None) -> dict[str, Any]:
    """A ``task_links.PlanTask`` as JSON: the task (its body text, or its only table rows), the
    current step's deadline, and every yearly step with its units, deadline and sources."""
    head = t.head
    out = {"doc_id": t.doc_id, "title": t.title, "name": t.name, "content": head.get("content"),
           "lead": t.lead, "co": t.co, "deadline": t.deadline, "due": t.due, "breadcrumb": t.breadcrumb,
           "page": head.get("page"), "source": head.get("source"),
           "current_year": t.current_step.year if t.current_step else None,
           "steps": [st.to_json() for st in t.steps]}
    if role:
        out["role"] = role
    return out


def answer_text(a: dict[str, Any]) -> str:
    """An answer record (``Answer.to_json()``) as plain text: the answer with its [n] markers, a
    notice when there is one, then 来源 — each source's document, section, page and quote (for a
    refusal, the closest passages under 参考, which are not an answer)."""
    parts = [a["answer"].strip()]
    if a.get("notice") and a["notice"] not in a["answer"]:
        parts.append(f"（{a['notice']}）")

    def block(title: str, cites: list[dict[str, Any]]) -> str:
        lines = [title]
        for c in cites:
            page = f" 第{c['page']}页" if c.get("page") else ""
            quote = " ".join(str(c.get("quote") or "").split())
            lines.append(f"[{c['n']}] 《{c['title']}》 {c['section']}{page}" + (f"\n    “{quote}”" if quote else ""))
        return "\n".join(lines)

    if a.get("citations"):
        parts.append(block("来源：", a["citations"]))
    if a.get("refused") and a.get("references"):
        parts.append(block("参考（最接近的段落，不是答案）：", a["references"]))
    return "\n\n".join(parts)
