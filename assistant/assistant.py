"""The assistant: question -> understanding -> facts and passages -> cited answer (or an honest
refusal) -> optionally rewritten by an LLM and checked.

Order of evidence: structured facts first (tasks with their units and deadlines, indicators with
their values), passages second. An answer is refused when the question's region has no documents,
or when nothing in scope covers the question's topic well enough (and, for a number or a date, has
one); the closest passages are then listed as 参考, not as an answer.

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
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Iterator

from kb.answer_types import PASSAGE
from kb.knowledge_base import KnowledgeBase
from kb.retrievers import Filters, Hit, section_heading
from kb.scope import find_areas, resolve_scope
from kb.settings import Settings
from ingest.regions import CITY_OF

from . import compose
from .compose import Citations
from .evidence import Citation, DocTexts, Topic, sentences, span_text
from .facts_match import Directory, match_indicators, match_tasks
from .question import Query, understand
from .timeframe import status

_DATE = re.compile(r"(?:19|20)\d{2}\s*年|年底|年内|月底|季度")
_UNIT_NAME = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:局|委员会|委|办公室|办|中心|管理处|政府|部)")
_WANT = {"deadline": _DATE, "indicator": PASSAGE["number"], "lead": _UNIT_NAME, "co": _UNIT_NAME,
         "definition": re.compile(PASSAGE["definition"].pattern + "|作为|定位|即")}


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

    def to_json(self) -> dict[str, Any]:
        """The stable ``policykb ask --json`` record."""
        return {"question": self.question, "answer": self.answer, "refused": self.refused,
                "citations": [c.to_json() for c in self.citations], "facts": self.facts, "mode": self.mode,
                "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()}, "notice": self.notice,
                "references": [c.to_json() for c in self.references]}


@dataclass
class _Passage:
    hit: Hit
    coverage: float                 # topic coverage of the section heading and the passage
    sentence_coverage: float        # of the chosen quote
    start: int
    end: int
    quote: str
    has_wanted: bool                # the quote holds the kind of answer asked for (a date, a number …)


class Assistant:
    """Answers questions over one knowledge base; shared by the CLI and the web app."""

    def __init__(self, settings: Settings | None = None, kb: KnowledgeBase | None = None, today: date | None = None,
                 top_k: int = 8):
        self.settings = settings or (kb.settings if kb else Settings())
        self.kb = kb or KnowledgeBase(self.settings)
        self.docs = DocTexts(self.kb.registry)
        self._today = today
        self.top_k = top_k
        self._directory: Directory | None = None
        self._measures: list[str] | None = None
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
        """Yield the LLM's text as it arrives (nothing in extractive mode), then the final ``Answer``."""
        answer = self.extractive(question, history, doc_ids=doc_ids, regions=regions)
        llm_on = self.settings.llm_enabled if use_llm is None else use_llm and self.settings.llm_enabled
        if llm_on and not answer.refused and answer.citations:
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
        q = understand(question, self.today, previous, units=self.directory, indicators=self.measures,
                       known_regions=self._known_regions(), cut=self.kb.tokenizer.words)
        timings["understand"] = _ms(t0)
        answer = self._answer(q, doc_ids, regions, timings)
        answer.timings_ms = {**timings, "total": _ms(t0)}
        answer.query = q
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
                prev = understand(text, self.today, prev, units=self.directory, indicators=self.measures,
                                  known_regions=self._known_regions(), cut=self.kb.tokenizer.words)
        return prev

    # --- cached views of the knowledge base -------------------------------------------------------
    def _refresh(self) -> None:
        version = tuple(sorted(self.kb.registry.ready_hashes().items()))
        if version != self._version:
            self._version = version
            self._directory = self._measures = None
            self.kb.refresh()

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

    def _known_regions(self) -> list[str]:
        return [a for d in self.kb.doc_regions() for a in (d.get("region"), d.get("city")) if a]

    def _idf(self, term: str) -> float:
        bm = self.kb.bm25
        j = bm.vocab.get(term)
        return float(bm.idf[j]) if j is not None else float(bm.idf.max()) if len(bm.idf) else 1.0

    # --- answering ----------------------------------------------------------------------------------
    def _answer(self, q: Query, doc_ids: list[str] | None, regions: list[str] | None,
                timings: dict[str, float]) -> Answer:
        t = time.perf_counter()
        docs = self.kb.doc_regions()
        scope = resolve_scope(q.search_text, docs)
        filters = Filters(doc_ids=doc_ids, regions=regions)
        allowed = {d["doc_id"] for d in docs if filters.allows(d)
                   and (not scope.constrained or d["doc_id"] in scope.doc_ids)}
        missing_note = f"已收录的文件中没有关于{'、'.join(scope.missing)}的文件。" if scope.missing else ""
        if not allowed:
            have = sorted({d.get("region") for d in docs if d.get("region")})
            reason = f"（知识库目前收录的地区：{'、'.join(have)}。）" if have else ""
            subject = f"关于{'、'.join(scope.missing)}的文件" if scope.missing else "符合所选范围的文件"
            return Answer(q.text, compose.refusal(subject, [], reason), refused=True, notice=missing_note)
        retrieval = self.kb.retrieve(q.search_text, k=self.top_k, doc_ids=sorted(allowed), use_scope=False)
        hits = [h for h in retrieval.hits if h.doc_id in allowed]
        timings["retrieve"] = _ms(t)
        t = time.perf_counter()
        topic = Topic(q.topic, self._idf)
        cites = Citations(self.docs)
        allowed_areas = set(scope.regions) | {CITY_OF.get(r) for r in scope.regions if CITY_OF.get(r)}
        asked = Topic(_without(q.search_text, q.regions), self._idf)
        passages = [p for p in (self._passage(h, topic, asked, q, allowed_areas) for h in hits) if p is not None]
        groups = [g for g in scope.groups if set(g) & allowed]
        if len(groups) >= 2:                 # several regions named: answer for each from its own documents
            parts, facts = [], []
            for region, group in zip([r for r in scope.regions if r not in scope.missing], groups):
                own = set(group) & allowed
                body, used = self._compose(q, topic, own, [p for p in passages if p.hit.doc_id in own], cites, group)
                parts.append(f"【{region}】" + (body if body else f"已收录的{region}文件中未找到相关内容。"))
                facts += used
            body = "\n".join(parts) if any(cites.items) else None
        else:
            body, facts = self._compose(q, topic, allowed, passages, cites, scope.primary)
        timings["compose"] = _ms(t)
        if body is None or not cites.items:
            refs = Citations(self.docs)
            for p in sorted(passages, key=lambda p: -p.coverage)[:3]:
                refs.add(p.hit.doc_id, p.start, p.end, p.hit.breadcrumb, quote=p.quote)
            return Answer(q.text, compose.refusal(_subject(q), refs.items, missing_note), refused=True,
                          references=refs.items, notice=missing_note)
        text = body if not missing_note else f"{body}\n（注：{missing_note}）"
        return Answer(q.text, text, citations=cites.items, facts=facts, notice=missing_note, sources=cites.context)

    def _compose(self, q: Query, topic: Topic, allowed: set[str], passages: list[_Passage],
                 cites: Citations, primary_docs: list[str]) -> tuple[str | None, list[dict[str, Any]]]:
        """The answer text and the facts used, or (None, []) when nothing supports an answer.
        Facts from the asked region's own documents hide those of its city's documents."""
        facts = self.kb.facts
        primary = set(primary_docs) & allowed

        def in_scope(rows: list[dict[str, Any]], score=lambda r: r) -> list:
            rows = [r for r in rows if score(r)["doc_id"] in allowed]
            own = [r for r in rows if score(r)["doc_id"] in primary]
            return own or rows

        if q.intent == "dept":
            return self._dept(q, topic, lambda rows: [r for r in rows if r["doc_id"] in allowed], cites)
        if q.intent in ("lead", "co", "deadline") and topic:
            matched = in_scope(match_tasks([t for t in facts.tasks() if t["doc_id"] in allowed], topic, q.years),
                               lambda x: x[1])
            tasks = [t for _, t in matched]
            if q.intent == "deadline" and not any(t.get("due") for t in tasks):
                tasks = []
            if tasks:
                if q.intent == "deadline":
                    text = compose.deadline_answer(tasks, cites, self.today)
                else:
                    yes_no = q.departments[0] if q.yes_no and q.departments else None
                    text = compose.lead_answer(tasks, q.roles or ("lead",), cites, yes_no, self.directory.same)
                return text, [_task_fact(t, self.today) for t in tasks]
        if q.intent in ("indicator", "deadline") and topic:
            asked_unit = re.search(r"(?:多少|几)(个百分点|平方公里|公顷|万元|亿元|分钟|小时|[套家处个项所座条户名人台辆株批场亩吨])", q.text)
            matched = match_indicators([i for i in facts.indicators() if i["doc_id"] in allowed], topic, q.indicator,
                                       min_score=0.6 if q.intent == "indicator" else 0.75,
                                       unit=asked_unit.group(1) if asked_unit else None)
            matched = in_scope([(s, i) for s, i in matched if self._region_ok(i["sentence"], q)
                                and (q.intent == "indicator" or i.get("due"))], lambda x: x[1])
            lines, used, seen = [], [], set()
            for _, ind in matched[:3]:
                clause = _clause(ind, self.docs.text(ind["doc_id"]))
                if clause[2] in seen:
                    continue
                line = compose.indicator_line(ind, cites, clause)
                if line.endswith("]"):
                    seen.add(clause[2])
                    lines.append(line)
                    used.append(_indicator_fact(ind))
            if lines:
                return "\n".join(lines), used
        if q.intent == "overview" or re.search(r"有哪些|包括哪些|包含哪些|有什么", q.text):
            text = self._overview(q, topic, passages, cites, strict=q.intent != "overview")
            if text:
                return text, []
        return self._from_passages(q, passages, cites, primary), []

    def _dept(self, q: Query, topic: Topic, in_scope, cites: Citations) -> tuple[str | None, list[dict[str, Any]]]:
        facts = self.kb.facts
        rows: dict[str, list[dict[str, Any]]] = {}
        if q.departments:
            head = q.departments[0]
            for role in q.roles or ("lead", "co"):
                rows[role] = in_scope(facts.tasks(dept=head, role=role))
        else:
            head = ""
            rows["all"] = in_scope(facts.tasks())
        for role, ts in rows.items():
            if q.window:
                ts = [t for t in ts if q.window.contains(t.get("due"))]
            elif q.years:
                years = {str(y) for y in q.years}
                ts = [t for t in ts if t.get("plan_year") in q.years or (t.get("due") or "")[:4] in years]
            if topic:      # the tasks that match the question's words first, then by deadline
                ts = sorted(ts, key=lambda t: (-round(topic.coverage(_task_words(t)), 1), not t.get("due"),
                                               t.get("due") or ""))
            else:
                ts = sorted(ts, key=lambda t: (not t.get("due"), t.get("due") or ""))
            rows[role] = ts
        total = sum(len(v) for v in rows.values())
        if total == 0:
            return None, []
        when = f"（{q.window.label}）" if q.window else ""
        lines = []
        if head:
            counts = "、".join(f"{'牵头' if r == 'lead' else '配合'} {len(v)} 项" for r, v in rows.items())
            lines.append(f"{head}{when}在已收录文件中：{counts}。")
        else:
            label = q.window.label if q.window else "符合条件"
            lines.append(f"{label}的任务共 {total} 项（今天是{self.today.year}年{self.today.month}月{self.today.day}日）：")
        used: list[dict[str, Any]] = []
        for role, ts in rows.items():
            if not ts:
                continue
            if head:
                lines.append(f"{'牵头' if role == 'lead' else '配合'}的任务：")
            lines += compose.task_list(ts, cites, self.today, show_units=not head)
            used += ts[:10]
        return "\n".join(lines), [_task_fact(t, self.today) for t in used]

    def _overview(self, q: Query, topic: Topic, passages: list[_Passage], cites: Citations,
                  strict: bool = False) -> str | None:
        """The subsections of the section the question names (or, for a question about the whole
        plan, of the document), each with its first sentence, each cited. ``strict``: only when a
        section heading clearly names the topic."""
        section_topic = Topic(f"{q.topic} {q.structure}", self._idf)

        def residual(title: str) -> float:
            return sum(w for t, w in section_topic.terms.items() if t not in title)

        best = None
        for doc_id in dict.fromkeys(p.hit.doc_id for p in passages if p.coverage >= 0.5):
            doc = self.docs.get(doc_id)
            children: dict[int, list[dict[str, Any]]] = {}
            for s in doc["sections"]:
                if s.get("parent") is not None:
                    children.setdefault(s["parent"], []).append(s)
            for s in doc["sections"]:
                kids = children.get(s["id"], [])
                if len(kids) < 2:
                    continue
                root = s.get("parent") is None
                # the whole plan only when the question names nothing beyond the plan itself
                score = (0.5 if not residual(doc["title"]) else 0.0) if root else \
                    section_topic.coverage(s["title"], ignore=doc["title"])
                if best is None or score > best[0]:
                    best = (score, doc, s, kids)
        if best is None or best[0] < (0.6 if strict else 0.5):
            return None
        _, doc, parent, kids = best
        text = doc["text"]
        by_id = {s["id"]: s for s in doc["sections"]}
        crumb_of = lambda s: " › ".join(_crumbs(s, by_id))          # noqa: E731
        lines = [f"《{doc['title']}》" + (f"“{parent['title']}”" if parent.get("parent") is not None else "")
                 + f"包括以下 {len(kids)} 个方面："]
        lead_end = min(k["start"] for k in kids)
        if parent["heading_end"] and parent.get("parent") is not None:
            lead = [x for x in sentences(text[parent["heading_end"]:lead_end], parent["heading_end"]) if len(x[2]) >= 6]
            if lead and lead[0][1] - lead[0][0] <= 200:      # the plan's own lead-in ("围绕七个方面展开。")
                a, b, x = lead[0]
                mark = cites.add(doc["doc_id"], a, b, crumb_of(parent), quote=text[a:b])
                if mark:
                    lines.append(f"原文：{x}{mark}")
        for i, s in enumerate(kids[:12], 1):
            hs, he, heading = span_text(text, s["start"], s["heading_end"] or s["start"] + len(s["title"]))
            mark = cites.add(doc["doc_id"], hs, he, crumb_of(s), source="outline", quote=heading)
            body = sentences(text[s["heading_end"]:s["end"]], s["heading_end"]) if s["heading_end"] else []
            first = next(((a, b, x) for a, b, x in body if len(x) >= 8), None)
            summary = ""
            if first and len(first[2]) <= 200 and not children_start(first[0], s, doc["sections"]):
                summary = "：" + compose.short(first[2], 50)
                mark += cites.add(doc["doc_id"], first[0], first[1], crumb_of(s), quote=text[first[0]:first[1]])
            lines.append(f"{i}. {s['title'].strip()}{summary}{mark}")
        return "\n".join(lines)

    def _from_passages(self, q: Query, passages: list[_Passage], cites: Citations, primary: set[str]) -> str | None:
        """Quoted points from the best-supported passages (others from the same document only);
        None when no passage supports an answer."""
        need_wanted = q.intent in ("indicator", "deadline", "lead", "co")
        good = [p for p in passages if p.coverage >= 0.6 and p.sentence_coverage >= 0.35
                and (p.has_wanted or not need_wanted)]
        if primary and any(p.hit.doc_id in primary for p in good):
            good = [p for p in good if p.hit.doc_id in primary]
        if not good:
            return None
        best = good[0]
        chosen = [best] + [p for p in good[1:] if p.hit.doc_id == best.hit.doc_id
                           and p.coverage >= best.coverage - 0.15][:1]
        lines = []
        for p in chosen:
            mark = cites.add(p.hit.doc_id, p.start, p.end, p.hit.breadcrumb, quote=p.quote, context=p.hit.text)
            if not mark:
                continue
            tail = section_heading(p.hit.breadcrumb)
            where = f"《{compose.short(p.hit.title, 30)}》" + (f"“{compose.short(tail, 30)}”" if tail else "")
            quote = cites.items[int(mark[1:-1]) - 1].display_quote.rstrip("。；;")
            lines.append(f"{where}：{quote}。{mark}")
        if not lines:
            return None
        return lines[0] if len(lines) == 1 else "根据已收录文件：\n" + "\n".join(f"- {x}" for x in lines)

    # --- passages ----------------------------------------------------------------------------------
    def _passage(self, hit: Hit, topic: Topic, asked: Topic, q: Query, allowed_areas: set[str]) -> _Passage | None:
        """The best quote of a hit: ``topic`` is what the question is about, ``asked`` all its words."""
        text = self.docs.text(hit.doc_id)
        if not text:
            return None
        heading = section_heading(hit.breadcrumb)
        cov = topic.coverage(f"{hit.title} {hit.breadcrumb} {hit.text}") if topic else 0.0
        want = _WANT.get(q.intent)
        if hit.kind == "text":
            cands = sentences(text[hit.start:hit.end], hit.start)
        elif hit.kind == "table_row":
            cands = [span_text(text, hit.start, hit.end)]
        else:                                           # outline: its headings, found in the text
            cands = []
            for line in hit.text.splitlines():
                line = line.strip()
                pos = text.find(line, hit.start)
                if line and pos >= 0:
                    cands.append((pos, pos + len(line), line))
        best = None
        for i, (a, b, s) in enumerate(cands):
            if not self._region_ok(s, q, allowed_areas):
                continue
            sc = topic.coverage(f"{heading} {s}") if topic else 0.0
            has = bool(want.search(s)) if want else True
            # the sentence's own words count beside its heading's; the question's own wording
            # (实施期限, 保障措施) breaks ties between sentences on the topic
            own = (topic.coverage(s, ignore=hit.title) or topic.coverage(s)) if topic else 0.0
            score = (sc + own) / 2 + (0.25 if has else 0.0) + 0.2 * asked.coverage(s) \
                + (0.05 if not _HEADING_LIKE.match(s) else 0.0)
            if best is None or score > best[0]:
                best = (score, i, sc, has)
        if best is None:
            return None
        _, i, sc, has = best
        a, b, s = cands[i]
        if hit.kind in ("text", "outline") and (len(s) < 30 or _HEADING_LIKE.match(s)):
            # a heading or a short clause: the sentences after it (possibly past the chunk) say what it means
            following = [x for x in sentences(text[b:min(len(text), b + 400)], b) if x[2]]
            for a2, b2, s2 in following[:2]:
                if b2 - a > 260 or _HEADING_LIKE.match(s2):
                    break
                b = b2
                if b - a >= 40:
                    break
            s = text[a:b]
            has = bool(want.search(s)) if want else True
        if hit.kind == "text" and (text[a:b].rstrip().endswith(("；", ";", "：", ":"))
                                   or q.intent == "overview" and re.search(r"[几\d一二三四五六七八九十]+[个项大]?(?:方面|部分|板块|行动|任务)", s)):
            # an item of a list ("一是…；二是…；") or a lead-in: quote on to the end of the list
            for a2, b2, s2 in sentences(text[b:min(len(text), b + 300)], b):
                if b2 - a > 300 or _HEADING_LIKE.match(s2) and not re.match(r"\s*[一二三四五六七八九十]是", s2):
                    break
                b = b2
                if s2.endswith("。"):
                    break
            has = has or bool(want.search(text[a:b])) if want else True
        return _Passage(hit, cov, sc, a, b, text[a:b], has)

    def _region_ok(self, sentence: str, q: Query, allowed: set[str] | None = None) -> bool:
        """A sentence that names other districts but not the asked one does not answer for it."""
        if not q.regions:
            return True
        allowed = allowed if allowed is not None else set(q.regions) | {CITY_OF.get(r) for r in q.regions}
        areas = find_areas(sentence)
        return not areas or any(a in allowed or CITY_OF.get(a) in q.regions for a in areas)


