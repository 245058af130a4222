"""Voice activity for one channel of a call: where its own speaker talks.

Two detectors are combined. Silero VAD (the ONNX model that ships inside
faster-whisper) says *whether* a stretch is speech, so hold music, tones and
line noise are not taken for talk. An adaptive energy gate on 10 ms frames says
*where* speech starts and ends (Silero's 32 ms windows lag the onset, at times
by half a second after a long silence) and
rejects the other party's bleed or echo, which on a call recording sits 20-30 dB
under the channel's own voice: a stretch only counts when it comes within
``bleed_margin_db`` of the channel's loud speech.

Defaults follow common VAD practice for conversational speech: pauses shorter
than 0.3 s are bridged (inter-word and most intra-turn pauses), bursts shorter
than 0.15 s are dropped (clicks, breaths).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy.signal import resample_poly

from coaching.errors import CoachingError
from coaching.types import Interval

VAD_RATE = 16_000
HOP_S = 0.01
FLOOR_DB = -100.0
MIN_MODEL_FRAMES = 10  # a stretch needs 0.1 s that the VAD model calls speech
# faster-whisper's VAD holds two more copies of what it is given: an hour goes ten
# minutes at a time (the model's state restarts at each block's edge)
VAD_BLOCK_S = 600.0


class SignalError(CoachingError):
    """The samples handed to a delivery measure are not one channel of audio."""


def speech_intervals(
    samples: np.ndarray,
    sample_rate: int,
    *,
    min_speech_s: float = 0.15,
    min_silence_s: float = 0.3,
    use_vad_model: bool = True,
    vad_threshold: float = 0.5,
    snr_db: float = 8.0,
    seed_db: float = 18.0,
    edge_db: float = 40.0,
    bleed_margin_db: float | None = 15.0,
    other: np.ndarray | None = None,
    crosstalk_db: float = 15.0,
) -> tuple[Interval, ...]:
    """Where the speaker of this channel talks, as sorted ``(start, end)`` seconds.

    ``use_vad_model=False`` keeps only the energy gate (any sound counts, e.g.
    tones in tests). Frames louder than the channel's speech peak minus
    ``seed_db`` seed a segment, which grows over neighbours louder than the peak
    minus ``edge_db`` (and ``snr_db`` over the noise floor) for at most 0.2 s;
    segments whose own loud part stays more than ``bleed_margin_db`` under the
    peak are bleed from the other party and are dropped.

    ``other`` (the other channel of a stereo call, same rate) catches bleed even
    when this channel's own speaker never talks: stretches where the other
    channel is mostly ``crosstalk_db`` louder are the other party's voice.

    On a mono mix both parties share the channel and one may be much quieter:
    pass ``bleed_margin_db=None`` there, so every stretch over the noise floor
    that the model calls speech counts, whatever its level.
    """
    audio = as_channel(samples, sample_rate)
    if audio.size < int(sample_rate * HOP_S) * 2:
        return ()
    levels = frame_levels_db(audio, sample_rate, hop_s=HOP_S)
    audible = levels > FLOOR_DB + 1
    speechy = audible
    if use_vad_model:
        speechy = audible & _silero_frames(audio, sample_rate, vad_threshold, levels.size)
    crosstalk = _crosstalk_frames(levels, other, sample_rate, crosstalk_db)
    candidate = audible & _dilate(speechy, 20)
    if not (candidate & ~crosstalk).any():
        return ()
    peak_db = float(np.percentile(levels[candidate], 95))
    active = _energy_gate(
        levels,
        audible & ~crosstalk,
        peak_db,
        snr_db=snr_db,
        seed_db=seed_db,
        edge_db=edge_db,
        grow_from_seeds=bleed_margin_db is not None,
    )
    runs = _bridge(_runs(active), int(round(min_silence_s / HOP_S)))
    loud_enough = -np.inf if bleed_margin_db is None else peak_db - bleed_margin_db
    min_frames = int(round(min_speech_s / HOP_S))
    kept = _confirmed_runs(runs, levels, speechy, crosstalk, min_frames, loud_enough)
    return tuple((round(a * HOP_S, 3), round(b * HOP_S, 3)) for a, b in kept)


def _confirmed_runs(
    runs: Sequence[tuple[int, int]],
    levels: np.ndarray,
    speechy: np.ndarray,
    crosstalk: np.ndarray,
    min_frames: int,
    loud_enough: float,
) -> list[tuple[int, int]]:
    """Runs long enough, called speech by the model, mostly not crosstalk, and loud enough."""
    return [
        (a, b)
        for a, b in runs
        if b - a >= min_frames
        and speechy[a:b].sum() >= MIN_MODEL_FRAMES
        and crosstalk[a:b].mean() < 0.5
        and np.percentile(levels[a:b], 90) >= loud_enough
    ]


def _energy_gate(
    levels: np.ndarray,
    usable: np.ndarray,
    peak_db: float,
    *,
    snr_db: float,
    seed_db: float,
    edge_db: float,
    grow_from_seeds: bool,
) -> np.ndarray:
    """Frames the energy gate calls active (see :func:`speech_intervals` for the knobs)."""
    # the quietest tenth is the line's noise, unless the speaker talks nearly all the time
    noise_db = min(float(np.percentile(levels, 10)), peak_db - 25.0)
    edge_ok = usable & (levels >= noise_db + snr_db)
    if not grow_from_seeds:
        return edge_ok
    seeds = edge_ok & (levels >= peak_db - seed_db)
    return _grow(seeds, edge_ok & (levels >= peak_db - edge_db), max_frames=20)


def _crosstalk_frames(
    levels: np.ndarray, other: np.ndarray | None, sample_rate: int, crosstalk_db: float
) -> np.ndarray:
    """Frames where the other channel is at least ``crosstalk_db`` louder than this one."""
    crosstalk = np.zeros(levels.size, dtype=bool)
    if other is not None:
        other_levels = frame_levels_db(as_channel(other, sample_rate), sample_rate)
        count = min(levels.size, other_levels.size)
        crosstalk[:count] = other_levels[:count] - levels[:count] >= crosstalk_db
    return crosstalk


def frame_powers(samples: np.ndarray, sample_rate: int, *, frame_s: float) -> np.ndarray:
    """Mean square of each consecutive ``frame_s`` frame (a partial last frame is dropped)."""
    size = max(1, int(round(frame_s * sample_rate)))
    count = len(samples) // size
    frames = np.asarray(samples[: count * size], dtype=np.float32).reshape(count, size)
    return np.einsum("ij,ij->i", frames, frames, dtype=np.float64) / size


def frame_levels_db(samples: np.ndarray, sample_rate: int, *, hop_s: float = HOP_S) -> np.ndarray:
    """Level (dB re full-scale RMS) of each consecutive ``hop_s`` frame."""
    power = frame_powers(samples, sample_rate, frame_s=hop_s)
    return 10 * np.log10(np.maximum(power, 10 ** (FLOOR_DB / 10)))


def mask_intervals(
    intervals: Iterable[Interval], count: int, *, rate: float, offset: float = 0.0
) -> np.ndarray:
    """Boolean mask over ``count`` points at ``rate`` per second (from ``offset``), True inside."""
    mask = np.zeros(count, dtype=bool)
    for start, end in intervals:
        first = max(0, int(np.ceil((start - offset) * rate - 1e-9)))
        last = min(count, int(np.ceil((end - offset) * rate - 1e-9)))
        if last > first:
            mask[first:last] = True
    return mask


def samples_in(samples: np.ndarray, sample_rate: int, intervals: Iterable[Interval]) -> np.ndarray:
    """The samples that fall inside ``intervals``, concatenated in time order."""
    return samples[mask_intervals(intervals, len(samples), rate=sample_rate)]


def sample_span(length: int, sample_rate: int, start: float, end: float) -> tuple[int, int]:
    """Sample indices ``[first, last)`` of ``start``..``end`` seconds, clamped to ``length``."""
    first = min(length, max(0, round(start * sample_rate)))
    return first, min(length, max(first, round(end * sample_rate)))


def as_channel(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """``samples`` as a float32 1-D array; :class:`SignalError` if it is not one channel."""
    audio = np.asarray(samples)
    if audio.ndim != 1:
        raise SignalError(
            f"delivery measures need one channel (a 1-D array), got shape {audio.shape}; "
            "pass each channel of a stereo call separately"
        )
    if sample_rate <= 0:
        raise SignalError(f"sample rate must be a positive number of Hz, got {sample_rate}")
    return audio.astype(np.float32, copy=False)


def _silero_frames(
    audio: np.ndarray, sample_rate: int, threshold: float, frames: int
) -> np.ndarray:
    """Silero's speech decision on the 10 ms frame grid, from faster-whisper's own
    ``get_speech_timestamps`` (hysteresis 0.15 under ``threshold``, nothing bridged,
    dropped or padded: the energy gate does that), ``VAD_BLOCK_S`` at a time."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if sample_rate != VAD_RATE:
        divisor = np.gcd(VAD_RATE, sample_rate)
        audio = resample_poly(audio, VAD_RATE // divisor, sample_rate // divisor)
    audio = audio.astype(np.float32, copy=False)
    settings = VadOptions(
        threshold=threshold, min_speech_duration_ms=0, min_silence_duration_ms=0, speech_pad_ms=0
    )
    block = int(VAD_BLOCK_S * VAD_RATE)
    spans = [
        ((first + chunk["start"]) / VAD_RATE, (first + chunk["end"]) / VAD_RATE)
        for first in range(0, len(audio), block)
        for chunk in get_speech_timestamps(audio[first : first + block], settings)
    ]
    return mask_intervals(spans, frames, rate=1 / HOP_S)


def _dilate(mask: np.ndarray, frames: int) -> np.ndarray:
    if not mask.any():
        return mask
    kernel = np.ones(2 * frames + 1)
    return np.convolve(mask.astype(float), kernel, mode="same") > 0


def _grow(seeds: np.ndarray, allowed: np.ndarray, *, max_frames: int) -> np.ndarray:
    """Extend seed runs outward through ``allowed`` frames, at most ``max_frames`` each side."""
    grown = seeds.copy()
    left = seeds.copy()
    right = seeds.copy()
    for _ in range(max_frames):
        right = np.concatenate([[False], right[:-1]]) & allowed & ~grown
        left = np.concatenate([left[1:], [False]]) & allowed & ~grown
        if not (right.any() or left.any()):
            break
        grown |= right | left
    return grown


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts = np.nonzero(edges == 1)[0].tolist()
    return list(zip(starts, np.nonzero(edges == -1)[0].tolist(), strict=True))


def _bridge(runs: Sequence[tuple[int, int]], max_gap: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in runs:
        if merged and start - merged[-1][1] < max_gap:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
