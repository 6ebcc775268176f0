"""One reader per kind of ask, all with the same signature::

    read(ask: Query, ev: Evidence, cands: list[Candidate], ctx: AnswerContext) -> list[Reading]

A ``Reading`` is one scored candidate answer: ``score`` in about [0, 1.5], ``render(cites)`` writes
its Chinese text with citation markers (only when chosen, so a rejected reading cites nothing),
``facts`` the structured facts it used, ``slot`` the asked item as written, ``quote_doc`` the
document it comes from. The verify stage keeps the best reading above its kind's threshold, or
refuses.

| ask | module |
|---|---|
| who leads / who cooperates | ``who`` |
| when (deadline) | ``when`` |
| how much (indicator, threshold, amount) | ``amount`` |
| what a department owes | ``dept`` |
| what a plan or section contains | ``overview`` |
| definition and any other fact | ``passage`` |
| a document's own date, 文号, issuer | ``document`` (beside any of the above) |
| a notice's labelled fields (时间, 地点, 承办单位, 联系人 …) | ``fields`` (beside any of the above) |

Example:
    >>> from assistant.readers import READERS
    >>> readings = READERS["lead"](ask, evidence, candidates, ctx)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from ..read import ReadContext


@dataclass
class Reading:
    score: float
    render: Callable[[Any], str | None]
    kind: str                                   # task | indicator | duty | passage | dept | overview
    facts: list[dict[str, Any]] = field(default_factory=list)
    slot: str = ""
    doc_id: str = ""
    quote: str = ""
    own: float = 1.0                            # topic coverage of the quoted sentence (passages)
    where: str = ""                             # the quote's section path and document title (passages)
    boost: float = 0.0                          # of ``score``, what only ranks (verify's threshold leaves it out)


@dataclass
class AnswerContext(ReadContext):
    facts: Any = None                           # kb.facts.FactStore
    directory: Any = None                       # facts_match.Directory
    today: date = field(default_factory=date.today)
    primary: set[str] = field(default_factory=set)
    about: list[str] = field(default_factory=list)  # documents earlier asks of the question were answered from


from . import amount, dept, overview, passage, when, who  # noqa: E402

READERS: dict[str, Callable[..., list[Reading]]] = {
    "lead": who.read, "co": who.read, "deadline": when.read, "indicator": amount.read,
    "dept": dept.read, "overview": overview.read, "definition": passage.read, "general": passage.read,
}

__all__ = ["AnswerContext", "READERS", "Reading"]
