"""The encoder's heads as the pipeline uses them: sentiment, abuse and courtesy scorers.

Each scorer pairs the one :class:`~coaching.text.encoder.TextEncoder` of the
process with a head from :mod:`coaching.text.heads`; the encoder keeps recent
vectors, so the sentiment, abuse and courtesy steps embed an utterance once.
Each scorer's ``info`` names its head file (sha256) for provenance; the
encoder's own ``info`` is listed beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coaching.text.encoder import TextEncoder
from coaching.text.heads import Head
from coaching.text.heads.features import without_repeats
from coaching.types import ModelInfo, Sentiment

ABUSE_CATEGORIES = ("insult", "profanity", "threat", "harassment")
COURTESY_STEPS = ("acknowledge", "apologise", "ownership", "next_step")


def head_probabilities(encoder: TextEncoder, head: Head, texts: Sequence[str]) -> np.ndarray:
    """The head's probabilities for each text, stutters collapsed as in training."""
    spoken = [without_repeats(text) for text in texts]
    return head.probabilities(encoder.embed(spoken), spoken)


@dataclass(frozen=True, eq=False)
class EncoderSentiment:
    """Sentiment from the encoder's softmax head; score = P(positive) − P(negative)."""

    encoder: TextEncoder
    head: Head

    @property
    def info(self) -> ModelInfo:
        return self.head.info

    @property
    def notice(self) -> str | None:
        return None

    def sentiment(self, texts: Sequence[str]) -> list[Sentiment]:
        if not texts:
            return []
        probabilities = head_probabilities(self.encoder, self.head, texts)
        labels = self.head.classes
        positive, negative = self.head.column("positive"), self.head.column("negative")
        return [
            Sentiment(
                label=labels[int(np.argmax(row))],
                score=round(float(row[positive] - row[negative]), 3),
            )
            for row in probabilities
        ]


@dataclass(frozen=True)
class AbuseReading:
    """The abuse head on one text: P(any abuse) and P(category), with its thresholds."""

    abusive: float
    categories: dict[str, float]
    abusive_threshold: float
    thresholds: dict[str, float]

    @property
    def is_abusive(self) -> bool:
        """P(abusive) over its threshold and some category over its own (the rule the
        abusive threshold was chosen for in training)."""
        return self.abusive >= self.abusive_threshold and bool(self.named_categories())

    def named_categories(self) -> tuple[str, ...]:
        return tuple(c for c, p in self.categories.items() if p >= self.thresholds[c])

    def likely_categories(self) -> tuple[str, ...]:
        """Categories over their thresholds; the most likely one when none is."""
        return self.named_categories() or (max(self.categories, key=self.categories.get),)


@dataclass(frozen=True, eq=False)
class EncoderAbuse:
    """Calibrated abuse probabilities per text from the encoder's multi-label head."""

    encoder: TextEncoder
    head: Head

    @property
    def info(self) -> ModelInfo:
        return self.head.info

    def read(self, texts: Sequence[str]) -> list[AbuseReading]:
        if not texts:
            return []
        probabilities = head_probabilities(self.encoder, self.head, texts)
        columns = {label: self.head.column(label) for label in ("abusive", *ABUSE_CATEGORIES)}
        thresholds = self.head.thresholds
        return [
            AbuseReading(
                abusive=round(float(row[columns["abusive"]]), 3),
                categories={c: round(float(row[columns[c]]), 3) for c in ABUSE_CATEGORIES},
                abusive_threshold=thresholds["abusive"],
                thresholds={c: thresholds[c] for c in ABUSE_CATEGORIES},
            )
            for row in probabilities
        ]


@dataclass(frozen=True, eq=False)
class EncoderCourtesy:
    """Which operator courtesy steps each text takes (acknowledge, apologise, ownership,
    next_step), from calibrated probabilities over the head's thresholds."""

    encoder: TextEncoder
    head: Head

    @property
    def info(self) -> ModelInfo:
        return self.head.info

    def steps(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Per text, the steps it takes with their probabilities (empty: none)."""
        if not texts:
            return []
        probabilities = head_probabilities(self.encoder, self.head, texts)
        found = []
        for row in probabilities:
            found.append(
                {
                    step: round(float(row[self.head.column(step)]), 3)
                    for step in COURTESY_STEPS
                    if row[self.head.column(step)] >= self.head.thresholds[step]
                }
            )
        return found
