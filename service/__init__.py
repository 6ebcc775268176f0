"""policykb's entry points above the packages: the command line, an OpenAI-compatible chat API, an MCP server.

- ``service.cli``: the ``policykb`` command (ingest, ask, tasks, serve-api, mcp, …).
- ``service.core``: what is served (answers via ``Assistant.ask``, passages, tasks, indicators,
  documents), as JSON-ready dicts; ``answer_text`` renders an answer with its 来源 list.
- ``service.openai_api``: ``POST /v1/chat/completions`` (plain and SSE) and ``GET /v1/models``.
- ``service.mcp_server``: the MCP tools (official ``mcp`` SDK) and the reader/admin gate.
- ``service.auth``: API keys from the users file, 401s, where the API may listen.
- ``service.http``: mounting both on the web app's FastAPI app, or serving them alone.

Example:
    >>> from service.http import gradio_lifespan, serve
    >>> demo.launch(app_kwargs={"lifespan": gradio_lifespan(bot)})    # app.py
    >>> serve(Settings(), port=8000)                                   # policykb serve-api
    >>> run_stdio(Settings(), role="reader")                           # policykb mcp
"""
from __future__ import annotations


def run_stdio(settings, role: str = "reader") -> None:
    """``policykb mcp``: the MCP server over stdin/stdout (the SDK keeps stray prints off the wire)."""
    from assistant import Assistant

    from .core import PolicyService
    from .mcp_server import build_mcp

    build_mcp(PolicyService(Assistant(settings)), default_role=role).run("stdio")
