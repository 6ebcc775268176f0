"""The OpenAI-compatible API through the official `openai` client against real servers: on the web
app with API keys, and `policykb serve-api` without them."""
import subprocess
import sys

import openai
import pytest
from openai import OpenAI

from tests.conftest import ROOT
from tests.service.conftest import FOLLOW_UP, REFUSED_Q, SEED_Q, env

pytestmark = pytest.mark.integration


def client(server, key: str) -> OpenAI:
    return OpenAI(base_url=server.url + "/v1", api_key=key, max_retries=0, timeout=60)


def record(resp) -> dict:
    return resp.model_extra["policykb"]


def test_models_lists_both(app_with_keys):
    ids = {m.id for m in client(app_with_keys, app_with_keys.keys["reader"]).models.list()}
    assert ids == {"policykb", "policykb-extractive"}
    c = client(app_with_keys, app_with_keys.keys["reader"])
    assert c.models.retrieve("policykb-extractive").id == "policykb-extractive"
    with pytest.raises(openai.NotFoundError):
        c.models.retrieve("gpt-4o")


def test_answer_with_citations_on_the_web_app(app_with_keys):
    r = client(app_with_keys, app_with_keys.keys["reader"]).chat.completions.create(
        model="policykb", messages=[{"role": "user", "content": SEED_Q}])
    text = r.choices[0].message.content
    assert r.object == "chat.completion" and r.choices[0].finish_reason == "stop"
    assert "区气象局" in text and "[1]" in text and "来源：" in text
    a = record(r)
    assert not a["refused"] and a["citations"] and a["mode"] == "extractive"
    c = a["citations"][0]
    assert {"n", "doc_id", "title", "section", "page", "quote"} <= set(c)
    assert f"《{c['title']}》" in text and "facts" in a                # the 来源 list names the cited document


def test_streaming(app_with_keys):
    stream = client(app_with_keys, app_with_keys.keys["reader"]).chat.completions.create(
        model="policykb-extractive", messages=[{"role": "user", "content": SEED_Q}], stream=True)
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "区气象局" in text and "来源：" in text
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert record(last)["citations"] and not record(last)["refused"]
    assert len(chunks) > 3                                           # the text arrives in several pieces


def test_follow_up_through_the_messages_list(app_with_keys):
    c = client(app_with_keys, app_with_keys.keys["reader"])
    first = c.chat.completions.create(model="policykb", messages=[{"role": "user", "content": SEED_Q}])
    messages = [{"role": "system", "content": "你是政策助手。"}, {"role": "user", "content": SEED_Q},
                {"role": "assistant", "content": first.choices[0].message.content},
                {"role": "user", "content": [{"type": "text", "text": FOLLOW_UP}]}]
    r = c.chat.completions.create(model="policykb", messages=messages)
    assert "百花山管理处" in r.choices[0].message.content and not record(r)["refused"]
    alone = c.chat.completions.create(model="policykb", messages=[{"role": "user", "content": FOLLOW_UP}])
    assert record(alone)["refused"]                     # without the conversation there is no subject


def test_refusal(app_with_keys):
    r = client(app_with_keys, app_with_keys.keys["reader"]).chat.completions.create(
        model="policykb", messages=[{"role": "user", "content": REFUSED_Q}])
    a = record(r)
    assert a["refused"] and not a["citations"]
    assert "未找到" in r.choices[0].message.content and "来源：" not in r.choices[0].message.content


def test_bad_or_missing_key_is_401(app_with_keys):
    with pytest.raises(openai.AuthenticationError) as e:
        client(app_with_keys, "pk-wrong").chat.completions.create(
            model="policykb", messages=[{"role": "user", "content": SEED_Q}])
    assert e.value.status_code == 401
    with pytest.raises(openai.AuthenticationError):
        client(app_with_keys, "pk-wrong").models.list()
    import httpx

    r = httpx.post(app_with_keys.url + "/v1/chat/completions", json={"model": "policykb", "messages": []})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_api_key"


def test_bad_requests(app_with_keys):
    c = client(app_with_keys, app_with_keys.keys["admin"])
    with pytest.raises(openai.NotFoundError):
        c.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": SEED_Q}])
    with pytest.raises(openai.BadRequestError):
        c.chat.completions.create(model="policykb", messages=[{"role": "assistant", "content": "你好"}])
    with pytest.raises(openai.BadRequestError, match="没有文件"):
        c.chat.completions.create(model="policykb", messages=[{"role": "user", "content": SEED_Q}],
                                  extra_body={"documents": ["不存在的文件"]})


def test_region_filter_in_extra_body(app_with_keys):
    r = client(app_with_keys, app_with_keys.keys["reader"]).chat.completions.create(
        model="policykb", messages=[{"role": "user", "content": "森林覆盖率要达到多少？"}],
        extra_body={"regions": ["朝阳区"]})
    assert "门头沟" not in r.choices[0].message.content and "66%" not in r.choices[0].message.content


def test_serve_api_without_keys(api_server):
    c = client(api_server, "anything")              # no keys configured: loopback only, any key is accepted
    r = c.chat.completions.create(model="policykb", messages=[{"role": "user", "content": SEED_Q}])
    assert "区气象局" in r.choices[0].message.content and record(r)["citations"]
    text = "".join(ch.choices[0].delta.content or "" for ch in c.chat.completions.create(
        model="policykb", messages=[{"role": "user", "content": SEED_Q}], stream=True))
    assert "区气象局" in text


def test_serve_api_refuses_remote_without_keys(tmp_path):
    p = subprocess.run([sys.executable, "-m", "service.cli", "serve-api", "--host", "0.0.0.0", "--port", "1"],
                       env=env(tmp_path / "kb"), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode != 0 and "POLICYKB_AUTH" in p.stderr
