"""Two-speaker diarization of mono calls with resemblyzer embeddings.

Speech regions (from voice activity) are embedded in overlapping 1.6 s windows
(resemblyzer's partial utterances, four a second), the windows are clustered
into two voices, and every 100 ms frame of speech takes the voice of the nearest
window, smoothed over half a second. The confidence is the mean margin by which
windows are closer to their own voice than to the other, scaled so that a
margin of ``FULL_CONFIDENCE_MARGIN`` or more is full confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.ndimage import median_filter

from coaching.serial import Serializable
from coaching.types import Interval

FRAME_S = 0.1
WINDOWS_PER_SECOND = 4
SMOOTHING_FRAMES = 5
FULL_CONFIDENCE_MARGIN = 0.25
MIN_REGION_S = 0.3


@dataclass(frozen=True, eq=False)
class Diarization(Serializable):
    """Two voices, ``0`` and ``1``, numbered in order of first appearance."""

    turns: tuple[tuple[Interval, ...], tuple[Interval, ...]]
    confidence: float
    centroids: np.ndarray = field(metadata={"serialize": False})

    def voice_at(self, start: float, end: float) -> int:
        """The voice that speaks most of ``start..end`` (the nearer one if neither does)."""
        overlaps = [_overlap(turns, start, end) for turns in self.turns]
        if max(overlaps) > 0:
            return int(np.argmax(overlaps))
        middle = (start + end) / 2
        distances = [_distance(turns, middle) for turns in self.turns]
        return int(np.argmin(distances))


def diarize_two_speakers(
    samples: np.ndarray, sample_rate: int, *, speech: Sequence[Interval], encoder
) -> Diarization:
    """Split mono speech into two voices with a resemblyzer ``VoiceEncoder``."""
    times, embeddings = _window_embeddings(samples, sample_rate, speech, encoder)
    if len(embeddings) < 2:
        single = tuple(speech)
        return Diarization((single, ()), 0.0, np.zeros((2, 256), dtype=np.float32))
    labels, centroids = _two_clusters(embeddings)
    frames, frame_labels = _label_frames(speech, times, labels)
    turns = _turns_from_frames(frames, frame_labels)
    if turns[1] and (not turns[0] or turns[1][0][0] < turns[0][0][0]):
        turns, centroids = (turns[1], turns[0]), centroids[::-1]
    return Diarization(turns, _confidence(embeddings, centroids), centroids)


def _window_embeddings(samples, sample_rate, speech, encoder):
    import torch

    with torch.inference_mode():
        return _embed_regions(samples, sample_rate, speech, encoder)


def _embed_regions(samples, sample_rate, speech, encoder):
    times, embeddings = [], []
    for start, end in speech:
        if end - start < MIN_REGION_S:
            continue
        region = samples[int(start * sample_rate) : int(end * sample_rate)]
        _, partials, splits = encoder.embed_utterance(
            region, return_partials=True, rate=WINDOWS_PER_SECOND, min_coverage=0.5
        )
        for embedding, window in zip(partials, splits, strict=True):
            centre = (window.start + min(window.stop, len(region))) / 2 / sample_rate
            times.append(start + min(centre, end - start))
            embeddings.append(embedding)
    return np.asarray(times), np.asarray(embeddings)


def _two_clusters(embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.cluster import KMeans

    normed = embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True)
    kmeans = KMeans(n_clusters=2, n_init=10, random_state=0).fit(normed)
    centroids = kmeans.cluster_centers_
    return kmeans.labels_, centroids / np.linalg.norm(centroids, axis=1, keepdims=True)


def _label_frames(speech, times, labels):
    frames = np.concatenate(
        [np.arange(start, end, FRAME_S) for start, end in speech if end - start >= FRAME_S]
        or [np.zeros(0)]
    )
    nearest = np.abs(frames[:, None] - times[None, :]).argmin(axis=1)
    smoothed = median_filter(labels[nearest], size=SMOOTHING_FRAMES, mode="nearest")
    return frames, smoothed


def _turns_from_frames(frames: np.ndarray, labels: np.ndarray):
    turns: tuple[list[Interval], list[Interval]] = ([], [])
    for frame, label in zip(frames, labels, strict=True):
        own = turns[int(label)]
        if own and frame - own[-1][1] <= FRAME_S * 1.5:
            own[-1] = (own[-1][0], float(frame + FRAME_S))
        else:
            own.append((float(frame), float(frame + FRAME_S)))
    return tuple(own for own in turns[0]), tuple(own for own in turns[1])


def _confidence(embeddings: np.ndarray, centroids: np.ndarray) -> float:
    normed = embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True)
    similarity = normed @ centroids.T
    margin = np.abs(similarity[:, 0] - similarity[:, 1])
    return float(np.clip(margin.mean() / FULL_CONFIDENCE_MARGIN, 0.0, 1.0))


def _overlap(turns: Sequence[Interval], start: float, end: float) -> float:
    return sum(max(0.0, min(end, b) - max(start, a)) for a, b in turns)


def _distance(turns: Sequence[Interval], moment: float) -> float:
    if not turns:
        return float("inf")
    return min(0.0 if a <= moment <= b else min(abs(moment - a), abs(moment - b)) for a, b in turns)
