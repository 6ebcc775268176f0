"""The ``policykb`` command line: ingest, docs, rm, inspect, search.

Example:
    $ policykb ingest corpus/
    $ policykb search "门头沟森林覆盖率目标" -k 3
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _settings(args):
    from .settings import Settings

    kw = {}
    if args.kb:
        kw["kb_dir"] = Path(args.kb)
    return Settings(**kw)


def _kb(args):
    from .knowledge_base import KnowledgeBase

    return KnowledgeBase(_settings(args))


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    from .knowledge_base import iter_files, total_timings

    kb = _kb(args)
    files = iter_files(args.paths)
    if not files:
        print("没有找到可导入的文件（支持 txt、md、docx、pdf）", file=sys.stderr)
        return 1
    bar = tqdm(total=len(files), unit="file", disable=args.quiet or not sys.stderr.isatty(), file=sys.stderr)

    def report(r) -> None:
        label = {"ingested": "已导入", "unchanged": "未变化", "error": "失败"}[r.status]
        line = f"[{label}] {r.path}" + (f"  {r.chunks} 个片段" if r.status != "error" else f"  {r.message}")
        tqdm.write(line, file=sys.stdout if r.status != "error" else sys.stderr)
        bar.update(1)

    t0 = time.perf_counter()
    results = kb.ingest(files, force=args.force, on_file=report)
    bar.close()
    wall = time.perf_counter() - t0
    count = {s: sum(r.status == s for r in results) for s in ("ingested", "unchanged", "error")}
    print(f"共 {len(files)} 个文件：导入 {count['ingested']}，未变化 {count['unchanged']}，失败 {count['error']}；"
          f"片段 {sum(r.chunks for r in results)} 个；用时 {wall:.2f} s")
    totals = total_timings(results)
    if totals:
        print("各阶段用时：" + "，".join(f"{k} {v:.0f} ms" for k, v in totals.items()))
    return 1 if count["error"] else 0


def cmd_docs(args) -> int:
    docs = _kb(args).documents()
    if args.json:
        print(json.dumps([{k: v for k, v in d.items() if k != "parsed"} for d in docs], ensure_ascii=False, indent=2))
        return 0
    if not docs:
        print("知识库中还没有文档。先运行：policykb ingest corpus/")
        return 0
    for d in docs:
        m = d["meta"]
        print(f"{d['doc_id']}\n  标题：{d['title']}\n  地区：{m.get('region') or '未知'}  类型：{m.get('kind') or '未知'}"
              f"  状态：{m.get('status') or '—'}  日期：{m.get('date') or '—'}  发布：{m.get('issuer') or '—'}\n"
              f"  片段 {d['n_chunks']} 个，表格 {d['n_tables']} 个，章节 {d['n_sections']} 个")
    return 0


def cmd_rm(args) -> int:
    kb = _kb(args)
    rc = 0
    for ref in args.docs:
        did = kb.delete(ref)
        if did:
            print(f"已删除 {did}")
        else:
            print(f"未找到文档：{ref}", file=sys.stderr)
            rc = 1
    return rc


def cmd_inspect(args) -> int:
    doc = _kb(args).inspect(args.doc)
    if not doc:
        print(f"未找到文档：{args.doc}", file=sys.stderr)
        return 1
    parsed = doc["parsed"]
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    print(f"{doc['title']}  ({doc['doc_id']})")
    print(json.dumps(doc["meta"], ensure_ascii=False))
    print("\n== 章节结构 ==")
    for s in parsed["sections"]:
        print("  " * s["level"] + s["title"] + ("  [表格]" if s["marker"] == "table" else ""))
    print(f"\n== 表格（{len(parsed['tables'])}）==")
    for t in parsed["tables"]:
        print(f"《{t['caption'] or '无标题表格'}》 列：{' | '.join(t['headers'])}  共 {len(t['rows'])} 行")
        for r in t["rows"]:
            print("   " + " | ".join(v.replace("\n", " ") for v in r["cells"].values()))
    print(f"\n== 片段（{len(parsed['chunks'])}）==")
    for c in parsed["chunks"]:
        page = f" 第{c['page']}页" if c.get("page") else ""
        print(f"[{c['chunk_id']}] {c['kind']} {c['start']}-{c['end']}{page}  {c['breadcrumb']}")
        if args.full:
            print("    " + c["text"].replace("\n", "\n    "))
    return 0


def cmd_search(args) -> int:
    kb = _kb(args)
    where = {"doc_id": args.doc} if args.doc else None
    t0 = time.perf_counter()
    hits = kb.search(args.query, k=args.k, where=where)
    ms = (time.perf_counter() - t0) * 1000
    if args.json:
        print(json.dumps([h.__dict__ for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("没有找到相关段落。")
        return 0
    for i, h in enumerate(hits, 1):
        page = f" 第{h.page}页" if h.page else ""
        print(f"{i}. [{h.score:.3f}] {h.breadcrumb}{page}\n   {h.text[:300].replace(chr(10), ' ')}")
    print(f"（检索用时 {ms:.0f} ms）")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policykb", description="政策文件知识库与问答助手")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--kb", metavar="DIR", help="知识库目录（默认 ./data，或 POLICYKB_KB_DIR）")
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("ingest", parents=[common], help="导入文件或文件夹")
    s.add_argument("paths", nargs="+")
    s.add_argument("--force", action="store_true", help="即使未变化也重新导入")
    s.add_argument("-q", "--quiet", action="store_true")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("docs", parents=[common], help="列出文档")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_docs)

    s = sub.add_parser("rm", parents=[common], help="删除文档")
    s.add_argument("docs", nargs="+", metavar="DOC")
    s.set_defaults(func=cmd_rm)

    s = sub.add_parser("inspect", parents=[common], help="查看文档解析结果（章节、表格、片段）")
    s.add_argument("doc", metavar="DOC")
    s.add_argument("--full", action="store_true", help="显示片段全文")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_inspect)

    s = sub.add_parser("search", parents=[common], help="检索段落")
    s.add_argument("query")
    s.add_argument("-k", type=int, default=5)
    s.add_argument("--doc", help="只在该文档中检索")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except RuntimeError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
