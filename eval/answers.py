"""Answer quality: the assistant's answers (extractive or LLM) on a gold set, beside the naive
pipeline answering with its top passage.

Per answerable question:
- **correct**: not refused, every expected string (unit, value, date …; for a ``compound``
  question one per ask) is in the answer, and for who-questions no unit outside the expected ones (or the item's ``also``) is named in the asked
  role ("牵头单位：…" / "配合单位：…");
- **citations valid**: at least one citation, every quote verbatim in its document, and every cited
  document one of the evidence documents.
Over the unanswerable questions: refusal recall; over all: refusal precision and the share of
answerable questions refused (false refusals); refusal recall per trap kind (wrong_region,
neighbour_scope, …). ``write_dump`` writes one JSON line per question.

Example:
    >>> res = evaluate_answers(Assistant(settings, kb=kb), gold, baseline)
    >>> res["policykb"].correctness()
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from ingest.units import LABELLED_LIST, is_alias, unit_kind

from .gold import Gold, Question

_WS = re.compile(r"\s+")
_QUOTES = re.compile(r"[\s“”\"‘’'「」]")
# a role's list runs to the next role label ("（牵头单位：A，配合单位：B）" quoted from a task note) or its end
_ROLE = {"lead": re.compile(r"牵头单位：" + LABELLED_LIST), "co": re.compile(r"配合单位：" + LABELLED_LIST)}


@dataclass
class Scored:
    q: Question
    answer: str
    refused: bool
    correct: bool = False
    citations_ok: bool | None = None
    wrong_units: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    ms: float = 0.0
    citations: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.q.id, "type": self.q.type, "trap": self.q.trap, "q": self.q.q,
                "answerable": self.q.answerable, "expected": self.q.answer, "answer": self.answer,
                "refused": self.refused, "correct": self.correct if self.q.answerable else self.refused,
                "missing": self.missing, "wrong_units": self.wrong_units, "citations_ok": self.citations_ok,
                "citations": [{k: c.get(k) for k in ("n", "doc_id", "section", "quote") if k in c}
                              for c in self.citations], "ms": round(self.ms, 1)}


@dataclass
class AnswerResult:
    name: str
    items: list[Scored]

    def _answerable(self, qtype: str | None = None) -> list[Scored]:
        return [s for s in self.items if s.q.answerable and (qtype is None or s.q.type == qtype)]

    def correctness(self, qtype: str | None = None) -> float:
        xs = self._answerable(qtype)
        return sum(s.correct for s in xs) / len(xs) if xs else 0.0

    def citation_validity(self) -> float:
        xs = [s for s in self._answerable() if not s.refused]
        return sum(bool(s.citations_ok) for s in xs) / len(xs) if xs else 0.0

    def refusal_recall(self) -> float:
        xs = [s for s in self.items if not s.q.answerable]
        return sum(s.refused for s in xs) / len(xs) if xs else 0.0

    def refusal_precision(self) -> float:
        xs = [s for s in self.items if s.refused]
        return sum(not s.q.answerable for s in xs) / len(xs) if xs else 0.0

    def false_refusals(self) -> float:
        xs = self._answerable()
        return sum(s.refused for s in xs) / len(xs) if xs else 0.0

    def latency(self, q: float) -> float:
        from . import percentile

        return percentile([s.ms for s in self.items], q)

    def traps(self) -> dict[str, tuple[int, int]]:
        """Trap kind -> (refused, n) over the unanswerable questions."""
        out: dict[str, tuple[int, int]] = {}
        for s in self.items:
            if not s.q.answerable:
                r, n = out.get(s.q.trap or "other", (0, 0))
                out[s.q.trap or "other"] = (r + s.refused, n + 1)
        return out

    def types(self) -> list[str]:
        return list(dict.fromkeys(s.q.type for s in self._answerable()))


def _norm(s: str) -> str:
    """Whitespace and quotation marks do not matter: 氧吧元素 matches “氧吧”元素."""
    return _QUOTES.sub("", s)


def _same_unit(a: str, b: str) -> bool:
    return a == b or is_alias(a, b) or is_alias(b, a)


def score(q: Question, answer: str, refused: bool, citations: list[dict[str, Any]] | None,
          verify: Callable[[dict[str, Any]], bool] | None, ms: float = 0.0) -> Scored:
    s = Scored(q, answer, refused, ms=ms, citations=list(citations or []))
    if not q.answerable or refused:
        return s
    text = _norm(answer)
    s.missing = [a for a in q.answer if _norm(a) not in text]
    if q.type in _ROLE:
        ok = q.answer + q.also
        for seg in _ROLE[q.type].findall(answer):
            for unit in filter(None, re.split(r"[、，,]", seg)):
                # 各镇街, 相关单位, "各街镇、开发区" (one collective unit split at 、): not a department
                if unit == "未列明" or unit_kind(unit) == "collective" or unit in ("开发区", "经开区", "园区"):
                    continue
                if not any(_same_unit(unit, e) for e in ok):
                    s.wrong_units.append(unit)
    s.correct = not s.missing and not s.wrong_units
    if citations is not None:
        docs = q.doc_ids
        s.citations_ok = bool(citations) and all(c["doc_id"] in docs and (verify is None or verify(c))
                                                 for c in citations)
    return s


def run_assistant(name: str, assistant, gold: Gold) -> AnswerResult:
    items = []
    for q in gold.questions:
        t = time.perf_counter()
        a = assistant.ask(q.q)
        ms = (time.perf_counter() - t) * 1000
        cites = [c.to_json() | {"start": c.start, "end": c.end} for c in a.citations]
        items.append(score(q, a.answer, a.refused, cites, lambda c: _verbatim(assistant, c), ms))
    return AnswerResult(name, items)


def _verbatim(assistant, c: dict[str, Any]) -> bool:
    return bool(c["quote"]) and c["quote"] in assistant.docs.text(c["doc_id"])


def run_baseline(baseline, gold: Gold, texts: dict[str, str]) -> AnswerResult:
    """The naive pipeline's answer is its top passage, quoted whole; it never refuses."""
    items = []
    for q in gold.questions:
        t = time.perf_counter()
        top = baseline.search(q.q, k=1)
        ms = (time.perf_counter() - t) * 1000
        if not top:
            items.append(score(q, "", True, [], None, ms))
            continue
        doc_id, start, end, text = top[0]
        cite = {"doc_id": doc_id, "quote": text}
        items.append(score(q, text, False, [cite], lambda c: c["quote"] in texts.get(c["doc_id"], ""), ms))
    return AnswerResult("naive baseline (top passage)", items)


