"""Active speech level and clipping on tones and noise of known RMS."""

from __future__ import annotations

import numpy as np
import pytest

from coaching.audio.loudness import active_speech_level, clipped_share

SR = 16_000
RNG = np.random.default_rng(11)


def sine(amplitude: float, seconds: float = 2.0) -> np.ndarray:
    return amplitude * np.sin(2 * np.pi * 1000 * np.arange(int(seconds * SR)) / SR)


def test_full_scale_sine_reads_minus_3_01_dbfs():
    stats = active_speech_level(sine(1.0), SR)
    assert stats.level_dbfs == pytest.approx(-3.01, abs=0.01)
    assert stats.sd_db == pytest.approx(0.0, abs=0.01)


@pytest.mark.parametrize("rms_dbfs", [-10.0, -22.0, -40.0])
def test_noise_at_known_rms(rms_dbfs):
    noise = RNG.normal(0, 10 ** (rms_dbfs / 20), 4 * SR)
    stats = active_speech_level(noise, SR)
    assert stats.level_dbfs == pytest.approx(rms_dbfs, abs=0.3)
    assert stats.sd_db < 1.0


def test_silence_does_not_lower_the_active_level():
    speech = RNG.normal(0, 0.05, 3 * SR)
    with_pauses = np.concatenate([speech[:SR], np.zeros(SR), speech[SR:], np.zeros(2 * SR)])
    alone = active_speech_level(speech, SR).level_dbfs
    assert active_speech_level(with_pauses, SR).level_dbfs == pytest.approx(alone, abs=0.2)
    quiet_floor = with_pauses + RNG.normal(0, 1e-4, with_pauses.size)  # -80 dBFS hiss
    assert active_speech_level(quiet_floor, SR).level_dbfs == pytest.approx(alone, abs=0.3)


def test_intervals_pick_the_speaker_and_spread_shows_level_changes():
    loud, soft = sine(0.5), sine(0.05)  # -9.03 and -29.03 dBFS
    mix = np.concatenate([loud, soft])
    only_soft = active_speech_level(mix, SR, intervals=[(2.0, 4.0)])
    assert only_soft.level_dbfs == pytest.approx(-29.03, abs=0.05)
    varied = np.concatenate([sine(0.5), sine(0.25)])  # 6 dB step, both above P.56 threshold
    assert active_speech_level(varied, SR).sd_db == pytest.approx(3.0, abs=0.1)


def test_nothing_audible_gives_none():
    assert active_speech_level(np.zeros(SR), SR) is None
    assert active_speech_level(sine(0.5), SR, intervals=[]) is None
    assert active_speech_level(np.zeros(10), SR) is None


def test_clipped_share():
    signal = np.clip(sine(2.0), -1.0, 1.0)
    share = clipped_share(signal)
    assert 0.5 < share < 0.8  # a sine at twice full scale sits on the rails ~67 % of the time
    assert clipped_share(sine(0.5)) == 0.0
    assert clipped_share(np.array([])) == 0.0
    assert clipped_share(np.array([0.0, 0.5, 0.96, -0.97]), level=0.95) == 0.5


@pytest.mark.parametrize("rate", [8000, 22050, 44100])
def test_intervals_line_up_at_any_sample_rate(rate):
    t = np.arange(4 * rate) / rate
    signal = np.where((t >= 1.0) & (t < 3.0), 0.3, 0.03) * np.sin(2 * np.pi * 440 * t)
    stats = active_speech_level(signal, rate, intervals=[(1.0, 3.0)])
    assert stats.level_dbfs == pytest.approx(20 * np.log10(0.3 / np.sqrt(2)), abs=0.05)
    quiet = active_speech_level(signal, rate, intervals=[(0.0, 0.9), (3.1, 4.0)])
    assert quiet.level_dbfs == pytest.approx(20 * np.log10(0.03 / np.sqrt(2)), abs=0.05)


def test_bad_input_is_an_error():
    from coaching.audio.activity import SignalError

    with pytest.raises(SignalError, match="one channel"):
        active_speech_level(np.zeros((SR, 2)), SR)
    with pytest.raises(SignalError, match="sample rate"):
        active_speech_level(np.zeros(SR), 0)
