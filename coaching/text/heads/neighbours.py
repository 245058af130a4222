"""A head member that votes with the training lines most like a text.

The linear and network members draw one smooth boundary; lines phrased like a
handful of training lines (an insult with no swear word, a threat by hint) can
fall on the wrong side of it. This member keeps every training line, projected
to a few dimensions (PCA of the encoder vectors) and stored at 8 bits, and gives
each label the similarity-weighted share of the ``k`` nearest lines that carry it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FLOOR = 0.01  # a vote is never certain: the ensemble's mean stays finite in logit terms
BLOCK = 256  # texts compared at a time: a long file never holds every line x every memory row


@dataclass(frozen=True, eq=False)
class Neighbours:
    """Nearest training lines by cosine in a PCA projection of the encoder vector, each
    weighted by ``exp(similarity / temperature)`` relative to the nearest."""

    mean: np.ndarray  # (vector dims,) the PCA centre
    projection: np.ndarray  # (dims, vector dims)
    memory: np.ndarray  # (lines, dims) unit rows
    labels: np.ndarray  # (lines, classes) 0/1
    k: int
    temperature: float

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """Rows projected and L2-normalised (what :attr:`memory` holds for the lines)."""
        centred = np.asarray(vectors, dtype=np.float64) - self.mean
        return unit_rows(centred @ self.projection.T)

    def probabilities(self, kind: str, vectors: np.ndarray, texts=None) -> np.ndarray:
        del kind, texts  # a vote is a share per label, for softmax and sigmoid heads alike
        projected = self.project(vectors)
        blocks = [self._votes(projected[i : i + BLOCK]) for i in range(0, len(projected), BLOCK)]
        return np.vstack(blocks) if blocks else np.zeros((0, self.labels.shape[1]))

    def _votes(self, projected: np.ndarray) -> np.ndarray:
        similarity = projected @ self.memory.T
        k = min(self.k, similarity.shape[1])
        nearest = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
        close = np.take_along_axis(similarity, nearest, axis=1)
        weights = np.exp((close - close[:, :1]) / self.temperature)
        votes = np.einsum("nk,nkc->nc", weights, self.labels[nearest])
        return np.clip(votes / weights.sum(axis=1, keepdims=True), FLOOR, 1 - FLOOR)


def unit_rows(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


def quantize(rows: np.ndarray) -> np.ndarray:
    """Unit rows as int8, the largest entry at ±127 (how the head file stores the memory)."""
    scale = float(np.abs(rows).max()) or 1.0
    return np.round(rows / scale * 127).astype(np.int8)


def dequantize(codes: np.ndarray) -> np.ndarray:
    """The memory's unit rows back (a common scale cancels in the normalising)."""
    return unit_rows(codes.astype(np.float64))


def pack_labels(labels: np.ndarray) -> np.ndarray:
    """One byte a line: bit j set when the line carries class j (at most 8 classes)."""
    bits = np.asarray(labels, dtype=np.int64) << np.arange(labels.shape[1])
    return bits.sum(axis=1).astype(np.uint8)


def unpack_labels(packed: np.ndarray, classes: int) -> np.ndarray:
    return ((packed[:, None].astype(np.uint8) >> np.arange(classes)) & 1).astype(np.float64)
