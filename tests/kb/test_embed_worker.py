"""Searchable before embedded: keyword search and facts at once, vectors from the worker, batched
across documents, never the same text twice, resumable; small stand-in embedder."""
import shutil
import time

import pytest

from kb import KnowledgeBase, Settings
from kb.embed_worker import EmbeddingWorker, progress_text
from tests.conftest import CORPUS, CharNgramEmbeddings


class Counting(CharNgramEmbeddings):
    def __init__(self):
        self.calls: list[int] = []

    def embed_documents(self, texts):
        self.calls.append(len(texts))
        return super().embed_documents(texts)


@pytest.fixture
def emb():
    return Counting()


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "docs"
    shutil.copytree(CORPUS, d)
    return d


def _kb(tmp_path, emb):
    return KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=emb)


def test_keywords_and_facts_before_vectors(tmp_path, emb, corpus):
    kb = _kb(tmp_path, emb)
    results = kb.ingest([corpus], embed=False)
    n = sum(r.chunks for r in results)
    assert emb.calls == [] and kb.registry.vector_progress() == (0, n, 0, 5)
    hits = kb.search("万级负氧离子体验区由谁牵头", k=3)
    assert hits and "区气象局" in hits[0].text and all("dense" not in h.scores for h in hits)
    assert kb.facts.tasks(dept="区气象局")                     # facts are there too
    assert "0/" in progress_text(kb.registry.vector_progress())
    assert EmbeddingWorker(kb).run_until_done() == 5
    assert kb.registry.vector_progress() == (n, n, 5, 5) and "已完成" in progress_text(kb.registry.vector_progress())
    assert kb.store._collection.count() == n
    assert any("dense" in h.scores for h in kb.search("万级负氧离子体验区由谁牵头", k=3))


def test_batches_cross_documents(tmp_path, emb, corpus):
    kb = _kb(tmp_path, emb)
    kb.ingest([corpus], embed=False)
    EmbeddingWorker(kb, batch_chunks=64).run_until_done()
    n = kb.registry.vector_progress()[1]
    assert sum(emb.calls) == n                                  # every chunk once
    assert len(emb.calls) < 5 and max(emb.calls) == 64          # fewer model calls than documents


def test_edited_document_embeds_only_its_changed_chunks(tmp_path, emb, corpus):
    kb = _kb(tmp_path, emb)
    kb.ingest([corpus])
    before = sum(emb.calls)
    f = next(corpus.glob("门头沟区_氧吧*.txt"))
    f.write_text(f.read_text(encoding="utf-8").replace("百花山", "百花山景区", 1), encoding="utf-8")
    (r,) = [x for x in kb.ingest([corpus]) if x.status == "ingested"]
    changed = sum(emb.calls) - before
    assert 0 < changed < r.chunks / 4, (changed, r.chunks)
    kb.ingest([corpus], force=True)                              # re-indexing everything embeds nothing new
    assert sum(emb.calls) - before == changed
    assert kb.registry.vector_progress()[2:] == (5, 5)


def test_worker_resumes_in_a_new_process_state(tmp_path, emb, corpus):
    kb = _kb(tmp_path, emb)
    kb.ingest([corpus], embed=False)
    EmbeddingWorker(kb, batch_chunks=30).run_once()              # one batch, then the process "stops"
    done = kb.registry.vector_progress()[2]
    assert 0 < done < 5
    again = KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=emb)
    assert again.embed_pending() == 5 - done
    assert again.registry.vector_progress()[2:] == (5, 5)


def test_document_changed_while_embedding_is_not_marked(tmp_path, emb):
    kb = _kb(tmp_path, emb)
    p = tmp_path / "plan.txt"
    p.write_text("某区绿化行动方案\n一、总体要求\n到2026年，全区森林覆盖率达到50%。\n", encoding="utf-8")
    kb.ingest([p], embed=False)
    worker = EmbeddingWorker(kb)
    real = kb.cached_embeddings.embed_documents

    def edit_meanwhile(texts):
        out = real(texts)
        p.write_text("某区绿化行动方案\n一、总体要求\n到2026年，全区森林覆盖率达到60%。\n", encoding="utf-8")
        kb.ingest([p], embed=False)
        return out

    kb.cached_embeddings.embed_documents = edit_meanwhile
    assert worker.run_once() == 0 and "plan" not in kb.registry.vector_hashes()
    kb.cached_embeddings.embed_documents = real
    assert worker.run_until_done() == 1
    metas = kb.store.get(where={"doc_id": "plan"})["metadatas"]
    assert any("60%" in m["text"] for m in metas) and not any("50%" in m["text"] for m in metas)


def test_background_thread_embeds_after_wake(tmp_path, emb, corpus):
    kb = _kb(tmp_path, emb)
    worker = EmbeddingWorker(kb, idle_s=30).start()
    try:
        kb.ingest([corpus], embed=False)
        worker.wake()
        deadline = time.monotonic() + 120
        while kb.registry.vector_progress()[2] < 5 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert kb.registry.vector_progress()[2:] == (5, 5) and worker.last_error is None
    finally:
        worker.stop()
    assert not kb.write_lock.held


def test_only_one_worker_embeds(tmp_path, emb, corpus):
    kb = _kb(tmp_path, emb)
    kb.ingest([corpus], embed=False)
    holder = EmbeddingWorker(kb)
    other = EmbeddingWorker(KnowledgeBase(Settings(kb_dir=tmp_path / "kb"), embeddings=emb), idle_s=0.05)
    with holder._claim(wait=False) as claimed:
        assert claimed
        other.start()
        time.sleep(0.5)
        other.stop()
        assert emb.calls == [] and kb.registry.vector_progress()[2] == 0


def test_a_query_is_embedded_once(tmp_path):
    from kb.embed_worker import CachedEmbeddings
    from kb.registry import Registry

    class Queries(CharNgramEmbeddings):
        n = 0

        def embed_query(self, text):
            self.n += 1
            return super().embed_query(text)

    inner = Queries()
    emb = CachedEmbeddings(inner, Registry(tmp_path / "r.sqlite3"), "sig")
    a = emb.embed_query("森林覆盖率")
    a.append(0.0)                                    # a caller's copy: the cache keeps its own
    assert emb.embed_query("森林覆盖率") == inner._vec("森林覆盖率") and inner.n == 1
    emb.embed_query("湿地")
    assert inner.n == 2
