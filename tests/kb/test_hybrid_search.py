"""Hybrid search through the KnowledgeBase facade on the bundled corpus (fake embedder): region
scope, filters, the persisted BM25 index, outlines."""
import pytest

from kb import KnowledgeBase, Settings
from kb.bm25 import BM25Index
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    from tests.conftest import CharNgramEmbeddings

    kb = KnowledgeBase(Settings(kb_dir=tmp_path_factory.mktemp("kb")), embeddings=CharNgramEmbeddings())
    kb.ingest([CORPUS])
    return kb


def region_of(kb, doc_id):
    return next(d["region"] for d in kb.doc_regions() if d["doc_id"] == doc_id)


def test_question_naming_a_district_stays_in_it(kb):
    r = kb.retrieve("延庆区万级负氧离子体验区由谁牵头？", k=5)
    assert r.scope.regions == ["延庆区"] and r.hits
    assert {region_of(kb, h.doc_id) for h in r.hits} <= {"延庆区", "北京市"}
    r = kb.retrieve("万级负氧离子体验区由谁牵头？", k=1)                # no region named: the 门头沟 plan
    assert region_of(kb, r.hits[0].doc_id) == "门头沟区"


def test_question_about_an_uncovered_region_returns_nothing(kb):
    r = kb.retrieve("海淀区森林覆盖率目标是多少？")
    assert r.hits == [] and r.scope.missing == ["海淀区"]
    assert kb.search("海淀区森林覆盖率目标是多少？", use_scope=False)       # without scoping it would answer


def test_explicit_filters(kb):
    doc = next(d["doc_id"] for d in kb.doc_regions() if d["region"] == "朝阳区")
    assert {h.doc_id for h in kb.search("生态保护", k=8, doc_ids=[doc])} == {doc}
    assert {h.kind for h in kb.search("完成时间", k=8, chunk_kinds=["table_row"])} == {"table_row"}
    assert {region_of(kb, h.doc_id) for h in kb.search("生态", k=8, regions=["门头沟区"])} == {"门头沟区"}
    # an explicit document filter outside the question's region leaves nothing
    assert kb.search("延庆区的氧吧", doc_ids=[doc]) == []


def test_department_contraction_reaches_the_long_form(kb):
    hits = kb.search("园林局牵头的任务", k=3)
    assert any("区园林绿化局" in h.text for h in hits)


def test_list_question_gets_an_outline(kb):
    hits = kb.search("美丽朝阳实施方案中美丽细胞包括哪些内容", k=3)
    assert any(h.kind == "outline" and "15.创建美丽园区" in h.text for h in hits)


def test_bm25_index_is_persisted_and_reused(kb, monkeypatch):
    assert kb.bm25_path.exists()
    built = []
    monkeypatch.setattr(BM25Index, "build", classmethod(lambda *a, **k: built.append(1)))
    fresh = KnowledgeBase(kb.settings, embeddings=kb.embeddings)
    assert len(fresh.bm25) == len(kb.bm25) and not built            # loaded, not re-tokenised


def test_bm25_follows_deletion(tmp_path, fake_embeddings):
    kb = KnowledgeBase(Settings(kb_dir=tmp_path), embeddings=fake_embeddings)
    kb.ingest([CORPUS])
    n = len(kb.bm25)
    gone = kb.delete(kb.doc_regions()[0]["doc_id"])
    assert len(kb.bm25) < n and all(c["doc_id"] != gone for c in kb.bm25.chunks)
    assert all(h.doc_id != gone for h in kb.search("生态", k=10))


def _full_rebuild(kb):
    from kb.knowledge_base import keyword_text

    chunks, _ = kb._keyword_chunks()
    return BM25Index.build(chunks, kb.tokenizer, text_of=keyword_text)


def test_bm25_is_updated_in_place_and_equals_a_full_rebuild(tmp_path, fake_embeddings, monkeypatch):
    """Adding documents (whose unit names also enter the jieba dictionary) and deleting one update
    the saved index without re-tokenising the rest; the result scores like an index built anew."""
    files = sorted(CORPUS.glob("*.txt"))
    kb = KnowledgeBase(Settings(kb_dir=tmp_path), embeddings=fake_embeddings)
    kb.ingest(files[:2], embed=False)
    words_before = set(kb.tokenizer.user_words)
    tokenised = []
    real_build = BM25Index.build.__func__
    monkeypatch.setattr(BM25Index, "build", classmethod(lambda *a, **k: tokenised.append(1) or real_build(*a, **k)))
    kb.ingest(files[2:], embed=False)
    assert not tokenised                                   # updated, not rebuilt
    assert set(kb.tokenizer.user_words) != words_before    # the dictionary changed too
    queries = ["万级负氧离子体验区由谁牵头", "区园林绿化局配合哪些任务", "森林覆盖率达到多少", "美丽朝阳的主要目标"]
    for step in ("added", "deleted"):
        monkeypatch.undo()
        want = _full_rebuild(kb)
        got = kb.bm25
        assert [c["chunk_id"] for c in got.chunks] == [c["chunk_id"] for c in want.chunks], step
        assert set(got.vocab) == set(want.vocab), step
        for q in queries:
            terms = kb.tokenizer(q)
            assert (got.scores(terms) == want.scores(terms)).all(), (step, q)
        kb.delete(kb.doc_regions()[0]["doc_id"])
