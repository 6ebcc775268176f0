"""Fusion, filters, priors and interleaving of the hybrid retriever, on hand-made hits."""
from hypothesis import given
from hypothesis import strategies as st

from kb.answer_types import supplies, wanted
from kb.retrievers import Filters, Hit, HybridRetriever, interleave, reciprocal_rank_fusion, weighted_fusion


def hit(cid, score, doc="d", kind="text", text="", breadcrumb="T"):
    return Hit(doc_id=doc, title="T", breadcrumb=breadcrumb, text=text, score=score, kind=kind, start=0, end=1,
               page=None, region=None, chunk_id=cid)


class Fixed:
    """A retriever returning given hits, plus a zero-score filler (min-max fusion maps the lowest
    candidate to 0, so the filler keeps the others' relative scores)."""

    def __init__(self, hits):
        self.hits = hits + [hit("filler", 0.0, doc="zz")]

    def run(self, query, k, filters):
        return [Hit(**h.__dict__) for h in self.hits if filters.allows({"doc_id": h.doc_id, "kind": h.kind})][:k]


IDS = st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8)


@given(IDS, IDS)
def test_rrf_matches_reference(a, b):
    ranked = {"bm25": [hit(c, 1.0) for c in a], "dense": [hit(c, 1.0) for c in b]}
    fused = reciprocal_rank_fusion(ranked, c=60)
    ref = {c: sum(1 / (60 + lst.index(c) + 1) for lst in (a, b) if c in lst) for c in set(a) | set(b)}
    assert {h.chunk_id: round(h.score, 12) for h in fused} == {c: round(s, 12) for c, s in ref.items()}
    assert [h.score for h in fused] == sorted((h.score for h in fused), reverse=True)


def test_weighted_fusion_keeps_the_size_of_a_lead():
    bm25 = [hit("a", 30.0), hit("b", 10.0), hit("c", 9.0)]
    dense = [hit("c", 0.90), hit("b", 0.89), hit("a", 0.88)]
    assert weighted_fusion({"bm25": bm25, "dense": dense}, {"bm25": 1, "dense": 0.5})[0].chunk_id == "a"
    # RRF only sees ranks: a and c tie on ranks 1 and 3, b sits in the middle twice
    assert {h.chunk_id for h in reciprocal_rank_fusion({"bm25": bm25, "dense": dense})[:2]} == {"a", "c"}


def test_filters_allow_and_chroma_where_agree_on_fields():
    f = Filters(doc_ids=["x"], regions=["门头沟区"], chunk_kinds=["table_row"])
    assert f.allows({"doc_id": "x", "region": "门头沟区", "kind": "table_row"})
    assert not f.allows({"doc_id": "x", "region": "延庆区", "city": "北京市", "kind": "table_row"})
    assert Filters(regions=["北京市"]).allows({"region": "门头沟区", "city": "北京市"})
    where = f.chroma_where()
    assert {"doc_id": {"$in": ["x"]}} in where["$and"] and len(where["$and"]) == 3
    assert Filters().chroma_where() is None and Filters(doc_ids=[]).blocks_all


def test_answer_type_prior_prefers_the_row_with_a_deadline():
    para = hit("para", 1.0, text="开展万级负氧离子体验区建设。")
    row = hit("row", 0.9, kind="table_row", text="任务内容：开展万级负氧离子体验区建设；完成时间：2024年12月")
    r = HybridRetriever(None, Fixed([para, row]), answer_type_bonus=0.2)
    assert r.run("万级负氧离子体验区什么时候完成？", 2, Filters())[0].chunk_id == "row"
    assert r.run("万级负氧离子体验区建设内容", 2, Filters())[0].chunk_id == "para"


def test_outlines_serve_list_questions_only():
    outline = hit("o", 1.0, kind="outline", text="（一）甲\n（二）乙", breadcrumb="T › 二、重点任务")
    body = hit("b", 0.8, text="（一）甲。具体内容。")
    r = HybridRetriever(None, Fixed([outline, body]), answer_type_bonus=0.2)
    assert r.run("有哪些重点任务", 2, Filters())[0].chunk_id == "o"
    assert r.run("甲的具体内容", 2, Filters())[0].chunk_id == "b"