_HEADING_LIKE = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、]|第[一二三四五六七八九十]+[部分章节条]|[一二三四五六七八九十]是)")


def children_start(offset: int, section: dict[str, Any], sections: list[dict[str, Any]]) -> bool:
    """Whether ``offset`` is already inside a subsection of ``section`` (its body has no lead-in)."""
    return any(s.get("parent") == section["id"] and s["start"] <= offset for s in sections)


def _crumbs(s: dict[str, Any], by_id: dict[int, dict[str, Any]]) -> list[str]:
    out = []
    while s is not None:
        out.append(s["title"])
        s = by_id.get(s.get("parent")) if s.get("parent") is not None else None
    return list(reversed(out))


def _task_words(t: dict[str, Any]) -> str:
    return f"{t['title']} {t.get('name') or ''} {t.get('content') or ''}"


def _without(text: str, words: list[str]) -> str:
    for w in words:
        text = text.replace(w, " ")
    return text


def _subject(q: Query) -> str:
    what = {"lead": "牵头单位", "co": "配合单位", "deadline": "完成时间", "indicator": "具体数值或要求",
            "definition": "定义", "overview": "相关内容", "dept": "相关任务", "general": "相关内容"}[q.intent]
    topic = q.topic.replace(" ", "") if q.topic else ""
    where = "、".join(q.regions)
    about = f"{where}" + (f"“{topic}”" if topic else "")
    return f"关于{about}的{what}" if about else f"相关{what}"


