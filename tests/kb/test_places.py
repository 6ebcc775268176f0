"""Places each document names, found at ingestion (kb.places): the same documents as reading every
title and text, for gazetteer names and for names outside it, also for a KB ingested before."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb import KnowledgeBase, Settings
from kb.places import PLACES_VERSION, mentioned, place_names
from tests.conftest import CORPUS

ARTICLE = "关于做好生态保护工作的通知\n\n各有关单位：门头沟、延庆两区要加强森林资源保护。上海市静安区参照执行。青川区另行通知。\n"


@pytest.fixture(scope="module")
def kb(tmp_path_factory, ):
    from tests.conftest import CharNgramEmbeddings

    tmp = tmp_path_factory.mktemp("places")
    (tmp / "article.txt").write_text(ARTICLE, encoding="utf-8")
    kb = KnowledgeBase(Settings(kb_dir=tmp / "kb"), embeddings=CharNgramEmbeddings())
    kb.ingest([CORPUS, tmp / "article.txt"], embed=False)
    return kb


def scan(kb, names, among):
    """What the assistant's scope did before: read each document's title and text."""
    out = set()
    for d in kb.registry.all():
        if d["doc_id"] in among and any(n in (d["title"] or "") or n in d["parsed"]["text"] for n in names):
            out.add(d["doc_id"])
    return out


NAMES = st.sets(st.sampled_from(sorted(place_names()) + ["青川区", "青川", "静安区的"]), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None)
@given(NAMES, st.booleans())
def test_naming_equals_reading_every_text(kb, names, everything):
    ids = sorted(kb.registry.ready_hashes())
    among = set(ids) if everything else set(ids[::2])
    assert kb.documents_naming(names, among) == scan(kb, names, among)


def test_mentions_are_stored_at_ingestion_and_recomputed_when_missing(kb):
    ids = set(kb.registry.ready_hashes())
    stored = kb.registry.places(PLACES_VERSION)
    assert set(stored) == ids
    article = next(d for d in ids if "article" in d)
    assert {"门头沟", "延庆", "静安区", "上海市"} <= set(stored[article][1])
    with kb.registry.con:                       # a KB from before the index: rows missing
        kb.registry.con.execute("DELETE FROM doc_places")
    kb.refresh()
    assert kb.documents_naming({"门头沟"}, ids) == scan(kb, {"门头沟"}, ids)
    assert article in kb.documents_naming({"延庆"})
    assert set(kb.registry.places(PLACES_VERSION)) == ids         # read once, then stored


def test_mentioned():
    assert mentioned("北京市门头沟区", "") == ["北京", "北京市", "门头沟", "门头沟区"]
    assert mentioned("", "无地名") == []
