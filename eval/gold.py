"""Gold question sets: loading, and locating each evidence quote in the parsed document text.

A gold file has ``docs`` (short key -> doc_id or a unique doc_id prefix; a key may also be a file
name or a unique doc_id prefix itself), optionally ``corpus`` (folders relative to the repository
root that the questions are about, used when no corpus is given) and ``questions``; each
answerable question lists evidence as ``[doc key, verbatim quote]`` pairs. Types are those of the
answer scorer (``eval.answers``) plus ``compound`` (several asks: every answer string must be
there); unanswerable items name their ``trap`` (wrong_region, neighbour_scope, …). A retrieved passage is
a hit when it comes from an evidence document and covers at least half of a quote (up to 20
characters), so a quote cut by a chunk boundary still counts on both sides; a quoted section
heading is matched by any passage of that section.

Example:
    >>> gold = load_gold("eval/gold/questions_seed.yaml")
    >>> spans = locate_evidence(gold, {doc_id: text, ...})     # raises on a quote not in the text
    >>> locate_evidence(gold, texts, strict=False)             # returns the quotes not found instead
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml


@dataclass
class Span:
    doc_id: str
    start: int
    end: int

    def covered_by(self, doc_id: str, start: int, end: int) -> bool:
        if doc_id != self.doc_id:
            return False
        overlap = min(end, self.end) - max(start, self.start)
        return overlap >= min(self.end - self.start, 40) / 2


class Passage(NamedTuple):
    """What a retriever returned, as far as scoring needs it."""
    doc_id: str
    start: int
    end: int
    breadcrumb: str = ""
    kind: str = "text"
    text: str = ""


@dataclass
class Question:
    id: str
    q: str
    type: str
    answerable: bool = True
    answer: list[str] = field(default_factory=list)
    evidence: list[tuple[str, str]] = field(default_factory=list)     # (doc key, quote)
    trap: str | None = None
    region: str | None = None
    spans: list[Span] = field(default_factory=list)
    also: list[str] = field(default_factory=list)      # units an answer may name besides ``answer`` (sources disagree)

    def hit(self, p: "Passage") -> bool:
        """A passage covering a quote; or one inside the section whose heading is quoted (bare
        headings are carried by their passages' breadcrumbs, not repeated in their text); or an
        outline that lists the quoted heading."""
        if p.doc_id not in self.doc_ids:
            return False
        if p.kind == "outline":
            return any(quote in p.text for _, quote in self.evidence)
        return any(s.covered_by(p.doc_id, p.start, p.end) for s in self.spans) or any(
            quote in p.breadcrumb for _, quote in self.evidence)

    evidence_docs: set[str] = field(default_factory=set)   # documents of the evidence, found or not

    @property
    def doc_ids(self) -> set[str]:
        return {s.doc_id for s in self.spans} | self.evidence_docs


@dataclass
class Gold:
    path: Path
    docs: dict[str, str]
    questions: list[Question]
    corpus: list[str] = field(default_factory=list)     # folders relative to the repository root

    @property
    def answerable(self) -> list[Question]:
        return [q for q in self.questions if q.answerable]

    @property
    def unanswerable(self) -> list[Question]:
        return [q for q in self.questions if not q.answerable]


def load_gold(path: str | Path) -> Gold:
    path = Path(path)
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    seen: set[str] = set()
    questions = []
    for item in data["questions"]:
        if item["id"] in seen:
            raise ValueError(f"{path}: duplicate question id {item['id']}")
        seen.add(item["id"])
        answerable = item.get("answerable", True)
        if answerable and not item.get("evidence"):
            raise ValueError(f"{path}: {item['id']} has no evidence")
        questions.append(Question(id=item["id"], q=item["q"], type=item.get("type", "unanswerable"),
                                  answerable=answerable, answer=[str(a) for a in item.get("answer", [])],
                                  evidence=[tuple(e) for e in item.get("evidence", [])], trap=item.get("trap"),
                                  region=item.get("region"), also=[str(a) for a in item.get("also", [])]))
    corpus = data.get("corpus") or []
    if isinstance(corpus, str):
        corpus = [corpus]
    return Gold(path, data.get("docs") or {}, questions, [str(c) for c in corpus])


def resolve_doc(key: str, gold: Gold, doc_ids: list[str]) -> str:
    """The doc_id a key names: through ``docs``, as a doc_id, a file name (``09_….md``) or a
    unique doc_id prefix."""
    from ingest.pipeline import doc_id_for

    ref = str(gold.docs.get(key, key))
    # as written; as a file name (extension dropped); as a name without extension that holds a dot
    for cand in dict.fromkeys((ref, doc_id_for(ref), doc_id_for(ref + ".txt"))):
        if cand in doc_ids:
            return cand
    matches = [d for d in doc_ids if d.startswith(ref)] or [d for d in doc_ids if d.startswith(doc_id_for(ref))]
    if len(matches) != 1:
        raise LookupError(f"{gold.path.name}: document {key!r} ({ref}) matches {len(matches)} documents")
    return matches[0]


def _find_loose(text: str, quote: str) -> list[tuple[int, int]]:
    """Where ``quote`` occurs in ``text`` when whitespace is ignored on both sides (start, end)."""
    pos = [i for i, ch in enumerate(text) if not ch.isspace()]
    flat, needle = "".join(text[i] for i in pos), "".join(quote.split())
    out, k = [], flat.find(needle) if needle else -1
    while k >= 0:
        out.append((pos[k], pos[k + len(needle) - 1] + 1))
        k = flat.find(needle, k + 1)
    return out


def locate_evidence(gold: Gold, texts: dict[str, str], strict: bool = True) -> list[str]:
    """Fill each answerable question's spans. A quote is looked up verbatim, then ignoring
    whitespace. ``strict``: raise when a quote (or its document) is not found; otherwise return
    those as messages (the question keeps its evidence documents, so citations still check)."""
    missing = []
    for q in gold.answerable:
        q.spans, q.evidence_docs = [], set()
        for key, quote in q.evidence:
            try:
                doc_id = resolve_doc(key, gold, list(texts))
            except LookupError as exc:
                missing.append(f"{q.id}: {exc}")
                continue
            q.evidence_docs.add(doc_id)
            text, pos = texts[doc_id], texts[doc_id].find(quote)
            found = []
            while pos >= 0:
                found.append((pos, pos + len(quote)))
                pos = text.find(quote, pos + 1)
            found = found or _find_loose(text, quote)
            if not found:
                missing.append(f"{q.id}: {quote[:40]}")
            q.spans += [Span(doc_id, a, b) for a, b in found]
    if missing and strict:
        raise ValueError("evidence quotes not found verbatim:\n  " + "\n  ".join(missing))
    return missing
