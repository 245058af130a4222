"""Sentiment per utterance, the caller's trajectory, and the toxicity scorer.

Models
    Sentiment defaults to ``cardiffnlp/twitter-xlm-roberta-base-sentiment``:
    XLM-T (Barbieri et al., LREC 2022): XLM-RoBERTa base, pretrained on 100
    languages (English, Vietnamese, Russian and Chinese among them), further
    trained on tweets and fine-tuned for sentiment in 8 languages; labels
    negative/neutral/positive. Short informal text is what call transcripts look
    like, and XLM-R carries the task across to vi/ru/zh. Toxicity defaults to
    ``textdetox/xlmr-large-toxicity-classifier`` (XLM-R large fine-tuned on the
    TextDetox multilingual toxicity set of 9 languages, English, Russian and
    Chinese among them; labels neutral/toxic; OpenRAIL++ licence). Any sequence
    classifier whose labels :mod:`coaching.text.labels` understands can replace
    them, from a local directory or a hub id. Loading XLM-R tokenizers that ship
    only ``sentencepiece.bpe.model`` needs the ``sentencepiece`` package.

Fallback
    These machines reach no model hub. When the sentiment model cannot be had,
    the built-in lexicon (:mod:`coaching.text.lexicon_sentiment`) stands in,
    announced once in one line and marked ``quality="lower"`` in provenance. No
    PyPI package ships a usable multilingual sentiment or toxicity model inside
    it, so there is no embedded model. Toxicity has no stand-in:
    :func:`load_toxicity` returns ``None`` and abuse detection runs on its
    lexicons alone.

Trajectory
    As Genesys Cloud does: the caller's sentiment at the start (mean score of
    the first third of their utterances) and at the end (the last third), on
    -100..100; the trend score is ``(end - start) / 2`` and is "improving" at
    +band or more, "worsening" at -band or less, else "no change". The default
    band is 20 (Genesys' "slightly improving/declining" threshold; their
    strong band is 55).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from coaching.text.classifiers import (
    TextClassifier,
    TextModelError,
    announce_once,
    load_text_classifier,
)
from coaching.text.lexicon_sentiment import builtin_sentiment
from coaching.types import ModelInfo, Sentiment, Speaker, Utterance

DEFAULT_SENTIMENT_MODEL = "cardiffnlp/twitter-xlm-roberta-base-sentiment"
DEFAULT_TOXICITY_MODEL = "textdetox/xlmr-large-toxicity-classifier"
BUILTIN = "builtin"  # model name that asks for the lexicon directly, without a notice
MIN_TREND_UTTERANCES = 3
Trend = Literal["improving", "worsening", "no change"]


class SentimentScorer(Protocol):
    """A transformers :class:`TextClassifier` or the built-in lexicon."""

    info: ModelInfo

    @property
    def notice(self) -> str | None: ...  # the fallback's one-line announcement, if any

    def sentiment(self, texts: Sequence[str]) -> list[Sentiment]: ...


def load_sentiment(
    model: str = DEFAULT_SENTIMENT_MODEL, *, device: str = "auto", batch_size: int = 16
) -> SentimentScorer:
    """The sentiment model named by ``model`` (directory or hub id), or the
    built-in lexicon, announced once, when it cannot be had (``"builtin"``: the
    lexicon without a notice)."""
    if model == BUILTIN:
        return builtin_sentiment()
    try:
        return load_text_classifier(model, role="sentiment", device=device, batch_size=batch_size)
    except TextModelError as exc:
        notice = (
            f"sentiment: model {model} unavailable ({exc.reason}); "
            "using the built-in lexicon (lower quality)"
        )
        announce_once(notice)
        return builtin_sentiment(notice=notice)


@dataclass(frozen=True, eq=False)
class ToxicityScorer:
    """``scorer(texts) -> [P(toxic), ...]`` on a transformers classifier."""

    classifier: TextClassifier

    @property
    def info(self) -> ModelInfo:
        return self.classifier.info

    def __call__(self, texts: Sequence[str]) -> list[float]:
        return self.classifier.toxicity(texts)


def load_toxicity(
    model: str | None = DEFAULT_TOXICITY_MODEL, *, device: str = "auto", batch_size: int = 16
) -> ToxicityScorer | None:
    """The toxicity classifier, or ``None`` (announced once) when it cannot be
    had; ``model=None`` turns it off without a notice."""
    if model is None:
        return None
    try:
        classifier = load_text_classifier(
            model, role="toxicity", device=device, batch_size=batch_size
        )
    except TextModelError as exc:
        announce_once(
            f"toxicity: model {model} unavailable ({exc.reason}); "
            "abuse detection uses its lexicons only"
        )
        return None
    return ToxicityScorer(classifier)


def classify_sentiment(
    utterances: Sequence[Utterance], *, classifier: SentimentScorer
) -> tuple[Utterance, ...]:
    """Each utterance with its ``sentiment`` set, scored in one batch; blank
    text is neutral without asking the model."""
    spoken = [index for index, utterance in enumerate(utterances) if utterance.text.strip()]
    scores = classifier.sentiment([utterances[index].text for index in spoken])
    by_index = dict(zip(spoken, scores, strict=True))
    blank = Sentiment(label="neutral", score=0.0)
    return tuple(
        replace(utterance, sentiment=by_index.get(index, blank))
        for index, utterance in enumerate(utterances)
    )


def caller_trajectory(
    utterances: Sequence[Utterance],
    *,
    band: float = 20.0,
    speaker: Speaker = "caller",
    min_utterances: int = MIN_TREND_UTTERANCES,
) -> tuple[float | None, float | None, Trend | None]:
    """``(start, end, trend)`` of ``speaker``'s sentiment on -100..100 (see the
    module notes); the trend is ``None`` with fewer than ``min_utterances``."""
    scores = [
        100.0 * u.sentiment.score
        for u in sorted(utterances, key=lambda u: u.start)
        if u.speaker == speaker and u.sentiment is not None and u.text.strip()
    ]
    if not scores:
        return None, None, None
    third = max(1, math.ceil(len(scores) / 3))
    start = sum(scores[:third]) / third
    end = sum(scores[-third:]) / third
    if len(scores) < min_utterances:
        return start, end, None
    return start, end, trend_label((end - start) / 2.0, band=band)


def trend_label(trend_score: float, *, band: float = 20.0) -> Trend:
    """improving / worsening / no change for a Genesys-style trend score."""
    if trend_score >= band:
        return "improving"
    return "worsening" if trend_score <= -band else "no change"
