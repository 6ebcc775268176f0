"""Version and status signals in a document's own text: draft marks, repeal clauses, revisions.

What a document says about itself and about other documents:

- its **draft status**: 征求意见稿 (also 草案, 讨论稿) or 送审稿 in the title or the first lines,
  otherwise 正式;
- the measures it **repeals**: "《浙江省信息化促进条例》同时废止", "原《…》（…〔2016〕82号）废止",
  "《…》（国办发〔2016〕82号）停止执行", "废止《…》", "《甲》、《乙》同时废止";
- the measures it **revises**: "现公布修订后的《…》", "《…》（修订）", "对《…》进行修订".

Whether another document in the knowledge base *is* one of those measures is decided in
``kb.versions``, which links titles and 文号 across documents; this module only reads one text.

Example:
    >>> d = detect("第六十二条　本条例自2021年3月1日起施行。《浙江省信息化促进条例》同时废止。", title="浙江省数字经济促进条例")
    >>> d.status, [(r.title, r.verb) for r in d.repeals]
    ('正式', [('浙江省信息化促进条例', '同时废止')])

Run over a folder (what it finds in each file, and the counts):

    $ python -m eval.versions_scan ../shared/other-corpus-2      # what detection finds in a folder
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

DRAFT = "征求意见稿"
REVIEW = "送审稿"
FINAL = "正式"
REPEALED = "已废止"
SUPERSEDED = "已被替代"
STATUSES = (DRAFT, REVIEW, FINAL, REPEALED, SUPERSEDED)
# words in a title or the opening lines that mark a draft, and the status they mean
_DRAFT_WORDS = {"征求意见稿": DRAFT, "公开征求意见": DRAFT, "草案": DRAFT, "讨论稿": DRAFT, "送审稿": REVIEW}

_TITLE = r"《(?P<t{n}>[^《》\n]{{2,80}})》(?:[（(](?P<n{n}>[^（()）\n]{{0,30}}?(?:〔|\[|［|\(|（)\d{{4}}(?:〕|\]|］|\)|）)[^（()）\n]{{0,12}}?号)[）)])?"
_TITLES = rf"{_TITLE.format(n=0)}(?:[、，和及与]{_TITLE.format(n=1)})?(?:[、，和及与]{_TITLE.format(n=2)})?(?:[、，和及与]{_TITLE.format(n=3)})?"
_REPEAL_VERB = r"(?:同时|予以|一并|即行|自行)?(?:废止|停止执行|不再执行|同时失效)"
# "《甲》（文号）、《乙》同时废止" / "原《甲》废止" / "自…起，《甲》（…号）停止执行": the measure is the
# subject of the verb — nothing but a 文号 bracket and 同时/予以/一并 between them, never a clause
# ("承租人违反《…办法》有关规定的，资格自动失效" and "对不符合《…》要求的项目，一律停止执行优惠政策" cite, not repeal)
_REPEAL_AFTER = re.compile(rf"(?P<orig>原)?{_TITLES}(?:[^，,。；\n《》]{{0,4}}?)(?P<verb>{_REPEAL_VERB})(?=[。；，,\n]|$)")
# "废止《甲》" / "决定废止《甲》和《乙》"
_REPEAL_BEFORE = re.compile(rf"(?P<verb>废止){_TITLES}")
# revision of an earlier text: "现公布修订后的《…》", "《…》（2018年修订）", "对《…》进行了修订"
_REVISE = re.compile(rf"(?:修订后的{_TITLE.format(n=0)})|(?:{_TITLE.format(n=1)}[（(][^（）()\n]{{0,12}}修订[）)])|"
                     rf"(?:对{_TITLE.format(n=2)}(?:进行|作)了?(?:修订|修改))")
# a repeal stated as a condition or a question is not one
_NOT_REPEAL = re.compile(r"(?:是否|如何|拟|建议|申请|研究)(?:[^。；\n]{0,6})$")
_SENT_END = re.compile(r"[。；！？\n]")


@dataclass(frozen=True)
class Repeal:
    """One measure a text repeals (or revises), as written: its title, 文号 and the sentence."""

    title: str
    doc_number: str = ""
    verb: str = ""                  # 同时废止 / 废止 / 停止执行 / 修订
    sentence: str = ""
    start: int = 0
    end: int = 0


@dataclass
class Detection:
    status: str = FINAL
    status_basis: str = ""          # the word that decided the status, e.g. "征求意见稿"
    repeals: list[Repeal] = field(default_factory=list)
    revises: list[Repeal] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def draft_status(title: str, head: str = "") -> tuple[str, str]:
    """(status, the word that decided it): a draft mark in the title or the opening, else 正式."""
    for blob in (title or "", head or ""):
        for word, status in _DRAFT_WORDS.items():
            if word in blob:
                return status, word
    return FINAL, ""


def _sentence(text: str, start: int, end: int) -> tuple[str, int, int]:
    a = start
    while a > 0 and not _SENT_END.match(text[a - 1]):
        a -= 1
    b = end
    while b < len(text) and not _SENT_END.match(text[b]):
        b += 1
    b = min(len(text), b + 1)
    if text[a:a + 1] == "《" and a > 0 and text[a - 1] == "。":
        # "本条例自2021年3月1日起施行。《…》同时废止。": the clause of the same line that dates it
        p = a - 1
        while p > 0 and not _SENT_END.match(text[p - 1]):
            p -= 1
        if "施行" in text[p:a]:
            a = p
    s = text[a:b].strip()
    return s, a + (len(text[a:b]) - len(text[a:b].lstrip())), b


def _titles(m: re.Match) -> list[tuple[str, str]]:
    out = []
    for i in range(4):
        t = m.groupdict().get(f"t{i}")
        if t:
            out.append((t.strip(), (m.groupdict().get(f"n{i}") or "").strip()))
    return out


def find_repeals(text: str, own_title: str = "") -> list[Repeal]:
    """Every measure ``text`` repeals, in order, without duplicates; a title equal to ``own_title`` is
    the document itself ("本办法自…起施行" never repeals itself)."""
    out: list[Repeal] = []
    seen: set[str] = set()
    for rx in (_REPEAL_AFTER, _REPEAL_BEFORE):
        for m in rx.finditer(text):
            if _NOT_REPEAL.search(text[max(0, m.start() - 12):m.start()]):
                continue
            sentence, a, b = _sentence(text, m.start(), m.end())
            for title, number in _titles(m):
                if title in seen or (own_title and title == own_title):
                    continue
                seen.add(title)
                out.append(Repeal(title, number, m.group("verb"), sentence, a, b))
    return sorted(out, key=lambda r: r.start)


def find_revisions(text: str, own_title: str = "") -> list[Repeal]:
    """Measures ``text`` is a revision of (same measure, earlier text): "现公布修订后的《…》"."""
    out: list[Repeal] = []
    seen: set[str] = set()
    for m in _REVISE.finditer(text):
        title = next(t for t in (m.group("t0"), m.group("t1"), m.group("t2")) if t)
        if title in seen:
            continue
        seen.add(title)
        sentence, a, b = _sentence(text, m.start(), m.end())
        out.append(Repeal(title.strip(), "", "修订", sentence, a, b))
    return out


def detect(text: str, title: str = "", head_chars: int = 300) -> Detection:
    """The draft status and the repeal/revision clauses of one document."""
    status, basis = draft_status(title, (text or "")[:head_chars])
    return Detection(status, basis, find_repeals(text or "", title), find_revisions(text or "", title))
