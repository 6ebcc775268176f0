"""Okapi BM25 over the ready chunks, persisted beside the vector store.

The index is a sparse term-frequency matrix (scipy) plus each chunk's metadata, saved to
``KB/bm25.npz`` with a signature of the ready documents and the tokenizer (user dictionary
included). Start-up loads the file; only a changed signature re-tokenises the corpus.

Example:
    >>> idx = BM25Index.build(chunks, Tokenizer())       # chunks: dicts with "chunk_id", "text", …
    >>> idx.search("森林覆盖率", k=5)                       # [(position, score), …]
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
from scipy import sparse

FORMAT = 1


class BM25Index:
    def __init__(self, chunks: list[dict[str, Any]], tf: sparse.csc_matrix, vocab: dict[str, int],
                 signature: str, k1: float = 1.2, b: float = 0.75):
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError("BM25 needs k1 >= 0 and 0 <= b <= 1")
        self.chunks, self.tf, self.vocab, self.signature = chunks, tf, vocab, signature
        self.k1, self.b = k1, b
        n = max(1, tf.shape[0])
        df = np.diff(tf.indptr)                                   # chunks containing each term
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        self.norm = k1 * (1 - b + b * lengths / max(1e-9, lengths.mean() if len(lengths) else 1))

    @classmethod
    def build(cls, chunks: Iterable[dict[str, Any]], tokenize: Callable[[str], list[str]], signature: str = "",
              text_of: Callable[[dict[str, Any]], str] | None = None, **kw: float) -> "BM25Index":
        chunks = list(chunks)
        text_of = text_of or (lambda c: c["text"])
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for i, c in enumerate(chunks):
            counts: dict[int, int] = {}
            for t in tokenize(text_of(c)):
                j = vocab.setdefault(t, len(vocab))
                counts[j] = counts.get(j, 0) + 1
            rows += [i] * len(counts)
            cols += list(counts)
            vals += list(counts.values())
        tf = sparse.csc_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(len(chunks), len(vocab)))
        return cls(chunks, tf, vocab, signature, **kw)

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
                           "vocab": list(self.vocab), "k1": self.k1, "b": self.b}, ensure_ascii=False)
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
    def load(cls, path: Path, signature: str) -> "BM25Index | None":
        """The saved index if it was built for ``signature``; None when missing, stale or unreadable."""
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(z["meta"].tobytes().decode())
                if meta.get("format") != FORMAT or meta.get("signature") != signature:
                    return None
                tf = sparse.csc_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"]))
        except (OSError, ValueError, KeyError, UnicodeDecodeError):
            return None
        vocab = {t: i for i, t in enumerate(meta["vocab"])}
        return cls(meta["chunks"], tf, vocab, signature, k1=meta["k1"], b=meta["b"])
