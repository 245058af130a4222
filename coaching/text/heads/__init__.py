"""The trained heads on the embedded encoder: their weight files, hash check and arithmetic.

Each head is a JSON file in this folder written by ``training/train_text_heads.py``
(a seeded scikit-learn fit; see that script). Inference needs only numpy: the
logistic-regression coefficients are stored as little-endian float16 (base64)
and applied here, so no pickle is ever loaded.

- ``sentiment``: softmax over negative / neutral / positive;
- ``abuse``: one calibrated sigmoid per label, ``abusive`` (any abuse) and the
  categories insult, profanity, threat, harassment (multi-label);
- ``courtesy``: one calibrated sigmoid per operator step: acknowledge,
  apologise, ownership, next_step.

A head is a small ensemble: its probabilities are the mean of its members'. A
member is a logistic regression over the encoder's vector with hashed character
n-grams beside it (:mod:`coaching.text.heads.features`; the file says how,
``"ngrams"``), a one-hidden-layer ReLU network over the vector alone, or (abuse) a
vote of the nearest training lines (:mod:`coaching.text.heads.neighbours`).

A sigmoid member's probability is ``σ(slope·(w·x + b) + intercept)``: the slope
and intercept are Platt scaling fitted on cross-validated scores of the training
split. The abuse head pools its ``abusive`` column with the likeliest category
(:class:`AnyLabel`). Each label's ``threshold`` was chosen on cross-validated
scores too (never on the held-out split). ``MANIFEST.json`` holds each file's
sha256; a file that does not match is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from coaching.errors import ModelError
from coaching.text.heads.features import CharNgrams, head_features
from coaching.text.heads.neighbours import Neighbours, dequantize, unpack_labels
from coaching.types import ModelInfo

HEADS_DIR = Path(__file__).resolve().parent
HEAD_NAMES = ("sentiment", "abuse", "courtesy")
MANIFEST = "MANIFEST.json"


@dataclass(frozen=True, eq=False)
class Member:
    """One model of a head's ensemble: an optional ReLU hidden layer over the encoder
    vector, then one output per class (a sigmoid member's outputs Platt-scaled)."""

    weights: np.ndarray  # (classes, dims): the output layer
    bias: np.ndarray  # (classes,)
    slope: np.ndarray  # (classes,) Platt scaling (sigmoid heads; ones for softmax)
    intercept: np.ndarray
    ngrams: CharNgrams | None = None
    hidden_weights: np.ndarray | None = None  # (units, vector dims)
    hidden_bias: np.ndarray | None = None

    def logits(self, vectors: np.ndarray, texts=None) -> np.ndarray:
        if self.hidden_weights is not None:
            inputs = np.asarray(vectors, dtype=np.float64).reshape(-1, self.hidden_weights.shape[1])
            features = np.maximum(0.0, inputs @ self.hidden_weights.T + self.hidden_bias)
        else:
            features = head_features(vectors, texts, self.ngrams)
        features = features.reshape(-1, self.weights.shape[1])
        return features @ self.weights.T.astype(np.float64) + self.bias

    def probabilities(self, kind: str, vectors: np.ndarray, texts=None) -> np.ndarray:
        logits = self.logits(vectors, texts)
        if kind == "softmax":
            return softmax(logits)
        return sigmoid(self.slope * logits + self.intercept)


@dataclass(frozen=True)
class AnyLabel:
    """The "any of the categories" column of a multi-label head, pooled: the mean of its
    members' own probability and the highest category's, Platt-scaled again
    (:func:`pool_any`); categories often see what the any-label model misses."""

    label: str
    slope: float
    intercept: float


@dataclass(frozen=True, eq=False)
class Head:
    """One trained head: ``probabilities(vectors, texts)`` gives a row per text, a column
    per class, the mean over its members."""

    name: str
    kind: str  # "softmax" or "sigmoid"
    classes: tuple[str, ...]
    members: tuple[Member | Neighbours, ...]
    thresholds: dict[str, float]
    sha256: str
    encoder: str
    any_label: AnyLabel | None = None

    def probabilities(self, vectors: np.ndarray, texts=None) -> np.ndarray:
        mean = np.mean([m.probabilities(self.kind, vectors, texts) for m in self.members], axis=0)
        if self.any_label is not None:
            column = self.column(self.any_label.label)
            mean[:, column] = pool_any(mean, column, self.any_label.slope, self.any_label.intercept)
        return mean

    def column(self, label: str) -> int:
        return self.classes.index(label)

    @property
    def info(self) -> ModelInfo:
        return ModelInfo(
            role=self.name,  # the report field it produces: sentiment, abuse, courtesy
            name=f"{self.name} head on {self.encoder}",
            source="embedded",
            sha256=self.sha256,
        )


def sigmoid(values):
    return 1.0 / (1.0 + np.exp(-np.asarray(values, dtype=np.float64)))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def pooled_any_logit(probabilities: np.ndarray, column: int) -> np.ndarray:
    """logit of mean(P(any), max P(category)) per row: what :class:`AnyLabel` rescales."""
    others = np.delete(probabilities, column, axis=1)
    pooled = np.clip((probabilities[:, column] + others.max(axis=1)) / 2, 1e-6, 1 - 1e-6)
    return np.log(pooled / (1 - pooled))


def pool_any(probabilities: np.ndarray, column: int, slope: float, intercept: float):
    return sigmoid(slope * pooled_any_logit(probabilities, column) + intercept)


WEIGHTS_DTYPE = "<f2"  # half precision: a weight's rounding moves a logit by ~0.1 %


def encode_array(array: np.ndarray, dtype: str = WEIGHTS_DTYPE) -> str:
    """Little-endian bytes in base64 (what the weight files hold), rounded through float32."""
    values = np.asarray(array, dtype="<f4").astype(dtype)
    return base64.b64encode(values.tobytes()).decode("ascii")


def decode_array(text: str, shape: tuple[int, ...], dtype: str = "<f4") -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype).reshape(shape).astype(np.float32)


