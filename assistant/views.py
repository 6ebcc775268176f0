"""What the web app shows, built from answers and facts without any UI library: the chat message of
an answer with its expandable sources, the rows of the task and indicator tables, a department's
summary, the source passage of a row, example questions drawn from the loaded corpus, and a
document's parsed structure.

Everything that reaches the page is HTML-escaped here; the app only places the strings.

Example:
    >>> html = answer_message(bot.ask("万级负氧离子体验区由谁牵头？"), bot.docs)
    >>> "<details class=\"pk-source\"" in html
    True
"""
from __future__ import annotations

import functools
import os

import html
import re
from datetime import date
from typing import Any, Iterable

from ingest.articles import refine_section
from kb.retrievers import section_heading

from .evidence import Citation, DocTexts
from .timeframe import due_text, month_of, status

TASK_COLUMNS = ["文件", "章节", "任务", "牵头单位", "配合单位", "完成时间", "状态"]
INDICATOR_COLUMNS = ["文件", "指标", "要求", "目标值", "单位", "时间", "责任单位", "来源"]
DOCUMENT_COLUMNS = ["文档ID", "标题", "地区", "类型", "发文单位", "成文日期", "片段", "表格", "任务", "指标"]
_PASSAGE_MAX = 1200


def esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def short_title(title: str, meta: dict[str, Any] | None = None) -> str:
    """The plan's own name rather than the 印发…的通知 wrapper."""
    short = ((meta or {}).get("extra") or {}).get("short_title")
    return short or title


