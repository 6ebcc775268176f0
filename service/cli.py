"""The ``policykb`` command line: ingest, docs, rm, inspect, search, ask, tasks, indicators, depts, user.

Example:
    $ policykb ingest corpus/
    $ policykb search "门头沟森林覆盖率目标" -k 3
    $ policykb ask --json "万级负氧离子体验区由谁牵头？"
    $ policykb tasks --dept 区气象局 --due-before 2025-06
    $ policykb indicators 森林覆盖率 --format csv
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
    from kb.settings import Settings

    kw = {}
    if args.kb:
        kw["kb_dir"] = Path(args.kb)
    return Settings(**kw)


def _kb(args):
    from kb.knowledge_base import KnowledgeBase

    return KnowledgeBase(_settings(args))


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    from ingest.loaders import skipped_in
    from ingest.progress import page_progress
    from kb.embed_worker import progress_text
    from kb.knowledge_base import iter_files, total_timings

    kb = _kb(args)
    files = iter_files(args.paths)
    skipped = skipped_in(args.paths)                 # files a folder holds but ingest leaves out, with why
    for f, reason in skipped:
        print(f"[跳过] {f}  {reason}", file=sys.stderr)
    if not files:
        print("没有找到可导入的文件（支持 txt、md、docx、pdf、html、ofd、xlsx、csv、doc、wps、xls、et、图片）",
              file=sys.stderr)
        return 1
    bar = tqdm(total=len(files), unit="file", disable=args.quiet or not sys.stderr.isatty(), file=sys.stderr)

    def report(r) -> None:
        label = {"ingested": "已导入", "unchanged": "未变化", "error": "失败"}[r.status]
        line = f"[{label}] {r.path}" + (f"  {r.chunks} 个片段" if r.status != "error" else f"  {r.message}")
        tqdm.write(line, file=sys.stdout if r.status != "error" else sys.stderr)
        bar.update(1)

    def pages(p) -> None:                         # OCR page by page (ingest.progress)
        if not args.quiet:
            tqdm.write(p.message(), file=sys.stderr)

    t0 = time.perf_counter()
    with page_progress(pages):
        results = kb.ingest(files, force=args.force, on_file=report, embed=False)
    bar.close()
    wall = time.perf_counter() - t0
    count = {s: sum(r.status == s for r in results) for s in ("ingested", "unchanged", "error")}
    print(f"共 {len(files) + len(skipped)} 个文件：导入 {count['ingested']}，未变化 {count['unchanged']}，"
          f"失败 {count['error']}，跳过 {len(skipped)}；"
          f"片段 {sum(r.chunks for r in results)} 个；可按关键词检索，用时 {wall:.2f} s")
    totals = total_timings(results)
    if totals:
        print("各阶段用时：" + "，".join(f"{k} {v:.0f} ms" for k, v in totals.items()))
    if args.no_embed:
        print(progress_text(kb.registry.vector_progress()) + "（--no-embed：由网页应用在后台补齐）")
        return 1 if count["error"] else 0
    t1 = time.perf_counter()
    done0, total0, *_ = kb.registry.vector_progress()
    vbar = tqdm(total=total0, initial=done0, unit="片段", desc="向量索引", disable=args.quiet or not sys.stderr.isatty(),
                file=sys.stderr)

    def vectors(p) -> None:
        vbar.n = p[0]
        vbar.refresh()

    kb.embed_pending(vectors)
    vbar.close()
    embedded, cached = kb.embed_counts()
    if embedded or cached:
        dt = time.perf_counter() - t1
        print(f"{progress_text(kb.registry.vector_progress())}；本次计算 {embedded} 个、缓存命中 {cached} 个，"
              f"用时 {dt:.1f} s（{embedded / dt if dt else 0:.1f} 片段/秒）")
    return 1 if count["error"] else 0


def cmd_docs(args) -> int:
    from kb.embed_worker import progress_text

    kb = _kb(args)
    docs = kb.documents(parsed=False)
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
              f"  片段 {d['n_chunks']} 个，表格 {d['n_tables']} 个，章节 {d['n_sections']} 个"
              f"  向量：{'已完成' if d['vector_hash'] == d['content_hash'] else '等待中（可按关键词检索）'}")
    print(progress_text(kb.registry.vector_progress()))
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
    kb = _kb(args)
    doc = kb.inspect(args.doc)
    if not doc:
        print(f"未找到文档：{args.doc}", file=sys.stderr)
        return 1
    parsed = doc["parsed"]
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    print(f"{doc['title']}  ({doc['doc_id']})")
    print(json.dumps(doc["meta"], ensure_ascii=False))
    from assistant.views import file_notes

    for note in file_notes(doc["meta"]):
        print(note)
    print("\n== 章节结构 ==")
    for s in parsed["sections"]:
        print("  " * s["level"] + s["title"] + ("  [表格]" if s["marker"] == "table" else ""))
    print(f"\n== 表格（{len(parsed['tables'])}）==")
    for t in parsed["tables"]:
        print(f"《{t['caption'] or '无标题表格'}》 列：{' | '.join(t['headers'])}  共 {len(t['rows'])} 行")
        for r in t["rows"]:
            print("   " + " | ".join(v.replace("\n", " ") for v in r["cells"].values()))
    tasks, inds = kb.facts.tasks(doc=doc["doc_id"]), kb.facts.indicators(doc=doc["doc_id"])
    print(f"\n== 任务（{len(tasks)}）==")
    for t in tasks:
        print(f"  {t['name']}  牵头：{'、'.join(t['lead']) or '—'}  配合：{'、'.join(t['co']) or '—'}"
              f"  完成时间：{t['deadline'] or '—'}")
    print(f"\n== 指标（{len(inds)}）==")
    for i in inds:
        print(f"  {i['measure']} {i['value_text']}  {i['target'] or ''}  ← {i['sentence'][:60]}")
    print(f"\n== 片段（{len(parsed['chunks'])}）==")
    for c in parsed["chunks"]:
        page = f" 第{c['page']}页" if c.get("page") else ""
        print(f"[{c['chunk_id']}] {c['kind']} {c['start']}-{c['end']}{page}  {c['breadcrumb']}")
        if args.full:
            print("    " + c["text"].replace("\n", "\n    "))
    return 0


def cmd_search(args) -> int:
    kb = _kb(args)
    doc_ids = None
    if args.doc:
        found = kb.registry.find(args.doc)
        doc_ids = [found["doc_id"]] if found else []
    t0 = time.perf_counter()
    r = kb.retrieve(args.query, k=args.k, doc_ids=doc_ids, regions=args.region or None)
    hits, ms = r.hits, (time.perf_counter() - t0) * 1000
    if args.json:
        print(json.dumps([h.__dict__ for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        missing = f"：已收录的文件中没有关于{'、'.join(r.scope.missing)}的文件" if r.scope.missing else ""
        print(f"没有找到相关段落{missing}。")
        return 0
    for i, h in enumerate(hits, 1):
        page = f" 第{h.page}页" if h.page else ""
        print(f"{i}. [{h.score:.3f}] {h.breadcrumb}{page}\n   {h.text[:300].replace(chr(10), ' ')}")
    print(f"（检索用时 {ms:.0f} ms）")
    return 0


def cmd_ask(args) -> int:
    """Answer each question; ``-`` reads one question per line from stdin (each independent)."""
    from assistant import Assistant
    from assistant.views import ocr_pages
    from ingest.articles import refine_section

    questions = []
    for q in args.questions:
        questions += [line.strip() for line in sys.stdin if line.strip()] if q == "-" else [q]
    bot = Assistant(_settings(args))
    for q in questions:
        a = bot.ask(q, use_llm=False if args.no_llm else None)
        if args.json:
            print(json.dumps(a.to_json(), ensure_ascii=False), flush=True)
            continue
        print(f"问：{q}\n{a.answer}")
        if a.notice and a.notice not in a.answer:
            print(f"（{a.notice}）")
        if a.citations:
            print("来源：")
            for c in a.citations:
                page = f" 第{c.page}页" if c.page else ""
                doc = bot.docs.get(c.doc_id)
                section = refine_section(c.section, doc["sections"], c.start, c.end) if doc else c.section
                if doc and c.page in ocr_pages(doc["meta"]):
                    page += "（识别文字）"
                print(f"[{c.n}] 《{c.title}》 {section}{page}\n    “{c.display_quote[:200]}”")
        print(f"（{a.mode}，{a.timings_ms.get('total', 0):.0f} ms）\n", flush=True)
    return 0


def _task_row(t: dict, role: str | None = None) -> dict:
    from kb.retrievers import section_heading

    where = {"table": f"表格第{(t['row_index'] or 0) + 1}行", "lines": "正文", "note": "正文括注", "duty": "职责分工"}
    row = {"文件": t["doc_id"], "章节": section_heading(t["breadcrumb"]) if t["breadcrumb"] else "",
           "任务": t["name"], "牵头单位": t["lead"], "配合单位": t["co"], "完成时间": t["deadline"] or "",
           "来源": where.get(t["source"], t["source"]) + (f" 第{t['page']}页" if t.get("page") else "")}
    if t.get("plan_year"):
        row["来源"] = f"{t['plan_year']}年{row['来源']}"
    if role:
        row = {"角色": role, **row}
    return row


def cmd_tasks(args) -> int:
    """Tasks with their yearly steps (kb.task_links): one row per task, ``--steps`` one per step,
    ``--format ics`` the steps' deadlines as an iCalendar file."""
    from assistant import task_views
    from assistant.views import doc_titles
    from kb import task_links
    from kb.tabular import render

    from datetime import date

    kb = _kb(args)
    facts, today = kb.facts, kb.settings.today or date.today()
    titles = doc_titles(kb.registry.all(parsed=False))
    filters = dict(doc=args.doc, due_before=args.due_before, region=args.region)
    if args.dept:
        summary = task_links.summary(facts, args.dept, today, roles=(args.role,) if args.role else ("lead", "co"),
                                     **filters)
        if not summary["names"]:
            print(f"知识库中没有名为“{args.dept}”的单位。可用 policykb depts 查看单位名录。", file=sys.stderr)
            return 1
        pairs = [(t, "牵头") for t in summary["lead"]] + [(t, "配合") for t in summary["co"]]
    else:
        summary, pairs = None, [(t, None) for t in task_links.query(facts, today, **filters)]
    tasks = [t for t, _ in pairs]
    if args.format == "ics":
        names = summary["names"] if summary else []
        data = task_views.task_calendar(tasks, titles, summary["canonical"] if summary else "", names)
        if args.output:
            Path(args.output).write_bytes(data)
        else:
            sys.stdout.write(data.decode("utf-8"))
        return 0
    if args.format == "json":
        body = [dict(t.to_json(), status=task_views.task_status(t, today), **({"role": r} if r else {}))
                for t, r in pairs]
        if summary:
            lead = [x for x in body if x.get("role") == "牵头"]
            co = [x for x in body if x.get("role") == "配合"]
            out = {"department": summary["canonical"], "names": summary["names"], "lead_count": len(lead),
                   "co_count": len(co), "lead": lead, "co": co}
        else:
            out = body
        _write(json.dumps(out, ensure_ascii=False, indent=2), args)
        return 0
    if args.steps:
        cols = task_views.STEP_COLUMNS
        rows = [([r] if r else []) + x for t, r in pairs for x in task_views.step_rows(t, today, titles)]
    else:
        cols = task_views.TASK_COLUMNS
        rows = [([r] if r else []) + task_views.task_row(t, today, titles) for t, r in pairs]
    cols = (["角色"] if summary else []) + cols
    if args.format == "table":
        if summary:
            alias = f"（含 {'、'.join(n for n in summary['names'] if n != summary['canonical'])}）" \
                if len(summary["names"]) > 1 else ""
            print(f"{summary['canonical']}{alias}：牵头 {len(summary['lead'])} 项，配合 {len(summary['co'])} 项（按任务计）")
    _write(render([dict(zip(cols, r)) for r in rows], args.format, max_width=args.width), args)
    if args.format == "table":
        print(f"共 {len(tasks)} 项任务" + (f"，{len(rows)} 个年度步骤" if args.steps else ""))
    return 0


