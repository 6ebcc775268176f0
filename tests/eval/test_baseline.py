"""The naive baseline's on-disk cache: reused for the same texts, rebuilt when they change."""
from eval.baseline import NaiveBaseline

TEXTS = {"a": "森林覆盖率达到45%以上。" * 30, "b": "区气象局牵头建设万级负氧离子体验区。" * 30}


def test_cached_index_is_reused_only_for_the_same_texts(tmp_path, fake_embeddings):
    first = NaiveBaseline(fake_embeddings).build(TEXTS, cache_dir=tmp_path, embedder="fake")
    again = NaiveBaseline(fake_embeddings).build(TEXTS, cache_dir=tmp_path, embedder="fake")
    assert not first.reused and again.reused and again.n_chunks == first.n_chunks > 2
    assert again.search("负氧离子", k=1)[0][0] == first.search("负氧离子", k=1)[0][0] == "b"
    changed = NaiveBaseline(fake_embeddings).build({**TEXTS, "b": "另一份文件。" * 40}, cache_dir=tmp_path,
                                                   embedder="fake")
    assert not changed.reused
    other_model = NaiveBaseline(fake_embeddings).build(TEXTS, cache_dir=tmp_path, embedder="other")
    assert not other_model.reused
    assert not NaiveBaseline(fake_embeddings).build(TEXTS).reused           # in memory without a cache
