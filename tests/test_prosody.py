"""Pitch tracks of tones, glides and harmonic signals with known F0."""

from __future__ import annotations

import numpy as np
import pytest

from coaching.delivery.prosody import pitch_stats, pitch_track

SR = 16_000


def tone(f0_hz, seconds: float = 2.0, harmonics: int = 1) -> np.ndarray:
    """A tone whose F0 may change over time (``f0_hz`` a number or per-sample array)."""
    frequency = np.broadcast_to(np.asarray(f0_hz, dtype=float), (int(seconds * SR),))
    phase = 2 * np.pi * np.cumsum(frequency) / SR
    return sum(0.4 / k * np.sin(k * phase) for k in range(1, harmonics + 1))


def test_pure_tone_median_and_no_spread():
    stats = pitch_stats(pitch_track(tone(200.0), SR).f0_hz)
    assert stats.median_hz == pytest.approx(200.0, rel=0.01)
    assert stats.sd_semitones < 0.05
    assert stats.range_semitones < 0.1


def test_octave_glide_spans_twelve_semitones():
    seconds = 2.0
    t = np.arange(int(seconds * SR)) / SR
    stats = pitch_stats(pitch_track(tone(150.0 * 2 ** (t / seconds), seconds), SR).f0_hz)
    assert stats.median_hz == pytest.approx(150.0 * 2**0.5, rel=0.02)
    assert stats.range_semitones == pytest.approx(0.9 * 12, abs=0.6)  # p5..p95 of a linear glide
    assert stats.sd_semitones == pytest.approx(12 / np.sqrt(12), abs=0.3)  # SD of uniform


@pytest.mark.parametrize("f0", [85.0, 120.0, 330.0])
def test_harmonic_rich_voices_low_and_high(f0):
    track = pitch_track(tone(f0, harmonics=12), SR)
    stats = pitch_stats(track.f0_hz)
    assert stats.median_hz == pytest.approx(f0, rel=0.01)
    assert track.floor_hz < f0 < track.ceiling_hz


def test_two_pass_range_follows_the_speaker():
    track = pitch_track(tone(200.0, harmonics=6), SR)
    assert track.floor_hz == pytest.approx(0.75 * 200, rel=0.02)
    assert track.ceiling_hz == pytest.approx(1.5 * 200, rel=0.02)
    fixed = pitch_track(tone(200.0), SR, floor_hz=100, ceiling_hz=400)
    assert (fixed.floor_hz, fixed.ceiling_hz) == (100, 400)


def test_silence_and_noise_give_no_stats():
    assert pitch_stats(pitch_track(np.zeros(2 * SR), SR).f0_hz) is None
    noise = np.random.default_rng(3).normal(0, 0.1, 2 * SR)
    voiced = np.isfinite(pitch_track(noise, SR).f0_hz)
    assert voiced.mean() < 0.1
    assert pitch_stats(np.array([np.nan] * 50)) is None
    assert pitch_track(np.zeros(10), SR).f0_hz.size == 0


def test_intervals_restrict_analysis_and_keep_original_times():
    signal = np.zeros(10 * SR)
    signal[2 * SR : 4 * SR] = tone(200.0)
    signal[6 * SR : 8 * SR] = tone(300.0)
    signal[4 * SR : 6 * SR] = tone(100.0)  # outside the intervals: must not appear
    track = pitch_track(signal, SR, intervals=[(2.0, 4.0), (6.0, 8.0)])
    voiced_times = track.times[np.isfinite(track.f0_hz)]
    assert voiced_times.min() >= 2.0 and voiced_times.max() <= 8.0
    assert not np.any((voiced_times > 4.0) & (voiced_times < 6.0))
    assert pitch_stats(track.between(2.0, 4.0)).median_hz == pytest.approx(200, rel=0.01)
    assert pitch_stats(track.between(6.0, 8.0)).median_hz == pytest.approx(300, rel=0.01)
    assert pitch_track(signal, SR, intervals=[]).times.size == 0


def test_track_serializes_unvoiced_as_null():
    data = pitch_track(np.concatenate([tone(200.0, 0.5), np.zeros(SR // 2)]), SR).to_dict()
    assert len(data["times"]) == len(data["f0_hz"])
    assert None in data["f0_hz"] and any(isinstance(f, float) for f in data["f0_hz"])


def test_overlapping_intervals_are_analysed_once():
    signal = np.concatenate([np.zeros(SR), tone(200.0, 2.0), np.zeros(SR)])
    track = pitch_track(signal, SR, intervals=[(1.5, 3.0), (1.0, 2.0), (2.5, 3.0)])
    assert np.all(np.diff(track.times) > 0)
    assert track.times.min() >= 1.0 and track.times.max() <= 3.0


def test_two_channels_at_once_is_an_error():
    from coaching.audio.activity import SignalError

    with pytest.raises(SignalError, match="one channel"):
        pitch_track(np.zeros((2, SR)), SR)
