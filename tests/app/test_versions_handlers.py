"""The 版本与状态 / 版本对比 / 跨文件对比 handlers (service/app_versions.py) without a server: a reader cannot set
a status (checked on the server), an admin can; the diff and the comparison feed the page."""
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
import pytest  # noqa: E402

from app import Handlers  # noqa: E402
from service.app_versions import VersionHandlers  # noqa: E402
from assistant import Assistant  # noqa: E402
from kb.access import Users  # noqa: E402
from kb.versions import read_overrides  # noqa: E402
from tests.version_helpers import EXPECTED, SEED, VERSION_NAME, vkb  # noqa: E402,F401


class Request:
    def __init__(self, username):
        self.username = username


@pytest.fixture
def v(vkb, tmp_path):
    users = Users(path=tmp_path / "users.txt")
    users.set("reader1", "reader", "read-only-pass")
    users.set("admin1", "admin", "admin-pass")
    return VersionHandlers(Handlers(Assistant(vkb.settings, kb=vkb), users=users))


def test_reader_cannot_set_a_status_admin_can(v, vkb):
    with pytest.raises(gr.Error):
        v.save_status(SEED.stem, "正式", "", "", "", Request("reader1"))
    assert read_overrides(vkb.settings.kb_dir) == {}
    table, msg = v.save_status(VERSION_NAME, "征求意见稿", "", "", "仍在征求意见", Request("admin1"))
    assert "已保存" in msg and read_overrides(vkb.settings.kb_dir)[VERSION_NAME]["status"] == "征求意见稿"
    rows = {r[0]: r for r in table}
    assert rows[VERSION_NAME][2] == "征求意见稿" and rows[SEED.stem][2] == "正式"
    table, msg = v.save_status(VERSION_NAME, "（不设定）", "", "", "", Request("admin1"))
    assert "已清除" in msg and read_overrides(vkb.settings.kb_dir) == {}
    assert {r[0]: r for r in table}[SEED.stem][2] == "已被替代"
    with pytest.raises(gr.Error):
        v.save_status(VERSION_NAME, "正式", VERSION_NAME, "", "", Request("admin1"))   # a version of itself


def test_diff_and_compare_feed_the_page(v):
    rows, changes, head, _ = v.diff(SEED.stem, VERSION_NAME)
    assert {tuple(r[:6]) for r in rows} == EXPECTED and len(changes) == len(rows)
    assert f"（{SEED.stem}）" in head                     # two versions with one title are told apart
    with pytest.raises(gr.Error):
        v.diff(SEED.stem, None)
    table, facts, note, frame, _ = v.compare("森林覆盖率")
    assert {(r[1], r[3], r[4]) for r in table} == {("北京市", "≥66%", 2027), ("门头沟区", "≥50%", 2026)}
    assert list(frame["年份"]) and set(frame["年份"]) == {"2027", "2026"} and "2 个地区" in note
    assert v.compare("")[3] is None
    assert "森林覆盖率" in v.measures()
