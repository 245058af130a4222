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

A head may read hashed character n-grams beside the encoder's vector
(:mod:`coaching.text.heads.features`); its file says how (``"ngrams"``).

A sigmoid head's probability is ``σ(slope·(w·x + b) + intercept)``: the slope and
intercept are Platt scaling fitted on cross-validated scores of the training
split, and each label's ``threshold`` was chosen on those same cross-validated
scores (never on the held-out split). ``MANIFEST.json`` holds each file's
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
from coaching.types import ModelInfo

HEADS_DIR = Path(__file__).resolve().parent
HEAD_NAMES = ("sentiment", "abuse", "courtesy")
MANIFEST = "MANIFEST.json"


@dataclass(frozen=True, eq=False)
class Head:
    """One trained head: ``probabilities(vectors, texts)`` gives a row per text, a column
    per class."""

    name: str
    kind: str  # "softmax" or "sigmoid"
    classes: tuple[str, ...]
    weights: np.ndarray  # (classes, dims)
    bias: np.ndarray  # (classes,)
    slope: np.ndarray  # (classes,) Platt scaling (sigmoid heads; ones for softmax)
    intercept: np.ndarray
    thresholds: dict[str, float]
    sha256: str
    encoder: str
    ngrams: CharNgrams | None = None

    def probabilities(self, vectors: np.ndarray, texts=None) -> np.ndarray:
        features = head_features(vectors, texts, self.ngrams)
        features = features.reshape(-1, self.weights.shape[1])
        logits = features @ self.weights.T.astype(np.float64) + self.bias
        if self.kind == "softmax":
            logits -= logits.max(axis=1, keepdims=True)
            exp = np.exp(logits)
            return exp / exp.sum(axis=1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-(self.slope * logits + self.intercept)))

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


WEIGHTS_DTYPE = "<f2"  # half precision: a weight's rounding moves a logit by ~0.1 %


def encode_array(array: np.ndarray, dtype: str = WEIGHTS_DTYPE) -> str:
    """Little-endian bytes in base64 (what the weight files hold), rounded through float32."""
    values = np.asarray(array, dtype="<f4").astype(dtype)
    return base64.b64encode(values.tobytes()).decode("ascii")


def decode_array(text: str, shape: tuple[int, ...], dtype: str = "<f4") -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype).reshape(shape).astype(np.float32)


def read_head(path: Path, *, sha256: str) -> Head:
    data = json.loads(path.read_text(encoding="utf-8"))
    classes = tuple(data["classes"])
    count, dims = len(classes), int(data["dims"])
    ones = [1.0] * count
    return Head(
        name=data["name"],
        kind=data["kind"],
        classes=classes,
        weights=decode_array(data["weights"], (count, dims), data.get("weights_dtype", "<f4")),
        bias=np.asarray(data["bias"], dtype=np.float64),
        slope=np.asarray(data.get("slope", ones), dtype=np.float64),
        intercept=np.asarray(data.get("intercept", [0.0] * count), dtype=np.float64),
        thresholds={k: float(v) for k, v in data.get("thresholds", {}).items()},
        sha256=sha256,
        encoder=data["encoder"],
        ngrams=CharNgrams.from_dict(data["ngrams"]) if data.get("ngrams") else None,
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
