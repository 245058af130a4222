"""Two voices or one: clustering unit-length voice embeddings of a call.

Two centres are found by k-means on the unit sphere, each embedding weighted by
its seconds of speech (long stretches are the most reliable). When the two
centres are more alike than ``ONE_VOICE_SIMILARITY`` the call holds one voice
(an operator alone, an IVR prompt). On the real recordings (8 and 16 kHz) the two
centres of one speaker split in two sat at cosine 0.66-0.88, those of two people at
0.49-0.54.

Synthetic voices can sit closer (0.60 for two espeak-ng voices); there the
segmentation model's own view decides: when it hears two different people in at
least half of the chunks, two voices are kept up to ``MAX_TWO_VOICE_SIMILARITY``.

The confidence is the clear-speech embeddings' mean margin between their own centre
and the other (``FULL_CONFIDENCE_MARGIN`` is sure), times how far the centres' similarity
is from the one-voice line (``SURE_GAP`` away is sure), or how clearly the chunks
hold two people, whichever says more: two voices that might be one
are not told apart confidently, whatever the margins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ONE_VOICE_SIMILARITY = 0.62
SURE_GAP = 0.1
MAX_TWO_VOICE_SIMILARITY = 0.75  # above this, chunks with two people do not overrule
FULL_CONFIDENCE_MARGIN = 0.3
RELIABLE_SHARE = 0.5  # cluster on the longer half of the stretches when there are enough


@dataclass(frozen=True, eq=False)
class VoiceClusters:
    labels: np.ndarray  # 0/1 per embedding
    centroids: np.ndarray  # (2, dim), unit length
    confidence: float
    voices: int  # 1 or 2
    similarity: float  # cosine between the two centres


def cluster_voices(
    embeddings: np.ndarray, durations: np.ndarray, *, two_local_share: float = 0.0
) -> VoiceClusters:
    """Label each embedding with voice 0 or 1 (all 0 when there is one voice).

    ``two_local_share`` is the share of the call's chunks in which the segmentation
    model heard two different people speak a second or more each.
    """
    if len(embeddings) < 2:
        return _one_voice(embeddings, durations, 1.0, 0.0)
    reliable = _reliable(durations)
    centroids = _spherical_kmeans(embeddings[reliable], durations[reliable])
    similarity = float(centroids[0] @ centroids[1])
    heard_two = _heard_two(two_local_share) if similarity < MAX_TWO_VOICE_SIMILARITY else 0.0
    apart = max(_gap(ONE_VOICE_SIMILARITY - similarity), heard_two)
    if similarity >= ONE_VOICE_SIMILARITY and heard_two < 1.0:
        return _one_voice(embeddings, durations, similarity, heard_two)
    scores = embeddings @ centroids.T
    labels = scores.argmax(axis=1)
    margin = np.abs(scores[:, 0] - scores[:, 1])[reliable]
    weights = durations[reliable]
    confidence = float(np.average(margin, weights=weights)) / FULL_CONFIDENCE_MARGIN
    confidence *= apart
    return VoiceClusters(labels, centroids, round(min(1.0, confidence), 3), 2, similarity)


def _one_voice(embeddings, durations, similarity: float, heard_two: float) -> VoiceClusters:
    centre = np.average(embeddings, axis=0, weights=durations) if len(embeddings) else None
    centroids = np.zeros((2, embeddings.shape[1] if embeddings.ndim == 2 else 192))
    if centre is not None:
        centroids[0] = centre / max(np.linalg.norm(centre), 1e-9)
    confidence = _gap(similarity - ONE_VOICE_SIMILARITY) * (1 - heard_two)
    if len(embeddings) < 2:
        confidence = 0.5  # too little speech to say
    return VoiceClusters(
        np.zeros(len(embeddings), dtype=int), centroids, round(confidence, 3), 1, similarity
    )


def _heard_two(share: float) -> float:
    """0 when at most a quarter of the chunks hold two people, 1 from half of them on."""
    return float(np.clip((share - 0.25) / 0.25, 0.0, 1.0))


def _gap(distance: float) -> float:
    return float(np.clip(distance / SURE_GAP, 0.0, 1.0))


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
