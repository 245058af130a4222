"""What a text classifier's outputs mean: from ``config.id2label`` to
negative/neutral/positive (with a valence for the score) or toxic/non-toxic."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from coaching.errors import ModelError
from coaching.serial import Serializable
from coaching.types import Sentiment

_NAMED_LABELS = {
    "negative": ("negative", -1.0),
    "neg": ("negative", -1.0),
    "very negative": ("negative", -1.0),
    "neutral": ("neutral", 0.0),
    "neu": ("neutral", 0.0),
    "positive": ("positive", 1.0),
    "pos": ("positive", 1.0),
    "very positive": ("positive", 1.0),
    "toxic": ("toxic", 0.0),
    "toxicity": ("toxic", 0.0),
    "non toxic": ("non-toxic", 0.0),
    "nontoxic": ("non-toxic", 0.0),
    "not toxic": ("non-toxic", 0.0),
}
_TOXIC_SUBTYPES = {
    "severe toxic",
    "severe toxicity",
    "obscene",
    "threat",
    "insult",
    "identity hate",
}
_STAR_CLASSES = (
    ("negative", -1.0),
    ("negative", -0.5),
    ("neutral", 0.0),
    ("positive", 0.5),
    ("positive", 1.0),
)
_GENERIC_ORDER = {
    ("sentiment", 2): (("negative", -1.0), ("positive", 1.0)),
    ("sentiment", 3): (("negative", -1.0), ("neutral", 0.0), ("positive", 1.0)),
    ("sentiment", 5): _STAR_CLASSES,
    ("toxicity", 2): (("non-toxic", 0.0), ("toxic", 0.0)),
    ("toxicity", 1): (("toxic", 0.0),),
}


@dataclass(frozen=True)
class LabelScheme(Serializable):
    """What each model output means: a class (negative/neutral/positive or
    toxic/non-toxic), a valence in -1..1, and how logits become probabilities."""

    classes: tuple[str, ...]
    valence: tuple[float, ...]
    multi_label: bool = False  # sigmoid per output instead of one softmax

    def activate(self, logits: np.ndarray) -> np.ndarray:
        """Probabilities from a (texts, outputs) logit array: sigmoid or softmax per row."""
        if self.multi_label or logits.shape[1] == 1:
            return 1.0 / (1.0 + np.exp(-logits))
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)

    def sentiment(self, probs: np.ndarray) -> Sentiment:
        """The most likely class and the valence-weighted score of one text's probabilities."""
        totals = {name: 0.0 for name in ("negative", "neutral", "positive")}
        for name, prob in zip(self.classes, probs, strict=True):
            if name in totals:
                totals[name] += float(prob)
        present = [name for name in totals if name in self.classes]
        if not present:
            raise ModelError(
                "this model has no sentiment labels, so it cannot score sentiment; "
                "load a negative/neutral/positive (or star-rating) classifier"
            )
        score = float(np.clip(np.dot(probs, self.valence), -1.0, 1.0))
        return Sentiment(label=max(present, key=totals.__getitem__), score=score)

    def toxic_probability(self, probs: np.ndarray) -> float:
        """P(toxic) of one text's probabilities."""
        toxic = [float(p) for name, p in zip(self.classes, probs, strict=True) if name == "toxic"]
        if not toxic:
            raise ModelError(
                "this model has no toxic label, so it cannot score toxicity; "
                "load a toxic/non-toxic classifier"
            )
        return max(toxic) if self.multi_label else min(1.0, sum(toxic))


def label_scheme(id2label: dict[int, str], *, task: str, multi_label: bool = False) -> LabelScheme:
    """Map a model's ``id2label`` onto classes: names (negative/neutral/positive,
    toxic/non-toxic), ``LABEL_0..N`` by convention, or "1 star".."5 stars"."""
    names = [re.sub(r"[\s_-]+", " ", id2label[i].strip().lower()) for i in sorted(id2label)]
    mapped: list[tuple[str, float]] = []
    for name in names:
        stars = re.fullmatch(r"([1-5]) stars?", name)
        if name in _NAMED_LABELS:
            mapped.append(_NAMED_LABELS[name])
        elif stars:
            mapped.append(_STAR_CLASSES[int(stars.group(1)) - 1])
        elif task == "toxicity" and name in _TOXIC_SUBTYPES:
            mapped.append(("toxic", 0.0))
    if "very negative" in names or "very positive" in names:  # five grades: halve the plain ones
        mapped = [
            (c, v / 2 if n in ("negative", "positive") else v)
            for n, (c, v) in zip(names, mapped, strict=False)
        ]
    if len(mapped) < len(names) and all(re.fullmatch(r"label \d+", n) for n in names):
        mapped = list(_GENERIC_ORDER.get((task, len(names)), ()))
    if len(mapped) != len(names):
        raise ModelError(
            f"labels {[id2label[i] for i in sorted(id2label)]} do not look like {task} labels; "
            "expected negative/neutral/positive, LABEL_0..2, '1 star'..'5 stars' or toxic/non-toxic"
        )
    classes, valence = zip(*mapped, strict=True)
    return LabelScheme(classes=classes, valence=valence, multi_label=multi_label)
