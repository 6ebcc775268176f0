"""BM25 index: scores equal a direct textbook computation; persistence; stale signatures."""
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.bm25 import BM25Index

WORDS = st.sampled_from(["森林", "覆盖率", "区气象局", "牵头", "湿地", "氧吧", "2024年"])
DOCS = st.lists(st.lists(WORDS, min_size=0, max_size=8), min_size=1, max_size=8)


def reference(docs, query, k1=1.2, b=0.75):
    n, avg = len(docs), sum(map(len, docs)) / len(docs)
    out = []
    for d in docs:
        s = 0.0
        for t in dict.fromkeys(query):
            df = sum(t in x for x in docs)
            f = d.count(t)
            if f:
                idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
                s += idf * f * (k1 + 1) / (f + k1 * (1 - b + b * len(d) / (avg or 1)))
        out.append(s)
    return out


@settings(max_examples=60, deadline=None)
@given(DOCS, st.lists(WORDS, min_size=1, max_size=4))
def test_scores_match_reference(docs, query):
    idx = BM25Index.build([{"text": " ".join(d)} for d in docs], str.split)
    got = idx.scores(query)
    for g, r in zip(got, reference(docs, query)):
        assert math.isclose(g, r, rel_tol=1e-4, abs_tol=1e-5)
    ranked = idx.search(query, k=3)
    assert all(s > 0 for _, s in ranked) and [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_search_respects_allowed_mask():
    import numpy as np

    idx = BM25Index.build([{"text": "森林 覆盖率"}, {"text": "森林"}, {"text": "湿地"}], str.split)
    assert [i for i, _ in idx.search(["森林"], k=5)] == [1, 0]
    assert [i for i, _ in idx.search(["森林"], k=5, allowed=np.array([True, False, True]))] == [0]
    assert idx.search(["不存在"], k=5) == []


def test_save_load_roundtrip_and_stale_signature(tmp_path):
    chunks = [{"text": "森林 覆盖率", "chunk_id": "a:0"}, {"text": "湿地 保有量", "chunk_id": "a:1"}]
    idx = BM25Index.build(chunks, str.split, signature="v1")
    path = tmp_path / "bm25.npz"
    idx.save(path)
    back = BM25Index.load(path, "v1")
    assert back.chunks == chunks and back.search(["湿地"]) == idx.search(["湿地"])
    assert BM25Index.load(path, "v2") is None                       # documents changed since
    path.write_bytes(b"not an npz file")
    assert BM25Index.load(path, "v1") is None                       # unreadable: rebuilt, not a crash
    assert BM25Index.load(tmp_path / "missing.npz", "v1") is None


def test_concurrent_saves_never_rename_each_others_file(tmp_path):
    """Two rebuilds saving at once used to share `bm25.npz.tmp`: one renamed the other's file away and
    failed with FileNotFoundError (a concurrent question failed with it)."""
    import threading

    path = tmp_path / "bm25.npz"
    indexes = [BM25Index.build([{"text": f"森林 覆盖率 {i}", "chunk_id": f"a:{i}"}] * 50, str.split,
                               signature=f"v{i}") for i in range(6)]
    errors, start = [], threading.Barrier(len(indexes))

    def save(idx):
        start.wait()
        try:
            for _ in range(15):
                idx.save(path)
        except Exception as exc:        # noqa: BLE001 - recorded for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in indexes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert any(BM25Index.load(path, f"v{i}") is not None for i in range(len(indexes)))
    assert [p.name for p in tmp_path.iterdir()] == ["bm25.npz"]          # no temporary file left behind