def test_secondary_region_documents_are_down_weighted():
    own, city = hit("own", 0.9, doc="mtg"), hit("city", 1.0, doc="bj")
    r = HybridRetriever(None, Fixed([city, own]), secondary_factor=0.8)
    assert r.run("q", 2, Filters(), primary=["mtg"])[0].chunk_id == "own"


def test_interleave_alternates_regions():
    hits = [hit("a1", 3, doc="a"), hit("a2", 2, doc="a"), hit("b1", 1, doc="b"), hit("c1", 0.5, doc="c")]
    assert [h.chunk_id for h in interleave(hits, [["a"], ["b"]])] == ["a1", "b1", "a2", "c1"]


def test_answer_types():
    assert wanted("由谁牵头？") == {"unit"} and "deadline" in wanted("什么时候完成")
    assert "number" in wanted("森林覆盖率要达到多少") and "overview" in wanted("有哪些重点任务")
    assert supplies("完成时间：2024年12月") == {"deadline"}
    assert supplies("牵头单位：区气象局") == {"unit"}
    assert "number" in supplies("建成8套负氧离子监测站")
    assert supplies("任何文字", kind="outline") == {"overview"}


def test_keyword_mask_matches_filters_allows():
    """The vectorised chunk mask of KeywordRetriever agrees with Filters.allows on every chunk."""
    import numpy as np

    from kb.bm25 import BM25Index
    from kb.retrievers import Filters, KeywordRetriever

    chunks = [{"chunk_id": f"{d}:{i}", "text": "森林 覆盖率", "doc_id": d, "region": r, "city": c, "doc_kind": dk,
               "kind": k} for i, (d, r, c, dk, k) in enumerate([
                   ("a", "门头沟区", "北京市", "行动计划", "text"), ("b", "", "北京市", "实施方案", "table_row"),
                   ("c", "朝阳区", "", "", "text"), ("d", "延庆区", "北京市", "行动计划", "outline")])]
    kw = KeywordRetriever(BM25Index.build(chunks, str.split), str.split)
    cases = [Filters(), Filters(doc_ids=["a", "c"]), Filters(regions=["北京市"]), Filters(regions=["朝阳区"]),
             Filters(doc_kinds=["行动计划"], chunk_kinds=["text"]), Filters(doc_ids=["b"], regions=["门头沟区"])]
    for f in cases:
        mask = kw.allowed(f)
        want = np.array([f.allows(c) for c in chunks])
        assert (want.all() if mask is None else (mask == want).all()), f
    assert [h.doc_id for h in kw.run("森林", 5, Filters(regions=["朝阳区"]))] == ["c"]


def test_dense_failure_falls_back_to_keywords(caplog):
    """A vector store error (Chroma on disk while another process writes it) costs the dense half of
    one search, not the question."""
    from kb.retrievers import DenseRetriever, Filters

    class Broken:
        def similarity_search_with_score(self, *a, **kw):
            raise RuntimeError("Error creating hnsw segment reader")

    with caplog.at_level("WARNING", logger="policykb.retrieve"):
        assert DenseRetriever(Broken(), lambda: {"a": "h"}).run("森林", 5, Filters()) == []
    assert "hnsw" in caplog.text


def test_dense_search_opens_the_store_only_for_documents_with_vectors():
    """The store is opened (Chroma imported) on the first search that can use vectors; a filter
    whose documents have none skips the search, which could only return hits dropped as stale."""
    from kb.retrievers import DenseRetriever, Filters

    opened, searched = [], []

    class Store:
        def similarity_search_with_score(self, query, k, filter=None):
            searched.append(filter)
            return []

    def open_store():
        opened.append(1)
        return Store()

    ready = {}
    dense = DenseRetriever(open_store, lambda: dict(ready))
    assert dense.run("森林", 5, Filters()) == [] and not opened          # no vectors anywhere
    ready["a"] = "h"
    assert dense.run("森林", 5, Filters(doc_ids=["b"])) == [] and not opened   # none among the allowed
    dense.run("森林", 5, Filters(doc_ids=["a", "b"]))
    dense.run("森林", 5, Filters())
    assert opened == [1] and len(searched) == 2
