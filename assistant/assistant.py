"""The assistant: the answer path, one stage per module.

    understand (understand.py) → scope (scope.py) → gather (gather.py) → read (read.py, readers/)
    → compose (compose.py) → verify (verify.py) → optional LLM (llm.py)

A question is cleaned and split into asks; the scope is the documents its regions allow, with
those it names preferred; for each ask the passages and facts in scope are gathered, read into
scored candidate answers by the reader of its kind, and the best one that verifiably answers is
composed with verbatim, checked citations. An ask nothing answers is said to be 未写明; a question
no ask of which is answered is refused, with the closest passages as 参考.

Example:
    >>> bot = Assistant(Settings(kb_dir="data"))
    >>> a = bot.ask("万级负氧离子体验区由谁牵头？")
    >>> a.answer.splitlines()[0]
    '“开展“万级负氧离子体验区”建设。…”：牵头单位：区气象局、区文旅局；配合单位：百花山管理处、区委宣传部；完成时间：2024年12月，2025年12月（…）。[1][2][3]'
    >>> bot.ask("那配合单位呢？", history=[a]).answer
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterable, Iterator

from kb.knowledge_base import KnowledgeBase
from kb import versions
from kb.settings import Settings
from ingest.regions import CITY_OF, NATIONAL, province_of

from . import compose
from .compose import Citations
from .evidence import Citation, DocTexts
from .facts_match import Directory
from .gather import gather
from .read import read_passages
from .readers import READERS, AnswerContext, document, fields, overview
from .scope import AnswerScope, DocInfo, resolve
from .understand import Query, understand_question
from .verify import Thresholds, choose

PROBLEMS = {
    "empty": "请输入要查询的问题，例如：“某项任务由哪个部门牵头？”",
    "no_words": "没有读到问题的文字，请输入要查询的问题。",
    "too_long": "问题过长（{n} 字），请精简到 {max} 字以内，一次问一件事。",
}


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool = False
    citations: list[Citation] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "extractive"
    timings_ms: dict[str, float] = field(default_factory=dict)
    notice: str = ""                               # e.g. the LLM failed and the extractive answer is shown
    references: list[Citation] = field(default_factory=list)   # 参考 passages of a refusal (not an answer)
    query: Query | None = None
    sources: dict[int, str] = field(default_factory=dict)       # citation n -> longer source text (LLM)
    pool: list[Citation] = field(default_factory=list)          # every numbered source given to an LLM
    trace: list[dict[str, Any]] = field(default_factory=list)   # per ask: the chosen reading (for evaluation)

    def to_json(self) -> dict[str, Any]:
        """The stable ``policykb ask --json`` record."""
        return {"question": self.question, "answer": self.answer, "refused": self.refused,
                "citations": [c.to_json() for c in self.citations], "facts": self.facts, "mode": self.mode,
                "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()}, "notice": self.notice,
                "references": [c.to_json() for c in self.references]}


class Assistant:
    """Answers questions over one knowledge base; shared by the CLI and the web app."""

    def __init__(self, settings: Settings | None = None, kb: KnowledgeBase | None = None, today: date | None = None,
                 top_k: int = 8, thresholds: Thresholds | None = None):
        self.settings = settings or (kb.settings if kb else Settings())
        self.kb = kb or KnowledgeBase(self.settings)
        self.docs = DocTexts(self.kb.registry)
        self._today = today
        self.top_k = top_k
        self.thresholds = thresholds or Thresholds()
        self._directory: Directory | None = None
        self._measures: list[str] | None = None
        self._doc_infos: list[DocInfo] | None = None
        self._facts: tuple[list, list] | None = None
        self._version: Any = None

    # --- public -------------------------------------------------------------------------------
    @property
    def today(self) -> date:
        return self._today or self.settings.today or date.today()

    def ask(self, question: str, history: Iterable[Any] | None = None, doc_ids: list[str] | None = None,
            regions: list[str] | None = None, use_llm: bool | None = None) -> Answer:
        answer = None
        for item in self.stream(question, history, doc_ids=doc_ids, regions=regions, use_llm=use_llm):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def stream(self, question: str, history: Iterable[Any] | None = None, doc_ids: list[str] | None = None,
               regions: list[str] | None = None, use_llm: bool | None = None) -> Iterator[str | Answer]:
        """Yield the LLM's text as it arrives (nothing in extractive mode), then the final ``Answer``.
        The LLM is given the numbered passages and facts, also when the extractive reading refused."""
        answer = self.extractive(question, history, doc_ids=doc_ids, regions=regions)
        llm_on = self.settings.llm_enabled if use_llm is None else use_llm and self.settings.llm_enabled
        if llm_on and answer.pool:
            from .llm import generate

            t = time.perf_counter()
            for item in generate(self.settings, answer, known_units=self._unit_names):
                if isinstance(item, Answer):
                    item.timings_ms = {**answer.timings_ms, "llm": _ms(t)}
                yield item
            return
        yield answer

    def extractive(self, question: str, history: Iterable[Any] | None = None, doc_ids: list[str] | None = None,
                   regions: list[str] | None = None) -> Answer:
        t0 = time.perf_counter()
        self._refresh()
        timings: dict[str, float] = {}
        previous = self.previous_query(history)
        read = understand_question(question, self.today, previous, max_chars=self.settings.max_question_chars,
                                   **self._understanding())
        timings["understand"] = _ms(t0)
        if read.problem:
            msg = PROBLEMS[read.problem].format(n=len(read.text), max=self.settings.max_question_chars)
            return Answer(question, msg, refused=True, notice=msg, timings_ms={"total": _ms(t0)})
        # current versions only, with a note on what an older or draft version says (kb/versions.py)
        answer = versions.answer_current(self.kb, lambda ids: self._answer(read.asks, read.text, ids, regions, timings),
                                         doc_ids, read.text)
        answer.question = question
        answer.timings_ms = {**timings, "total": _ms(t0)}
        answer.query = read.first
        return answer

    def previous_query(self, history: Iterable[Any] | None) -> Query | None:
        """The last question of a conversation, understood in its own context. ``history`` holds
        earlier ``Answer``s, chat messages ({"role", "content"}; content may be a list of parts),
        (user, assistant) pairs or plain question strings."""
        prev: Query | None = None
        for item in history or []:
            if isinstance(item, Answer):
                prev = item.query or prev
                continue
            text = _user_text(item)
            if text:
                read = understand_question(text, self.today, prev, max_chars=self.settings.max_question_chars,
                                           **self._understanding())
                prev = read.first or prev
        return prev

    # --- cached views of the knowledge base -------------------------------------------------------
    def _refresh(self) -> None:
        version = tuple(sorted(self.kb.registry.ready_hashes().items()))
        if version != self._version:
            self._version = version
            self._directory = self._measures = self._doc_infos = self._facts = None
            self.kb.refresh()

    def _understanding(self) -> dict[str, Any]:
        return {"units": self.directory, "indicators": self.measures, "known_regions": self._known_regions(),
                "cut": self.kb.tokenizer.words}

    @property
    def directory(self) -> Directory:
        if self._directory is None:
            self._directory = Directory(self.kb.facts)
        return self._directory

    def _unit_names(self, text: str) -> list[str]:
        """Every directory name of each unit ``text`` mentions (for checking an LLM answer)."""
        return self.kb.facts.unit_expansions(text)

    @property
    def measures(self) -> list[str]:
        if self._measures is None:
            rows = self.kb.facts.con.execute("SELECT DISTINCT measure FROM indicators").fetchall()
            self._measures = [r[0] for r in rows if r[0] and 3 <= len(r[0]) <= 16]
        return self._measures

    def _gather(self, ask: Query, scope: AnswerScope):
        if self._facts is None:       # read once per version of the documents, not per question
            self._facts = (self.kb.facts.tasks(), self.kb.facts.indicators())
        return gather(self.kb, ask, scope, k=self.top_k, all_tasks=self._facts[0], all_indicators=self._facts[1])

    @property
    def doc_infos(self) -> list[DocInfo]:
        if self._doc_infos is None:
            infos = []
            for d in self.kb.registry.all(parsed=False):
                if d["status"] != "ready":
                    continue
                meta = d["meta"] or {}
                head = body = ""
                if meta.get("region") in (None, NATIONAL):
                    body = self.docs.text(d["doc_id"])
                    head = body[:300]
                infos.append(DocInfo(d["doc_id"], d["title"] or "", meta.get("region"), meta.get("city"),
                                     (meta.get("extra") or {}).get("short_title") or "", meta.get("doc_number") or "",
                                     head, body, str(meta.get("issuer") or "")))
            self._doc_infos = infos
        return self._doc_infos

    def _known_regions(self) -> list[str]:
        return [a for d in self.kb.doc_regions() for a in (d.get("region"), d.get("city")) if a]

    def _idf(self, term: str) -> float:
        bm = self.kb.bm25
        j = bm.vocab.get(term)
        return float(bm.idf[j]) if j is not None else float(bm.idf.max()) if len(bm.idf) else 1.0

    # --- answering ----------------------------------------------------------------------------------
    def _answer(self, asks: list[Query], text: str, doc_ids: list[str] | None, regions: list[str] | None,
                timings: dict[str, float]) -> Answer:
        t = time.perf_counter()
        scope = resolve(text, self.doc_infos, doc_ids, regions, naming=self.kb.documents_naming)
        timings["scope"] = _ms(t)
        missing_note = f"已收录的文件中没有关于{'、'.join(scope.missing)}的文件。" if scope.missing else ""
        q = asks[0]
        if not scope.allowed:
            have = sorted({d.region for d in self.doc_infos if d.region})
            reason = f"（知识库目前收录的地区：{'、'.join(have)}。）" if have else ""
            subject = f"关于{'、'.join(scope.missing)}的文件" if scope.missing else "符合所选范围的文件"
            return Answer(q.text, compose.refusal(subject, [], reason), refused=True, notice=missing_note)
        cites, pool = Citations(self.docs), Citations(self.docs)
        trace: list[dict[str, Any]] = []
        if len(scope.groups) >= 2:         # several regions named: answer for each from its own documents
            parts, facts, refs = [], [], []
            region_of = {d.doc_id: d.region for d in self.doc_infos}
            for region, own in scope.groups:
                own = own & scope.allowed
                exact = {d for d in own if region_of.get(d) == region} or own     # a city's own plans first
                sub = replace(scope, allowed=own, primary=exact, groups=[],
                              preferred=[d for d in scope.preferred if d in own])
                body, used, near = self._answer_asks(asks, sub, cites, pool, timings, trace)
                parts.append(f"【{region}】" + (body if body else f"已收录的{region}文件中未找到相关内容。"))
                facts += used
                refs += near
            body = "\n".join(parts) if cites.items else None
        else:
            body, facts, refs = self._answer_asks(asks, scope, cites, pool, timings, trace)
        if body is None or not cites.items:
            ref_cites = Citations(self.docs)
            for c in refs[:3]:
                ref_cites.add(c.doc_id, c.start, c.end, c.hit.breadcrumb, quote=c.quote)
            return Answer(q.text, compose.refusal(_subject(q), ref_cites.items, missing_note), refused=True,
                          references=ref_cites.items, notice=missing_note, pool=_pool(pool, refs),
                          sources=dict(pool.context), trace=trace)
        body = body if not missing_note else f"{body}\n（注：{missing_note}）"
        unplaced = [c.title for c in cites.items if c.doc_id in scope.unplaced]
        places = [r for r in scope.regions if r != NATIONAL]          # "全国" questions need no such note
        if unplaced and places:
            body += "\n" + compose.unplaced_note(unplaced, places)
        for area, above in scope.borrowed.items():
            region_of = {d.doc_id: d.region or "" for d in self.doc_infos if d.doc_id in above}
            quoted = [(c.title, region_of[c.doc_id]) for c in cites.items if c.doc_id in region_of]
            if quoted:
                body += "\n" + compose.borrowed_note(area, quoted)
        pool.items, pool.context = list(cites.items), dict(cites.context)    # the LLM also sees the next passages
        items = _pool(pool, refs)
        return Answer(q.text, body, citations=cites.items, facts=facts, notice=missing_note, sources=dict(pool.context),
                      pool=items, trace=trace)

    def _answer_asks(self, asks: list[Query], scope: AnswerScope, cites: Citations, pool: Citations,
                     timings: dict[str, float], trace: list[dict[str, Any]]) -> tuple[str | None, list[dict[str, Any]], list]:
        """The composed lines of every ask (an unanswered ask of several says 未写明), the facts used,
        and the closest passages (for references and the LLM)."""
        ctx = self._context(asks[0], scope)
        lines, facts, near, answered = [], [], [], 0
        for ask in asks:
            t = time.perf_counter()
            ev = self._gather(ask, scope)
            timings["retrieve"] = timings.get("retrieve", 0.0) + _ms(t)
            t = time.perf_counter()
            cands = read_passages(ask, ev, replace(ctx, regions=_areas(ask, scope)))
            readings = READERS[ask.intent](ask, ev, cands, ctx)
            if ask.intent in ("dept", "overview") and not readings:      # quoted passages as a fallback
                readings = READERS["general"](ask, ev, cands, ctx)
            if ask.intent in ("general", "definition") and re.search(r"有哪些|包括哪些|包含哪些|有什么", ask.text):
                readings += overview.read(ask, ev, cands, ctx, strict=True)
            if ask.intent in ("general", "definition", "overview"):
                readings += overview.named_section(ask, ev, ctx)
            readings += document.read(ask, ev, cands, ctx) + fields.read(ask, ev, cands, ctx)
            chosen = choose(readings, ask, scope, self.thresholds, self._idf)
            if chosen is None and ask is not asks[0] and scope.title_words and ask.intent in ("lead", "co"):
                # "…是多少？由哪个部门牵头？": who leads the named plan's work
                plain = replace(ask, topic=" ".join(scope.title_words), followup=False, context="",
                                text=f"{''.join(scope.title_words)}{ask.text}")
                ev = self._gather(plain, scope)
                cands = read_passages(plain, ev, replace(ctx, regions=_areas(plain, scope)))
                chosen = choose(READERS[ask.intent](plain, ev, cands, ctx), plain, scope, self.thresholds, self._idf)
            text = chosen.render(cites) if chosen else None
            if text and chosen.doc_id and chosen.doc_id not in ctx.about:
                ctx.about.append(chosen.doc_id)         # "…什么时候开？在哪开？": the next ask's document
            trace.append({"intent": ask.intent, "kind": chosen.kind if chosen else None,
                          "score": chosen.score if chosen else None, "own": chosen.own if chosen else None})
            timings["read"] = timings.get("read", 0.0) + _ms(t)
            near += [c for c in cands if c not in near]
            if text:
                answered += 1
                if not any(text in line for line in lines):     # two asks one reading answers ("是X牵头吗？到底谁牵头？")
                    lines.append(text)
                    facts += chosen.facts
            elif len(asks) > 1:
                lines.append(f"{_subject(ask).replace('关于', '', 1)}：已收录的文件中未写明。")
        if not answered:
            return None, [], near
        return "\n".join(lines), facts, near

    def _context(self, ask: Query, scope: AnswerScope) -> AnswerContext:
        # a named document counts within the named region's own documents (门头沟 + 生态涵养区方案:
        # the district's plans, not the city's)
        preferred = [d for d in scope.preferred if d in scope.primary] if scope.primary else scope.preferred
        return AnswerContext(docs=self.docs, idf=self._idf, preferred=preferred,
                             title_words=scope.title_words, local=scope.local, facts=self.kb.facts, directory=self.directory,
                             today=self.today, primary=scope.primary)


def _areas(ask: Query, scope: AnswerScope) -> set[str]:
    """Areas a quoted sentence may name for the asked regions: those regions and their cities."""
    regions = ask.regions or scope.regions
    return set(regions) | {CITY_OF[r] for r in regions if r in CITY_OF} | {p for r in regions if (p := province_of(r))}


def _pool(pool: Citations, cands) -> list[Citation]:
    """The closest passages as numbered sources for an LLM (a refused question included)."""
    for c in cands[:5]:
        pool.add(c.doc_id, c.start, c.end, c.hit.breadcrumb, quote=c.quote, context=c.hit.text)
    return pool.items


def _subject(q: Query) -> str:
    what = {"lead": "牵头单位", "co": "配合单位", "deadline": "完成时间", "indicator": "具体数值或要求",
            "definition": "定义", "overview": "相关内容", "dept": "相关任务", "general": "相关内容"}[q.intent]
    # the topic's words run together, but two numbers keep their space ("2 16铁路…", not "216铁路…")
    topic = re.sub(r" +(?![0-9A-Za-z])|(?<![0-9A-Za-z]) +", "", q.topic) if q.topic else ""
    where = "、".join(q.regions)
    about = f"{where}" + (f"“{topic}”" if topic else "")
    return f"关于{about}的{what}" if about else f"相关{what}"


def _user_text(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, (list, tuple)) and item:
        return _content_text(item[0])
    if isinstance(item, dict) and item.get("role") == "user":
        return _content_text(item.get("content"))
    return ""


def _content_text(content: Any) -> str:
    """Gradio 6 message content is a list of parts ({"type": "text", "text": ...})."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "")
    if isinstance(content, list):
        return "".join(_content_text(p) for p in content)
    return ""


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000
