"""What a head reads: the encoder's sentence vector, and optionally hashed character n-grams.

The encoder knows meaning; n-grams know spelling: insult and swear words the
encoder's small vocabulary splits into pieces, obfuscations (``пи**ец``, ``đ.m``)
and Vietnamese and Chinese syllables. scikit-learn's ``HashingVectorizer`` (fixed
MurmurHash3, no vocabulary to ship) maps them into a few thousand buckets; training
and inference both call :func:`head_features`, so they always agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coaching.serial import Serializable

_NOT_WORD = re.compile(r"[^\w']+")


def without_repeats(text: str) -> str:
    """Spoken stutters collapsed: a word said three or more times in a row ("I, I, I, I
    kept") or a two- or three-word phrase said twice with no pause ("kind of kind of") is
    kept once, its last time. Transcripts of real calls are full of them and the heads
    read such runs as noise. A phrase restated after a comma is a correction ("không
    phải tháng mười, tháng mười một": not October, November) and stays, as do numbers
    read out digit by digit, a word said twice ("yes yes") and Chinese reduplication
    (谢谢, 看看: words are what spaces separate)."""
    tokens = text.split()
    keys = [_NOT_WORD.sub("", token.casefold()) for token in tokens]
    keys = ["" if key.isdigit() else key for key in keys]
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        skip = _repeat_run(tokens, keys, i)
        kept.append(tokens[i + skip])
        i += skip + 1
    return " ".join(kept) if len(kept) < len(tokens) else text


def _repeat_run(tokens: list[str], keys: list[str], start: int) -> int:
    """How many tokens before the last repeat of a stutter starting at ``start`` (0: none)."""
    for size, least in ((1, 3), (2, 2), (3, 2)):
        phrase = keys[start : start + size]
        if len(phrase) < size or not all(phrase):
            continue
        times = 1
        while keys[start + times * size : start + (times + 1) * size] == phrase:
            if size > 1 and tokens[start + times * size - 1].endswith(","):
                break
            times += 1
        if times >= least:
            return (times - 1) * size
    return 0


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
