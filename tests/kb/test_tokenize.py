"""Tokenizer: a user-dictionary word changes only the segmentation of text that contains it (jieba's
total frequency is kept), which is what lets the BM25 index update only those chunks."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.tokenize import Tokenizer

TEXTS = ["推进万级负氧离子体验区建设，由区气象局牵头，区文旅局配合", "森林覆盖率达到百分之五十以上",
         "加强湿地保护修复，提升生态系统质量和稳定性", "区园林绿化局负责城市绿化和公园管理工作",
         "开展空气质量监测，优良天数比例稳步提高", "完善垃圾分类收运体系，推动资源化利用"]
WORDS = ["负氧离子体验", "生态系统质量", "公园管理工作", "资源化利用", "优良天数比例", "气象局牵头"]


def tokenizer(tmp_path, words, name):
    path = tmp_path / f"{name}.txt"
    path.write_text("".join(f"{w} 2000 nt\n" for w in words), encoding="utf-8")
    return Tokenizer(path)


@settings(max_examples=8, deadline=None)
@given(st.sets(st.sampled_from(WORDS), max_size=4))
def test_a_dictionary_word_only_changes_text_containing_it(tmp_path_factory, words):
    tmp = tmp_path_factory.mktemp("dict")
    plain, with_words = Tokenizer(), tokenizer(tmp, sorted(words), "u")
    assert with_words.user_words == sorted(words)
    for text in TEXTS:
        if not any(w in text for w in words):
            assert with_words(text) == plain(text), text


def test_a_dictionary_word_is_kept_whole(tmp_path):
    tok = tokenizer(tmp_path, ["负氧离子体验"], "u")
    assert "负氧离子体验" in tok("推进万级负氧离子体验区建设")
    assert "负氧离子体验" not in Tokenizer()("推进万级负氧离子体验区建设")
