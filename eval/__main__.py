"""``python -m eval`` / ``policykb eval``: retrieval and answer quality of policykb beside a naive
LangChain baseline, per question type, with latency and index size; writes a Markdown report.

    python -m eval                                  # corpus/ into a fresh temporary KB
    python -m eval --kb data --gold eval/gold/questions_seed.yaml --report eval/reports/retrieval_seed.md
    python -m eval --corpus corpus ../shared/other-corpus --gold eval/gold/questions_other.yaml
    python -m eval --kb /work/kbs/all85 --gold eval/gold/SET.yaml --dump /tmp/set.jsonl   # corpus: from the file
    python -m eval --ncp ../shared/ncp-dev --kb /work/kbs/ncp [--split fit|check|all] [--limit N] [--dump F]

The KB is ingested from ``--corpus`` first (incremental, so a KB that already holds it is reused);
without ``--corpus`` from the gold file's ``corpus:`` list (folders relative to the repository
root), else from ``corpus/``. ``--ncp`` runs the external dev set instead (``eval.ncp``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent

# policykb with one part changed, to show what each part is worth (same KB, same run)
ABLATIONS = {
    "BM25 only": {"weight_dense": 0.0},
    "dense only": {"weight_bm25": 0.0},
    "RRF fusion (c=60, equal weights)": {"fusion": "rrf", "weight_dense": 1.0},
    "weighted, equal weights": {"weight_dense": 1.0},
    "no answer-type priors": {"answer_type_bonus": 0.0},
}



def main(argv: list[str] | None = None) -> int:
    from kb import KnowledgeBase, Settings

    from . import dir_size
    from .baseline import NaiveBaseline
    from .gold import load_gold, locate_evidence
    from .report import render
    from .retrieval import evaluate

    ap = argparse.ArgumentParser(prog="policykb eval", description=__doc__.splitlines()[0])
    ap.add_argument("--kb", help="knowledge-base directory (default: a new temporary one)")
    ap.add_argument("--corpus", nargs="+", help="folders or files to ingest first (default: the gold file's "
                                                "corpus: list, else corpus/)")
    ap.add_argument("--gold", default=str(ROOT / "eval/gold/questions_seed.yaml"))
    ap.add_argument("--report", help="Markdown report path (default: eval/reports/retrieval_<gold>.md)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the naive LangChain baseline")
    ap.add_argument("--ablation", action="store_true",
                    help="also run policykb with parts switched off (BM25 only, dense only, RRF, no priors)")
    ap.add_argument("--no-answers", action="store_true", help="retrieval only: skip the answer evaluation")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the questions each system missed")
    ap.add_argument("--dump", metavar="FILE", help="write policykb's per-question results as JSON lines")
    ncp = ap.add_argument_group("external dev set (eval.ncp)")
    ncp.add_argument("--ncp", metavar="DIR", help="the ncp-dev folder (docs/, qa.jsonl): evaluate it instead "
                                                   "of a gold file; report eval/reports/ncp_dev.md")
    ncp.add_argument("--split", choices=["fit", "check", "all"], default="all",
                     help="ncp questions by docid hash: fit (tune on it), check (report it) or all (both, default)")
    ncp.add_argument("--limit", type=int, help="ncp: only the first N questions of the split")
    ncp.add_argument("--baseline-cache", metavar="DIR", help="ncp: where the baseline's index is kept for reuse "
                                                              "(default KB/baseline; 'none': in memory)")
    args = ap.parse_args(argv)
    if args.ncp:
        from .ncp import main as ncp_main

        return ncp_main(args)

    gold = load_gold(args.gold)
    corpus = args.corpus or [str(ROOT / c) for c in gold.corpus] or [str(ROOT / "corpus")]
    kb_dir = Path(args.kb) if args.kb else Path(tempfile.mkdtemp(prefix="policykb-eval-"))
    kb = KnowledgeBase(Settings(kb_dir=kb_dir))
    t = time.perf_counter()
    results = kb.ingest(corpus)
    errors = [r for r in results if r.status == "error"]
    for r in errors:
        print(f"导入失败：{r.message}", file=sys.stderr)
    print(f"knowledge base {kb_dir}: {len(results)} files ({sum(r.status == 'ingested' for r in results)} ingested) "
          f"in {time.perf_counter() - t:.1f} s", file=sys.stderr)

    docs = {d["doc_id"]: d for d in kb.registry.all() if d["status"] == "ready"}
    for msg in locate_evidence(gold, {i: d["parsed"]["text"] for i, d in docs.items()}, strict=False):
        print(f"evidence not found: {msg}", file=sys.stderr)

    baseline = None
    if not args.no_baseline:
        baseline = NaiveBaseline(kb.embeddings).build({i: d["parsed"]["text"] for i, d in docs.items()},
                                                      {i: d["title"] for i, d in docs.items()})
        print(f"baseline: {baseline.n_chunks} chunks indexed in {baseline.build_s:.1f} s", file=sys.stderr)

    res = evaluate(kb, gold, baseline)
    ablation = {}
    if args.ablation:
        base_settings = kb.settings
        for name, change in ABLATIONS.items():
            kb.settings = base_settings.model_copy(update=change)
            kb._retriever = None
            ablation[name] = evaluate(kb, gold)["policykb"]
        kb.settings, kb._retriever = base_settings, None
    info = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "gold": Path(args.gold).name, "documents": len(docs),
        "answerable": len(gold.answerable), "unanswerable": len(gold.unanswerable),
        "chunks": sum(d["n_chunks"] for d in docs.values()),
        "baseline_chunks": baseline.n_chunks if baseline else None,
        "kb_bytes": dir_size(kb_dir),
        "bm25_bytes": kb.bm25_path.stat().st_size if kb.bm25_path.exists() else 0,
        "embedding": kb.registry.info("embedding"),
        "settings": {k: getattr(kb.settings, k) for k in ("fusion", "weight_dense", "weight_bm25", "candidates",
                                                            "bm25_bigram_weight", "secondary_region_factor",
                                                            "reranker_model")},
    }
    text = render(res, info, verbose=args.verbose, ablation=ablation)
    if not args.no_answers:
        from assistant import Assistant

        from .answers import evaluate_answers, render_answers, write_dump

        answers = evaluate_answers(Assistant(kb=kb), gold, baseline)
        text += "\n\n" + render_answers(answers, verbose=args.verbose)
        if args.dump:
            write_dump(args.dump, answers["policykb"])
            print(f"per-question results written to {args.dump}", file=sys.stderr)
    print(text)
    report = Path(args.report) if args.report else ROOT / "eval/reports" / f"retrieval_{Path(args.gold).stem}.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text, encoding="utf-8")
    print(f"report written to {report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
