"""What kind of answer a question wants, and whether a passage can supply it.

A question that asks "什么时候完成" wants a passage with a date in it (the task table row rather
than the paragraph describing the task); "谁牵头" wants one that names 牵头/配合 units; "多少" a
number with a unit; "有哪些重点任务" an outline of headings. The hybrid retriever adds a small
bonus to such passages, and holds outlines back for questions that do not ask for a list.

Example:
    >>> wanted("万级负氧离子体验区什么时候完成？")
    {'deadline'}
    >>> supplies("完成时间：2024年12月")
    {'deadline'}
"""
from __future__ import annotations

import re

QUESTION = {
    "deadline": re.compile(r"什么时[候间]|啥时候|何时|时限|期限|完成时间|截止|哪一?年|几月|时间节点|到期|哪一?天|哪日|几号(?!文)"),
    # how long ("延期缴纳税款多久") is a quantity (3个月), not a date
    "number": re.compile(r"多久|多长时间|多少|几[套家处个项所座条座户人]|目标值|比例是|占比|百分之|不低于多|达到多|[到在于为]什么水平|多高"),
    "unit": re.compile(r"谁|哪个部门|哪些部门|哪[个些]单位|牵头|配合|责任单位|负责单位|主责"),
    "definition": re.compile(r"是指|指什么|什么意思|含义|指的是|简称"),
    "overview": re.compile(r"哪几[个大项部方条]|哪些(?:重点|主要)?(?:任务|内容|方面|部分|措施|板块|举措)|分为|包括哪|主要内容|重点任务|框架|结构|概况"),
}

PASSAGE = {
    "deadline": re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:底|末)?前|\d{4}\s*年\s*\d{1,2}\s*月|完成时[间限]|年底前"),
    "number": re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|公顷|平方公里|亩|套|家|处|个|座|项|万|亿|米|公里|吨|人|所)"),
    "unit": re.compile(r"牵头单位|配合单位|责任单位|牵头部门|配合部门|主责单位|(?:局|委|办|中心|处)[，、]?(?:牵头|负责|配合)"
                       r"|(?:局|委|办|中心|处|政府)[^。；]{0,40}(?:起草|制定|编制|印发)"),
    "definition": re.compile(r"简称|是指|指的是|“[^”]{1,12}”[（(][^）)]{4,}[）)]|[（(][^）)]*“[^”]+”为"),
}


def wanted(question: str) -> set[str]:
    return {k for k, rx in QUESTION.items() if rx.search(question)}


def supplies(text: str, kind: str = "text") -> set[str]:
    """Answer types a passage can supply; an outline (list of headings) supplies an overview only."""
    if kind == "outline":
        return {"overview"}
    return {k for k, rx in PASSAGE.items() if rx.search(text)}
