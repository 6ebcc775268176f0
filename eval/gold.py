"""Gold question sets: loading, and locating each evidence quote in the parsed document text.

A gold file has ``docs`` (short key -> doc_id or a unique doc_id prefix) and ``questions``; each
answerable question lists evidence as ``[doc key, verbatim quote]`` pairs. A retrieved passage is
a hit when it comes from an evidence document and covers at least half of a quote (up to 20
characters), so a quote cut by a chunk boundary still counts on both sides; a quoted section
heading is matched by any passage of that section.

Example:
    >>> gold = load_gold("eval/gold/questions_seed.yaml")
    >>> spans = locate_evidence(gold, {doc_id: text, ...})     # raises on a quote not in the text
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

    @property
    def doc_ids(self) -> set[str]:
        return {s.doc_id for s in self.spans}


@dataclass
class Gold:
    path: Path
    docs: dict[str, str]
    questions: list[Question]

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
    return Gold(path, data.get("docs", {}), questions)


def resolve_doc(key: str, gold: Gold, doc_ids: list[str]) -> str:
    ref = gold.docs.get(key, key)
    if ref in doc_ids:
        return ref
    matches = [d for d in doc_ids if d.startswith(ref)]
    if len(matches) != 1:
        raise LookupError(f"{gold.path.name}: document {key!r} ({ref}) matches {len(matches)} documents")
    return matches[0]


def locate_evidence(gold: Gold, texts: dict[str, str]) -> None:
    """Fill each answerable question's spans; every quote must occur in its document's text."""
    missing = []
    for q in gold.answerable:
        q.spans = []
        for key, quote in q.evidence:
            doc_id = resolve_doc(key, gold, list(texts))
            text, pos = texts[doc_id], texts[doc_id].find(quote)
            if pos < 0:
                missing.append(f"{q.id}: {quote[:40]}")
            while pos >= 0:
                q.spans.append(Span(doc_id, pos, pos + len(quote)))
                pos = text.find(quote, pos + 1)
    if missing:
        raise ValueError("evidence quotes not found verbatim:\n  " + "\n  ".join(missing))
