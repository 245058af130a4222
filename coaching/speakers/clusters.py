"""Two voices or one: clustering unit-length voice embeddings of a call.

Two centres are found by k-means on the unit sphere, each embedding weighted by
its seconds of speech (long stretches are the most reliable). When the two
centres are more alike than ``ONE_VOICE_SIMILARITY`` the call holds one voice
(an operator alone, an IVR prompt): CAM++ puts two stretches of one speaker at
a cosine near 0.9 and two people near 0.6, even at 8 kHz.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ONE_VOICE_SIMILARITY = 0.8
FULL_CONFIDENCE_MARGIN = 0.3
RELIABLE_SHARE = 0.5  # cluster on the longer half of the stretches when there are enough


@dataclass(frozen=True, eq=False)
class VoiceClusters:
    labels: np.ndarray  # 0/1 per embedding
    centroids: np.ndarray  # (2, dim), unit length
    confidence: float
    voices: int  # 1 or 2
    similarity: float  # cosine between the two centres


def cluster_voices(embeddings: np.ndarray, durations: np.ndarray) -> VoiceClusters:
    """Label each embedding with voice 0 or 1 (all 0 when there is one voice)."""
    if len(embeddings) < 2:
        return _one_voice(embeddings, durations, 1.0)
    reliable = _reliable(durations)
    centroids = _spherical_kmeans(embeddings[reliable], durations[reliable])
    similarity = float(centroids[0] @ centroids[1])
    if similarity >= ONE_VOICE_SIMILARITY:
        return _one_voice(embeddings, durations, similarity)
    scores = embeddings @ centroids.T
    labels = scores.argmax(axis=1)
    margin = np.abs(scores[:, 0] - scores[:, 1])[reliable]
    weights = durations[reliable]
    confidence = float(np.average(margin, weights=weights)) / FULL_CONFIDENCE_MARGIN
    return VoiceClusters(labels, centroids, round(min(1.0, confidence), 3), 2, similarity)


def _one_voice(embeddings, durations, similarity: float) -> VoiceClusters:
    centre = np.average(embeddings, axis=0, weights=durations) if len(embeddings) else None
    centroids = np.zeros((2, embeddings.shape[1] if embeddings.ndim == 2 else 192))
    if centre is not None:
        centroids[0] = centre / max(np.linalg.norm(centre), 1e-9)
    # one voice is sure when the two best centres are near-identical
    confidence = float(np.clip((similarity - 0.6) / (1.0 - 0.6), 0.0, 1.0))
    return VoiceClusters(
        np.zeros(len(embeddings), dtype=int), centroids, round(confidence, 3), 1, similarity
    )


def _reliable(durations: np.ndarray) -> np.ndarray:
    if len(durations) < 8:
        return np.ones(len(durations), dtype=bool)
    return durations >= np.quantile(durations, 1 - RELIABLE_SHARE)


def _spherical_kmeans(points: np.ndarray, weights: np.ndarray, rounds: int = 30) -> np.ndarray:
    """Two unit centres; started from the longest stretch and the one least like it."""
    first = int(np.argmax(weights))
    second = int(np.argmin(points @ points[first]))
    centroids = points[[first, second]].astype(float)
    for _ in range(rounds):
        labels = (points @ centroids.T).argmax(axis=1)
        updated = centroids.copy()
        for voice in (0, 1):
            members = labels == voice
            if members.any():
                centre = (points[members] * weights[members, None]).sum(axis=0)
                updated[voice] = centre / max(np.linalg.norm(centre), 1e-9)
        if np.allclose(updated, centroids):
            break
        centroids = updated
    return centroids
