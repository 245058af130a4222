"""Acoustic shouting on synthetic speech-like bursts at known levels."""

from __future__ import annotations

import numpy as np
import pytest

from coaching.abuse.shouting import (
    active_level_dbfs,
    find_shouting,
    speech_baseline_db,
    utterance_levels_db,
)
from testkit.speech import RATE, caller_track, speech_like


def test_active_level_ignores_pauses_inside_speech():
    samples = speech_like(3.0, -26.0, seed=1)
    assert active_level_dbfs(samples, RATE) == pytest.approx(-26.0, abs=1.0)
    plain_rms = 10 * np.log10(np.mean(samples.astype(np.float64) ** 2))
    assert plain_rms < -27.0  # the pauses pull a plain RMS down; the active level is not


def test_active_level_of_silence_is_none():
    assert active_level_dbfs(np.zeros(RATE, dtype=np.float32), RATE) is None
    assert active_level_dbfs(np.zeros(10, dtype=np.float32), RATE) is None


def test_one_burst_twelve_db_louder_is_the_only_shouting():
    samples, intervals = caller_track([-26, -25, -27, -14, -26])
    levels = utterance_levels_db(samples, RATE, intervals)
    assert levels[3] - levels[0] == pytest.approx(12.0, abs=1.0)
    hits = find_shouting(levels, db_over_median=10.0)
    assert [hit.index for hit in hits] == [3]
    assert hits[0].level_over_median_db == pytest.approx(12.0, abs=1.0)
    assert 0.5 < hits[0].severity < 0.8


def test_a_uniformly_loud_caller_is_not_shouting():
    samples, intervals = caller_track([-12, -13, -12, -11, -12])
    assert find_shouting(utterance_levels_db(samples, RATE, intervals)) == ()


def test_pitch_rise_helps_a_level_just_short_of_the_threshold():
    levels = [-26.0, -26.0, -26.0, -19.0]  # 7 dB over the median
    calm_pitch = [180.0, 180.0, 180.0, 180.0]
    raised_pitch = [180.0, 180.0, 180.0, 180.0 * 2 ** (4 / 12)]  # +4 semitones
    assert find_shouting(levels, calm_pitch, db_over_median=10.0) == ()
    (hit,) = find_shouting(levels, raised_pitch, db_over_median=10.0)
    assert hit.index == 3
    assert hit.pitch_rise_semitones == pytest.approx(4.0, abs=0.01)


def test_pitch_alone_is_never_shouting():
    levels = [-26.0, -26.0, -26.0, -26.0]
    pitches = [180.0, 180.0, 180.0, 400.0]
    assert find_shouting(levels, pitches) == ()


def test_threshold_is_configurable():
    levels = [-26.0, -26.0, -26.0, -18.0]
    assert find_shouting(levels, db_over_median=10.0) == ()
    assert [hit.index for hit in find_shouting(levels, db_over_median=6.0)] == [3]


def test_too_few_utterances_for_a_median_flag_nothing_without_a_baseline():
    assert find_shouting([-26.0, -12.0]) == ()


def test_frame_baseline_makes_short_calls_work():
    # A long calm turn and one short shout: two utterances, too few for a median,
    # but ~1 s chunks of the caller's speech give a baseline at the calm level.
    samples, intervals = caller_track([-26.0], utterance_s=6.0)
    shout, _ = caller_track([-13.0], utterance_s=1.2)
    samples = np.concatenate([samples, shout])
    intervals = [intervals[0], (7.0, 8.2)]
    baseline = speech_baseline_db(samples, RATE, intervals)
    assert baseline == pytest.approx(-26.0, abs=1.0)
    levels = utterance_levels_db(samples, RATE, intervals)
    (hit,) = find_shouting(levels, baseline_db=baseline)
    assert hit.index == 1
    assert hit.level_over_median_db == pytest.approx(13.0, abs=1.5)
