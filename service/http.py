"""The HTTP side of the service: the OpenAI-compatible routes (``/v1/…``) and the MCP server's
streamable-HTTP endpoint (``/mcp``), either mounted on the web app's FastAPI app or served alone.

On the web app, ``app.py`` passes ``gradio_lifespan(bot)`` as the lifespan of Gradio's FastAPI app
(``launch(app_kwargs={"lifespan": …})``): at start-up it adds the routes to that app and runs the MCP
session manager for as long as the app runs. ``policykb serve-api`` serves the same routes alone
(``create_app`` + uvicorn). Both check API keys the same way (``service.auth``).

Example:
    >>> demo.launch(..., app_kwargs={"lifespan": gradio_lifespan(bot)})      # in app.py
    >>> serve(Settings(), host="127.0.0.1", port=8000)                       # policykb serve-api
"""
from __future__ import annotations

import sys
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable

from fastapi import FastAPI
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.routing import Route

from assistant import Assistant
from kb import Settings

from .auth import KeyAuth, RequireKey, startup_check
from .core import PolicyService
from .mcp_server import build_mcp
from .openai_api import build_router

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Service:
    """The routes and the MCP server over one assistant, ready to attach to a FastAPI app."""

    def __init__(self, bot: Assistant, auth: KeyAuth, host: str):
        self.svc = PolicyService(bot)
        self.auth = auth
        self.mcp: MCPServer = build_mcp(self.svc, default_role="reader")
        if host in LOOPBACK:   # refuse other Host/Origin headers: a web page cannot reach a local server
            security = TransportSecuritySettings(
                enable_dns_rebinding_protection=True, allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*"],
                allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"])
        else:                  # reachable from other machines only with API keys (startup_check)
            security = TransportSecuritySettings(enable_dns_rebinding_protection=False)
        # builds the session manager; its Starlette app is not used, the endpoint is mounted below
        self.mcp.streamable_http_app(stateless_http=True, json_response=True, transport_security=security, host=host)
        endpoint = RequireKey(self.mcp.session_manager.handle_request, auth)
        self.mcp_routes = [Route("/mcp", endpoint=endpoint), Route("/mcp/", endpoint=endpoint)]
        self.router = build_router(self.svc, auth)

    def attach(self, app: FastAPI) -> None:
        app.include_router(self.router)
        app.router.routes[:0] = self.mcp_routes

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        async with self.mcp.session_manager.run():
            yield


def gradio_lifespan(bot: Assistant) -> Callable[[Any], Any]:
    """A lifespan for Gradio's FastAPI app that mounts the API on it (keys from ``bot.settings.auth``)."""
    settings = bot.settings
    service = Service(bot, KeyAuth(settings.auth), settings.host)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.attach(app)
        async with service.running():
            yield

    return lifespan


def create_app(bot: Assistant, auth: KeyAuth, host: str) -> FastAPI:
    service = Service(bot, auth, host)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service.running():
            yield

    app = FastAPI(title="policykb API", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    service.attach(app)
    return app


def serve(settings: Settings, host: str | None = None, port: int = 8000) -> None:
    """``policykb serve-api``: the OpenAI-compatible API and MCP over HTTP, without the web page."""
    import time

    import uvicorn

    host = host or settings.host
    auth, notice = startup_check(settings, host, port)
    print(notice, file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    bot = Assistant(settings)
    if bot.kb.registry.ready_hashes():
        bot.ask("森林覆盖率")            # load the embedder and indexes before the first request
    print(f"知识库 {settings.kb_dir}：{len(bot.kb.registry.ready_hashes())} 份文件，载入 {time.perf_counter() - t0:.1f} 秒；"
          f"OpenAI 兼容接口 http://{host}:{port}/v1 ，MCP http://{host}:{port}/mcp", file=sys.stderr, flush=True)
    uvicorn.run(create_app(bot, auth, host), host=host, port=port, log_level="warning")
