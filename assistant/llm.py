"""The optional LLM: rewrite a cited extractive answer through an OpenAI-compatible chat endpoint
(vLLM, llama.cpp server, Ollama, DeepSeek/Qwen APIs) with langchain-openai's ``ChatOpenAI``,
streaming, then check what came back.

The check (``verify``): the text is Chinese, carries citation markers, every marker names a given
source, and every number, date and unit name in it appears in the sources it cites. A failed check,
a timeout, an HTTP error or an unreachable endpoint all give the extractive answer with a notice;
nothing here raises.

Example:
    >>> for piece in generate(settings, extractive_answer):
    ...     print(piece if isinstance(piece, str) else piece.answer)
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"
_MARK = re.compile(r"\[(\d{1,3})\]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_UNIT = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:局|委员会|委|办公室|办|中心|管理处|政府)")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def load_prompt(name: str) -> str:
    return (PROMPTS / name).read_text(encoding="utf-8")


def build_messages(question: str, sources: dict[int, str], titles: dict[int, str], draft: str) -> list[tuple[str, str]]:
    """System rules, then one user message: the question, the numbered sources between <资料> tags
    (tags inside a document are removed so that it cannot close the block), and the draft."""
    def clean(s: str) -> str:
        return re.sub(r"</?资料>", "", s)

    block = "\n\n".join(f"[{n}] 《{clean(titles.get(n, ''))}》\n{clean(text)}" for n, text in sorted(sources.items()))
    user = load_prompt("answer.md").format(question=clean(question), sources=block, draft=clean(draft))
    return [("system", load_prompt("system.md")), ("human", user)]


def verify(text: str, sources: dict[int, str], known_units: Callable[[str], list[str]] | None = None) -> list[str]:
    """Problems with an LLM answer; empty when every claim can be traced to a cited source."""
    problems = []
    if not _CJK.search(text):
        return ["回答不是中文"]
    cited = {int(n) for n in _MARK.findall(text)}
    if not cited:
        return ["没有标注出处"]
    unknown = sorted(n for n in cited if n not in sources)
    if unknown:
        problems.append(f"引用了不存在的出处 {unknown}")
    support = re.sub(r"\s+", "", "".join(sources.get(n, "") for n in cited))
    body = _MARK.sub("", text)
    numbers = sorted({x for x in _NUMBER.findall(body) if x not in support})
    if numbers:
        problems.append(f"数字不见于所引原文：{'、'.join(numbers[:5])}")
    names = set(known_units(body)) if known_units else set()
    names |= {m.group(0) for m in _UNIT.finditer(body) if len(m.group(0)) >= 3}
    units = sorted(u for u in names if u not in support and (u[1:] not in support if u[:1] in "区市县" else True))
    if known_units:          # a unit the directory knows under another name counts by any of its names
        units = [u for u in units if not any(n in support for n in known_units(u))]
    if units:
        problems.append(f"单位名称不见于所引原文：{'、'.join(units[:5])}")
    return problems


def generate(settings, extractive, known_units: Callable[[str], list[str]] | None = None) -> Iterator:
    """Yield the model's text as it streams, then the final ``Answer`` (LLM or extractive fallback)."""
    from langchain_openai import ChatOpenAI

    pool = extractive.pool or extractive.citations
    titles = {c.n: c.title for c in pool}
    draft = extractive.answer if not extractive.refused else "（系统未能从资料中摘录出答案；如资料确实不足，请如实说明。）"
    messages = build_messages(extractive.question, extractive.sources, titles, draft)
    text = ""
    try:
        llm = ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model, api_key=settings.llm_api_key,
                         temperature=settings.llm_temperature, timeout=settings.llm_timeout_s,
                         max_tokens=settings.llm_max_tokens, max_retries=0, streaming=True)
        for chunk in llm.stream(messages):
            piece = chunk.content if isinstance(chunk.content, str) else ""
            if piece:
                text += piece
                yield piece
    except Exception as exc:                                    # any transport or API failure
        yield fallback(extractive, f"大模型服务不可用（{_reason(exc)}），以下为原文摘录回答。")
        return
    if re.match(r"\s*已收录的文件中未找到", text):
        yield fallback(extractive, "")
        return
    problems = verify(text, extractive.sources, known_units)
    if problems:
        yield fallback(extractive, f"大模型回答未通过核验（{'；'.join(problems)}），已改用原文摘录回答。")
        return
    cited = {int(n) for n in _MARK.findall(text)}
    yield replace(extractive, answer=text.strip(), mode="llm", refused=False, references=[],
                  citations=[c for c in pool if c.n in cited])


def fallback(extractive, notice: str):
    if not notice:
        return extractive
    return replace(extractive, notice=notice if not extractive.notice else f"{extractive.notice} {notice}")


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    if "Timeout" in name:
        return "请求超时"
    if "Connection" in name:
        return "无法连接"
    status = getattr(exc, "status_code", None)
    return f"HTTP {status}" if status else name