# --- passages -----------------------------------------------------------------------------------
def passage_bounds(doc: dict[str, Any], start: int, end: int, max_chars: int = _PASSAGE_MAX) -> tuple[int, int]:
    """The passage around a quote: the smallest section holding it when that is short enough,
    otherwise the paragraphs around it up to ``max_chars``."""
    text = doc["text"]
    best = None
    for s in doc.get("sections") or []:
        if s["start"] <= start and end <= s["end"] and s["end"] - s["start"] <= max_chars:
            if best is None or s["end"] - s["start"] < best[1] - best[0]:
                best = (s["start"], s["end"])
    if best:
        return best
    p0 = text.rfind("\n", 0, start) + 1
    p1 = text.find("\n", end)
    p1 = len(text) if p1 < 0 else p1
    while p1 - p0 < max_chars // 2:            # widen by whole paragraphs while short
        prev = text.rfind("\n", 0, max(p0 - 1, 0)) + 1 if p0 > 0 else p0
        nxt = text.find("\n", p1 + 1) if p1 < len(text) else p1
        nxt = len(text) if nxt < 0 else nxt
        if (prev, nxt) == (p0, p1) or nxt - prev > max_chars:
            break
        p0, p1 = prev, nxt
    if p1 - p0 > max_chars:                    # one very long paragraph: a window on the quote
        p0 = max(p0, start - max_chars // 3)
        p1 = min(p1, max(end, p0 + max_chars))
    return p0, p1


def highlighted(text: str, p0: int, p1: int, start: int, end: int) -> str:
    """``text[p0:p1]`` as HTML with ``text[start:end]`` in ``<mark>``; line breaks as ``<br>`` (no
    blank lines, so the block stays one HTML block inside Markdown)."""
    start, end = max(p0, min(start, p1)), max(p0, min(end, p1))

    def part(a: int, b: int) -> str:
        return _br(esc(text[a:b]))

    return (("…" if p0 > 0 else "") + part(p0, start) + (f"<mark>{part(start, end)}</mark>" if end > start else "")
            + part(end, p1) + ("…" if p1 < len(text) else ""))


def _br(s: str) -> str:
    # table cells are tab-separated in the parsed text: keep them apart on the page
    return re.sub(r"\s*\n\s*", "<br>", s.strip("\n")).replace("\t", "　")


def locate(c: Citation, doc: dict[str, Any]) -> tuple[int, int]:
    text = doc["text"]
    if 0 <= c.start < c.end <= len(text) and text[c.start:c.end] == c.quote:
        return c.start, c.end
    i = text.find(c.quote) if c.quote else -1
    return (i, i + len(c.quote)) if i >= 0 else (0, 0)


def source_label(title: str, section: str | None, page: int | None) -> str:
    crumbs = [p for p in (section or "").split(" › ") if p]
    if crumbs and crumbs[0] in title:          # the root section repeats the title
        crumbs = crumbs[1:]
    return " › ".join([title] + crumbs) + (f" · 第{page}页" if page else "")


PAGE_FILES = (".pdf", ".ofd", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")


def source_block(n: int | str, c: Citation, docs: DocTexts, css: str = "pk-source", page_image: bool = True) -> str:
    """One expandable source: summary line (document › breadcrumb · page, 识别文字 for OCR text),
    full passage with the quoted span highlighted, and for a PDF, OFD or scan the page image with
    the quote's box highlighted."""
    doc = docs.get(c.doc_id)
    section = refine_section(c.section, doc["sections"], c.start, c.end) if doc else c.section   # 第X条第Y款
    label = source_label(short_title(c.title, doc["meta"] if doc else None), section, c.page)
    if doc and c.page and c.page in ocr_pages(doc["meta"]):
        label += " · 识别文字"
    if doc:
        start, end = locate(c, doc)
        p0, p1 = passage_bounds(doc, start, end)
        body = highlighted(doc["text"], p0, p1, start, end)
    else:
        body = f"<mark>{_br(esc(c.quote))}</mark>"
    image = page_image_html(doc, c) if page_image and doc else ""
    return (f'<details class="{css}"><summary>[{esc(n)}] {esc(label)}</summary>'
            f'<div class="pk-passage">{body}</div>{image}</details>')


@functools.lru_cache(maxsize=256)
def _page_uri(path: str, mtime: float, page: int, quote: str) -> str | None:
    from ingest.page_view import citation_data_uri

    try:
        return citation_data_uri(path, page, quote)
    except Exception:                      # a page that cannot be drawn leaves the text view
        return None


def page_image_html(doc: dict[str, Any], c: Citation) -> str:
    """The cited page as an image (PDF, OFD, scan), rendered locally; "" for other files."""
    path = doc.get("path") or ""
    if not c.page or not path.lower().endswith(PAGE_FILES) or not os.path.isfile(path):
        return ""
    uri = _page_uri(path, os.path.getmtime(path), c.page, c.quote)
    return f'<img class="pk-page" alt="第{c.page}页" src="{uri}"/>' if uri else ""


def inspect_page_html(row: dict[str, Any] | None, chunk: dict[str, Any] | None = None, page: int | None = None) -> str:
    """文档库 › inspect: a PDF, OFD or scan's page as an image, the chosen chunk highlighted on it
    (the chunk's page, or ``page``); "" for a document without page images."""
    path = (row or {}).get("path") or ""
    if not path.lower().endswith(PAGE_FILES) or not os.path.isfile(path):
        return ""
    page = (chunk or {}).get("page") or page or 1
    # the chunk as printed (a table row: its cells in order), else its first line or sentence (page_view.quote_forms)
    quote = chunk["text"] if chunk and chunk.get("kind") in ("text", "table_row") else ""
    uri = _page_uri(path, os.path.getmtime(path), int(page), quote)
    if not uri:
        return f'<p class="pk-page-note">第{esc(page)}页无法显示。</p>'
    note = "已标出所选片段" if quote else "点击上表中的一个片段，查看它所在的页"
    return (f'<p class="pk-page-note">原文第{esc(page)}页（{note}）</p>'
            f'<img class="pk-page" alt="第{esc(page)}页" src="{uri}"/>')


# --- chat -----------------------------------------------------------------------------------------

def clicked_row(index: Any, row_value: Any, rows: Any) -> int | None:
    """The position in ``rows`` of a clicked table row: the row whose cells equal the clicked row's
    values (so a table the user sorted still maps to its facts), else the clicked index. ``index``
    is a Gradio ``SelectData.index`` ([row, col] or row); ``rows`` a list of rows or a DataFrame.

    Example:
        >>> clicked_row([1, 0], ["b", 2], [["a", 1], ["b", 2]])
        1
    """
    i = index[0] if isinstance(index, (list, tuple)) else index
    want = [str(v) for v in (row_value or [])]
    rows = rows.values.tolist() if hasattr(rows, "values") else rows or []     # a DataFrame from the page
    for j, r in enumerate(rows):
        if [str(v) for v in r] == want:
            return j
    return i


def answer_badges(answer: Any, llm_enabled: bool) -> list[tuple[str, str]]:
    """(css class, text) markers shown above an answer: a refusal, an LLM answer, or an LLM answer
    that fell back to the extractive one (with the reason), and any other notice."""
    out = []
    fell_back = llm_enabled and answer.mode != "llm" and not answer.refused
    if answer.refused:
        out.append(("pk-refused", "未找到依据"))
    if answer.mode == "llm":
        out.append(("pk-llm", "大模型改写 · 已核对出处"))
    elif fell_back:
        out.append(("pk-fallback", "未采用大模型 · 原文摘录"))
    if answer.notice and answer.notice not in answer.answer:
        out.append(("pk-fallback" if fell_back else "pk-note", answer.notice))
    return out


def answer_message(answer: Any, docs: DocTexts, llm_enabled: bool = False) -> str:
    """The chat message of an ``Answer``: markers, the answer (Markdown), then its numbered sources
    (or, for a refusal, the closest passages as 参考, marked as not an answer)."""
    parts = []
    badges = answer_badges(answer, llm_enabled)
    if badges:
        parts.append(" ".join(f'<span class="pk-badge {c}">{esc(t)}</span>' for c, t in badges))
    parts.append(answer.answer.strip())
    if answer.citations:
        blocks = "".join(source_block(c.n, c, docs) for c in answer.citations)
        parts.append(f'<div class="pk-sources"><div class="pk-sources-title">来源（点击展开原文）</div>{blocks}</div>')
    if answer.refused and answer.references:
        blocks = "".join(source_block(f"参考{i}", c, docs, "pk-source pk-reference")
                         for i, c in enumerate(answer.references, 1))
        parts.append(f'<div class="pk-sources"><div class="pk-sources-title">最接近的段落（仅供参考，并非答案）</div>'
                     f'{blocks}</div>')
    return "\n\n".join(parts)


def example_questions(facts, docs: list[dict[str, Any]], n: int = 6) -> list[str]:
    """Questions that the loaded corpus can answer, built from its own tasks, units, indicators
    and documents (round-robin over documents, so a new upload shows up too)."""
    out: list[str] = []
    tasks = facts.tasks()
    good = [t for t in tasks if t.get("name") and 4 <= len(t["name"]) <= 18 and not re.search(r"[，,。；;]", t["name"])]
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for t in good:
        by_doc.setdefault(t["doc_id"], []).append(t)
    for ts in by_doc.values():
        t = next((t for t in ts if t["lead"]), None)
        if t:
            out.append(f"{t['name']}由谁牵头？")
        t = next((t for t in ts if t.get("due") and f"{t['name']}由谁牵头？" not in out), None)
        if t:
            out.append(f"{t['name']}什么时候完成？")
    depts = [d for d in facts.departments() if d["kind"] == "department" and d["lead"]]
    if depts:
        out.append(f"{depts[0]['name']}牵头哪些任务？")
    seen = set()
    for i in facts.indicators():
        key = (i["measure"], i["region"])
        if key in seen or not 3 <= len(i["measure"]) <= 10:
            continue
        seen.add(key)
        out.append(f"{i['region'] or ''}{i['measure']}的目标是多少？")
        if len(seen) >= 2:
            break
    for d in docs[:2]:
        region = (d.get("meta") or {}).get("region") or ""
        name = short_title(d["title"], d.get("meta"))
        out.append(f"{name}有哪些重点任务？" if region and region[:2] in name else f"{region}{name}有哪些重点任务？")
    return _interleave(out, n)


def _interleave(items: list[str], n: int) -> list[str]:
    seen: list[str] = []
    for q in items:
        if q not in seen:
            seen.append(q)
    # alternate kinds of question instead of showing all 牵头 questions first
    kinds: dict[str, list[str]] = {}
    for q in seen:
        kinds.setdefault(re.sub(r"^.*?(由谁牵头|什么时候完成|牵头哪些任务|的目标是多少|有哪些重点任务)？$", r"\1", q), []).append(q)
    out: list[str] = []
    while len(out) < n and any(kinds.values()):
        for k in list(kinds):
            if kinds[k] and len(out) < n:
                out.append(kinds[k].pop(0))
    return out


# --- tasks ------------------------------------------------------------------------------------------
def task_row(t: dict[str, Any], today: date, titles: dict[str, str]) -> list[str]:
    return [titles.get(t["doc_id"], t.get("title") or t["doc_id"]), section_heading(t.get("breadcrumb") or ""),
            t.get("name") or (t.get("content") or "")[:60], "、".join(t.get("lead") or []), "、".join(t.get("co") or []),
            t.get("deadline") or due_text(t.get("due")) or "", task_status(t, today)]


def task_status(t: dict[str, Any], today: date) -> str:
    return status(t.get("due"), today, t.get("deadline_kind") or "date")


def status_counts(tasks: Iterable[dict[str, Any]], today: date) -> dict[str, int]:
    """{"已到期": n, …} in a fixed order, statuses that occur only."""
    states = [task_status(t, today) for t in tasks]
    return {s: states.count(s) for s in ("已到期", "本月到期", "未到期", "持续", "未定") if states.count(s)}


def department_summary(summary: dict[str, Any], today: date, upcoming: int = 3) -> str:
    """Markdown: "区气象局：牵头 34 项，配合 1 项", overdue count and the next deadlines."""
    lead, co = summary["lead"], summary["co"]
    canon = summary["canonical"]
    aliases = [n for n in summary["names"] if n != canon]
    head = f"**{esc(canon)}**" + (f"（含 {esc('、'.join(aliases))}）" if aliases else "")
    lines = [f"{head}：牵头 **{len(lead)}** 项，配合 **{len(co)}** 项"]
    every = [(t, "牵头") for t in lead] + [(t, "配合") for t in co]
    counts = status_counts(lead + co, today)
    if counts:
        lines.append("状态：" + "，".join(f"{k} {v} 项" for k, v in counts.items()))
    cur = f"{today.year:04d}-{today.month:02d}"
    nxt = sorted(((t, r) for t, r in every if t.get("due") and month_of(t["due"]) >= cur),
                 key=lambda x: (x[0]["due"], x[0]["doc_id"], x[0]["idx"]))
    if nxt:
        lines.append("最近到期：")
        lines += [f"- {esc(due_text(t['due'], t.get('deadline') or ''))}　{esc(t.get('name') or '')}（{r}，"
                  f"{esc(section_heading(t.get('breadcrumb') or ''))}）" for t, r in nxt[:upcoming]]
    return "\n\n".join(lines[:2]) + ("\n\n" + "\n".join(lines[2:]) if len(lines) > 2 else "")


# --- indicators -----------------------------------------------------------------------------------
def indicator_row(i: dict[str, Any], titles: dict[str, str]) -> list[str]:
    value = i["value_text"]
    unit = i.get("unit") or ""
    number = value[:-len(unit)] if unit and value.endswith(unit) else value
    number = number.lstrip("≥≤≈<>")
    return [titles.get(i["doc_id"], i.get("title") or i["doc_id"]), i["measure"],
            i.get("comparator_text") or {"≥": "不低于", "≤": "不高于", "≈": "约", "=": "达到"}.get(i["comparator"], ""),
            number, unit, i.get("target") or due_text(i.get("due")) or "", "、".join(i.get("units") or []),
            source_label("", i.get("breadcrumb"), i.get("page")).lstrip(" ›")]


def fact_source(fact: dict[str, Any], docs: DocTexts, title: str) -> str:
    """HTML of the passage a task or indicator row was read from, its span highlighted."""
    doc = docs.get(fact["doc_id"])
    if not doc:
        return "<p>该文档已不在知识库中。</p>"
    start, end = fact.get("start") or 0, fact.get("end") or 0
    p0, p1 = passage_bounds(doc, start, end)
    label = source_label(title, fact.get("breadcrumb"), fact.get("page"))
    return (f'<div class="pk-fact-source"><div class="pk-sources-title">{esc(label)}</div>'
            f'<div class="pk-passage">{highlighted(doc["text"], p0, p1, start, end)}</div></div>')


# --- documents -----------------------------------------------------------------------------------
def document_row(d: dict[str, Any]) -> list[Any]:
    m = d.get("meta") or {}
    return [d["doc_id"], short_title(d["title"] or d["doc_id"], m), m.get("region") or "", m.get("kind") or "",
            m.get("issuer") or "", m.get("date") or "", d["n_chunks"], d["n_tables"], d.get("n_tasks", 0),
            d.get("n_indicators", 0)]


def structure_markdown(row: dict[str, Any]) -> str:
    """A document's heading tree (indented list), tables and counts, as Markdown."""
    parsed = row.get("parsed") or {}
    m = row.get("meta") or {}
    lines = [f"### {esc(row['title'])}",
             "　".join(f"{k}：{esc(v)}" for k, v in (("发文单位", m.get("issuer")), ("地区", m.get("region")),
                                                    ("类型", m.get("kind")), ("日期", m.get("date")),
                                                    ("文号", m.get("doc_number")), ("状态", m.get("status"))) if v),
             f"文件：`{esc(row['path'])}`　章节 {row['n_sections']} 个，表格 {row['n_tables']} 个，片段 {row['n_chunks']} 个",
             *file_notes(m), "", "**章节结构**", ""]
    for s in parsed.get("sections", []):
        if s.get("level", 0) == 0:
            continue
        lines.append("  " * (s["level"] - 1) + f"- {esc(s['title'])}")
    tables = parsed.get("tables") or []
    if tables:
        lines += ["", "**表格**", ""]
        for i, t in enumerate(tables, 1):
            cap = t.get("caption") or f"表格{i}"
            lines.append(f"- {esc(cap)}：{len(t.get('rows') or [])} 行；列：{esc('、'.join(t.get('headers') or []))}")
    return "\n".join(lines)


def ocr_pages(meta: dict[str, Any] | None) -> set[int]:
    """The pages read by OCR, from the metadata's ``ocr_pages`` ("1,3" as stored, or a list)."""
    raw = ((meta or {}).get("extra") or {}).get("ocr_pages") or ""
    items = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
    return {int(x) for x in items if str(x).strip().isdigit()}


def file_notes(meta: dict[str, Any]) -> list[str]:
    """What the file itself says beyond its text: signed (OFD 签章), pages read by OCR, converted from .doc."""
    extra = (meta or {}).get("extra") or {}
    out = []
    if extra.get("signed"):
        out.append("签章：文件带电子签章（签章不是正文，未收录为文字）")
    if extra.get("ocr_pages"):
        out.append(f"识别文字（OCR）：第 {esc(extra['ocr_pages'])} 页由扫描图像识别")
    if extra.get("converted_from"):
        out.append(f"由 .{esc(extra['converted_from'])} 转换为文本后导入")
    return out


def chunk_rows(row: dict[str, Any]) -> list[list[Any]]:
    return [[i, c["kind"], c["breadcrumb"].split(" › ", 1)[-1] if " › " in c["breadcrumb"] else c["breadcrumb"],
             c.get("page") or "", len(c["text"]), c["text"]] for i, c in enumerate((row.get("parsed") or {}).get("chunks", []))]


def doc_titles(docs: Iterable[dict[str, Any]]) -> dict[str, str]:
    return {d["doc_id"]: short_title(d["title"] or d["doc_id"], d.get("meta")) for d in docs}
