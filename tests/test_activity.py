"""Voice activity on synthetic channels with known speech placement."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import butter, sosfilt

from coaching.audio.activity import SignalError, mask_intervals, samples_in, speech_intervals
from coaching.audio.decode import SAMPLE_RATE as SR
from testkit.speech import speak

OPERATOR = "Hello, thank you for calling. How can I help you today?"
CALLER = "My internet has been down since yesterday morning."


def trimmed(text: str, voice: str = "en+f3") -> np.ndarray:
    speech = speak(text, voice=voice)
    loud = np.nonzero(np.abs(speech) > 1e-3)[0]
    return speech[loud[0] : loud[-1] + 1] / np.abs(speech).max() * 0.5


def place(total_s: float, *parts: tuple[float, np.ndarray], noise_dbfs: float = -60.0):
    channel = np.random.default_rng(7).normal(0, 10 ** (noise_dbfs / 20), int(total_s * SR))
    for start, part in parts:
        first = int(start * SR)
        channel[first : first + len(part)] += part
    return channel.astype(np.float32)


def covered(intervals, start: float, end: float) -> float:
    return sum(max(0.0, min(b, end) - max(a, start)) for a, b in intervals)


@pytest.fixture(scope="module")
def voices():
    return trimmed(OPERATOR), trimmed(CALLER, voice="en-us+m3")


def test_tone_bursts_have_exact_edges_with_the_energy_gate():
    t = np.arange(6 * SR) / SR
    tone = np.where(((t >= 1.0) & (t < 2.5)) | ((t >= 4.0) & (t < 4.6)), 0.3, 0.0)
    signal = tone * np.sin(2 * np.pi * 440 * t)
    found = speech_intervals(signal, SR, use_vad_model=False)
    assert len(found) == 2
    assert np.allclose(np.array(found), [[1.0, 2.5], [4.0, 4.6]], atol=0.02)


def test_noise_bursts_over_a_noise_floor_are_found():
    rng = np.random.default_rng(1)
    burst = rng.normal(0, 0.1, int(0.8 * SR))
    signal = place(5.0, (1.0, burst), (3.0, burst), noise_dbfs=-50)
    found = speech_intervals(signal, SR, use_vad_model=False)
    assert np.allclose(np.array(found), [[1.0, 1.8], [3.0, 3.8]], atol=0.03)


def test_short_clicks_and_short_pauses_follow_min_durations():
    t = np.arange(4 * SR) / SR
    on = (t >= 1.0) & (t < 1.05) | (t >= 2.0) & (t < 2.6) | (t >= 2.8) & (t < 3.4)
    signal = np.where(on, 0.3, 0.0) * np.sin(2 * np.pi * 300 * t)
    found = speech_intervals(signal, SR, use_vad_model=False)
    assert np.allclose(np.array(found), [[2.0, 3.4]], atol=0.02)
    split = speech_intervals(signal, SR, use_vad_model=False, min_silence_s=0.1)
    assert len(split) == 2


def test_speech_edges_within_50_ms(voices):
    operator, _ = voices
    signal = place(8.0, (1.5, operator))
    found = speech_intervals(signal, SR)
    end = 1.5 + len(operator) / SR
    assert abs(found[0][0] - 1.5) <= 0.05
    assert abs(found[-1][1] - end) <= 0.05
    assert covered(found, 1.5, end) >= 0.8 * (end - 1.5)


def test_a_steady_tone_is_not_speech_for_the_model():
    t = np.arange(4 * SR) / SR
    signal = np.where((t >= 1) & (t < 3), 0.3, 0.0) * np.sin(2 * np.pi * 440 * t)
    assert speech_intervals(signal, SR) == ()


@pytest.mark.parametrize("bleed_db", [-20.0, -30.0])
def test_bleed_of_the_other_party_is_ignored(voices, bleed_db):
    operator, caller = voices
    bleed = caller * 10 ** (bleed_db / 20)
    signal = place(14.0, (1.0, operator), (5.5, bleed), (9.5, operator))
    bleed_end = 5.5 + len(bleed) / SR
    found = speech_intervals(signal, SR)
    assert covered(found, 5.3, bleed_end + 0.2) == 0.0
    assert covered(found, 1.0, 1.0 + len(operator) / SR) > 2.5
    assert covered(found, 9.5, 9.5 + len(operator) / SR) > 2.5


def test_phone_band_8_khz_channel_with_line_noise(voices):
    operator, caller = voices
    signal = place(12.0, (1.0, operator), (6.0, caller * 0.05), noise_dbfs=-45)
    band = sosfilt(butter(4, [300, 3400], btype="band", fs=SR, output="sos"), signal)
    narrow = band[::2].astype(np.float32)  # 8 kHz after the band limit
    found = speech_intervals(narrow, 8000)
    end = 1.0 + len(operator) / SR
    # the last word's decay sinks under the line noise, so its true end is not visible
    assert abs(found[0][0] - 1.0) <= 0.1 and abs(found[-1][1] - end) <= 0.15
    assert covered(found, 6.0, 12.0) == 0.0


def test_mono_mix_keeps_a_quiet_party_when_bleed_rejection_is_off(voices):
    operator, caller = voices
    quiet = caller * 0.1  # 20 dB under the operator on the same channel
    signal = place(10.0, (1.0, operator), (6.0, quiet))
    caller_end = 6.0 + len(quiet) / SR
    assert covered(speech_intervals(signal, SR), 6.0, caller_end) == 0.0
    mono = speech_intervals(signal, SR, bleed_margin_db=None)
    assert covered(mono, 6.0, caller_end) >= 0.7 * (caller_end - 6.0)


def test_silence_and_tiny_inputs_give_no_speech():
    assert speech_intervals(np.zeros(3 * SR, dtype=np.float32), SR) == ()
    assert speech_intervals(np.zeros(10, dtype=np.float32), SR) == ()


def test_two_channels_at_once_is_an_error():
    with pytest.raises(SignalError, match="one channel"):
        speech_intervals(np.zeros((2, SR)), SR)


def test_mask_and_samples_in():
    mask = mask_intervals([(0.1, 0.3), (0.5, 0.55)], 10, rate=10)
    assert mask.tolist() == [False, True, True, False, False, True] + [False] * 4
    samples = np.arange(10.0)
    assert samples_in(samples, 10, [(0.2, 0.4), (0.8, 2.0)]).tolist() == [2.0, 3.0, 8.0, 9.0]


def test_other_channel_exposes_bleed_on_a_channel_whose_speaker_never_talks(voices):
    _, caller = voices
    caller_channel = place(8.0, (1.0, caller))
    operator_channel = place(8.0, (1.0, caller * 10 ** (-25 / 20)))  # only the caller's bleed
    assert covered(speech_intervals(operator_channel, SR), 1.0, 4.5) > 1.0  # looks like speech
    assert speech_intervals(operator_channel, SR, other=caller_channel) == ()
    assert speech_intervals(caller_channel, SR, other=operator_channel) != ()


def test_double_talk_survives_the_other_channel_check(voices):
    operator, caller = voices
    bleed = 10 ** (-25 / 20)
    operator_only, caller_only = place(8.0, (1.0, operator)), place(8.0, (2.0, caller))
    operator_channel = operator_only + bleed * caller_only
    caller_channel = caller_only + bleed * operator_only
    found = speech_intervals(operator_channel, SR, other=caller_channel)
    end = 1.0 + len(operator) / SR
    # the operator's last decay is quieter than the caller's bleed, so the end is looser
    assert abs(found[0][0] - 1.0) <= 0.05 and abs(found[-1][1] - end) <= 0.15
    assert covered(found, 1.0, end) >= 0.8 * (end - 1.0)


@pytest.mark.parametrize(
    ("voice", "text"),
    [("vi", "Xin chào, tôi có thể giúp gì cho anh"), ("cmn", "您好，请问有什么可以帮您")],
)
def test_other_languages_at_44_1_khz(voice, text):
    from scipy.signal import resample_poly

    speech = trimmed(text, voice=voice)
    signal = resample_poly(place(6.0, (1.0, speech)), 441, 160).astype(np.float32)
    found = speech_intervals(signal, 44_100)
    end = 1.0 + len(speech) / SR
    assert abs(found[0][0] - 1.0) <= 0.05 and abs(found[-1][1] - end) <= 0.05


def test_a_channel_that_is_almost_all_speech_keeps_its_edges():
    rng = np.random.default_rng(5)
    signal = place(10.0, (0.2, rng.normal(0, 0.1, int(9.7 * SR))), noise_dbfs=-60)
    found = speech_intervals(signal, SR, use_vad_model=False)
    assert np.allclose(np.array(found), [[0.2, 9.9]], atol=0.02)


def test_delayed_echo_of_the_other_party_is_ignored(voices):
    operator, caller = voices
    echo = caller * 10 ** (-20 / 20)
    caller_channel = place(14.0, (5.5, caller))
    operator_channel = place(14.0, (1.0, operator), (5.65, echo), (9.5, operator))
    for found in (
        speech_intervals(operator_channel, SR),
        speech_intervals(operator_channel, SR, other=caller_channel),
    ):
        assert covered(found, 5.3, 5.65 + len(echo) / SR + 0.2) == 0.0
        assert covered(found, 9.5, 9.5 + len(operator) / SR) > 2.5
