"""Uploads never take another file's document id: a same-named upload waits for the user's choice
(replace that document, or keep both); a confirmed replacement survives re-ingesting the folder
the old file came from."""
import pytest

from kb import KnowledgeBase, Settings
from kb.access import check_uploads
from kb.uploads import ingest_upload

PLAN = "某区绿化行动方案\n一、总体要求\n到2026年，全区森林覆盖率达到50%。\n二、重点任务\n（一）建设绿道\n建设绿道50公里。\n牵头单位：区园林绿化局\n"


@pytest.fixture
def kb(tmp_path, fake_embeddings):
    return KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "plan.txt").write_text(PLAN, encoding="utf-8")
    return d


def _check(tmp_path, name, text):
    src = tmp_path / "received" / name
    src.parent.mkdir(exist_ok=True)
    src.write_text(text, encoding="utf-8")
    (c,) = check_uploads([(name, src)], 20, 10 << 20)
    return c


def _texts(kb, doc_id):
    """The document's chunks as the knowledge base holds them (uploads are searchable before their
    vectors are added, so the registry, not the vector store, is the reference)."""
    row = kb.registry.get(doc_id)
    return " ".join(c["text"] for c in row["parsed"]["chunks"]) if row else ""


def test_two_files_with_one_stem_get_two_ids(kb, tmp_path, corpus):
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "plan.txt").write_text(PLAN.replace("50%", "60%"), encoding="utf-8")
    (other / "plan.md").write_text(PLAN.replace("50%", "70%"), encoding="utf-8")
    ids = [r.doc_id for r in kb.ingest([corpus, other])]
    assert len(set(ids)) == 3 and ids[0] == "plan"
    again = kb.ingest([other, corpus])                   # each file keeps its own id, in any order
    assert [r.status for r in again] == ["unchanged"] * 3
    assert sorted(r.doc_id for r in again) == sorted(ids)
    assert "50%" in _texts(kb, "plan") and "60%" not in _texts(kb, "plan")


def test_same_named_upload_asks_and_writes_nothing(kb, tmp_path, corpus):
    kb.ingest([corpus])
    before = kb.registry.get("plan")
    out = ingest_upload(kb, _check(tmp_path, "plan.txt", PLAN.replace("50%", "55%")), kb.settings.upload_dir)
    assert out.status == "conflict" and out.conflict["doc_id"] == "plan" and "同名" in out.message
    assert kb.registry.get("plan")["content_hash"] == before["content_hash"]
    assert [d["doc_id"] for d in kb.documents()] == ["plan"]
    assert not (kb.settings.upload_dir / "plan.txt").exists()


def test_same_content_is_unchanged_whatever_the_choice(kb, tmp_path, corpus):
    kb.ingest([corpus])
    for mode in ("ask", "replace", "new"):
        out = ingest_upload(kb, _check(tmp_path, "plan.txt", PLAN), kb.settings.upload_dir, mode)
        assert out.status == "unchanged" and out.doc_id == "plan"
    assert [d["doc_id"] for d in kb.documents()] == ["plan"]


def test_keep_both_makes_a_document_of_its_own(kb, tmp_path, corpus):
    kb.ingest([corpus])
    out = ingest_upload(kb, _check(tmp_path, "plan.txt", PLAN.replace("50%", "55%")), kb.settings.upload_dir, "new")
    assert out.status == "ingested" and out.doc_id != "plan"
    assert "55%" in _texts(kb, out.doc_id) and "50%" in _texts(kb, "plan")
    assert (kb.settings.upload_dir / "plan (2).txt").is_file()
    assert [r.status for r in kb.ingest([corpus, kb.settings.upload_dir])] == ["unchanged", "unchanged"]
    assert len(kb.documents()) == 2


def test_confirmed_replacement_survives_reingesting_the_old_folder(kb, tmp_path, corpus):
    kb.ingest([corpus])
    out = ingest_upload(kb, _check(tmp_path, "plan.txt", PLAN.replace("50%", "55%")), kb.settings.upload_dir,
                        "replace")
    assert out.status == "ingested" and out.doc_id == "plan"
    assert "55%" in _texts(kb, "plan") and "50%" not in _texts(kb, "plan")
    (r,) = kb.ingest([corpus])                           # `make run` ingests corpus/ again
    assert r.status == "unchanged" and "替换" in r.message
    assert [d["doc_id"] for d in kb.documents()] == ["plan"] and "55%" in _texts(kb, "plan")
    # a newer upload of the same name replaces the upload in place
    out = ingest_upload(kb, _check(tmp_path, "plan.txt", PLAN.replace("50%", "58%")), kb.settings.upload_dir,
                        "replace")
    assert out.status == "ingested" and out.doc_id == "plan" and "58%" in _texts(kb, "plan")
    assert sorted(p.name for p in kb.settings.upload_dir.iterdir()) == ["plan.txt"]
    # deleting the replacement lets the original come back with the next ingest
    kb.delete("plan")
    (r,) = kb.ingest([corpus])
    assert r.status == "ingested" and "50%" in _texts(kb, "plan")


def test_failed_replacement_keeps_the_old_version(kb, tmp_path):
    ok = ingest_upload(kb, _check(tmp_path, "plan.txt", PLAN), kb.settings.upload_dir)
    assert ok.status == "ingested"
    bad = ingest_upload(kb, _check(tmp_path, "plan.txt", "\x00\x01\x02" * 500), kb.settings.upload_dir, "replace")
    assert bad.status == "error"
    assert (kb.settings.upload_dir / "plan.txt").read_text(encoding="utf-8") == PLAN
    assert "50%" in _texts(kb, ok.doc_id)
