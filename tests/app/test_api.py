"""The app's Gradio API through gradio_client: the streaming chat endpoint, the JSON /ask endpoint
with follow-ups, the task table, and the server-side role check."""
import pytest
from gradio_client import Client, handle_file

from tests.app.conftest import PASSWORDS

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(open_server):
    return Client(open_server.url, verbose=False)


def test_chat_endpoint_streams_then_answers_with_sources(client):
    job = client.submit("万级负氧离子体验区由谁牵头？", [], [], [], api_name="/chat")
    updates = list(job)
    history, question_box = updates[-1]
    assert len(updates) >= 2 and question_box == ""                 # placeholder first, then the answer
    first_reply = updates[0][0][-1]["content"]
    assert "正在检索" in str(first_reply)
    answer = str(history[-1]["content"])
    assert "区气象局" in answer and '<details class="pk-source">' in answer and "<mark>" in answer


def test_chat_endpoint_respects_region_filter(client):
    history, _ = client.predict("森林覆盖率要达到多少？", [], ["朝阳区"], [], api_name="/chat")
    answer = str(history[-1]["content"])
    assert "门头沟" not in answer and "66%" not in answer             # neither 门头沟's plan nor 北京市's


def test_ask_endpoint_json_and_follow_up(client):
    a = client.predict("万级负氧离子体验区由谁牵头？", api_name="/ask")
    assert not a["refused"] and a["citations"] and "区气象局" in a["answer"]
    c = a["citations"][0]
    assert {"n", "doc_id", "title", "section", "page", "quote"} <= set(c)
    b = client.predict("那配合单位呢？", ["万级负氧离子体验区由谁牵头？"], api_name="/ask")
    assert "百花山管理处" in b["answer"]
    r = client.predict("海淀区的森林覆盖率目标是多少？", api_name="/ask")
    assert r["refused"] and not r["citations"]


def test_tasks_endpoint(client):
    rows, summary, count, _source = client.predict("区园林局", "牵头", "", "全部", "2026", "2026-12", api_name="/tasks")
    assert "区园林绿化局" in summary and "含 区园林局" in summary
    assert "共 **1** 项任务" in count                    # one task: the body text and its rows of three tables
    data = rows["data"] if isinstance(rows, dict) else rows
    assert len(data) == 1 and "区园林绿化局" in data[0][4] and data[0][6] == "2026年12月"
    assert data[0][3] == "2024年12月 / 2025年12月 / 2026年12月（当前）"
    rows, _, count, _ = client.predict("区园林局", "牵头", "", "全部", "", "2023-12", api_name="/tasks")
    assert "共 **0** 项任务" in count                    # no step due by then


def test_reader_is_refused_server_side(auth_server, tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("测试文件。", encoding="utf-8")
    reader = Client(auth_server.url, auth=("reader1", PASSWORDS["reader1"]), verbose=False)
    with pytest.raises(Exception, match="管理员"):
        reader.predict([handle_file(str(f))], api_name="/upload")
    with pytest.raises(Exception, match="管理员"):
        reader.predict("门头沟区_氧吧助力绿水青山门头沟高质量发展三年行动计划2024-2026", api_name="/delete")
    assert not reader.predict("万级负氧离子体验区由谁牵头？", api_name="/ask")["refused"]    # readers still ask
    with pytest.raises(Exception):
        Client(auth_server.url, auth=("reader1", "wrong"), verbose=False)


def test_admin_upload_rejects_bad_files_with_reasons(auth_server, tmp_path):
    admin = Client(auth_server.url, auth=("admin1", PASSWORDS["admin1"]), verbose=False)
    bad = tmp_path / "报告.pptx"
    bad.write_bytes(b"PK\x03\x04 slides")
    empty = tmp_path / "空.txt"
    empty.write_text("", encoding="utf-8")
    out = admin.predict([handle_file(str(bad)), handle_file(str(empty))], api_name="/upload")
    data = out["data"] if isinstance(out, dict) else out
    by_name = {r[0]: r for r in data}
    assert by_name["报告.pptx"][1] == "未接受" and "PDF" in by_name["报告.pptx"][3]
    assert by_name["空.txt"][1] == "未接受" and "为空" in by_name["空.txt"][3]