def cmd_indicators(args) -> int:
    from kb.tabular import render

    rows = _kb(args).facts.indicators(args.query, doc=args.doc, region=args.region)
    if args.format == "json":
        _write(json.dumps(rows, ensure_ascii=False, indent=2), args)
        return 0
    table = [{"文件": r["doc_id"], "指标": r["measure"], "要求": r["comparator_text"] or r["comparator"],
              "目标值": r["value_text"], "时间": r["target"] or "", "范围": r["scope"] or r["region"] or "",
              "责任单位": r["units"], "原文": r["sentence"]} for r in rows]
    _write(render(table, args.format, max_width=args.width), args)
    if args.format == "table":
        print(f"共 {len(rows)} 项指标")
    return 0


def cmd_depts(args) -> int:
    from kb.tabular import render

    deps = _kb(args).facts.departments()
    if args.format == "json":
        _write(json.dumps(deps, ensure_ascii=False, indent=2), args)
        return 0
    rows = [{"单位": d["name"], "类型": "部门" if d["kind"] == "department" else "统称", "别名": d["aliases"],
             "牵头": d["lead"], "配合": d["co"], "地区": d["regions"]} for d in deps]
    _write(render(rows, args.format, max_width=args.width), args)
    return 0


def _write(text: str, args) -> None:
    if getattr(args, "output", None):
        Path(args.output).write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8-sig"
                                     if args.format == "csv" else "utf-8")
        print(f"已写入 {args.output}", file=sys.stderr)
    else:
        print(text)


