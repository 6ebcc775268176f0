"""A bad file of each new type gets a clear Chinese error naming it and leaves the knowledge base
as it was; a folder with good and bad files ingests the good ones."""
import zipfile

import pytest

from kb import KnowledgeBase, Settings


def _bad_files(d):
    from PIL import Image

    files = {}
    files["无正文.html"] = "<html><body><div class='nav'><a href='/'>首页</a></div></body></html>".encode()
    files["损坏.ofd"] = b"PK\x03\x04broken zip"
    files["损坏.xlsx"] = b"PK\x03\x04broken zip"
    files["空.csv"] = b"\n\n"
    files["损坏.doc"] = b"\xd0\xcf\x11\xe0garbage"
    files["坏图.png"] = b"\x89PNG\r\n\x1a\nnot an image"
    out = []
    for name, data in files.items():
        (d / name).write_bytes(data)
        out.append(d / name)
    blank = d / "空白.png"
    Image.new("RGB", (400, 300), "white").save(blank)
    out.append(blank)
    nodoc = d / "缺文档.ofd"
    with zipfile.ZipFile(nodoc, "w") as z:
        z.writestr("OFD.xml", "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>")
    out.append(nodoc)
    return out


def test_bad_files_leave_the_kb_as_it_was(tmp_path, fake_embeddings):
    kb = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)
    good = tmp_path / "docs" / "plan.txt"
    good.parent.mkdir()
    good.write_text("某区绿化行动方案\n一、总体要求\n到2026年，全区森林覆盖率达到50%。\n", encoding="utf-8")
    kb.ingest([good])
    before = (kb.store._collection.count(), [d["doc_id"] for d in kb.documents()])
    bad = _bad_files(tmp_path / "docs")
    results = kb.ingest(bad)
    assert [r.status for r in results] == ["error"] * len(bad)
    for r, path in zip(results, bad):
        assert path.name in r.message and any("\u4e00" <= ch <= "\u9fff" for ch in r.message.split(":", 1)[-1])
    assert (kb.store._collection.count(), [d["doc_id"] for d in kb.documents()]) == before
    # a folder: the good file is unchanged, every bad one is reported
    folder = kb.ingest([tmp_path / "docs"])
    assert sorted(r.status for r in folder) == ["error"] * len(bad) + ["unchanged"]
