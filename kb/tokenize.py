"""Chinese tokenisation for keyword retrieval: jieba (search mode) with the knowledge base's user
dictionary of unit and indicator names, plus character bigrams of longer words.

Search mode yields both a long word and its known parts (区园林绿化局 -> 园林, 绿化, 区园林绿化局), and
the bigrams let a contraction that jieba does not know (园林局, 气象局) still meet its long form.

Example:
    >>> tok = Tokenizer()
    >>> "森林覆盖率" in tok("森林覆盖率达到50%")
    True
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
import threading
from pathlib import Path

# Function words and question words: they match everywhere and carry no topic.
STOPWORDS = frozenset("""
的 了 吗 呢 吧 啊 是 在 和 与 及 或 等 对 把 被 为 以 于 由 从 向 将 按 其 之 也 都 并 而 及其 以及 或者 还是
什么 多少 哪些 哪个 哪里 怎么 怎样 如何 是否 有没有 有 没有 请问 请 一下 一些 这个 那个 这些 那些 我们 我 你
要求 规定 提到 关于 中 里 上 下 内 相关 方面 情况 问题 哪 谁 几 个 项 呀 么 吗？ 目前 现在 时候 怎么样
""".split())

TOKENIZER_VERSION = "2"      # 2: jieba's total frequency no longer grows with the user dictionary
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+(?:\.\d+)?%?")
_lock = threading.Lock()
_RECENT = 4096


class Tokenizer:
    """Callable: text -> list of index terms (repeats kept, for term frequency)."""

    def __init__(self, userdict: str | Path | None = None):
        # jieba's dictionary takes ~0.6 s to load: done on first use, so that checking whether a
        # saved BM25 index is still valid (the signature) costs only reading the user dictionary.
        self._jieba = None
        # the terms of recently cut runs: a document's breadcrumb opens each of its chunks' keyword
        # text, and its headings and set phrases recur (a few documents' worth, never the corpus)
        self._recent: dict[str, list[str]] = {}
        self._userdict = Path(userdict).read_bytes() if userdict and Path(userdict).is_file() else b""
        self.userdict_hash = hashlib.sha1(self._userdict).hexdigest()[:12] if self._userdict else ""

    def _cutter(self):
        with _lock:                  # jieba's lazy initialisation is not thread-safe
            if self._jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                if self._userdict:
                    tk.initialize()
                    base = tk.total
                    tk.load_userdict(io.BytesIO(self._userdict))
                    # jieba adds each user word's frequency to its total, and the total weighs every
                    # word of every segmentation: then a new unit name in one document would change
                    # how unrelated text elsewhere is cut. With the total kept, a dictionary word only
                    # changes the segmentation of text that contains it, so the BM25 index re-tokenises
                    # just those chunks when the dictionary changes (kb.bm25, ``updated``).
                    tk.total = base
                self._jieba = tk
        return self._jieba

    @property
    def user_words(self) -> list[str]:
        """The user dictionary's words (one ``word freq tag`` line each)."""
        return [line.split(" ")[0] for line in self._userdict.decode("utf-8").splitlines() if line.strip()]

    @property
    def signature(self) -> str:
        return f"jieba-search+bigram:v{TOKENIZER_VERSION}:{self.userdict_hash}"

    def words(self, text: str) -> list[str]:
        """Plain jieba segmentation (no search-mode parts, no bigrams), with the user dictionary."""
        cutter = self._cutter()
        with _lock:
            return cutter.lcut(text, HMM=False)

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        for run in _WORD.findall(text):
            if not _CJK.match(run):
                out.append(run.lower())
                continue
            terms = self._recent.get(run)
            if terms is None:
                cutter = self._cutter()
                with _lock:
                    words = list(cutter.cut_for_search(run, HMM=False))
                terms = [w for w in words if w not in STOPWORDS] + _bigrams(run)
                if len(self._recent) >= _RECENT:
                    self._recent.clear()
                self._recent[run] = terms
            out.extend(terms)
        return out


def _bigrams(run: str) -> list[str]:
    """Character bigrams, marked so that they never collide with a two-character word."""
    return ["#" + run[i:i + 2] for i in range(len(run) - 1)]