def cmd_user(args) -> int:
    """Manage the web app's users file (POLICYKB_AUTH): add/replace, remove, list."""
    import getpass

    from kb.access import Users

    path = Path(args.file) if args.file else _settings(args).auth
    if path is None:
        print("请用 --file 指定用户文件，或设置 POLICYKB_AUTH", file=sys.stderr)
        return 1
    users = Users.load(path)
    if args.action == "add-key":
        return _add_key(users, path, args)
    if args.action == "list":
        from kb.access import is_api_key

        for u in users.by_name.values():
            print(f"{u.name}\t{u.role}" + ("\tAPI 密钥" if is_api_key(u) else ""))
        return 0
    if not args.name:
        print("请给出用户名", file=sys.stderr)
        return 1
    if args.action == "rm":
        if not users.remove(args.name):
            print(f"没有用户 {args.name}", file=sys.stderr)
            return 1
    else:
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            if not _has_terminal():
                print("没有终端可以输入密码：请用 --password-stdin 从标准输入传入密码", file=sys.stderr)
                return 1
            try:
                password = getpass.getpass(f"{args.name} 的密码：")
                again = getpass.getpass("再输入一次：")
            except EOFError:            # no terminal and nothing on stdin (`… </dev/null`)
                print("\n未读到密码：请在终端中运行，或用 --password-stdin 从标准输入传入密码", file=sys.stderr)
                return 1
            if again != password:
                print("两次输入的密码不一致", file=sys.stderr)
                return 1
        try:
            users.set(args.name, args.role, password)
        except ValueError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
    users.save(path)
    print(f"已更新 {path}")
    return 0


