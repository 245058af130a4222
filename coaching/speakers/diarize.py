"""Two-speaker, overlap-aware diarization of mono calls (also at 8 kHz).

pyannote segmentation-3.0 reads the call in 10 s chunks and says, every 17 ms,
which of up to three *local* voices speaks, overlaps included. Each local voice's
clean speech in a chunk (where it speaks alone) is embedded with CAM++; the
embeddings are clustered into two voices (k-means on the unit sphere, weighted
by duration), or kept as one when the two centres sound alike (an operator alone,
an IVR). Every chunk's local activity is then put back on the call's timeline
under its voice, so turns keep the segmentation's frame-level edges and the
stretches where both voices are active are overlapped speech.

The confidence says how clearly the clean-speech embeddings fall on their own
voice's side: the duration-weighted mean margin between the similarity to their
own centre and to the other, scaled so that ``FULL_CONFIDENCE_MARGIN`` is 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from coaching.serial import Serializable
from coaching.speakers.clusters import VoiceClusters, cluster_voices
from coaching.speakers.model_files import single_thread
from coaching.types import Interval

if TYPE_CHECKING:  # the network imports torch: only mono calls pay for it
    from coaching.speakers.segmentation import ChunkSegmentation

CHUNK_STEP_S = 10.0  # back-to-back chunks: half the cost of 50 % overlap, same error
MIN_EMBED_S = 0.3  # shorter clean speech is left to the timeline of its neighbours
MAX_EMBED_S = 2.0  # CAM++ needs no more to know a voice; longer only costs time
MIN_TURN_S = 0.1
MAX_GAP_S = 0.2


@dataclass(frozen=True, eq=False)
class Diarization(Serializable):
    """Up to two voices, ``0`` and ``1``, numbered in order of first appearance."""

    turns: tuple[tuple[Interval, ...], tuple[Interval, ...]]
    confidence: float
    centroids: np.ndarray = field(metadata={"serialize": False})
    overlap: tuple[Interval, ...] = ()
    voices: int = 2
    centroid_similarity: float = 0.0

    def voice_at(self, start: float, end: float) -> int:
        """The voice that speaks most of ``start..end`` alone (the nearer one if neither does)."""
        alone = [
            _overlap(turns, start, end) - _overlap(self.overlap, start, end) * _has(turns)
            for turns in self.turns
        ]
        if max(alone) > 0:
            return int(np.argmax(alone))
        shared = [_overlap(turns, start, end) for turns in self.turns]
        if max(shared) > 0:
            return int(np.argmax(shared))
        middle = (start + end) / 2
        return int(np.argmin([_distance(turns, middle) for turns in self.turns]))


def diarize_call(samples: np.ndarray, sample_rate: int, *, models) -> Diarization:
    """:func:`diarize_two_speakers` on mono ``samples`` at any rate (resampled to 16 kHz)."""
    from scipy.signal import resample_poly

    target = models.segmentation.sample_rate
    if sample_rate != target:
        divisor = np.gcd(target, sample_rate)
        samples = resample_poly(samples, target // divisor, sample_rate // divisor)
    return diarize_two_speakers(np.asarray(samples, dtype=np.float32), models=models)


def diarize_two_speakers(samples16k: np.ndarray, *, models) -> Diarization:
    """Split 16 kHz mono speech into at most two voices with ``models`` (a ``SpeakerModels``)."""
    from coaching.speakers.segmentation import segment_chunks

    with single_thread():
        seg = segment_chunks(models.segmentation, samples16k, step_s=CHUNK_STEP_S)
    locals_, pieces = _clean_speech(seg, samples16k, models.segmentation.sample_rate)
    if not locals_:
        return Diarization(((), ()), 0.0, np.zeros((2, 192), dtype=np.float32), voices=0)
    embeddings = models.embed(pieces)
    durations = np.array([len(p) for p in pieces], dtype=float)
    clusters = cluster_voices(embeddings, durations, two_local_share=_two_local_share(seg))
    voice_of = dict(zip(locals_, clusters.labels.tolist(), strict=True))
    activity = _timeline(seg, voice_of, len(samples16k) / models.segmentation.sample_rate)
    return _result(activity, seg.frame_step_s, clusters)


def _two_local_share(seg: ChunkSegmentation) -> float:
    """Share of chunks with speech in which two local voices each speak 1 s or more alone."""
    alone = seg.activity.sum(axis=-1) == 1
    seconds = ((seg.activity > 0) & alone[..., None]).sum(axis=1) * seg.frame_step_s
    speechy = seconds.sum(axis=1) >= 2.0
    two = (seconds >= 1.0).sum(axis=1) >= 2
    return float((two & speechy).sum() / max(int(speechy.sum()), 1))


def _clean_speech(seg: ChunkSegmentation, samples: np.ndarray, rate: int):
    """(chunk, local voice) pairs with enough solo speech, and that speech's samples."""
    alone = seg.activity.sum(axis=-1) == 1
    keys, pieces = [], []
    for chunk in range(seg.activity.shape[0]):
        for local in range(seg.activity.shape[2]):
            frames = np.nonzero(alone[chunk] & (seg.activity[chunk, :, local] > 0))[0]
            if len(frames) * seg.frame_step_s < MIN_EMBED_S:
                continue
            keys.append((chunk, local))
            kept = _longest_runs(frames, int(MAX_EMBED_S / seg.frame_step_s))
            pieces.append(_frames_audio(seg, chunk, kept, samples, rate))
    return keys, pieces


