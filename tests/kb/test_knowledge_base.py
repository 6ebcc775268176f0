"""Knowledge base: incremental, idempotent, atomic per document; registry and Chroma on disk."""
import shutil

import pytest

from kb import KnowledgeBase, Settings
from tests.conftest import CORPUS

PLAN = "某区绿化行动方案\n一、总体要求\n到2026年，全区森林覆盖率达到50%。\n二、重点任务\n（一）建设绿道\n建设绿道50公里。\n牵头单位：区园林绿化局\n"


@pytest.fixture
def kb(tmp_path, fake_embeddings):
    return KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=fake_embeddings)


def _chunk_ids(kb, doc_id):
    return set(kb.store.get(where={"doc_id": doc_id})["ids"])


def test_ingest_then_unchanged(kb, tmp_path):
    src = tmp_path / "docs"
    shutil.copytree(CORPUS, src)
    first = kb.ingest([src])
    assert [r.status for r in first] == ["ingested"] * 5
    assert sum(r.chunks for r in first) == kb.store._collection.count()
    again = kb.ingest([src])
    assert [r.status for r in again] == ["unchanged"] * 5
    docs = {d["doc_id"]: d for d in kb.documents()}
    assert docs["门头沟区_氧吧助力绿水青山门头沟高质量发展三年行动计划2024-2026"]["n_tables"] == 3


def test_changed_file_replaces_its_chunks(kb, tmp_path):
    p = tmp_path / "plan.txt"
    p.write_text(PLAN, encoding="utf-8")
    kb.ingest([p])
    old = _chunk_ids(kb, "plan")
    p.write_text(PLAN.replace("50%", "55%"), encoding="utf-8")
    (r,) = kb.ingest([p])
    assert r.status == "ingested"
    texts = kb.store.get(where={"doc_id": "plan"})["metadatas"]
    assert any("55%" in m["text"] for m in texts) and not any("50%" in m["text"] for m in texts)
    assert len(_chunk_ids(kb, "plan")) == r.chunks
    assert old != _chunk_ids(kb, "plan")


def test_bad_file_leaves_kb_as_it_was(kb, tmp_path):
    good = tmp_path / "plan.txt"
    good.write_text(PLAN, encoding="utf-8")
    kb.ingest([good])
    before = kb.store._collection.count(), [d["content_hash"] for d in kb.documents()]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(bytes(range(256)) * 8)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    results = kb.ingest([bad, empty, tmp_path / "x.doc"])
    assert [r.status for r in results] == ["error"] * 3
    assert all(r.message for r in results)
    assert (kb.store._collection.count(), [d["content_hash"] for d in kb.documents()]) == before


def test_crash_mid_embedding_exposes_no_half_indexed_vectors(kb, tmp_path, monkeypatch):
    p = tmp_path / "plan.txt"
    p.write_text(PLAN, encoding="utf-8")
    kb.ingest([p])
    old_hash = kb.registry.get("plan")["content_hash"]
    p.write_text(PLAN.replace("50%", "55%") + "（二）新增任务\n新增内容。\n", encoding="utf-8")

    real_add = kb.store.add_documents

    def add_then_crash(docs, **kw):
        real_add(docs[:1], ids=kw["ids"][:1])       # part of the new version reaches the store …
        raise RuntimeError("killed")                # … then the process dies

    monkeypatch.setattr(kb.store, "add_documents", add_then_crash)
    with pytest.raises(RuntimeError):
        kb.ingest([p])
    monkeypatch.undo()
    # the new version is searchable by keywords at once; its vectors are not complete, so dense
    # search leaves the document out rather than mixing half of one version with the other
    row = kb.registry.get("plan")
    assert row["content_hash"] != old_hash and row["vector_hash"] != row["content_hash"]
    assert "plan" not in kb.registry.vector_hashes()
    hits = kb.search("森林覆盖率", k=10)
    assert hits and all("dense" not in h.scores for h in hits if h.doc_id == "plan")
    assert any("55%" in h.text for h in hits) and not any("50%" in h.text for h in hits)
    (r,) = kb.ingest([p])                            # the next run completes the vectors
    assert r.status == "unchanged" and "plan" in kb.registry.vector_hashes()
    metas = kb.store.get(where={"doc_id": "plan"})["metadatas"]
    assert len(metas) == row["n_chunks"] and all("50%" not in m["text"] for m in metas)
    assert kb.search("森林覆盖率", k=1)[0].scores.get("dense")


def test_delete(kb, tmp_path):
    p = tmp_path / "plan.txt"
    p.write_text(PLAN, encoding="utf-8")
    kb.ingest([p])
    assert kb.delete("plan.txt") == "plan"
    assert kb.documents() == [] and kb.store._collection.count() == 0
    assert kb.search("森林覆盖率") == []
    assert kb.delete("plan") is None


def test_search_returns_breadcrumbs_and_scores(kb, tmp_path):
    p = tmp_path / "plan.txt"
    p.write_text(PLAN, encoding="utf-8")
    kb.ingest([p])
    hits = kb.search("建设绿道50公里", k=2)
    assert hits and hits[0].breadcrumb == "某区绿化行动方案 › 二、重点任务 › （一）建设绿道"
    assert "牵头单位：区园林绿化局" in hits[0].text and hits[0].score > 0
    assert set(hits[0].scores) == {"bm25", "dense"} and 0 < hits[0].scores["dense"] <= 1.0


def test_embedding_model_mismatch_is_refused(tmp_path, fake_embeddings):
    s = Settings(kb_dir=tmp_path / "kb")
    kb = KnowledgeBase(s, embeddings=fake_embeddings)
    p = tmp_path / "plan.txt"
    p.write_text(PLAN, encoding="utf-8")
    kb.ingest([p])
    kb.registry.set_info("embedding", "st:some-other-model")
    with pytest.raises(RuntimeError, match="建立的"):
        KnowledgeBase(s).embeddings


def test_settings_validation(tmp_path):
    with pytest.raises(ValueError):
        Settings(collection="政策库")
    with pytest.raises(ValueError):
        Settings(chunk_min_chars=700, chunk_max_chars=600)
    with pytest.raises(ValueError):
        Settings(embedding_backend="sentence-transformers")


def test_ready_hashes_follow_writes_of_this_and_other_connections(tmp_path):
    """Registry.ready_hashes is cached until the database changes: a write through this connection,
    or a commit by another one (another process), is seen at the next call."""
    from kb.registry import Registry

    path = tmp_path / "r.sqlite3"
    a, b = Registry(path), Registry(path)
    assert a.ready_hashes() == {} and a.vector_hashes() == {}
    a.upsert("d1", "x.txt", "h1", "ready", "t", {}, {}, 1, 0, 0)
    assert a.ready_hashes() == {"d1": "h1"} and a.vector_hashes() == {}
    b.upsert("d2", "y.txt", "h2", "ready", "t", {}, {}, 1, 0, 0)
    b.mark_vectors("d2", "h2")
    assert a.ready_hashes() == {"d1": "h1", "d2": "h2"} and a.vector_hashes() == {"d2": "h2"}
    a.ready_hashes()["d3"] = "mutated"                       # callers get a copy
    b.delete("d1")
    assert a.ready_hashes() == {"d2": "h2"}