def evaluate_answers(assistant, gold: Gold, baseline=None) -> dict[str, AnswerResult]:
    out = {"policykb": run_assistant("policykb", assistant, gold)}
    if baseline is not None:
        texts = {d: assistant.docs.text(d) for d in assistant.kb.registry.ready_hashes()}
        out["baseline"] = run_baseline(baseline, gold, texts)
    return out


def write_dump(path, result: AnswerResult) -> None:
    """One JSON line per question: q, expected, answer, refused, correct, missing, citations …
    (for an unanswerable question ``correct`` means refused)."""
    import json

    with open(path, "w", encoding="utf-8") as f:
        for s in result.items:
            f.write(json.dumps(s.to_json(), ensure_ascii=False) + "\n")


def render_answers(results: dict[str, AnswerResult], verbose: bool = False) -> str:
    names = list(results)
    lines = ["## Answers", "",
             "| system | correct (answerable) | citation validity | refusal recall | refusal precision | false refusals "
             "| p50 ms | p95 ms |", "|---|---|---|---|---|---|---|---|"]
    for n in names:
        r = results[n]
        lines.append(f"| {r.name} | {r.correctness():.3f} | {r.citation_validity():.3f} | {r.refusal_recall():.3f} | "
                     f"{r.refusal_precision():.3f} | {r.false_refusals():.3f} | {r.latency(50):.1f} | {r.latency(95):.1f} |")
    lines += ["", "Correctness by question type:", "",
              "| type | n | " + " | ".join(results[n].name for n in names) + " |",
              "|---|---|" + "---|" * len(names)]
    first = results[names[0]]
    for t in first.types():
        lines.append(f"| {t} | {len(first._answerable(t))} | "
                     + " | ".join(f"{results[n].correctness(t):.3f}" for n in names) + " |")
    traps = first.traps()
    if traps:
        lines += ["", "Refusals by trap kind (unanswerable questions refused):", "",
                  "| trap | n | " + " | ".join(results[n].name for n in names) + " |",
                  "|---|---|" + "---|" * len(names)]
        for t, (_, total) in traps.items():
            lines.append(f"| {t} | {total} | " + " | ".join(
                f"{results[n].traps().get(t, (0, 0))[0]}/{total}" for n in names) + " |")
    if verbose:
        for n in names:
            r = results[n]
            bad = [s for s in r.items if (s.q.answerable and not s.correct) or (not s.q.answerable and not s.refused)
                   or (s.q.answerable and not s.refused and s.citations_ok is False)]
            lines += ["", f"### {r.name}: {len(bad)} to look at", ""]
            for s in bad:
                why = ("refused" if s.refused else f"missing {s.missing}" if s.missing else
                       f"wrong units {s.wrong_units}" if s.wrong_units else
                       "not refused" if not s.q.answerable else "citations")
                lines.append(f"- {s.q.id} [{s.q.type}] {s.q.q} — {why}: {_WS.sub(' ', s.answer)[:160]}")
    return "\n".join(lines)

