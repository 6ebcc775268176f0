"""``policykb`` commands for document versions and indicators across documents:

- ``policykb versions``: every document's status (征求意见稿 / 送审稿 / 正式 / 已废止 / 已被替代), plan,
  current version and why; ``--set DOC --status 已废止 [--replaced-by NEW] [--version-of OTHER]``
  writes the admin's setting to ``<kb>/doc_status.json`` (``--clear`` removes it);
- ``policykb diff DOC_A DOC_B``: tasks, indicators, deadlines and units added, removed or changed
  from A to B, each with both sources;
- ``policykb indicators --compare 森林覆盖率``: the measure across documents and regions, with the
  target year of each value.

Example:
    $ policykb diff 门头沟区_氧吧…2024-2026 门头沟区_氧吧…修订版
    $ policykb indicators --compare 森林覆盖率 --format json
    $ policykb versions --set 旧方案 --status 已被替代 --replaced-by 新方案
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _kb(args):
    from kb.knowledge_base import KnowledgeBase
    from kb.settings import Settings
    from pathlib import Path

    return KnowledgeBase(Settings(**({"kb_dir": Path(args.kb)} if args.kb else {})))


def _write(text: str, args) -> None:
    from pathlib import Path

    if getattr(args, "output", None):
        Path(args.output).write_text(text + "\n", encoding="utf-8-sig" if args.format == "csv" else "utf-8")
        print(f"已写入 {args.output}", file=sys.stderr)
    else:
        print(text)


def _doc(kb, ref: str) -> str:
    row = kb.registry.find(ref)
    if not row:
        raise SystemExit(f"知识库中没有文档“{ref}”（可用 policykb docs 查看）")
    return row["doc_id"]


def version_rows(index) -> list[dict[str, Any]]:
    return [{"文档": d.doc_id, "状态": d.status, "依据": d.basis, "设定": d.set_by, "现行版本": d.current or "",
             "被替代/废止于": d.replaced_by or "", "日期": d.date} for d in index.rows()]


def cmd_versions(args) -> int:
    from kb.tabular import render
    from kb.versions import index_for, set_status

    kb = _kb(args)
    if args.set:
        doc = _doc(kb, args.set)
        try:
            entry = set_status(kb, doc, None if args.clear else args.status,
                               version_of=_doc(kb, args.version_of) if args.version_of and not args.clear else None,
                               replaced_by=_doc(kb, args.replaced_by) if args.replaced_by and not args.clear else None,
                               note=None if args.clear else args.note)
        except ValueError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        print(f"{doc}：{'已清除管理员设置' if not entry else json.dumps(entry, ensure_ascii=False)}")
    index = index_for(kb)
    if args.format == "json":
        _write(json.dumps([d.to_json() for d in index.rows()], ensure_ascii=False, indent=2), args)
        return 0
    _write(render(version_rows(index), args.format, max_width=args.width), args)
    if args.format == "table" and index.repealed:
        print("被废止的文件：")
        for m in index.repealed:
            print(f"  《{m.title}》{m.doc_number and '（' + m.doc_number + '）'} ← 《{m.by_title}》"
                  f"{'（不在知识库中）' if not m.doc_id else ''}")
    return 0


def diff_rows(changes) -> list[dict[str, Any]]:
    return [{"类别": c.kind, "变化": c.change, "事项": c.item, "字段": c.field, "原": c.old, "新": c.new,
             "出处（A）": c.source_a, "出处（B）": c.source_b} for c in changes]


def cmd_diff(args) -> int:
    from kb.tabular import render
    from kb.version_diff import diff_documents, summary

    kb = _kb(args)
    a, b = _doc(kb, args.doc_a), _doc(kb, args.doc_b)
    changes = diff_documents(kb.facts, a, b)
    if args.format == "json":
        _write(json.dumps({"a": a, "b": b, "changes": [c.to_json() for c in changes]}, ensure_ascii=False, indent=2),
               args)
        return 0
    if args.format == "table":
        print(f"A：{a}\nB：{b}\n{summary(changes)}")
    if changes:
        _write(render(diff_rows(changes), args.format, max_width=args.width), args)
    return 0


def compare_rows(rows) -> list[dict[str, Any]]:
    return [{"指标": r.name, "地区": r.region, "范围": r.scope, "目标值": r.value_text,
             "年份": r.year or "未写明", "年份依据": r.year_basis, "文件": r.title, "原文": r.sentence} for r in rows]


def cmd_compare(args) -> int:
    from kb.indicator_compare import compare
    from kb.tabular import render

    kb = _kb(args)

    def text_of(doc_id: str) -> str:
        row = kb.registry.get(doc_id)
        return row["parsed"].get("text", "") if row else ""

    from kb.versions import index_for

    # current versions only: a superseded plan's or a draft's value is not a target in force
    rows = compare(kb.facts, args.compare, kb.documents(parsed=False), text_of, doc_ids=index_for(kb).current_only())
    if args.format == "json":
        _write(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2), args)
        return 0
    _write(render(compare_rows(rows), args.format, max_width=args.width), args)
    if args.format == "table":
        print(f"{args.compare}：{len(rows)} 个目标值，{len({r.region for r in rows})} 个地区，"
              f"{len({r.doc_id for r in rows})} 份文件")
    return 0


def add_parsers(sub, common: argparse.ArgumentParser, out: argparse.ArgumentParser) -> None:
    """Add ``versions`` and ``diff``, and ``--compare`` to the existing ``indicators`` command."""
    s = sub.add_parser("versions", parents=[common, out], help="文件版本与状态：征求意见稿、正式、已废止、已被替代（--set 由管理员设定）")
    s.add_argument("--set", metavar="DOC", help="设定该文档的状态（写入 <kb>/doc_status.json）")
    s.add_argument("--status", choices=["征求意见稿", "送审稿", "正式", "已废止", "已被替代"])
    s.add_argument("--version-of", metavar="DOC", help="该文档是另一文档的版本（同一文件的不同稿）")
    s.add_argument("--replaced-by", metavar="DOC", help="废止或替代它的文档")
    s.add_argument("--note", help="说明（如依据的文件）")
    s.add_argument("--clear", action="store_true", help="清除该文档的管理员设置")
    s.set_defaults(func=cmd_versions)

    s = sub.add_parser("diff", parents=[common, out], help="两个版本之间任务、指标、完成时间与责任单位的变化")
    s.add_argument("doc_a", metavar="DOC_A")
    s.add_argument("doc_b", metavar="DOC_B")
    s.set_defaults(func=cmd_diff)

    ind = sub.choices.get("indicators")
    if ind is not None:
        ind.add_argument("--compare", metavar="MEASURE", help="跨文件、跨地区对比同一指标（如 森林覆盖率），含各目标值的年份")
        plain = ind.get_default("func")
        ind.set_defaults(func=lambda a: cmd_compare(a) if a.compare else plain(a))