def _clause(ind: dict[str, Any], text: str) -> tuple[int, int, str]:
    """The comma clause of an indicator's sentence that holds its value (verbatim), or the sentence."""
    start, sentence = ind["start"], ind["sentence"]
    if text[start:start + len(sentence)] != sentence:
        pos = text.find(sentence)
        start = pos if pos >= 0 else start
    pieces, pos = [], 0
    for part in re.split(r"(?<=[，,；;])", sentence):
        pieces.append((start + pos, start + pos + len(part), part))
        pos += len(part)
    num = re.sub(r"\.0$", "", str(ind["value"])) if ind.get("value") is not None else ""
    for a, b, p in pieces:
        if ind["measure"] in p and num in p:
            return a, b, p.rstrip("，,；;")[:len(p)]
    for a, b, p in pieces:
        if num and num in p:
            return a, b, p.rstrip("，,；;")
    return start, start + len(sentence), sentence


def _task_fact(t: dict[str, Any], today: date) -> dict[str, Any]:
    return {"type": "task", "doc_id": t["doc_id"], "title": t["title"], "name": t.get("name"),
            "content": t.get("content"), "lead": t.get("lead") or [], "co": t.get("co") or [],
            "deadline": t.get("deadline") or "", "due": t.get("due"), "plan_year": t.get("plan_year"),
            "status": status(t.get("due"), today, t.get("deadline_kind") or "date"), "section": t.get("breadcrumb"),
            "source": t.get("source")}


def _indicator_fact(i: dict[str, Any]) -> dict[str, Any]:
    return {"type": "indicator", "doc_id": i["doc_id"], "title": i["title"], "measure": i["measure"],
            "comparator": i["comparator"], "value": i["value"], "value_max": i.get("value_max"), "unit": i["unit"],
            "value_text": i["value_text"], "target": i.get("target"), "due": i.get("due"), "sentence": i["sentence"],
            "section": i.get("breadcrumb")}


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