def _read_member(data: dict, classes: int) -> Member | Neighbours:
    if data.get("model") == "nearest neighbours":
        return _read_neighbours(data, classes)
    dtype = data.get("weights_dtype", "<f4")
    dims = int(data["dims"])
    hidden = data.get("hidden") or {}
    ones = [1.0] * classes
    return Member(
        weights=decode_array(data["weights"], (classes, dims), dtype),
        bias=np.asarray(data["bias"], dtype=np.float64),
        slope=np.asarray(data.get("slope", ones), dtype=np.float64),
        intercept=np.asarray(data.get("intercept", [0.0] * classes), dtype=np.float64),
        ngrams=CharNgrams.from_dict(data["ngrams"]) if data.get("ngrams") else None,
        hidden_weights=(
            decode_array(hidden["weights"], (dims, hidden["inputs"]), dtype) if hidden else None
        ),
        hidden_bias=np.asarray(hidden["bias"], dtype=np.float64) if hidden else None,
    )


def _read_neighbours(data: dict, classes: int) -> Neighbours:
    lines, dims, inputs = int(data["lines"]), int(data["dims"]), int(data["inputs"])
    codes = np.frombuffer(base64.b64decode(data["memory"]), dtype=np.int8).reshape(lines, dims)
    packed = np.frombuffer(base64.b64decode(data["labels"]), dtype=np.uint8)
    return Neighbours(
        mean=decode_array(data["mean"], (inputs,), data["weights_dtype"]).astype(np.float64),
        projection=decode_array(data["projection"], (dims, inputs), data["weights_dtype"]).astype(
            np.float64
        ),
        memory=dequantize(codes),
        labels=unpack_labels(packed, classes),
        k=int(data["k"]),
        temperature=float(data["temperature"]),
    )


def read_head(path: Path, *, sha256: str) -> Head:
    data = json.loads(path.read_text(encoding="utf-8"))
    classes = tuple(data["classes"])
    pooled = data.get("any_label")
    any_label = AnyLabel(pooled["label"], pooled["slope"], pooled["intercept"]) if pooled else None
    return Head(
        name=data["name"],
        kind=data["kind"],
        classes=classes,
        members=tuple(_read_member(member, len(classes)) for member in data["members"]),
        thresholds={k: float(v) for k, v in data.get("thresholds", {}).items()},
        sha256=sha256,
        encoder=data["encoder"],
        any_label=any_label,
    )


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=2)
def load_heads(directory: Path = HEADS_DIR) -> dict[str, Head]:
    """Every head in ``directory``, each checked against the manifest's sha256."""
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise ModelError(
            f"no trained text heads in {directory}; run training/train_text_heads.py "
            "or reinstall the package"
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    heads = {}
    for name in HEAD_NAMES:
        path = directory / f"{name}.json"
        expected = manifest.get(f"{name}.json")
        if not path.is_file() or expected is None:
            raise ModelError(f"the text head {path.name} is missing; reinstall the package")
        actual = file_digest(path)
        if actual != expected:
            raise ModelError(
                f"the text head {path} does not match its sha256 in {MANIFEST} "
                f"({actual[:12]} != {expected[:12]}); rerun training/train_text_heads.py "
                "or reinstall the package"
            )
        heads[name] = read_head(path, sha256=actual)
    return heads
