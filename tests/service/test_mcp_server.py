"""The MCP server through the official `mcp` client SDK: in process (tools, schemas, the role gate),
over stdio (`policykb mcp` as an MCP client starts it) and over streamable HTTP on the web app with
API keys."""
import datetime as dt
import sys

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import ROOT
from tests.service.conftest import REFUSED_Q, SEED_Q, env, in_fresh_thread

OXYGEN_PLAN = "门头沟区_氧吧助力绿水青山门头沟高质量发展三年行动计划2024-2026"
TOOLS = {"ask", "search", "tasks", "indicators", "documents"}


@pytest.fixture(scope="module")
def svc(seed_kb):
    from assistant import Assistant
    from service.core import PolicyService

    return PolicyService(Assistant(kb=seed_kb, today=dt.date(2026, 11, 21)))


def run(coro_fn):
    return in_fresh_thread(anyio.run, coro_fn)


def test_tools_in_process_with_schemas_and_bilingual_descriptions(svc):
    from service.mcp_server import build_mcp

    async def main():
        async with Client(build_mcp(svc, default_role="reader")) as c:
            tools = {t.name: t for t in (await c.list_tools()).tools}
            assert set(tools) == TOOLS                                   # no admin tool for a reader
            for t in tools.values():
                zh, en = t.description.split("\n")
                assert any("\u4e00" <= ch <= "\u9fff" for ch in zh) and en.isascii() and len(en) > 30
                assert t.output_schema and t.output_schema.get("type") == "object"
            assert tools["ask"].input_schema["required"] == ["question"]
            assert set(tools["tasks"].input_schema["properties"]) == {"unit", "role", "document", "due_before"}

            a = (await c.call_tool("ask", {"question": SEED_Q})).structured_content
            assert "区气象局" in a["answer"] and not a["refused"] and a["citations"][0]["quote"]
            assert "来源：" in a["text"]
            f = (await c.call_tool("ask", {"question": "那配合单位呢？", "history": [SEED_Q]})).structured_content
            assert "百花山管理处" in f["answer"]
            r = (await c.call_tool("ask", {"question": REFUSED_Q})).structured_content
            assert r["refused"] and not r["citations"]

            s = (await c.call_tool("search", {"query": "万级负氧离子体验区", "k": 3})).structured_content
            assert len(s["passages"]) == 3 and all(" › " in p["breadcrumb"] for p in s["passages"])
            t = (await c.call_tool("tasks", {"unit": "区气象局", "role": "lead"})).structured_content
            assert t["unit"] == "区气象局" and t["lead_count"] == len(t["tasks"]) > 0 and t["co_count"] == 0
            assert all("区气象局" in x["lead"] or any("区气象局" in st["lead"] for st in x["steps"]) for x in t["tasks"])
            assert any(len(x["steps"]) == 3 for x in t["tasks"])          # a body task with its 2024-2026 rows
            early = (await c.call_tool("tasks", {"unit": "区气象局", "due_before": "2024年12月"})).structured_content
            every = (await c.call_tool("tasks", {"unit": "区气象局"})).structured_content
            assert 0 < len(early["tasks"]) < len(every["tasks"])
            assert all(any(d and d <= "2024-12" for d in [x["due"]] + [st["due"] for st in x["steps"]])
                       for x in early["tasks"])
            assert (await c.call_tool("tasks", {"due_before": "明年"})).is_error
            bad = await c.call_tool("tasks", {"unit": "不存在的单位局"})
            assert bad.is_error
            i = (await c.call_tool("indicators", {"query": "森林覆盖率"})).structured_content
            assert i["indicators"] and all("森林覆盖率" in (x["measure"] + x["sentence"]) for x in i["indicators"])
            d = (await c.call_tool("documents", {})).structured_content
            assert len(d["documents"]) >= 5 and all(x["doc_id"] and x["title"] for x in d["documents"])

            refused = await c.call_tool("delete_document", {"document": OXYGEN_PLAN})
            assert refused.is_error and "管理员" in refused.content[0].text
        assert svc.kb.registry.get(OXYGEN_PLAN)                              # nothing was deleted

    run(main)


def test_admin_sees_and_reaches_admin_tools_in_process(svc):
    from service.mcp_server import build_mcp

    async def main():
        async with Client(build_mcp(svc, default_role="admin")) as c:
            assert "delete_document" in {t.name for t in (await c.list_tools()).tools}
            r = await c.call_tool("delete_document", {"document": "不存在的文件"})
            assert not r.is_error and r.structured_content["deleted"] is None

    run(main)


@pytest.mark.integration
def test_stdio(kb_copy):
    params = StdioServerParameters(command=sys.executable, args=["-m", "service.cli", "mcp"], cwd=str(ROOT),
                                   env=env(kb_copy("svc-stdio-kb")))

    async def main():
        async with Client(params, read_timeout_seconds=120) as c:
            assert {t.name for t in (await c.list_tools()).tools} == TOOLS
            a = (await c.call_tool("ask", {"question": SEED_Q})).structured_content
            assert "区气象局" in a["answer"] and a["citations"]
            assert (await c.call_tool("delete_document", {"document": OXYGEN_PLAN})).is_error

    run(main)


def _http(server, key: str | None):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return Client(streamable_http_client(server.url + "/mcp", http_client=httpx2.AsyncClient(headers=headers, timeout=120)))


@pytest.mark.integration
def test_http_on_the_web_app_with_keys(app_with_keys):
    async def main():
        async with _http(app_with_keys, app_with_keys.keys["reader"]) as c:
            assert {t.name for t in (await c.list_tools()).tools} == TOOLS
            a = (await c.call_tool("ask", {"question": SEED_Q})).structured_content
            assert "区气象局" in a["answer"] and a["citations"]
            r = await c.call_tool("delete_document", {"document": OXYGEN_PLAN})
            assert r.is_error and "管理员" in r.content[0].text
            assert (await c.call_tool("documents", {})).structured_content["documents"]
        async with _http(app_with_keys, app_with_keys.keys["admin"]) as c:
            assert "delete_document" in {t.name for t in (await c.list_tools()).tools}
            r = await c.call_tool("delete_document", {"document": "不存在的文件"})
            assert not r.is_error and r.structured_content["deleted"] is None

    run(main)


@pytest.mark.integration
def test_http_bad_key_is_401(app_with_keys):
    r = httpx2.post(app_with_keys.url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                    headers={"Authorization": "Bearer pk-wrong", "Accept": "application/json, text/event-stream"})
    assert r.status_code == 401

    async def main():
        async with _http(app_with_keys, "pk-wrong") as c:
            await c.list_tools()

    with pytest.raises(BaseException) as e:
        run(main)
    from mcp.shared.exceptions import MCPError

    assert any(isinstance(x, MCPError) for x in _leaves(e.value)), repr(e.value)      # the client refuses to go on


def _leaves(exc: BaseException):
    """The exceptions inside (nested) exception groups, with their causes."""
    if isinstance(exc, BaseExceptionGroup):
        for x in exc.exceptions:
            yield from _leaves(x)
    else:
        yield exc
        if exc.__cause__ is not None:
            yield from _leaves(exc.__cause__)