def _longest_runs(frames: np.ndarray, limit: int) -> np.ndarray:
    """At most ``limit`` of ``frames``, whole contiguous runs first, longest first."""
    if len(frames) <= limit:
        return frames
    runs = np.split(frames, np.nonzero(np.diff(frames) > 1)[0] + 1)
    kept: list[np.ndarray] = []
    for run in sorted(runs, key=len, reverse=True):
        kept.append(run[: limit - sum(map(len, kept))])
        if sum(map(len, kept)) >= limit:
            break
    return np.sort(np.concatenate(kept))


def _frames_audio(seg, chunk, frames, samples, rate) -> np.ndarray:
    starts = seg.starts[chunk] + frames * seg.frame_step_s
    mask = np.zeros(len(samples), dtype=bool)
    for start in starts:
        first = int(start * rate)
        mask[first : first + int(seg.frame_step_s * rate) + 1] = True
    return samples[mask]


def _timeline(seg: ChunkSegmentation, voice_of: dict, duration_s: float) -> np.ndarray:
    """``(2, frames)`` share of the chunks covering each frame that hear each voice."""
    step = seg.frame_step_s
    count = int(np.ceil(duration_s / step))
    heard = np.zeros((2, count))
    cover = np.zeros(count)
    per_chunk = seg.activity.shape[1]
    weight = np.hamming(per_chunk) + 1e-3
    for chunk, start in enumerate(seg.starts):
        first = int(round(start / step))
        last = min(count, first + per_chunk)
        span = slice(first, last)
        cover[span] += weight[: last - first]
        for voice in (0, 1):
            locals_ = [k for (c, k), v in voice_of.items() if c == chunk and v == voice]
            if locals_:
                active = seg.activity[chunk, : last - first][:, locals_].max(axis=1)
                heard[voice, span] += weight[: last - first] * active
    return heard / np.maximum(cover, 1e-9)


def _result(activity: np.ndarray, step: float, clusters: VoiceClusters) -> Diarization:
    active = activity >= 0.5
    turns = [_intervals(active[voice], step) for voice in (0, 1)]
    centroids = clusters.centroids
    if turns[1] and (not turns[0] or turns[1][0][0] < turns[0][0][0]):
        turns, centroids = turns[::-1], centroids[::-1]
    return Diarization(
        turns=(tuple(turns[0]), tuple(turns[1])),
        confidence=clusters.confidence,
        centroids=centroids,
        overlap=tuple(_intervals(active[0] & active[1], step)),
        voices=clusters.voices,
        centroid_similarity=clusters.similarity,
    )


def _intervals(mask: np.ndarray, step: float) -> list[Interval]:
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    runs: list[list[float]] = []
    for a, b in zip(np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0], strict=True):
        start, end = a * step, b * step
        if runs and start - runs[-1][1] < MAX_GAP_S:
            runs[-1][1] = end
        else:
            runs.append([start, end])
    return [(round(a, 3), round(b, 3)) for a, b in runs if b - a >= MIN_TURN_S]


def _has(turns: Sequence[Interval]) -> int:
    return 1 if turns else 0


def _overlap(turns: Sequence[Interval], start: float, end: float) -> float:
    return sum(max(0.0, min(end, b) - max(start, a)) for a, b in turns)


def _distance(turns: Sequence[Interval], moment: float) -> float:
    if not turns:
        return float("inf")
    return min(0.0 if a <= moment <= b else min(abs(moment - a), abs(moment - b)) for a, b in turns)
