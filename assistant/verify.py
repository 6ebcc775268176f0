"""Verify: is the chosen reading an answer to what was asked, for the asked scope?

A reading from structured facts (a matched task, indicator, a department's task list, a plan's
outline) has passed its own match threshold. A reading quoted from a passage must

- score at least the ``Thresholds`` of its kind of ask: the no-answer threshold, fitted on the fit
  half of the external development set and reported on the other half;
- hold the asked kind of item (a date, a number with the asked unit, a unit name): a description
  does not answer "多少";
- for a district's figure or deadline, come from the district's own documents or name the
  district: a wider area's figure does not answer for one district;
- for a figure or a deadline (matched indicators included), be about the asked subject: the
  question's own words besides the measure ("零碳**物流**园区", "奉贤新城中心公园城市示范区的森林覆盖率")
  are in the quote, its section path or its document's title — a sibling item ("零碳工业园区")
  or the whole district's figure is no answer (``subject_ok``).

Otherwise the ask is refused and the closest passages are shown as 参考.

Example:
    >>> choose(readings, ask, scope)
    Reading(score=0.93, kind='task', ...)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ingest.regions import CITY_OF, short_name

from .evidence import Topic
from .readers import Reading
from .scope import AnswerScope
from .understand import Query

STRUCTURED = frozenset({"task", "indicator", "dept", "overview", "document", "field"})
NEEDS_SLOT = frozenset({"deadline", "indicator", "lead", "co"})


@dataclass
class Thresholds:
    """No-answer thresholds on a quoted reading's score. Fitted with the weights fixed on the fit half
    of ncp-dev (all answerable; refused <= 5 %) together with this team's older gold sets (their 32
    unanswerable questions): a grid over both, best at 0.6 for a general ask and 0.5 for an ask of a
    value, a date or a unit. A topic-coverage floor (``own``) cost nothing there up to 0.2 for the
    asks of a value, a date or a unit (``own_value``) and only lost answers for general asks."""
    general: float = 0.6
    value: float = 0.5
    own: float = 0.0
    own_value: float = 0.2
    subject: float = 0.2


def choose(readings: list[Reading], ask: Query, scope: AnswerScope, th: Thresholds | None = None,
           idf: Callable[[str], float] | None = None) -> Reading | None:
    """The best reading that answers ``ask``, or None."""
    th = th or Thresholds()
    for r in sorted(readings, key=lambda r: -r.score):
        if answers(r, ask, scope, th, idf):
            return r
    return None


def answers(r: Reading, ask: Query, scope: AnswerScope, th: Thresholds,
            idf: Callable[[str], float] | None = None) -> bool:
    if ask.intent in ("deadline", "indicator") and r.kind in ("indicator", "passage") \
            and not subject_ok(ask, r, th, idf):
        return False
    if r.kind == "indicator" and ask.intent in ("deadline", "indicator") and not own_scope(r, ask, scope):
        return False                    # a group's figure for one of its districts
    if r.kind in STRUCTURED:
        return True
    slot_ask = ask.intent in NEEDS_SLOT
    if r.score - r.boost < (th.value if slot_ask else th.general) or r.own < (th.own_value if slot_ask else th.own):
        return False
    if ask.intent in NEEDS_SLOT and not r.slot:
        return False
    if ask.intent == "deadline" and _DAY_ASK.search(ask.text) and not _DAY.search(r.slot):
        return False                    # "材料哪天前交": a day, not the year in the notice's title
    if ask.intent in ("deadline", "indicator") and not own_scope(r, ask, scope):
        return False
    return True


_DAY_ASK = re.compile(r"哪一?天|哪日|几号|几月几[日号]")
_DAY = re.compile(r"\d\s*[日号]|[月天]|当[日天]|即日|之日")
_TOGETHER = "总体|整体|合计|共计|平均"
# a figure for several areas together: "门头沟区、平谷区、怀柔区、密云区、延庆区总体森林覆盖率保持在66%以上"
GROUP_FIGURE = re.compile(rf"((?:[\u4e00-\u9fff]{{1,6}}[区县市]、){{2,}}[\u4e00-\u9fff]{{1,6}}[区县市])等?[^，。；]{{0,4}}?(?:{_TOGETHER})")


def _names(text: str, area: str) -> bool:
    return area in text or short_name(area) in text


def own_scope(r: Reading, ask: Query, scope: AnswerScope) -> bool:
    """A figure for a named district comes from its own documents or names it, and not as one of
    several areas whose figure is given together (unless the question asks for them together); a
    figure asked for several districts together is given for them together."""
    districts = [a for a in ask.regions if a in CITY_OF]
    said = " ".join([r.quote or ""] + [f.get("sentence") or "" for f in r.facts])
    group = GROUP_FIGURE.search(said)
    # the group's figure answers for the district when the question asks what the wider plan says
    # ("北京市方案对门头沟…的要求"), not when it asks for the district's own ("单独定的", or no city named)
    wider = any(a not in CITY_OF for a in ask.regions) and not re.search(r"单独|单列|自己的|本区", ask.text)
    together = bool(re.search(rf"{_TOGETHER}|一起|合起来|总共", ask.text))
    if len(districts) == 1 and group and not wider and not together and _names(group.group(1), districts[0]):
        return False
    if len(districts) >= 2 and together:    # "五个区合起来算…": the group's figure, not one district's
        return bool(group) or all(_names(said, d) for d in districts)
    if not districts or r.doc_id in scope.primary:
        return True
    return any(_names(r.quote, d) for d in districts)


# words that say what kind of item is asked, not about what: they need not be in the answer
_GENERIC = frozenset("目标 要求 指标 任务 标准 规定 情况 内容 主要 相关 具体 原则上 小于 大于 低于 高于 不低于 不少于 "
                     "不超过 达到 提高 提升 降到 降低 增加 减少 控制 多少 数量 比例 规模 完成 时间 期限 年底 实现 计划 "
                     "方案 行动 实施 提出 明确 规划 预计 力争 全年 年度 累计 建设 工作 金额 数额 总额 人数 家数 个数 面积 数值 水平 "
                     "已经 目前 截至 共有 门槛 下限 上限 底线 限值 阈值 最低 最高 起码 至少".split())


def subject_words(ask: Query, measures: list[str]) -> list[str]:
    """The question's topic words that name what it is about, besides the measure and its kind."""
    names = [m for m in measures if m] + list(ask.regions) + [short_name(a) for a in ask.regions]
    return [w for w in ask.topic.split() if len(w) >= 2 and w not in _GENERIC
            and not any(w in m for m in names) and not re.fullmatch(r"[\d.%]+", w)]


def subject_ok(ask: Query, r: Reading, th: Thresholds, idf: Callable[[str], float] | None = None) -> bool:
    """The reading is about the asked subject: no word of the question's subject is missing while a
    sibling of it is there ("物流园区" asked, "工业园区" quoted), and the subject words are covered
    (IDF-weighted) at least ``th.subject`` in the quote, its section path and document title."""
    facts = [f for f in r.facts if f.get("type") == "indicator"]
    where = " ".join([r.quote, r.where] + [f"{f.get('title', '')} {f.get('section') or ''} {f['measure']} {f['sentence']}"
                                           for f in facts])
    where = re.sub(r"\s+", "", where)
    words = subject_words(ask, [ask.indicator or ""] + [f["measure"] for f in facts])
    unseen = idf("#\0\0") if idf else None       # the weight of a bigram no document holds
    for w in words:
        # a word of the documents' ("物流园区"), not one jieba glued from the question ("区搞消薄")
        known = unseen is None or idf("#" + w[:2]) < unseen
        if len(w) >= 3 and known and w not in where and w[-2:] in where and w[:-2] not in where:
            return False
    topic = Topic(" ".join(words), idf or (lambda t: 1.0))
    return not topic or topic.coverage(where) >= th.subject
