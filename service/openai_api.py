"""The OpenAI-compatible chat API: ``POST /v1/chat/completions`` (plain or streamed as SSE),
``GET /v1/models`` and ``GET /v1/models/{id}``, for chat clients and agent platforms that speak it.

The last user message is the question and the earlier messages are the conversation, so follow-ups
work as in the web chat. The reply's content is the cited answer with its 来源 list as text; the
whole answer record (``policykb ask --json``: ``citations``, ``refused``, ``mode``, ``facts``,
``notice``, ``references`` …) is in the extra top-level field ``policykb`` (in the last chunk when
streaming). Optional extra body fields ``regions`` and ``documents`` narrow the sources as the
page's filters do. Models: ``policykb`` (the configured mode), ``policykb-extractive`` (never the LLM).

Example:
    >>> from openai import OpenAI
    >>> c = OpenAI(base_url="http://127.0.0.1:7860/v1", api_key="pk-…")
    >>> r = c.chat.completions.create(model="policykb", messages=[{"role": "user", "content": "…由谁牵头？"}])
    >>> r.choices[0].message.content, r.model_extra["policykb"]["citations"]
"""
from __future__ import annotations

import json
import time
import uuid
from typing import Any, AsyncIterator

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response, StreamingResponse

from .auth import KeyAuth, error_body, unauthorized
from .core import PolicyService, UnknownDocument, answer_text

EXTRA_FIELD = "policykb"


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    """The fields policykb reads; the others (temperature, max_tokens …) are accepted and ignored."""
    model_config = ConfigDict(extra="allow")
    model: str
    messages: list[ChatMessage]
    stream: bool = False
    regions: list[str] | None = None
    documents: list[str] | None = None


def message_text(content: str | list[dict[str, Any]] | None) -> str:
    """A message's text: a string, or the text parts of a content list."""
    if isinstance(content, str):
        return content
    return "".join(str(p.get("text") or "") for p in content or [] if p.get("type", "text") == "text")


def _bad_request(message: str, code: str | None = None, status: int = 400) -> JSONResponse:
    return JSONResponse(error_body(message, "invalid_request_error", code), status_code=status)


def build_router(svc: PolicyService, auth: KeyAuth) -> APIRouter:
    router = APIRouter(prefix="/v1")

    @router.get("/models")
    async def models(request: Request) -> Response:
        if auth.role(request.headers.get("authorization")) is None:
            return unauthorized()
        now = int(time.time())
        return JSONResponse({"object": "list", "data": [
            {"id": m.id, "object": "model", "created": now, "owned_by": "policykb", "description": m.description}
            for m in svc.models()]})

    @router.get("/models/{model_id}")
    async def model(model_id: str, request: Request) -> Response:
        if auth.role(request.headers.get("authorization")) is None:
            return unauthorized()
        for m in svc.models():
            if m.id == model_id:
                return JSONResponse({"id": m.id, "object": "model", "created": int(time.time()), "owned_by": "policykb",
                                     "description": m.description})
        return _bad_request(f"没有模型 {model_id!r} / unknown model", "model_not_found", 404)

    @router.post("/chat/completions")
    async def chat_completions(request: Request) -> Response:
        if auth.role(request.headers.get("authorization")) is None:
            return unauthorized()
        try:
            body = ChatRequest.model_validate(json.loads(await request.body() or b"null"))
        except (ValueError, ValidationError) as exc:
            return _bad_request(f"请求格式不正确 / invalid request: {exc}")
        if body.model not in {m.id for m in svc.models()}:
            return _bad_request(f"没有模型 {body.model!r}；可用 policykb、policykb-extractive / unknown model",
                                "model_not_found", 404)
        if not body.messages or body.messages[-1].role != "user" or not message_text(body.messages[-1].content).strip():
            return _bad_request("最后一条消息应为用户的问题 / the last message must be the user's question")
        question = message_text(body.messages[-1].content).strip()
        history = [{"role": m.role, "content": m.content} for m in body.messages[:-1] if m.role in ("user", "assistant")]

        def answer() -> dict[str, Any]:
            return svc.ask(question, history, regions=body.regions, documents=body.documents, model=body.model)

        cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if body.stream:
            return StreamingResponse(_stream(answer, cid, created, body.model), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        try:
            a = await run_in_threadpool(answer)
        except UnknownDocument as exc:
            return _bad_request(str(exc), "document_not_found")
        return JSONResponse({
            "id": cid, "object": "chat.completion", "created": created, "model": body.model,
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "content": answer_text(a), "refusal": None}}],
            EXTRA_FIELD: a})

    return router


def _sse(data: dict[str, Any] | str) -> str:
    return f"data: {data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)}\n\n"


async def _stream(answer, cid: str, created: int, model: str) -> AsyncIterator[str]:
    """The role first (so the client sees the reply start), then the text line by line, then the
    final chunk with ``finish_reason`` and the answer record, then ``[DONE]``."""
    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        return _sse({"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra})

    yield chunk({"role": "assistant", "content": ""})
    try:
        a = await run_in_threadpool(answer)
    except UnknownDocument as exc:
        yield _sse(error_body(str(exc), "invalid_request_error", "document_not_found"))
        yield _sse("[DONE]")
        return
    for line in answer_text(a).splitlines(keepends=True):
        yield chunk({"content": line})
    yield chunk({}, "stop", **{EXTRA_FIELD: a})
    yield _sse("[DONE]")
