"""Built-in lexicon sentiment for English, Vietnamese, Russian and Chinese.

The fallback when no transformers sentiment model can be had: lower quality
than a model, but it needs nothing beyond this package. Word lists live in
``coaching/lexicons_sentiment/<lang>.txt``. Scoring follows the VADER idea
(Hutto & Gilbert 2014) in a small form:

- text is case-folded and NFC-normalised; a Han character is one token, so
  Chinese needs no word segmentation: lexicon entries are matched longest
  first over token sequences (``不错`` wins over ``不`` + ``错``);
- a negator up to three tokens before a polar word flips and damps it
  (x -0.74); an intensifier before it scales it by 1.5, a diminisher by 0.5,
  an after-intensifier (``tệ quá``, ``糟透了``) by 1.5;
- after a contrast word ("but", "но", "nhưng", "但是") the clause counts 1.5x,
  what came before 0.5x; punctuation ends a negation's reach;
- the sum ``s`` is squashed to -1..1 as ``s / sqrt(s^2 + 4)``; |score| < 0.1
  is neutral.

All four lexicons are used together: their words hardly collide (Cyrillic, Han
characters, Vietnamese diacritics), and calls switch languages.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coaching.errors import ModelError
from coaching.types import ModelInfo, Sentiment

LEXICON_DIR = Path(__file__).parent / "sentiment_lexicons"
LANGUAGES = ("en", "vi", "ru", "zh")
SECTIONS = {
    "positive": 1.0,
    "strong_positive": 2.0,
    "negative": -1.0,
    "strong_negative": -2.0,
}
MODIFIERS = ("negator", "intensifier", "diminisher", "intensifier_after", "contrast", "neutral")
NEGATION_REACH = 3
NEGATION_FACTOR = -0.74
BOOST_REACH = 2
INTENSIFIER_FACTOR = 1.5
DIMINISHER_FACTOR = 0.5
NEUTRAL_BAND = 0.1
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W\d_]+(?:'[^\W\d_]+)*|[.!?;:,。！？；：，…]")
_BOUNDARY = set(".!?;:,。！？；：，…")
_MIN_PREFIX = 3


def tokenize(text: str) -> list[str]:
    """Case-folded word tokens, one token per Han character, punctuation kept."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.replace("\u2019", "'").replace("ё", "е")
    return _TOKEN.findall(text)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Entries (token tuples) with their kind; a trailing ``*`` marks a prefix."""

    entries: dict[tuple[str, ...], str]
    prefixes: dict[tuple[str, ...], tuple[tuple[str, str], ...]]
    longest: int
    sha256: str

    def match(self, tokens: Sequence[str], start: int) -> tuple[str, int]:
        """The kind and length of the longest entry at ``start`` (``("other", 1)`` if none)."""
        for size in range(min(self.longest, len(tokens) - start), 0, -1):
            key = tuple(tokens[start : start + size])
            if key in self.entries:
                return self.entries[key], size
            for prefix, kind in self.prefixes.get(key[:-1], ()):
                if key[-1].startswith(prefix):
                    return kind, size
        return ("boundary" if tokens[start] in _BOUNDARY else "other"), 1


@cache
def load_lexicon(languages: tuple[str, ...] = LANGUAGES) -> Lexicon:
    """Read and merge the word lists of ``languages`` (cached per process)."""
    entries: dict[tuple[str, ...], str] = {}
    prefixes: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    digest = hashlib.sha256()
    for language in languages:
        path = LEXICON_DIR / f"{language}.txt"
        if not path.is_file():
            raise ModelError(f"no built-in sentiment lexicon for {language!r}; have {LANGUAGES}")
        raw = path.read_bytes()
        digest.update(raw)
        for kind, entry in _parse(raw.decode("utf-8"), path.name):
            tokens = tuple(tokenize(entry.rstrip("*")))
            if not tokens or (entry.endswith("*") and len(tokens[-1]) < _MIN_PREFIX):
                raise ModelError(
                    f"{path.name}: entry {entry!r} is empty or too short a prefix; "
                    f"give a word, or at least {_MIN_PREFIX} letters before '*'"
                )
            if entry.endswith("*"):
                prefixes.setdefault(tokens[:-1], []).append((tokens[-1], kind))
            else:
                entries[tokens] = _merge_kinds(entries.get(tokens), kind, entry, path.name)
    longest = max(len(key) for key in [*entries, *((*k, "") for k in prefixes)])
    frozen_prefixes = {key: tuple(value) for key, value in prefixes.items()}
    return Lexicon(entries, frozen_prefixes, longest, digest.hexdigest())


def _merge_kinds(known: str | None, kind: str, entry: str, filename: str) -> str:
    if known is None or known == kind:
        return kind
    if {known, kind} == {"intensifier", "intensifier_after"}:
        return "intensifier_either"  # "thật tốt" and "tốt thật" both mean "really good"
    raise ModelError(f"{filename}: {entry!r} is both [{known}] and [{kind}]; keep one")


def _parse(text: str, filename: str) -> list[tuple[str, str]]:
    kind = None
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            kind = line[1:-1]
            if kind not in SECTIONS and kind not in MODIFIERS:
                raise ModelError(
                    f"{filename}:{number}: unknown section [{kind}]; "
                    f"use one of {', '.join([*SECTIONS, *MODIFIERS])}"
                )
        elif kind is None:
            raise ModelError(
                f"{filename}:{number}: entry before any [section]; put a [section] line above it"
            )
        else:
            found.append((kind, line))
    return found


def lexicon_score(text: str, lexicon: Lexicon) -> float:
    """Sentiment of ``text`` in -1..1 from the lexicon's words and modifiers."""
    tokens = tokenize(text)
    values: list[float] = []
    negation_left, boost_left, boost, weight = 0, 0, 1.0, 1.0
    previous = ""
    position = 0
    while position < len(tokens):
        kind, size = lexicon.match(tokens, position)
        position += size
        if kind in SECTIONS:
            negated = NEGATION_FACTOR if negation_left else 1.0
            values.append(SECTIONS[kind] * (boost if boost_left else 1.0) * negated * weight)
            negation_left = boost_left = 0
        elif kind in ("intensifier_after", "intensifier_either") and previous in SECTIONS:
            values[-1] *= INTENSIFIER_FACTOR
        elif kind == "negator":
            negation_left = NEGATION_REACH
        elif kind in ("intensifier", "intensifier_either", "diminisher"):
            boost = DIMINISHER_FACTOR if kind == "diminisher" else INTENSIFIER_FACTOR
            boost_left = BOOST_REACH
        elif kind == "contrast":  # "good, but slow": the part after the contrast counts more
            values = [value * 0.5 for value in values]
            negation_left, boost_left, weight = 0, 0, 1.5
        elif kind == "boundary":
            negation_left = boost_left = 0
        elif kind != "intensifier_after":  # other words use up the reach of modifiers
            negation_left, boost_left = max(0, negation_left - 1), max(0, boost_left - 1)
        previous = kind
    total = sum(values)
    return total / math.sqrt(total * total + 4.0)


def label_of(score: float) -> str:
    """negative / neutral / positive for a score in -1..1."""
    if score >= NEUTRAL_BAND:
        return "positive"
    return "negative" if score <= -NEUTRAL_BAND else "neutral"


@dataclass(frozen=True, eq=False)
class LexiconSentiment:
    """The built-in sentiment scorer (same interface as a transformers classifier)."""

    lexicon: Lexicon
    info: ModelInfo
    notice: str | None = None  # the one-line announcement when it stands in for a model

    def sentiment(self, texts: Sequence[str]) -> list[Sentiment]:
        """Label and score of each text."""
        scores = [lexicon_score(text, self.lexicon) for text in texts]
        return [Sentiment(label=label_of(score), score=score) for score in scores]


def builtin_sentiment(*, notice: str | None = None) -> LexiconSentiment:
    """The lexicon scorer for all four languages, with its provenance (quality "lower")."""
    lexicon = load_lexicon()
    info = ModelInfo(
        role="sentiment",
        name="built-in lexicon (" + ", ".join(LANGUAGES) + ")",
        source="built-in",
        sha256=lexicon.sha256,
        quality="lower",
    )
    return LexiconSentiment(lexicon=lexicon, info=info, notice=notice)
