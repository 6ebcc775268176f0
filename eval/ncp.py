"""External development set: questions written by other people about documents nobody here tuned
for (``../shared/ncp-dev``: the DataFountain 2020 疫情政务问答助手 data, 282 one-line web articles
``docs/<docid>.txt`` and 601 questions ``qa.jsonl`` with ``id, question, answer, docid``, the answer
a span of the document). Read from ``../shared`` only; nothing of it is copied into the repository.

Per question, on the answer text with its sources / 参考 block and citation markers removed
(``answer_text``), after NFKC and whitespace removal (``normalise``):

- **hit**: not refused, and the character LCS of answer and gold span is >= 80 % of the gold span;
- **ROUGE-L F1**: character LCS against both lengths (0 for a refusal);
- **gold document cited**: a citation's document is the gold docid, or any document whose
  normalised text holds the normalised gold span (about a fifth of the spans are reposted);
- **refused**;
- diagnostics: **span in answer** (the whole gold span, contiguous) and the answer's length, since
  an LCS hit also rewards long answers that scatter the gold characters.

The naive LangChain pipeline (``eval.baseline``) answers with its top passage beside it. Questions
are split by a hash of their docid into ``fit`` (about half) and ``check``, so that numbers can be
fitted on one half and reported on the other; a document's questions stay on one side.

    policykb eval --ncp ../shared/ncp-dev --kb /work/kbs/ncp [--split fit|check|all] [--limit N] [--dump FILE]

Example:
    >>> ds = load_ncp("../shared/ncp-dev")
    >>> q = ds.questions[0]
    >>> s = score(q, "按照不超过实际缴纳场租费用50%的标准给予支持[1]", refused=False, cited_docs=[q.docid])
    >>> s.hit, round(s.rouge, 2), s.cited
"""
from __future__ import annotations

import hashlib
import json
import re
import statistics
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from rapidfuzz.distance import LCSseq

HIT_THRESHOLD = 0.8
SPLITS = ("fit", "check")

