"""What changed between two versions of a document: tasks, indicators, deadlines and units.

The tasks (and the indicators) of the two documents are paired by content — the task name and
text, the same plan year and kind of source counting for a pair — so a removed table row does not
shift every row after it. A paired task is compared on its 牵头单位, 配合单位 and 完成时间; a paired
indicator on its 目标值, 时间 and 责任单位. Unpaired items are 新增 (only in B) or 删除 (only in A).
Every change carries the source of each side (section, table row or body text, page, the text).

Example:
    >>> changes = diff_documents(kb.facts, "plan_v1", "plan_v2")
    >>> [(c.kind, c.change, c.field, c.old, c.new) for c in changes]
    [('任务', '修改', '完成时间', '2024年12月', '2025年6月'), ('任务', '删除', '', '制定《…》。', '')]
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from typing import Any, Callable

from .facts import FactStore

MIN_PAIR = 0.55                      # below this similarity two items are not the same item


@dataclass
class Change:
    kind: str                        # 任务 | 指标
    change: str                      # 新增 | 删除 | 修改
    item: str                        # the task name / indicator measure
    field: str = ""                  # 完成时间 | 牵头单位 | 配合单位 | 目标值 | 时间 | 责任单位 ("" for 新增/删除)
    old: str = ""
    new: str = ""
    source_a: str = ""
    source_b: str = ""
    ref_a: dict[str, Any] | None = None      # {"doc_id", "start", "end"} of side A (None: not in A)
    ref_b: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _norm(s: str | None) -> str:
    return re.sub(r"[\s，,。；;、“”\"'（）()《》【】]", "", s or "")


def _task_text(t: dict[str, Any]) -> str:
    return _norm(f"{t['name'] or ''}{t['content'] or ''}")


def _ind_text(i: dict[str, Any]) -> str:
    return _norm(i["sentence"])


def source_text(x: dict[str, Any]) -> str:
    """"2024年 表格第3行 · 第2页 · 三、… ：text" — where a task or an indicator is written."""
    where = {"table": f"表格第{(x.get('row_index') or 0) + 1}行", "lines": "正文", "note": "正文括注", "duty": "职责分工"}
    parts = []
    if x.get("plan_year"):
        parts.append(f"{x['plan_year']}年")
    if "source" in x:
        parts.append(where.get(x["source"], x["source"] or ""))
    if x.get("page"):
        parts.append(f"第{x['page']}页")
    crumb = re.split(r"\s*[›>]\s*", x.get("breadcrumb") or "")[-1]
    head = " · ".join(p for p in parts if p)
    body = (x.get("content") or x.get("name") or "") if "content" in x else x.get("sentence") or ""
    return f"{head}{' · ' if head and crumb else ''}{crumb}：{body[:160]}"


def _ref(x: dict[str, Any]) -> dict[str, Any]:
    return {"doc_id": x["doc_id"], "start": x.get("start"), "end": x.get("end")}


def pair(a: list[dict[str, Any]], b: list[dict[str, Any]], text: Callable[[dict], str],
         bonus: Callable[[dict, dict], float], allowed: Callable[[dict, dict], bool] = lambda x, y: True
         ) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Greedy best-first pairing by similarity (+ ``bonus``): (pairs, unpaired of a, unpaired of b)."""
    ta, tb = [text(x) for x in a], [text(y) for y in b]
    scored = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if not allowed(x, y):
                continue
            if ta[i] == tb[j]:
                s = 1.0
            else:
                m = SequenceMatcher(None, ta[i], tb[j], autojunk=False)
                if m.real_quick_ratio() < MIN_PAIR or m.quick_ratio() < MIN_PAIR:
                    continue
                s = m.ratio()
            if s >= MIN_PAIR:
                scored.append((s + bonus(x, y), -abs(i - j), i, j))
    scored.sort(reverse=True)
    used_a, used_b, pairs = set(), set(), []
    for _, _, i, j in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j))
    return (sorted(pairs), [i for i in range(len(a)) if i not in used_a], [j for j in range(len(b)) if j not in used_b])


def _units(us: list[str]) -> str:
    return "、".join(us)


def _unit_change(field: str, old: list[str], new: list[str]) -> tuple[str, str, str] | None:
    if old == new:
        return None
    added = [u for u in new if u not in old]
    gone = [u for u in old if u not in new]
    if not added and not gone:
        return (f"{field}（顺序）", _units(old), _units(new))
    return (field, _units(old), _units(new))


