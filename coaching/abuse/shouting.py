"""Acoustic shouting: a caller's level (and pitch) well above their own baseline in the call.

Shouting is judged against the caller's *own* usual voice, never an absolute level, so
a quiet line and a loud line are treated alike. The baseline is the lower quartile
(``BASELINE_QUANTILE``) of the caller's levels rather than their median: a caller who
shouts through most of the call would otherwise set the median to the shouting
itself. (The evidence key keeps the name ``level_over_median_db``; its value is dB
over that baseline.) Level is the main cue: an utterance whose active speech level
is ``db_over_median`` dB or more above the baseline is shouting. Shouting also raises
pitch, so a pitch rise of ``pitch_rise_semitones`` or more lets a level
``PITCH_ASSIST_DB`` short of that threshold count too. Pitch alone never flags
(questions, surprise and the tones of Vietnamese and Chinese raise it). Only callers
are judged; an operator's voice is never analysed for emotion.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from coaching.audio.activity import sample_span
from coaching.audio.loudness import active_speech_level
from coaching.serial import Serializable
from coaching.types import Interval

FRAME_S = 0.03
SILENCE_DBFS = -70.0
PITCH_ASSIST_DB = 4.0
MIN_UTTERANCES_FOR_MEDIAN = 3
BASELINE_CHUNK_S = 1.0
BASELINE_QUANTILE = 25  # percent: the caller's quieter, usual speech


@dataclass(frozen=True)
class ShoutingHit(Serializable):
    """One utterance judged as shouting, with how far it stood above the baseline."""

    index: int  # position in the sequences given to find_shouting
    level_over_median_db: float
    pitch_rise_semitones: float | None
    severity: float


def active_level_dbfs(
    samples: np.ndarray, sample_rate: int, *, frame_s: float = FRAME_S
) -> float | None:
    """Active speech level in dBFS over the frames that carry speech (P.56 idea), or None.

    The level of :func:`coaching.audio.loudness.active_speech_level` on shorter frames and
    with a higher silence floor, which suit single utterances and 1 s chunks.
    """
    stats = active_speech_level(samples, sample_rate, frame_s=frame_s, silence_db=SILENCE_DBFS)
    return None if stats is None else stats.level_dbfs


def utterance_levels_db(
    samples: np.ndarray, sample_rate: int, intervals: Sequence[Interval]
) -> tuple[float | None, ...]:
    """Active speech level of each ``(start, end)`` interval (seconds) of ``samples``."""
    levels = []
    for start, end in intervals:
        first, last = sample_span(len(samples), sample_rate, start, end)
        levels.append(active_level_dbfs(samples[first:last], sample_rate))
    return tuple(levels)


def speech_baseline_db(
    samples: np.ndarray,
    sample_rate: int,
    intervals: Sequence[Interval],
    *,
    chunk_s: float = BASELINE_CHUNK_S,
) -> float | None:
    """Lower-quartile active level over ~1 s chunks of the speaker's speech.

    Robust for short calls with few utterances, and for callers who shout most of the
    time: the baseline stays the speaker's usual, calmer level.
    """
    levels = []
    for start, end in intervals:
        pieces = max(1, int((end - start) // chunk_s))
        edges = np.linspace(start, end, pieces + 1)
        levels += [
            lvl
            for lvl in utterance_levels_db(samples, sample_rate, pairwise(edges))
            if lvl is not None
        ]
    return float(np.percentile(levels, BASELINE_QUANTILE)) if levels else None


def find_shouting(
    levels_db: Sequence[float | None],
    pitches_hz: Sequence[float | None] = (),
    *,
    db_over_median: float = 10.0,
    pitch_rise_semitones: float = 3.0,
    baseline_db: float | None = None,
) -> tuple[ShoutingHit, ...]:
    """Utterances whose level (helped by pitch) stands well above the speaker's median.

    ``baseline_db`` defaults to the lower quartile of ``levels_db``, which needs at least
    three measured utterances; with fewer and no baseline, nothing is flagged.
    Severity is 0.5 at the threshold and 1.0 at twice it, plus a little for pitch rise.
    """
    baseline = baseline_db if baseline_db is not None else _usual(levels_db)
    if baseline is None:
        return ()
    pitch_median = _usual(pitches_hz)
    hits = []
    for index, level in enumerate(levels_db):
        if level is None:
            continue
        over = level - baseline
        pitch = pitches_hz[index] if index < len(pitches_hz) else None
        rise = 12 * math.log2(pitch / pitch_median) if pitch and pitch_median else None
        pitched = rise is not None and rise >= pitch_rise_semitones
        if over >= db_over_median or (pitched and over >= db_over_median - PITCH_ASSIST_DB):
            bonus = max(0.0, (rise or 0.0) - pitch_rise_semitones) / 12
            severity = min(1.0, max(0.0, over / (2 * db_over_median) + bonus))
            hits.append(ShoutingHit(index, round(over, 2), _round(rise), round(severity, 3)))
    return tuple(hits)


def _usual(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None and math.isfinite(v)]
    if len(present) < MIN_UTTERANCES_FOR_MEDIAN:
        return None
    return float(np.percentile(present, BASELINE_QUANTILE))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