_WS = re.compile(r"\s+")
_MARKER = re.compile(r"\[\d+\]")
# where the sources / references part of an answer starts: 来源：… / 参考（以下…）/ 参考1. … / 出处
_TAIL = re.compile(r"^\s*(?:来源|参考|出处|引用)(?:[（(：:\d\s]|$)", re.M)


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits as ASCII) and no whitespace at all (NFKC again after the
    whitespace is gone, so that a combining mark freed from a space composes: idempotent)."""
    return unicodedata.normalize("NFKC", _WS.sub("", unicodedata.normalize("NFKC", text)))


def answer_text(answer: str) -> str:
    """The answer proper: everything before its sources or 参考 block, without [n] markers."""
    m = _TAIL.search(answer)
    text, n = answer[:m.start()] if m else answer, 1
    while n:                                       # "[[1]2]" leaves "[2]" after one pass
        text, n = _MARKER.subn("", text)
    return text.strip()


def lcs(a: str, b: str) -> int:
    """Length of the longest common character subsequence."""
    return int(LCSseq.similarity(a, b)) if a and b else 0


def rouge_l(answer: str, gold: str) -> float:
    """ROUGE-L F1 over characters (both already normalised)."""
    n = lcs(answer, gold)
    if not n:
        return 0.0
    p, r = n / len(answer), n / len(gold)
    return 2 * p * r / (p + r)


def split_of(docid: str) -> str:
    """``fit`` or ``check``, fixed by the docid (sha256, lowest bit), about half each."""
    return SPLITS[int(hashlib.sha256(docid.encode("utf-8")).hexdigest(), 16) % 2]


@dataclass(frozen=True)
class NcpQuestion:
    id: str
    question: str
    answer: str                  # the gold span, as written
    docid: str
    split: str
    gold_docs: frozenset[str]    # docid and every document that holds the span


@dataclass
class NcpSet:
    root: Path
    docs: dict[str, str]         # docid -> text
    questions: list[NcpQuestion]

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    def select(self, split: str = "all", limit: int | None = None) -> list[NcpQuestion]:
        if split not in ("all", *SPLITS):
            raise ValueError(f"split must be all, fit or check, not {split!r}")
        qs = [q for q in self.questions if split == "all" or q.split == split]
        return qs[:limit] if limit else qs


def load_ncp(root: str | Path) -> NcpSet:
    """Read ``docs/*.txt`` and ``qa.jsonl``; each question gets its split and its gold documents."""
    root = Path(root)
    if not (root / "qa.jsonl").is_file() or not (root / "docs").is_dir():
        raise FileNotFoundError(f"{root}: expected qa.jsonl and docs/ (the ncp-dev set)")
    docs = {p.stem: p.read_text(encoding="utf-8") for p in sorted((root / "docs").glob("*.txt"))}
    norm = {d: normalise(t) for d, t in docs.items()}
    questions = []
    for line_no, line in enumerate((root / "qa.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        missing = {"id", "question", "answer", "docid"} - set(item)
        if missing:
            raise ValueError(f"{root}/qa.jsonl:{line_no}: missing {sorted(missing)}")
        gold = normalise(item["answer"])
        if not gold:
            raise ValueError(f"{root}/qa.jsonl:{line_no}: empty answer")
        holders = {d for d, t in norm.items() if gold in t}
        questions.append(NcpQuestion(item["id"], item["question"], item["answer"], item["docid"],
                                     split_of(item["docid"]), frozenset(holders | {item["docid"]})))
    return NcpSet(root, docs, questions)


@dataclass
class NcpScore:
    q: NcpQuestion
    answer: str                      # the answer proper (answer_text), not the raw message
    refused: bool
    cited_docs: list[str]
    hit: bool = False
    rouge: float = 0.0
    cited: bool = False
    span_in_answer: bool = False
    lcs_recall: float = 0.0
    ms: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"id": self.q.id, "split": self.q.split, "question": self.q.question, "gold": self.q.answer,
                "answer": self.answer, "refused": self.refused, "hit": self.hit, "rouge": round(self.rouge, 4),
                "lcs_recall": round(self.lcs_recall, 4), "span_in_answer": self.span_in_answer,
                "cited": self.cited, "cited_docs": self.cited_docs, "gold_docid": self.q.docid,
                "gold_docs": sorted(self.q.gold_docs), "ms": round(self.ms, 1)}


def score(q: NcpQuestion, answer: str, refused: bool, cited_docs: Iterable[str], ms: float = 0.0) -> NcpScore:
    """Score one answer (the raw answer text: its sources block is removed here)."""
    text = answer_text(answer)
    cited = list(dict.fromkeys(cited_docs))
    s = NcpScore(q, text, refused, cited, ms=ms, cited=bool(set(cited) & q.gold_docs))
    if refused:
        return s
    a, g = normalise(text), normalise(q.answer)
    s.lcs_recall = lcs(a, g) / len(g)
    s.hit = s.lcs_recall >= HIT_THRESHOLD
    s.rouge = rouge_l(a, g)
    s.span_in_answer = g in a
    return s


@dataclass
class NcpResult:
    name: str
    items: list[NcpScore] = field(default_factory=list)

    def subset(self, split: str) -> list[NcpScore]:
        return [s for s in self.items if split == "all" or s.q.split == split]

    def means(self, split: str = "all") -> dict[str, float]:
        xs = self.subset(split)
        if not xs:
            return {"n": 0}
        from . import percentile

        ms = [s.ms for s in xs]
        return {"n": len(xs), "hit": _mean(s.hit for s in xs), "rouge": _mean(s.rouge for s in xs),
                "cited": _mean(s.cited for s in xs), "refused": _mean(s.refused for s in xs),
                "span": _mean(s.span_in_answer for s in xs),
                "chars": statistics.fmean(len(normalise(s.answer)) for s in xs if not s.refused)
                if any(not s.refused for s in xs) else 0.0,
                "p50": percentile(ms, 50), "p95": percentile(ms, 95)}


def _mean(xs: Iterable[float]) -> float:
    xs = list(xs)
    return sum(xs) / len(xs) if xs else 0.0


def run_policykb(assistant, questions: list[NcpQuestion], to_docid: dict[str, str] | None = None,
                 name: str = "policykb", progress: Callable[[int, int], None] | None = None) -> NcpResult:
    """Ask each question (no history, extractive unless an LLM is configured); ``to_docid`` maps the
    KB's doc_id to the set's docid (the file stem; identity by default); ``progress(done, total)``
    is called after each question."""
    res = NcpResult(name)
    to_docid = to_docid or {}
    for i, q in enumerate(questions, 1):
        if progress:
            progress(i - 1, len(questions))
        t = time.perf_counter()
        a = assistant.ask(q.question)
        ms = (time.perf_counter() - t) * 1000
        res.items.append(score(q, a.answer, a.refused, [to_docid.get(c.doc_id, c.doc_id) for c in a.citations], ms))
    return res


def run_baseline(baseline, questions: list[NcpQuestion], to_docid: dict[str, str] | None = None) -> NcpResult:
    """The naive pipeline's answer is its top passage, whole; it never refuses."""
    res = NcpResult("naive baseline (top passage)")
    to_docid = to_docid or {}
    for q in questions:
        t = time.perf_counter()
        top = baseline.search(q.question, k=1)
        ms = (time.perf_counter() - t) * 1000
        if not top:
            res.items.append(score(q, "", True, [], ms))
            continue
        doc_id, _, _, text = top[0]
        res.items.append(score(q, text, False, [to_docid.get(doc_id, doc_id)], ms))
    return res


def write_dump(path: str | Path, result: NcpResult, baseline: NcpResult | None = None) -> None:
    """One JSON line per question; with the baseline beside it as ``baseline_*`` fields."""
    base = {s.q.id: s for s in baseline.items} if baseline else {}
    with open(path, "w", encoding="utf-8") as f:
        for s in result.items:
            row = s.to_json()
            b = base.get(s.q.id)
            if b:
                row |= {"baseline_hit": b.hit, "baseline_rouge": round(b.rouge, 4), "baseline_cited": b.cited}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


_COLUMNS = [("hit", "hit"), ("rouge", "ROUGE-L F1"), ("cited", "gold doc cited"), ("refused", "refused"),
            ("span", "span in answer"), ("chars", "answer chars"), ("p50", "p50 ms"), ("p95", "p95 ms")]


def render(results: list[NcpResult], info: dict[str, Any], splits: Iterable[str]) -> str:
    lines = ["# External dev set: ncp-dev (DataFountain 2020 疫情政务问答助手)", "",
             f"Run {info['date']}: {info['documents']} documents, {info['questions']} questions asked "
             f"(split: {info['split']}{', limit ' + str(info['limit']) if info.get('limit') else ''}). "
             f"Embedder `{info['embedding']}`; mode {info['mode']}; code {info['commit']}.", "",
             "hit: not refused and LCS(answer, gold) >= 80 % of the gold span; ROUGE-L F1 on characters "
             "(0 when refused); gold doc cited: a citation names the gold document or one holding the span; "
             "span in answer: the whole gold span appears contiguously. Answers are read without their "
             "sources / 参考 block and [n] markers, after NFKC and whitespace removal.", ""]
    for split in splits:
        m0 = results[0].means(split)
        if not m0.get("n"):
            continue
        lines += [f"## Split `{split}` ({m0['n']} questions)", "",
                  "| system | " + " | ".join(c for _, c in _COLUMNS) + " |", "|---|" + "---|" * len(_COLUMNS)]
        for r in results:
            m = r.means(split)
            cells = [f"{m[k]:.3f}" if k not in ("chars", "p50", "p95") else f"{m[k]:.0f}" if k == "chars"
                     else f"{m[k]:.1f}" for k, _ in _COLUMNS]
            lines.append(f"| {r.name} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["Acceptance targets of issue 13 for the check split: hit >= 0.70, gold doc cited >= 0.90, "
              "refused <= 0.05, ROUGE-L F1 >= 0.45."]
    return "\n".join(lines) + "\n"


def build_kb_docs(kb, ds: NcpSet) -> dict[str, str]:
    """Ingest the set's documents into ``kb`` (incremental) and map the KB's doc_id to the docid."""
    import sys

    for r in kb.ingest([ds.docs_dir]):
        if r.status == "error":
            print(f"导入失败：{r.message}", file=sys.stderr)
    return {d["doc_id"]: Path(d["path"]).stem for d in kb.registry.all(parsed=False)
            if d["status"] == "ready" and Path(d["path"]).stem in ds.docs}


def main(args) -> int:
    """``policykb eval --ncp DIR``: see the module docstring; ``args`` from ``eval.__main__``."""
    import datetime as dt
    import subprocess
    import sys
    import tempfile

    from assistant import Assistant
    from kb import KnowledgeBase, Settings

    ds = load_ncp(args.ncp)
    questions = ds.select(args.split, args.limit)
    kb_dir = Path(args.kb) if args.kb else Path(tempfile.mkdtemp(prefix="policykb-ncp-"))
    kb = KnowledgeBase(Settings(kb_dir=kb_dir))
    t = time.perf_counter()
    to_docid = build_kb_docs(kb, ds)
    print(f"knowledge base {kb_dir}: {len(to_docid)} ncp documents ready in {time.perf_counter() - t:.1f} s",
          file=sys.stderr)
    counts = {s: sum(q.split == s for q in questions) for s in SPLITS}
    print(f"split {args.split}: {len(questions)} questions (fit {counts['fit']}, check {counts['check']})",
          file=sys.stderr)

    bot = Assistant(kb=kb)
    bot.ask(questions[0].question)                              # warm-up: models, caches
    def progress(done: int, total: int) -> None:
        if done and done % 100 == 0:
            print(f"  {done}/{total} questions asked", file=sys.stderr, flush=True)

    results = [run_policykb(bot, questions, to_docid, progress=progress)]
    if not args.no_baseline:
        from .baseline import NaiveBaseline

        ids = {d: k for k, d in to_docid.items()}
        texts = {d: kb.registry.get(k)["parsed"]["text"] for d, k in ids.items()}
        cache = None if args.baseline_cache == "none" else Path(args.baseline_cache or kb_dir / "baseline")
        baseline = NaiveBaseline(kb.embeddings).build(texts, cache_dir=cache, embedder=kb.registry.info("embedding") or "")
        print(f"baseline: {baseline.n_chunks} chunks {'reused' if baseline.reused else 'indexed'} in "
              f"{baseline.build_s:.1f} s", file=sys.stderr)
        results.append(run_baseline(baseline, questions))
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=Path(__file__).parent).stdout.strip() or "?"
    except OSError:
        commit = "?"
    info = {"date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "documents": len(to_docid),
            "questions": len(questions), "split": args.split, "limit": args.limit,
            "embedding": kb.registry.info("embedding"), "commit": commit,
            "mode": "LLM" if bot.settings.llm_enabled else "extractive"}
    splits = ["fit", "check", "all"] if args.split == "all" else [args.split]
    text = render(results, info, splits)
    print(text)
    if args.dump:
        write_dump(args.dump, results[0], results[1] if len(results) > 1 else None)
        print(f"per-question results written to {args.dump}", file=sys.stderr)
    report = Path(args.report) if args.report else Path(__file__).parent / "reports" / "ncp_dev.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text, encoding="utf-8")
    print(f"report written to {report}", file=sys.stderr)
    return 0
