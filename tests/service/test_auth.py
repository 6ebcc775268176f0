"""API keys in the users file and the key check of the HTTP API."""
import asyncio

from hypothesis import given
from hypothesis import strategies as st

from kb.access import ApiKeys, Users, add_api_key, hash_api_key, is_api_key
from service.cli import main as cli
from service.auth import KeyAuth, RequireKey, bearer, startup_check

import pytest


def test_keys_are_stored_hashed_beside_passwords(tmp_path):
    path = tmp_path / "users.txt"
    users = Users.load(path)
    users.set("zhang", "admin", "secret-pass")
    key = add_api_key(users, "dify", "reader")
    users.save(path)
    body = path.read_text(encoding="utf-8")
    assert key.startswith("pk-") and key not in body and hash_api_key(key) in body

    again = Users.load(path)                                   # the password loader carries keys along
    assert again.check("zhang", "secret-pass") == "admin"
    assert again.check("dify", key) is None                    # a key is never a web login
    assert is_api_key(again.by_name["dify"]) and not is_api_key(again.by_name["zhang"])
    again.set("li", "reader", "another-pass")
    again.save()
    keys = ApiKeys.load(path)
    assert len(keys) == 1 and keys.role(key) == "reader"
    assert keys.role("pk-" + "x" * 43) is None and keys.role("") is None and keys.role(None) is None
    assert keys.role(hash_api_key(key)) is None                 # the stored hash itself is no key


def test_a_new_key_replaces_the_old_one_and_never_a_password(tmp_path):
    users = Users()
    users.set("zhang", "reader", "secret-pass")
    with pytest.raises(ValueError, match="网页登录用户"):
        add_api_key(users, "zhang", "admin")
    with pytest.raises(ValueError):
        add_api_key(users, "bad name", "reader")
    with pytest.raises(ValueError):
        add_api_key(users, "ok", "owner")
    old = add_api_key(users, "bot", "reader")
    new = add_api_key(users, "bot", "admin")
    keys = ApiKeys(users)
    assert keys.role(old) is None and keys.role(new) == "admin"


_TOKEN = st.text(st.characters(blacklist_categories=("Zs", "Cc", "Zl", "Zp")), min_size=1, max_size=60)


@given(_TOKEN, st.sampled_from(["Bearer", "bearer", "BEARER"]), st.text(" \t", max_size=3))
def test_bearer_reads_the_token_whatever_the_case_and_spacing(token, scheme, pad):
    assert bearer(f"{pad}{scheme} {pad}{token}{pad}") == token


@given(st.text(max_size=80))
def test_bearer_takes_nothing_but_a_bearer_token(header):
    got = bearer(header)
    if got is not None:
        assert header.strip().lower().startswith("bearer") and got == got.strip() and got in header
    assert bearer("Basic " + header) is None


def test_key_check_reloads_the_users_file(tmp_path):
    path = tmp_path / "users.txt"
    users = Users.load(path)
    first = add_api_key(users, "a", "reader")
    users.save(path)
    auth = KeyAuth(path)
    assert auth.role(f"Bearer {first}") == "reader" and auth.role("Bearer pk-nope") is None and auth.role(None) is None
    users = Users.load(path)
    second = add_api_key(users, "b", "admin")
    users.save(path)
    import os

    os.utime(path, (1, 1))                                      # a change the mtime check must see
    assert auth.role(f"Bearer {second}") == "admin"
    assert KeyAuth(None).role(None) == "admin"                  # no users file: loopback, everyone admin


def test_require_key_answers_401_or_passes_the_role_on(tmp_path):
    path = tmp_path / "users.txt"
    users = Users.load(path)
    key = add_api_key(users, "a", "reader")
    users.save(path)
    seen = {}

    async def app(scope, receive, send):
        seen["role"] = scope["state"]["policykb_role"]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def call(headers):
        sent = []

        async def receive():
            return {"type": "http.request", "body": b""}

        async def send(m):
            sent.append(m)

        await RequireKey(app, KeyAuth(path))({"type": "http", "method": "POST", "path": "/mcp", "headers": headers},
                                             receive, send)
        return sent[0]["status"]

    from tests.service.conftest import in_fresh_thread

    assert in_fresh_thread(asyncio.run, call([(b"authorization", b"Bearer pk-wrong")])) == 401
    assert in_fresh_thread(asyncio.run, call([])) == 401
    assert in_fresh_thread(asyncio.run, call([(b"authorization", f"Bearer {key}".encode())])) == 200 \
        and seen["role"] == "reader"


def test_startup_check(tmp_path):
    from kb import Settings

    with pytest.raises(SystemExit, match="POLICYKB_AUTH"):
        startup_check(Settings(kb_dir=tmp_path), "0.0.0.0", 8000)
    auth, notice = startup_check(Settings(kb_dir=tmp_path), "127.0.0.1", 8000)
    assert not auth.enabled and "仅本机" in notice
    users = tmp_path / "users.txt"
    Users().save(users)
    auth, notice = startup_check(Settings(kb_dir=tmp_path, auth=users), "0.0.0.0", 8000)
    assert auth.enabled and "还没有 API 密钥" in notice


def test_cli_add_key(tmp_path, capsys):
    path = tmp_path / "users.txt"
    assert cli(["user", "add-key", "dify", "--role", "reader", "--file", str(path)]) == 0
    key = capsys.readouterr().out.strip()
    assert ApiKeys.load(path).role(key) == "reader"
    assert cli(["user", "list", "--file", str(path)]) == 0
    assert "dify\treader\tAPI 密钥" in capsys.readouterr().out
    assert cli(["user", "add-key", "--file", str(path)]) == 1
    assert cli(["user", "rm", "dify", "--file", str(path)]) == 0
    assert ApiKeys.load(path).role(key) is None