def _has_terminal() -> bool:
    """Whether getpass can ask: a controlling terminal, or stdin is one."""
    try:
        with open("/dev/tty"):
            return True
    except OSError:
        return sys.stdin.isatty()


def _add_key(users, path: Path, args) -> int:
    """A new API key for NAME (replacing its old one); the key is printed once, on stdout alone."""
    from kb.access import add_api_key

    if not args.name:
        print("请给出密钥名称（如 dify 或 zhang-api）", file=sys.stderr)
        return 1
    try:
        key = add_api_key(users, args.name, args.role)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    users.save(path)
    print(key)
    print(f"已写入 {path}（只保存散列）。请立即保存上面的密钥，之后无法再查看；"
          f"调用时用 Authorization: Bearer <密钥>。", file=sys.stderr)
    return 0


def cmd_serve_api(args) -> int:
    """The OpenAI-compatible API (/v1) and MCP over HTTP (/mcp), without the web page."""
    from service.http import serve

    serve(_settings(args), host=args.host, port=args.port)
    return 0


def cmd_mcp(args) -> int:
    """The MCP server over stdio, for MCP clients that start it as a command."""
    from service import run_stdio

    run_stdio(_settings(args), role=args.role)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policykb", description="政策文件知识库与问答助手")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--kb", metavar="DIR", help="知识库目录（默认 ./data，或 POLICYKB_KB_DIR）")
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("ingest", parents=[common], help="导入文件或文件夹")
    s.add_argument("paths", nargs="+")
    s.add_argument("--force", action="store_true", help="即使未变化也重新导入")
    s.add_argument("--no-embed", action="store_true",
                   help="只建关键词索引就返回（文件立即可检索），向量由网页应用在后台补齐")
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
    s.add_argument("--region", action="append", help="只在该地区（如 门头沟区、北京市）的文档中检索，可重复")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("ask", parents=[common], help="提问：带出处的回答（- 表示从标准输入逐行读取问题）")
    s.add_argument("questions", nargs="+", metavar="QUESTION")
    s.add_argument("--json", action="store_true", help="每个问题输出一行 JSON")
    s.add_argument("--no-llm", action="store_true", help="即使配置了大模型也只用原文摘录回答")
    s.set_defaults(func=cmd_ask)

    # `policykb eval …` hands all its arguments to eval.__main__ (see main); listed here for --help.
    sub.add_parser("eval", help="检索评测：与朴素 LangChain 基线对比，输出 Markdown 报告（policykb eval -h）")

    out = argparse.ArgumentParser(add_help=False)
    out.add_argument("--format", choices=["table", "json", "csv"], default="table")
    out.add_argument("-o", "--output", metavar="FILE", help="写入文件（csv 带 BOM，Excel 可直接打开）")
    out.add_argument("--width", type=int, default=40, help="表格每列最多显示宽度")

    out_tasks = argparse.ArgumentParser(add_help=False)
    out_tasks.add_argument("--format", choices=["table", "json", "csv", "ics"], default="table",
                           help="ics：各年度步骤的完成时间导出为日历文件（每个完成时间一个事件）")
    out_tasks.add_argument("-o", "--output", metavar="FILE", help="写入文件（csv 带 BOM，Excel 可直接打开）")
    out_tasks.add_argument("--width", type=int, default=40, help="表格每列最多显示宽度")
    s = sub.add_parser("tasks", parents=[common, out_tasks], help="任务分工：每项任务及其年度步骤、牵头配合单位与完成时间")
    s.add_argument("--steps", action="store_true", help="每个年度步骤一行（默认每项任务一行）")
    s.add_argument("--dept", metavar="NAME", help="单位名称（别名亦可，如 区园林局）")
    s.add_argument("--doc", metavar="DOC", help="文档 id 或标题片段")
    s.add_argument("--region", help="地区，如 门头沟")
    s.add_argument("--due-before", metavar="YYYY-MM", help="完成时间不晚于该月")
    s.add_argument("--role", choices=["lead", "co"], help="只看牵头（lead）或配合（co）")
    s.set_defaults(func=cmd_tasks)

    s = sub.add_parser("indicators", parents=[common, out], help="指标要求：目标值、时间与原文")
    s.add_argument("query", nargs="?", help="指标关键词，如 森林覆盖率")
    s.add_argument("--doc", metavar="DOC")
    s.add_argument("--region")
    s.set_defaults(func=cmd_indicators)

    s = sub.add_parser("depts", parents=[common, out], help="单位名录（含别名、牵头与配合任务数）")
    s.set_defaults(func=cmd_depts)

    s = sub.add_parser("user", parents=[common], help="网页登录用户：add（新增或改密码）/ rm / list；"
                       "add-key：新建 API 密钥（OpenAI 兼容接口与 MCP）")
    s.add_argument("action", choices=["add", "rm", "list", "add-key"])
    s.add_argument("name", nargs="?")
    s.add_argument("--role", choices=["reader", "admin"], default="reader", help="reader 只能提问和浏览；admin 还能上传和删除")
    s.add_argument("--file", metavar="FILE", help="用户文件（默认 POLICYKB_AUTH）")
    s.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（脚本用）")
    s.set_defaults(func=cmd_user)

    s = sub.add_parser("serve-api", parents=[common], help="只启动 OpenAI 兼容接口（/v1）与 MCP（/mcp），不含网页")
    s.add_argument("--host", help="监听地址（默认 POLICYKB_HOST，即 127.0.0.1）")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(func=cmd_serve_api)

    s = sub.add_parser("mcp", parents=[common], help="MCP 服务器（stdio），供 MCP 客户端以命令方式启动")
    s.add_argument("--role", choices=["reader", "admin"], default="reader",
                   help="reader 只能查询；admin 还能删除文件（delete_document）")
    s.set_defaults(func=cmd_mcp)
    from .versions_cli import add_parsers as add_version_parsers   # versions, diff, indicators --compare

    add_version_parsers(sub, common, out)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["eval"]:
        from eval.__main__ import main as eval_main

        return eval_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # output piped into `head` and the like: stop quietly, as other command-line tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except RuntimeError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
