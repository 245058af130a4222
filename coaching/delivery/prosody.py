"""Pitch (F0) of one speaker: a Praat autocorrelation track and its spread.

The track follows the speaker-adaptive two-pass method of De Looze & Hirst
(2008): a first pass between 60 and 600 Hz finds the speaker's range, then the
floor is set to 0.75 × the 15th percentile and the ceiling to 1.5 × the 85th
percentile, which removes most octave jumps. Spread is given in semitones re
the speaker's median, so voices of any height compare (SD and p5-p95 range).

When speech ``intervals`` are given only those stretches are analysed: they
are cut out and joined with short silences, so Praat runs once per pass over
the speech alone (about 0.1-0.2 s per minute of speech on one core).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import parselmouth

from coaching.audio.activity import as_channel
from coaching.serial import Serializable
from coaching.timing import merge_intervals
from coaching.types import Interval

FIRST_PASS_FLOOR_HZ = 60.0
FIRST_PASS_CEILING_HZ = 600.0
PRAAT_SILENCE_THRESHOLD = 0.03  # Praat's default, relative to the peak amplitude
MIN_VOICED_FRAMES = 10  # fewer voiced frames than this give no pitch statistics
_JOIN_SILENCE_S = 0.1


@dataclass(frozen=True, eq=False)
class PitchTrack(Serializable):
    """F0 per analysis frame: ``f0_hz`` is NaN where the frame is unvoiced."""

    times: np.ndarray = field(metadata={"serialize": False})
    f0_hz: np.ndarray = field(metadata={"serialize": False})
    floor_hz: float
    ceiling_hz: float

    def between(self, start: float, end: float) -> np.ndarray:
        """F0 values (NaN included) of the frames whose time lies in ``[start, end)``."""
        lo, hi = np.searchsorted(self.times, [start, end])
        return self.f0_hz[lo:hi]

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["times"] = [round(float(t), 3) for t in self.times]
        data["f0_hz"] = [None if np.isnan(f) else round(float(f), 2) for f in self.f0_hz]
        return data


@dataclass(frozen=True)
class PitchStats(Serializable):
    median_hz: float
    sd_semitones: float
    range_semitones: float  # p5-p95


def pitch_track(
    samples: np.ndarray,
    sample_rate: int,
    *,
    intervals: Sequence[Interval] | None = None,
    floor_hz: float | None = None,
    ceiling_hz: float | None = None,
    time_step: float = 0.01,
) -> PitchTrack:
    """Praat autocorrelation F0 of ``samples`` (times in seconds of the input).

    ``floor_hz``/``ceiling_hz`` left as None are found by the two-pass method;
    ``intervals`` restricts the analysis to those stretches (a speaker's turns).
    """
    audio, time_map = _speech_only(as_channel(samples, sample_rate), sample_rate, intervals)
    # One Praat copy of the speech for both passes, and no float64 copy beside it.
    sound = _PraatSound(audio, sample_rate)
    del audio
    if floor_hz is None or ceiling_hz is None:
        first = sound.pitch(FIRST_PASS_FLOOR_HZ, FIRST_PASS_CEILING_HZ, 0.02)
        voiced = first[1][~np.isnan(first[1])]
        if voiced.size >= MIN_VOICED_FRAMES:
            q15, q85 = np.percentile(voiced, [15, 85])
            floor_hz = floor_hz if floor_hz is not None else max(30.0, 0.75 * q15)
            ceiling_hz = ceiling_hz if ceiling_hz is not None else 1.5 * q85
        else:
            floor_hz = floor_hz if floor_hz is not None else FIRST_PASS_FLOOR_HZ
            ceiling_hz = ceiling_hz if ceiling_hz is not None else FIRST_PASS_CEILING_HZ
    times, f0 = sound.pitch(floor_hz, ceiling_hz, time_step)
    times, keep = time_map(times)
    return PitchTrack(
        times=times, f0_hz=f0[keep], floor_hz=float(floor_hz), ceiling_hz=float(ceiling_hz)
    )


def pitch_stats(f0_hz: np.ndarray) -> PitchStats | None:
    """Median F0, and SD and p5-p95 range in semitones re that median; None if barely voiced."""
    voiced = np.asarray(f0_hz, dtype=np.float64)
    voiced = voiced[np.isfinite(voiced) & (voiced > 0)]
    if voiced.size < MIN_VOICED_FRAMES:
        return None
    median = float(np.median(voiced))
    semitones = 12 * np.log2(voiced / median)
    p5, p95 = np.percentile(semitones, [5, 95])
    return PitchStats(
        median_hz=median, sd_semitones=float(np.std(semitones)), range_semitones=float(p95 - p5)
    )


class _PraatSound:
    """The speech as a Praat Sound, filled in place from float32 (exactly, as float64)."""

    def __init__(self, audio: np.ndarray, sample_rate: int) -> None:
        self.size, self.sample_rate = audio.size, sample_rate
        self.sound = None
        if audio.size:
            # The threshold first: its float64 magnitudes are freed before Praat's copy.
            self.threshold = _silence_threshold(audio)
            # Untouched calloc pages cost nothing; Praat copies them, then takes the speech.
            self.sound = parselmouth.Sound(np.zeros(audio.size), sample_rate)
            self.sound.values[0, :] = audio

    def pitch(self, floor_hz: float, ceiling_hz: float, time_step: float):
        if self.sound is None or self.size < int(self.sample_rate * 3 / floor_hz) + 1:
            return np.empty(0), np.empty(0)
        pitch = self.sound.to_pitch_ac(
            time_step=time_step,
            pitch_floor=floor_hz,
            pitch_ceiling=ceiling_hz,
            silence_threshold=self.threshold,
        )
        f0 = pitch.selected_array["frequency"].astype(np.float64)
        f0[f0 <= 0] = np.nan
        return np.asarray(pitch.xs(), dtype=np.float64), f0


def _silence_threshold(audio: np.ndarray) -> float:
    """Praat's silence threshold (0.03 of the peak) re a robust peak, so that one click
    or clipped burst does not turn a quiet speaker's whole track unvoiced."""
    magnitude = np.abs(audio, dtype=np.float64)
    peak = float(magnitude.max())
    if peak <= 0:
        return PRAAT_SILENCE_THRESHOLD
    # overwrite_input: the percentile may sort this copy in place instead of another one
    robust = float(np.percentile(magnitude, 99, overwrite_input=True))
    return PRAAT_SILENCE_THRESHOLD * robust / peak


def _speech_only(audio: np.ndarray, sample_rate: int, intervals: Sequence[Interval] | None):
    """The stretches to analyse joined by silences, and a map from joined to original time."""
    if intervals is None:
        return audio, lambda times: (times, np.ones(times.shape, dtype=bool))
    gap = np.zeros(int(_JOIN_SILENCE_S * sample_rate), dtype=np.float32)
    pieces: list[np.ndarray] = []
    joined_starts: list[float] = []
    original_starts: list[float] = []
    cursor = gap.size
    for start, end in merge_intervals(intervals):
        first, last = max(0, int(start * sample_rate)), min(audio.size, int(end * sample_rate))
        if last <= first:
            continue
        pieces += [gap, audio[first:last]]
        joined_starts.append(cursor / sample_rate)
        original_starts.append(first / sample_rate)
        cursor += gap.size + last - first
    if not pieces:
        return np.empty(0), lambda times: (np.empty(0), np.zeros(times.shape, dtype=bool))
    lengths = [piece.size / sample_rate for piece in pieces[1::2]]
    joined = np.concatenate([*pieces, gap])

    def to_original(times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        index = np.searchsorted(joined_starts, times, side="right") - 1
        valid = index >= 0
        index = np.clip(index, 0, None)
        offset = times - np.asarray(joined_starts)[index]
        valid &= offset < np.asarray(lengths)[index]
        return (np.asarray(original_starts)[index] + offset)[valid], valid

    return joined, to_original
