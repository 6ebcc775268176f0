"""Okapi BM25 over the ready chunks, persisted beside the vector store and updated in place.

The index is a sparse term-frequency matrix (scipy, one row per chunk) plus each chunk's metadata,
saved to ``KB/bm25.npz`` with a signature of the ready documents and the tokenizer and a free
``state`` (the knowledge base keeps each indexed document's content hash and the user-dictionary
words there). Start-up loads the file; when documents were added, changed or removed, ``updated``
drops their rows and tokenises only the new chunks (and the chunks a changed dictionary word
occurs in) instead of re-tokenising the corpus. The result equals a full ``build`` over the same
chunks in the same order: same rows, same vocabulary (terms no chunk holds any more are dropped),
so the same scores (``tests/kb/test_bm25.py`` checks it against full rebuilds).

Example:
    >>> idx = BM25Index.build(chunks, Tokenizer())       # chunks: dicts with "chunk_id", "text", …
    >>> idx.search(["森林覆盖率"], k=5)                     # [(position, score), …]
    >>> idx = idx.updated(keep=[c["doc_id"] != "old" for c in idx.chunks], add=new_chunks, tokenize=Tokenizer())
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

FORMAT = 2


class CSC:
    """A compressed sparse column matrix as its three arrays (scipy's layout): enough to score and to
    save, so that loading an index for questions does not import scipy (0.6 s of a start-up)."""

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, shape: tuple[int, int]):
        self.data, self.indices, self.indptr, self.shape = data, indices, indptr, (int(shape[0]), int(shape[1]))

    @classmethod
    def of(cls, m) -> "CSC":
        m = m.tocsc()
        return cls(m.data, m.indices, m.indptr, m.shape)

    def scipy(self):
        from scipy import sparse

        return sparse.csc_matrix((self.data, self.indices, self.indptr), shape=self.shape)

    def row_sums(self) -> np.ndarray:
        """Per-row sums (float32, as scipy's ``sum(axis=1)`` of this float32 matrix)."""
        return np.bincount(self.indices, weights=self.data, minlength=self.shape[0]).astype(np.float32)


def _rows(chunks: Sequence[dict[str, Any]], tokenize: Callable[[str], list[str]],
          text_of: Callable[[dict[str, Any]], str], vocab: dict[str, int]) -> tuple[list[int], list[int], list[int]]:
    """CSR parts (indptr, indices, counts) of the chunks' term counts; new terms are added to ``vocab``."""
    indptr, cols, vals = [0], [], []
    for c in chunks:
        counts: dict[int, int] = {}
        for t in tokenize(text_of(c)):
            j = vocab.setdefault(t, len(vocab))
            counts[j] = counts.get(j, 0) + 1
        cols += counts
        vals += counts.values()
        indptr.append(len(cols))
    return indptr, cols, vals


def _csr(parts: tuple[list[int], list[int], list[int]], width: int):
    from scipy import sparse

    indptr, cols, vals = parts
    return sparse.csr_matrix((np.array(vals, dtype=np.float32), np.array(cols, dtype=np.int32),
                              np.array(indptr, dtype=np.int64)), shape=(len(indptr) - 1, width))


class BM25Index:
    def __init__(self, chunks: list[dict[str, Any]], tf: CSC, vocab: dict[str, int],
                 signature: str, k1: float = 1.2, b: float = 0.75, state: dict[str, Any] | None = None):
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError("BM25 needs k1 >= 0 and 0 <= b <= 1")
        self.chunks, self.tf, self.vocab, self.signature = chunks, tf, vocab, signature
        self.k1, self.b = k1, b
        self.state = state or {}
        n = max(1, tf.shape[0])
        df = np.diff(tf.indptr)                                   # chunks containing each term
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        lengths = tf.row_sums()
        self.norm = k1 * (1 - b + b * lengths / max(1e-9, lengths.mean() if len(lengths) else 1))

    @classmethod
    def build(cls, chunks: Iterable[dict[str, Any]], tokenize: Callable[[str], list[str]], signature: str = "",
              text_of: Callable[[dict[str, Any]], str] | None = None, state: dict[str, Any] | None = None,
              **kw: float) -> "BM25Index":
        chunks = list(chunks)
        vocab: dict[str, int] = {}
        parts = _rows(chunks, tokenize, text_of or (lambda c: c["text"]), vocab)
        return cls(chunks, CSC.of(_csr(parts, len(vocab))), vocab, signature, state=state, **kw)

    def updated(self, keep: Sequence[bool], add: Sequence[dict[str, Any]], tokenize: Callable[[str], list[str]],
                text_of: Callable[[dict[str, Any]], str] | None = None, redo: Iterable[int] = (),
                signature: str | None = None, state: dict[str, Any] | None = None,
                order: Callable[[dict[str, Any]], Any] | None = None) -> "BM25Index":
        """A new index: the chunks where ``keep`` is true (those at positions ``redo`` tokenised again,
        say after a dictionary change), then ``add``; with ``order``, sorted stably by that key (the
        knowledge base keeps chunks by document id, in document order, as a full build lists them)."""
        from scipy import sparse

        text_of = text_of or (lambda c: c["text"])
        keep = np.asarray(keep, dtype=bool)
        if len(keep) != len(self.chunks):
            raise ValueError("keep needs one flag per chunk")
        n = len(self.chunks)
        redo = sorted(i for i in set(redo) if keep[i])
        vocab = dict(self.vocab)
        redo_parts = _rows([self.chunks[i] for i in redo], tokenize, text_of, vocab)
        add_parts = _rows(add, tokenize, text_of, vocab)
        width = len(vocab)
        old = self.tf.scipy().tocsr()
        old = sparse.csr_matrix((old.data, old.indices, old.indptr), shape=(n, width))
        stacked = sparse.vstack([old, _csr(redo_parts, width), _csr(add_parts, width)], format="csr")
        src = np.arange(n)
        src[redo] = n + np.arange(len(redo))
        entries = [(src[i], self.chunks[i]) for i in np.flatnonzero(keep)]
        entries += [(n + len(redo) + k, c) for k, c in enumerate(add)]
        if order is not None:
            entries.sort(key=lambda e: order(e[1]))
        rows = np.fromiter((e[0] for e in entries), dtype=np.int64, count=len(entries))
        tf = stacked[rows] if len(rows) else sparse.csr_matrix((0, width), dtype=np.float32)
        # terms no chunk holds any more go, as a full build would never have seen them
        used = np.bincount(tf.indices, minlength=width) > 0
        column = np.cumsum(used) - 1
        tf = sparse.csr_matrix((tf.data, column[tf.indices].astype(np.int32), tf.indptr), shape=(len(rows), int(used.sum())))
        terms = sorted(vocab, key=vocab.__getitem__)
        new_vocab = {t: int(column[j]) for j, t in enumerate(terms) if used[j]}
        return BM25Index([e[1] for e in entries], CSC.of(tf), new_vocab,
                         self.signature if signature is None else signature, k1=self.k1, b=self.b,
                         state=self.state if state is None else state)

    def containing(self, words: Iterable[str], text_of: Callable[[dict[str, Any]], str] | None = None,
                   among: np.ndarray | None = None) -> set[int]:
        """Positions of the chunks whose text contains any of ``words``. A word of two or more CJK
        characters can only be in a chunk that holds all its character bigrams ("#ab" terms), so
        only those chunks are read; other words are looked for in every chunk."""
        text_of = text_of or (lambda c: c["text"])
        out: set[int] = set()
        everywhere = []
        for w in words:
            grams = ["#" + w[i:i + 2] for i in range(len(w) - 1)]
            if len(w) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in w):
                everywhere.append(w)
                continue
            cand: np.ndarray | None = None
            for g in dict.fromkeys(grams):
                j = self.vocab.get(g)
                if j is None:
                    cand = np.empty(0, dtype=np.int32)
                    break
                rows = self.tf.indices[self.tf.indptr[j]:self.tf.indptr[j + 1]]
                cand = rows if cand is None else np.intersect1d(cand, rows, assume_unique=True)
                if not len(cand):
                    break
            out.update(int(i) for i in cand if (among is None or among[i]) and w in text_of(self.chunks[i]))
        if everywhere:
            out.update(i for i, c in enumerate(self.chunks) if (among is None or among[i])
                       and any(w in text_of(c) for w in everywhere))
        return out

    def __len__(self) -> int:
        return len(self.chunks)

    def scores(self, terms: list[str], weights: Callable[[str], float] | None = None) -> np.ndarray:
        """BM25 score of every chunk for the query terms (a repeated term counts once)."""
        out = np.zeros(len(self.chunks), dtype=np.float32)
        for t in dict.fromkeys(terms):
            j = self.vocab.get(t)
            if j is None:
                continue
            lo, hi = self.tf.indptr[j], self.tf.indptr[j + 1]
            rows, f = self.tf.indices[lo:hi], self.tf.data[lo:hi]
            w = self.idf[j] * (weights(t) if weights else 1.0)
            out[rows] += w * f * (self.k1 + 1) / (f + self.norm[rows])
        return out

    def search(self, terms: list[str], k: int = 10, allowed: np.ndarray | None = None,
               weights: Callable[[str], float] | None = None) -> list[tuple[int, float]]:
        s = self.scores(terms, weights)
        if allowed is not None:
            s = np.where(allowed, s, 0.0)
        k = min(k, int((s > 0).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top], kind="stable")]
        return [(int(i), float(s[i])) for i in top]

    # --- persistence (npz + JSON, no pickle: the file is data, never code) --------------------
    def save(self, path: Path) -> None:
        path = Path(path)
        meta = json.dumps({"format": FORMAT, "signature": self.signature, "chunks": self.chunks,
                           "vocab": sorted(self.vocab, key=self.vocab.__getitem__), "k1": self.k1, "b": self.b,
                           "state": self.state}, ensure_ascii=False)
        # a temporary name of its own per writer: concurrent rebuilds (two questions in two threads, or
        # two processes) each replace the file atomically instead of renaming each other's file away
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, data=self.tf.data, indices=self.tf.indices, indptr=self.tf.indptr,
                         shape=np.array(self.tf.shape), meta=np.frombuffer(meta.encode(), dtype=np.uint8))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path, signature: str | None = None) -> "BM25Index | None":
        """The saved index if it was built for ``signature`` (any signature: ``None``); None when
        missing, stale or unreadable."""
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(z["meta"].tobytes().decode())
                if meta.get("format") != FORMAT or signature is not None and meta.get("signature") != signature:
                    return None
                tf = CSC(z["data"], z["indices"], z["indptr"], tuple(z["shape"]))
        except (OSError, ValueError, KeyError, UnicodeDecodeError, EOFError):
            return None
        vocab = {t: i for i, t in enumerate(meta["vocab"])}
        return cls(meta["chunks"], tf, vocab, meta["signature"], k1=meta["k1"], b=meta["b"],
                   state=meta.get("state") or {})
