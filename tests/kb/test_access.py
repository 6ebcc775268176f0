"""Users file, password hashes and the upload guard (property tests against a plain reference)."""
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.access import (Users, check_uploads, hash_password, safe_filename, settle_upload, store_upload,
                       verify_password)


def test_password_hash_round_trip():
    h = hash_password("秘密 pass")
    assert h.startswith("scrypt$") and "秘密" not in h
    assert verify_password("秘密 pass", h) and not verify_password("秘密 pas", h)
    assert hash_password("x") != hash_password("x")                     # salted
    assert not verify_password("x", "garbage") and not verify_password("x", "md5$1$2$3$aa$bb")
    with pytest.raises(ValueError):
        hash_password("")


def test_users_file(tmp_path):
    f = tmp_path / "users.txt"
    u = Users(path=f)
    u.set("张三", "reader", "a")
    u.set("admin", "admin", "b")
    u.save()
    assert oct(f.stat().st_mode & 0o777) == "0o600"
    back = Users.load(f)
    assert back.check("张三", "a") == "reader" and back.check("admin", "b") == "admin"
    assert back.check("张三", "b") is None and back.check("nobody", "a") is None
    with pytest.raises(ValueError):
        back.set("bad:name", "reader", "x")
    with pytest.raises(ValueError):
        back.set("ok", "owner", "x")
    f.write_text("# comment\nx:superuser:abc\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        Users.load(f)


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_safe_filename_never_leaves_the_folder(name):
    out = safe_filename(name)
    assert out and "/" not in out and "\\" not in out and "\x00" not in out
    assert not out.startswith(".") and out not in ("..", ".")
    assert len(out) <= 130
    root = Path("/srv/uploads")
    assert (root / out).resolve().parent == root


@pytest.mark.parametrize("name, want", [("计划.DOCX", "计划.docx"), ("../../etc/passwd.txt", "passwd.txt"),
                                        ("C:\\Users\\x\\方案.pdf", "方案.pdf"), (".hidden.md", "hidden.md"),
                                        ("a<b>|c.txt", "a_b_c.txt")])
def test_safe_filename_examples(name, want):
    assert safe_filename(name) == want


def test_upload_checks_and_store(tmp_path):
    def f(name, data):
        p = tmp_path / "in" / name
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(data)
        return p

    batch = [("ok.txt", f("ok.txt", "内容".encode())), ("big.pdf", f("big.pdf", b"x" * 2000)),
             ("slides.pptx", f("slides.pptx", b"x")), ("empty.md", f("empty.md", b"")), ("../../x.md", f("x.md", b"y")),
             ("extra.txt", f("extra.txt", b"z"))]
    res = check_uploads(batch, max_files=5, max_bytes=1000)
    by = {r.name: r for r in res}
    assert by["ok.txt"].ok and by["x.md"].ok and by["x.md"].stored_name == "x.md"
    assert "MB" in by["big.pdf"].error and "PDF" in by["slides.pptx"].error and "为空" in by["empty.md"].error
    assert "最多上传 5 个" in by["extra.txt"].error
    dest, previous = store_upload(by["x.md"], tmp_path / "uploads")
    assert dest == (tmp_path / "uploads" / "x.md").resolve() and dest.read_bytes() == b"y" and previous is None
    with pytest.raises(ValueError):
        store_upload(by["slides.pptx"], tmp_path / "uploads")

    # a new version that fails to ingest gives the old one back; one that ingests replaces it
    by["x.md"].source.write_bytes(b"broken")
    dest, previous = store_upload(by["x.md"], tmp_path / "uploads")
    assert dest.read_bytes() == b"broken" and previous.read_bytes() == b"y"
    settle_upload(dest, previous, ingested=False)
    assert dest.read_bytes() == b"y" and not previous.exists()
    dest, previous = store_upload(by["x.md"], tmp_path / "uploads")
    settle_upload(dest, previous, ingested=True)
    assert dest.read_bytes() == b"broken" and not previous.exists()
    assert sorted(p.name for p in (tmp_path / "uploads").iterdir()) == ["x.md"]
