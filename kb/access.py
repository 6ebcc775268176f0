"""Who may do what, and which uploaded files are let in.

Users file (``POLICYKB_AUTH=/path/users.txt``, written by ``policykb user add``): one user per line,
``name:role:scrypt$N$r$p$salt_hex$hash_hex``; ``#`` starts a comment. Roles: ``reader`` (ask and
browse) and ``admin`` (also upload, delete and re-index). Passwords are stored only as scrypt hashes.

Uploads: a file is accepted when its type is supported, its size is within ``max_file_mb`` and the
batch within ``max_upload_files``. Its stored name is reduced to a plain file name (no folders, no
``..``, no control characters), so it can never land outside the upload directory.

Example:
    >>> users = Users.load(Path("users.txt"))
    >>> users.check("zhang", "secret")         # -> "reader" | "admin" | None
    >>> safe_filename("../../etc/passwd.txt")
    'passwd.txt'
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ingest import SUPPORTED_SUFFIXES

ROLES = ("reader", "admin")
_NAME = re.compile(r"^[\w.@\-\u4e00-\u9fff]{1,64}$")
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("密码不能为空")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(digest) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


@dataclass
class User:
    name: str
    role: str
    password_hash: str


class Users:
    """The users file; ``check(name, password)`` gives the role or None."""

    def __init__(self, users: Iterable[User] = (), path: Path | None = None):
        self.path = path
        self.by_name = {u.name: u for u in users}

    @classmethod
    def load(cls, path: Path) -> "Users":
        users = []
        if path.exists():
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                line = line.split("#", 1)[0].strip()
                if not line:
                    continue
                parts = line.split(":", 2)
                if len(parts) != 3 or parts[1] not in ROLES:
                    raise ValueError(f"{path}:{n}: 格式应为 用户名:reader|admin:密码散列")
                users.append(User(*parts))
        return cls(users, path)

    def check(self, name: str, password: str) -> str | None:
        u = self.by_name.get(name)
        return u.role if u and verify_password(password, u.password_hash) else None

    def role(self, name: str | None) -> str | None:
        u = self.by_name.get(name or "")
        return u.role if u else None

    def set(self, name: str, role: str, password: str) -> None:
        if not _NAME.match(name):
            raise ValueError("用户名只能包含字母、数字、汉字和 . @ - _，最长 64 个字符")
        if role not in ROLES:
            raise ValueError(f"角色应为 {' / '.join(ROLES)}")
        self.by_name[name] = User(name, role, hash_password(password))

    def remove(self, name: str) -> bool:
        return self.by_name.pop(name, None) is not None

    def save(self, path: Path | None = None) -> Path:
        path = path or self.path
        if path is None:
            raise ValueError("no users file path")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        body = "# policykb users: name:role:scrypt hash (policykb user add/rm)\n"
        body += "".join(f"{u.name}:{u.role}:{u.password_hash}\n" for u in self.by_name.values())
        tmp.write_text(body, encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(path)
        return path


# --- uploads ------------------------------------------------------------------------------------
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_filename(name: str) -> str:
    """A plain file name from whatever the browser sent: the last path part only, no leading dots,
    no control or reserved characters, at most 120 characters (suffix kept)."""
    name = unicodedata.normalize("NFC", name or "")
    parts = [p for p in re.split(r"[/\\]+", name) if p not in ("", ".", "..")]
    name = parts[-1] if parts else ""
    name = _UNSAFE.sub("_", name).strip(" ._")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.strip(" ._")[:120 - len(suffix) - 1] or "upload"
    return f"{stem}.{suffix.lower()}" if suffix else stem


@dataclass
class UploadCheck:
    name: str                 # the name the user sent (shown in results)
    source: Path | None       # the temporary file the server received
    stored_name: str = ""     # safe name under the upload directory
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def check_uploads(files: Iterable[tuple[str, Path]], max_files: int, max_bytes: int,
                  suffixes: Iterable[str] = SUPPORTED_SUFFIXES) -> list[UploadCheck]:
    """Vet a batch of (original name, received path); every file gets a result, refused ones a reason."""
    files = list(files)
    allowed = {s.lower() for s in suffixes}
    out: list[UploadCheck] = []
    for i, (name, src) in enumerate(files):
        shown = Path(name.replace("\\", "/")).name or "（无文件名）"
        c = UploadCheck(shown, Path(src) if src else None, safe_filename(name))
        suffix = Path(c.stored_name).suffix.lower()
        if i >= max_files:
            c.error = f"一次最多上传 {max_files} 个文件"
        elif suffix not in allowed:
            c.error = f"不支持的文件类型“{suffix or '无扩展名'}”，请上传 {' / '.join(sorted(allowed))} 文件" + (
                "（演示文稿请另存为 PDF，压缩包请先解压）" if suffix in (".ppt", ".pptx", ".zip", ".rar", ".7z") else "")
        elif c.source is None or not c.source.is_file():
            c.error = "未收到文件内容"
        elif c.source.stat().st_size > max_bytes:
            c.error = f"文件超过 {max_bytes / 1024 / 1024:g} MB 的上限"
        elif c.source.stat().st_size == 0:
            c.error = "文件为空"
        out.append(c)
    return out


def store_upload(check: UploadCheck, upload_dir: Path) -> tuple[Path, Path | None]:
    """Copy an accepted upload into ``upload_dir`` under its safe name. An older upload of the same
    name is set aside (returned second) until ``settle_upload`` knows whether the new one ingested."""
    if not check.ok or check.source is None:
        raise ValueError(check.error or "no file")
    upload_dir.mkdir(parents=True, exist_ok=True)
    root = upload_dir.resolve()
    dest = (root / check.stored_name).resolve()
    if dest.parent != root:          # defence in depth: safe_filename already removed separators
        raise ValueError(f"非法文件名：{check.name}")
    tmp = dest.with_name(f".{dest.name}.part")
    with open(check.source, "rb") as src, open(tmp, "wb") as out:
        while chunk := src.read(1 << 20):
            out.write(chunk)
    previous = None
    if dest.exists():
        previous = dest.with_name(f".{dest.name}.previous")
        dest.replace(previous)
    tmp.replace(dest)
    return dest, previous


def settle_upload(dest: Path, previous: Path | None, ingested: bool) -> None:
    """Keep the new file (dropping the older version), or, when it failed to ingest, put the older
    version back, so that the upload folder always holds what the knowledge base holds."""
    if ingested:
        if previous:
            previous.unlink(missing_ok=True)
        return
    dest.unlink(missing_ok=True)
    if previous:
        previous.replace(dest)


# --- API keys (the OpenAI-compatible API and the MCP server, see service/) ------------------------
# A key is a random token shown once; the users file keeps only its SHA-256, on a line of the same
# ``name:role:hash`` form as a password, so ``Users.load``/``save`` carry keys along unchanged and a
# key can never be used as a web login. SHA-256 (not scrypt) because a key holds 256 random bits:
# nothing to guess, and checking one costs microseconds on every API request.
API_KEY_PREFIX = "pk-"
_KEY_HASH = "apikey$sha256$"


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    return _KEY_HASH + hashlib.sha256(key.encode()).hexdigest()


def is_api_key(user: User) -> bool:
    return user.password_hash.startswith(_KEY_HASH)


def add_api_key(users: Users, name: str, role: str) -> str:
    """A new key for ``name`` (replacing that name's old key) with ``role``; the key, to show once.
    A name that already has a login password is refused, so a key never replaces a password."""
    if not _NAME.match(name):
        raise ValueError("名称只能包含字母、数字、汉字和 . @ - _，最长 64 个字符")
    if role not in ROLES:
        raise ValueError(f"角色应为 {' / '.join(ROLES)}")
    old = users.by_name.get(name)
    if old and not is_api_key(old):
        raise ValueError(f"“{name}”是网页登录用户；API 密钥请另起名字（如 {name}-api）")
    key = new_api_key()
    users.by_name[name] = User(name, role, hash_api_key(key))
    return key


class ApiKeys:
    """The API keys of a users file: ``role(key)`` gives "reader" / "admin", or None for a wrong key.

    Example:
        >>> keys = ApiKeys.load(Path("users.txt"))
        >>> keys.role("pk-...")                  # -> "reader" | "admin" | None
    """

    def __init__(self, users: Users):
        self.by_hash = {u.password_hash: u for u in users.by_name.values() if is_api_key(u)}

    @classmethod
    def load(cls, path: Path) -> "ApiKeys":
        return cls(Users.load(path))

    def __len__(self) -> int:
        return len(self.by_hash)

    def user(self, key: str | None) -> User | None:
        if not key or not key.startswith(API_KEY_PREFIX):
            return None
        return self.by_hash.get(hash_api_key(key))

    def role(self, key: str | None) -> str | None:
        u = self.user(key)
        return u.role if u else None
