"""Precision and recall of task and indicator extraction against hand-written gold files.

    python -m eval.facts                          # both gold files, default folders
    python -m eval.facts --gold eval/gold/facts_seed.yaml --docs corpus

A task is correct when its lead units, cooperating units and due date all equal the gold item's
(as sets of names). An indicator is correct when comparator, value, unit, due date and measure
agree. Precision counts every fact extracted from the gold file's documents (``exhaustive``) or
only the facts matched to sampled gold items plus those found in ``no_indicator`` sentences
(``sample``); recall counts gold items matched by a correct fact.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from ingest import ParsedDocument, parse_file
from ingest.pipeline import doc_id_for

ROOT = Path(__file__).resolve().parent.parent
GOLD = [(ROOT / "eval/gold/facts_seed.yaml", ROOT / "corpus"),
        (ROOT / "eval/gold/facts_other.yaml", ROOT.parent / "shared/other-corpus")]


@dataclass
class Score:
    extracted: int = 0      # precision denominator
    correct_extracted: int = 0
    gold: int = 0
    correct_gold: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct_extracted / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.correct_gold / self.gold if self.gold else 1.0


def load_docs(folder: Path, ids: list[str]) -> tuple[dict[str, ParsedDocument], float]:
    files = {doc_id_for(p): p for p in folder.iterdir() if p.is_file()}
    docs: dict[str, ParsedDocument] = {}
    fact_ms = 0.0
    for did in ids:
        if did not in files:
            raise SystemExit(f"gold names a document that is not in {folder}: {did}")
        docs[did] = parse_file(files[did])
        fact_ms += docs[did].timings_ms.get("facts", 0.0)
    return docs, fact_ms


def _task_ok(t: Any, g: dict) -> list[str]:
    problems = []
    if set(t.lead) != set(g["lead"]):
        problems.append(f"lead {t.lead} != {g['lead']}")
    if set(t.co) != set(g.get("co") or []):
        problems.append(f"co {t.co} != {g.get('co') or []}")
    if t.deadline.due != (str(g["due"]) if g.get("due") is not None else None):
        problems.append(f"due {t.deadline.due} != {g.get('due')}")
    return problems


def _score(kind: str, items: list[dict], docs: dict[str, ParsedDocument], aliases: dict[str, str],
           matches: Callable[[Any, dict], bool], check: Callable[[Any, dict], list[str]],
           exhaustive_docs: list[str] | None) -> Score:
    """Match each gold item to the first unused extracted fact that ``matches`` it, then ``check`` it.
    With ``exhaustive_docs`` every fact of those documents counts for precision; else only matched ones."""
    s = Score()
    used: set[tuple[str, int]] = set()
    correct: set[tuple[str, int]] = set()
    for g in items:
        did = aliases[g["doc"]]
        s.gold += 1
        cands = [(i, f) for i, f in enumerate(getattr(docs[did], kind)) if (did, i) not in used and matches(f, g)]
        if not cands:
            s.errors.append(f"{kind} not found: {g['doc']} {g['quote']}")
            continue
        i, f = cands[0]
        used.add((did, i))
        problems = check(f, g)
        if problems:
            s.errors.append(f"{kind} wrong: {g['doc']} {g['quote']}: " + "; ".join(problems))
        else:
            s.correct_gold += 1
            correct.add((did, i))
    if exhaustive_docs is not None:
        for did in {aliases[x] for x in exhaustive_docs}:
            facts = getattr(docs[did], kind)
            s.extracted += len(facts)
            s.errors += [f"{kind} extra: {did} {_describe(f)}" for i, f in enumerate(facts) if (did, i) not in used]
    else:
        s.extracted = len(used)
    s.correct_extracted = len(correct)
    return s


def _describe(f: Any) -> str:
    if hasattr(f, "lead"):
        return f"{f.name} {f.lead}/{f.co}"
    return f"{f.measure} {f.comparator}{f.value}{f.unit} | {f.sentence[:40]}"


def _task_matches(t: Any, g: dict) -> bool:
    if g["quote"] not in t.content and g["quote"] not in t.name:
        return False
    if "plan_year" not in g:
        return True
    return t.plan_year == g["plan_year"] and (g["plan_year"] is not None or t.table_index is None)


def score_tasks(gold: dict, docs: dict[str, ParsedDocument], aliases: dict[str, str]) -> Score:
    exhaustive = gold.get("mode", "exhaustive") == "exhaustive"
    return _score("tasks", gold.get("tasks") or [], docs, aliases, _task_matches, _task_ok,
                  gold.get("task_documents", []) if exhaustive else None)


def _ind_ok(x: Any, g: dict) -> list[str]:
    problems = []
    if x.comparator != g["comparator"]:
        problems.append(f"comparator {x.comparator} != {g['comparator']}")
    if (x.unit or "") != (g.get("unit") or ""):
        problems.append(f"unit {x.unit} != {g.get('unit')}")
    if x.due != (str(g["due"]) if g.get("due") is not None else None):
        problems.append(f"due {x.due} != {g.get('due')}")
    if g["measure"] not in x.measure:
        problems.append(f"measure {x.measure!r} lacks {g['measure']!r}")
    for flag in ("aspirational", "strict"):
        if flag in g and bool(getattr(x, flag)) != bool(g[flag]):
            problems.append(f"{flag} {getattr(x, flag)} != {g[flag]}")
    return problems


def _indicator_matches(x: Any, g: dict) -> bool:
    return (g["quote"] in x.sentence and abs(x.value - float(g["value"])) < 1e-9
            and (x.value_max or None) == (float(g["value_max"]) if g.get("value_max") is not None else None)
            and ("table" not in g or x.table_index == g["table"]))


def score_indicators(gold: dict, docs: dict[str, ParsedDocument], aliases: dict[str, str]) -> Score:
    exhaustive = gold.get("mode", "exhaustive") == "exhaustive"
    s = _score("indicators", gold.get("indicators") or [], docs, aliases, _indicator_matches, _ind_ok,
               gold.get("indicator_documents", []) if exhaustive else None)
    for q in gold.get("no_indicator") or []:
        # sentences whose number is not a target: anything read there is a false positive
        did = aliases[q["doc"]]
        bad = [x for x in docs[did].indicators if q["quote"] in x.sentence
               and ("value" not in q or abs(x.value - float(q["value"])) < 1e-9)]
        s.extracted += len(bad)
        s.errors += [f"indicators extra: {did} {_describe(x)}" for x in bad]
    return s


def evaluate(gold_path: Path, folder: Path) -> dict[str, Any]:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    aliases = gold["documents"]
    docs, fact_ms = load_docs(folder, sorted(set(aliases.values())))
    tasks = score_tasks(gold, docs, aliases)
    inds = score_indicators(gold, docs, aliases)
    return {"gold": gold_path.name, "mode": gold.get("mode", "exhaustive"), "tasks": tasks, "indicators": inds,
            "documents": len(docs), "facts_ms": fact_ms,
            "chars": sum(len(d.text) for d in docs.values())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, help="a gold YAML file (default: both bundled ones)")
    ap.add_argument("--docs", type=Path, help="folder holding the gold file's documents")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and extra")
    args = ap.parse_args(argv)
    runs = [(args.gold, args.docs or ROOT / "corpus")] if args.gold else GOLD
    print(f"{'gold':<22}{'mode':<12}{'facts':<11}{'gold n':>7}{'extracted':>10}{'precision':>10}{'recall':>8}")
    for gold_path, folder in runs:
        r = evaluate(gold_path, folder)
        for kind in ("tasks", "indicators"):
            sc: Score = r[kind]
            print(f"{r['gold']:<22}{r['mode']:<12}{kind:<11}{sc.gold:>7}{sc.extracted:>10}{sc.precision:>10.3f}"
                  f"{sc.recall:>8.3f}")
            if args.verbose:
                for e in sc.errors:
                    print("    " + e)
        print(f"{'':<22}extraction time {r['facts_ms']:.0f} ms over {r['documents']} documents "
              f"({r['chars'] / 1000:.0f}k characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
