"""Speech level of one speaker: active speech level, its spread, clipping.

Levels are dB re the RMS of a full-scale square wave (dBov, ITU-T G.191), the
scale ITU-T P.56 uses: a full-scale sine reads -3.01 dBFS here. The active
speech level follows the idea of ITU-T P.56: the mean power over speech frames
only, found with an adaptive threshold 15.9 dB under the level itself, so
pauses and silence do not pull it down. Telephony aims at about -22 dBFS ± 6 dB
(RFC 7874), which is the scale to read these numbers against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coaching.audio.activity import as_channel, frame_powers, mask_intervals
from coaching.serial import Serializable
from coaching.types import Interval

FRAME_S = 0.05
P56_MARGIN_DB = 15.9  # ITU-T P.56: activity threshold this far below the active level
SILENCE_DB = -90.0  # frames quieter than this are digital silence, never speech
_MAX_ITERATIONS = 30


@dataclass(frozen=True)
class LevelStats(Serializable):
    level_dbfs: float  # active speech level, dBov (full-scale sine = -3.01)
    sd_db: float  # spread of the active frames' levels


def active_speech_level(
    samples: np.ndarray,
    sample_rate: int,
    *,
    intervals: Sequence[Interval] | None = None,
    frame_s: float = FRAME_S,
    margin_db: float = P56_MARGIN_DB,
    silence_db: float = SILENCE_DB,
) -> LevelStats | None:
    """Active speech level over ``frame_s`` frames (inside ``intervals`` when given).

    Frames must also pass the P.56-style threshold ``margin_db`` under the
    active level; None when no frame is louder than ``silence_db``.
    """
    powers = _powers_inside(as_channel(samples, sample_rate), sample_rate, intervals, frame_s)
    levels = 10 * np.log10(np.maximum(powers, 1e-20))
    levels = levels[levels > silence_db]
    if levels.size == 0:
        return None
    active = _p56_active(levels, margin_db)
    level = 10 * np.log10(np.mean(10 ** (active / 10)))
    return LevelStats(level_dbfs=float(level), sd_db=float(np.std(active)))


def clipped_share(samples: np.ndarray, *, level: float = 0.999) -> float:
    """Share of samples at or above ``level`` in magnitude (0.0 for no samples)."""
    values = np.asarray(samples)
    if values.size == 0:
        return 0.0
    return float(np.count_nonzero(np.abs(values) >= level) / values.size)


def _powers_inside(
    samples: np.ndarray, sample_rate: int, intervals: Sequence[Interval] | None, frame_s: float
) -> np.ndarray:
    """Powers of the frames whose centre lies inside ``intervals`` (all frames when None)."""
    if intervals is None:
        return frame_powers(samples, sample_rate, frame_s=frame_s)
    if not intervals:
        return np.empty(0)
    size = max(1, int(round(frame_s * sample_rate)))
    first = max(0, int(min(start for start, _ in intervals) * sample_rate) // size)
    last = int(np.ceil(max(end for _, end in intervals) * sample_rate / size))
    powers = frame_powers(samples[first * size : last * size], sample_rate, frame_s=frame_s)
    step = size / sample_rate
    inside = mask_intervals(intervals, powers.size, rate=1 / step, offset=(first + 0.5) * step)
    return powers[inside]


def _p56_active(levels: np.ndarray, margin_db: float) -> np.ndarray:
    """Frames above ``level - margin_db``, iterated until the level settles."""
    active = levels
    threshold = -np.inf
    for _ in range(_MAX_ITERATIONS):
        level = 10 * np.log10(np.mean(10 ** (active / 10)))
        new_threshold = level - margin_db
        if abs(new_threshold - threshold) < 0.01:
            break
        threshold = new_threshold
        active = levels[levels >= threshold]
    return active
