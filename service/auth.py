"""Who calls the API: API keys from the users file, and where the API may listen.

Without a users file (``POLICYKB_AUTH``) there are no keys, every caller is an admin, and the API —
like the web page — listens on loopback only unless ``POLICYKB_ALLOW_REMOTE_WITHOUT_AUTH``. With one,
every request needs ``Authorization: Bearer pk-…`` (``policykb user add-key NAME --role reader|admin``);
a missing or wrong key gets 401. The file is re-read when it changes, so a new key works at once.

Example:
    >>> auth = KeyAuth(Settings().auth)
    >>> auth.role("Bearer pk-…")               # "reader" | "admin" | None (refused)
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from kb import Settings
from kb.access import ApiKeys, Users

ROLE_KEY = "policykb_role"


class KeyAuth:
    def __init__(self, path: Path | None):
        self.path = Path(path) if path else None
        self._keys: ApiKeys | None = None
        self._mtime: float | None = None

    @property
    def enabled(self) -> bool:
        return self.path is not None

    @property
    def keys(self) -> ApiKeys:
        mtime = self.path.stat().st_mtime if self.path and self.path.exists() else 0.0
        if self._keys is None or mtime != self._mtime:
            self._keys = ApiKeys.load(self.path) if self.path and self.path.exists() else ApiKeys(Users())
            self._mtime = mtime
        return self._keys

    def role(self, authorization: str | None) -> str | None:
        """The caller's role for an ``Authorization`` header value, or None when it is refused."""
        if not self.enabled:
            return "admin"
        return self.keys.role(bearer(authorization))


def bearer(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").strip().partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def error_body(message: str, type_: str, code: str | None = None) -> dict[str, Any]:
    """An error in the shape OpenAI clients read (``openai.AuthenticationError`` and the like)."""
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def unauthorized() -> JSONResponse:
    return JSONResponse(error_body("API 密钥无效或缺失（Authorization: Bearer pk-…）/ invalid or missing API key",
                                   "invalid_request_error", "invalid_api_key"),
                        status_code=401, headers={"WWW-Authenticate": "Bearer"})


class RequireKey:
    """ASGI wrapper: 401 without a valid key; otherwise the caller's role goes into
    ``scope["state"]["policykb_role"]`` for the app behind (the MCP server's ``RoleGate``)."""

    def __init__(self, app: ASGIApp, auth: KeyAuth):
        self.app, self.auth = app, auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            role = self.auth.role(Headers(scope=scope).get("authorization"))
            if role is None:
                await unauthorized()(scope, receive, send)
                return
            scope.setdefault("state", {})[ROLE_KEY] = role
        await self.app(scope, receive, send)


def startup_check(settings: Settings, host: str, port: int) -> tuple[KeyAuth, str]:
    """The key check for a server on ``host``, and its start-up notice; SystemExit for a server
    reachable from other machines without keys (the same rule as the web page's)."""
    if settings.auth:
        if not settings.auth.exists():
            raise SystemExit(f"找不到用户文件 {settings.auth}（POLICYKB_AUTH）。"
                             "用 policykb user add-key 名字 --role reader 创建 API 密钥。")
        auth = KeyAuth(settings.auth)
        return auth, (f"API 已启用密钥（{len(auth.keys)} 个），监听 {host}:{port}" if len(auth.keys) else
                      f"警告：{settings.auth} 中还没有 API 密钥，所有请求都会被拒绝（policykb user add-key）。")
    loopback = host in ("127.0.0.1", "localhost", "::1")
    if not loopback and not settings.allow_remote_without_auth:
        raise SystemExit(f"未配置 API 密钥（POLICYKB_AUTH）时不能监听 {host}：任何人都将拥有管理员权限。"
                         "请配置 POLICYKB_AUTH，或明确设置 POLICYKB_ALLOW_REMOTE_WITHOUT_AUTH=true。")
    return KeyAuth(None), (f"未配置 API 密钥（POLICYKB_AUTH）：只监听 {host}:{port}，仅本机可以访问。" if loopback else
                           f"警告：未配置 API 密钥却监听 {host}:{port}，任何能访问的人都有管理员权限。")