def diff_tasks(ta: list[dict[str, Any]], tb: list[dict[str, Any]]) -> list[Change]:
    def bonus(x: dict, y: dict) -> float:
        return 0.1 * (x.get("plan_year") == y.get("plan_year")) + 0.05 * (x.get("source") == y.get("source"))

    pairs, only_a, only_b = pair(ta, tb, _task_text, bonus,
                                 allowed=lambda x, y: x.get("plan_year") == y.get("plan_year") or not (
                                     x.get("plan_year") and y.get("plan_year")))
    out: list[Change] = []
    for i, j in pairs:
        x, y = ta[i], tb[j]
        name = y["name"] or x["name"] or ""
        fields = [_unit_change("牵头单位", x["lead"], y["lead"]), _unit_change("配合单位", x["co"], y["co"]),
                  ("完成时间", x["deadline"] or "", y["deadline"] or "")]
        for field, old, new in (f for f in fields if f and f[1] != f[2]):
            out.append(Change("任务", "修改", name, field, old, new, source_text(x), source_text(y), _ref(x), _ref(y)))
    for i in only_a:
        x = ta[i]
        out.append(Change("任务", "删除", x["name"] or "", "", (x["content"] or x["name"] or "")[:160], "",
                          source_text(x), "", _ref(x), None))
    for j in only_b:
        y = tb[j]
        out.append(Change("任务", "新增", y["name"] or "", "", "", (y["content"] or y["name"] or "")[:160],
                          "", source_text(y), None, _ref(y)))
    return out


def diff_indicators(ia: list[dict[str, Any]], ib: list[dict[str, Any]],
                    canonical: Callable[[str], str] = lambda m: m) -> list[Change]:
    def bonus(x: dict, y: dict) -> float:
        return 0.1 * ((x.get("target") or "") == (y.get("target") or "")) + 0.05 * (x.get("scope") == y.get("scope"))

    def text(x: dict) -> str:
        # the sentence without its numbers: a changed value must not stop the pairing
        return re.sub(r"\d+(?:\.\d+)?", "#", _ind_text(x))

    pairs, only_a, only_b = pair(ia, ib, text, bonus,
                                 allowed=lambda x, y: canonical(x["measure"]) == canonical(y["measure"]))
    out: list[Change] = []
    for i, j in pairs:
        x, y = ia[i], ib[j]
        for field, old, new in (("目标值", x["value_text"], y["value_text"]),
                                ("时间", x["target"] or "", y["target"] or ""),
                                ("责任单位", _units(x["units"]), _units(y["units"]))):
            if old != new:
                out.append(Change("指标", "修改", y["measure"], field, old, new, source_text(x), source_text(y),
                                  _ref(x), _ref(y)))
    for i in only_a:
        x = ia[i]
        out.append(Change("指标", "删除", x["measure"], "", x["value_text"], "", source_text(x), "", _ref(x), None))
    for j in only_b:
        y = ib[j]
        out.append(Change("指标", "新增", y["measure"], "", "", y["value_text"], "", source_text(y), None, _ref(y)))
    return out


def diff_documents(facts: FactStore, doc_a: str, doc_b: str) -> list[Change]:
    """Every change from document ``doc_a`` to ``doc_b`` (ids), tasks first, in document order of B."""
    from .indicator_compare import MeasureDirectory

    ta = _rows(facts, "tasks", doc_a)
    tb = _rows(facts, "tasks", doc_b)
    ia, ib = _rows(facts, "indicators", doc_a), _rows(facts, "indicators", doc_b)
    directory = MeasureDirectory([i["measure"] for i in ia + ib])
    changes = diff_tasks(ta, tb) + diff_indicators(ia, ib, directory.canonical)
    return changes


def _rows(facts: FactStore, table: str, doc_id: str) -> list[dict[str, Any]]:
    # by exact id: facts.tasks(doc=…) also matches title fragments, and two versions share a title
    rows = facts._dicts(f"SELECT * FROM {table} WHERE doc_id=? ORDER BY idx", [doc_id])
    return [facts._task(r) for r in rows] if table == "tasks" else [facts._indicator(r) for r in rows]


def summary(changes: list[Change]) -> str:
    """"任务：修改 2 处，删除 1 项；指标：修改 1 处" (or 两个版本的任务与指标没有差别)."""
    if not changes:
        return "两个版本的任务、指标、完成时间与责任单位没有差别。"
    parts = []
    for kind in ("任务", "指标"):
        c = [x for x in changes if x.kind == kind]
        if c:
            n = {k: sum(1 for x in c if x.change == k) for k in ("新增", "删除", "修改")}
            parts.append(f"{kind}：" + "，".join(f"{k} {v} {'处' if k == '修改' else '项'}" for k, v in n.items() if v))
    return "；".join(parts)
