"""What a head reads: the encoder's sentence vector, and optionally hashed character n-grams.

The encoder knows meaning; n-grams know spelling: insult and swear words the
encoder's small vocabulary splits into pieces, obfuscations (``пи**ец``, ``đ.m``)
and Vietnamese and Chinese syllables. scikit-learn's ``HashingVectorizer`` (fixed
MurmurHash3, no vocabulary to ship) maps them into a few thousand buckets; training
and inference both call :func:`head_features`, so they always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coaching.serial import Serializable


@dataclass(frozen=True)
class CharNgrams(Serializable):
    """Character n-grams inside word boundaries, hashed, L2-normalised, scaled."""

    low: int = 2
    high: int = 4
    buckets: int = 4096
    scale: float = 0.5

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        from sklearn.feature_extraction.text import HashingVectorizer

        hashing = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(self.low, self.high),
            n_features=self.buckets,
            alternate_sign=False,
            norm="l2",
            lowercase=True,
        )
        return self.scale * hashing.transform(list(texts)).toarray()


def head_features(
    vectors: np.ndarray, texts: Sequence[str] | None, ngrams: CharNgrams | None
) -> np.ndarray:
    """The rows a head's weights multiply: encoder vectors, n-grams beside them if used."""
    vectors = np.asarray(vectors, dtype=np.float64)
    if ngrams is None:
        return vectors
    if texts is None or len(texts) != len(vectors):
        raise ValueError("this head reads the texts too: pass them beside their vectors")
    return np.hstack([vectors, ngrams.transform(texts)])
