"""Typed delivery metrics of speakers, utterances and calls on synthetic calls."""

from __future__ import annotations

import numpy as np
import pytest

from coaching.audio.activity import speech_intervals
from coaching.audio.decode import SAMPLE_RATE as SR
from coaching.audio.loudness import active_speech_level
from coaching.delivery.metrics import measure_call, measure_speaker, measure_utterance
from coaching.delivery.prosody import pitch_track
from coaching.options import DeliveryOptions
from coaching.timing import total_duration
from coaching.types import Utterance
from testkit.speech import speak

OPERATOR_LINES = (
    (0.5, "thank you for calling the support line how can I help you today"),
    (9.0, "I am sorry to hear that let me check your connection right now"),
    (17.0, "the line looks fine from here could you restart the router for me"),
)
CALLER_LINES = (
    (5.0, "my internet keeps dropping every evening"),
    (13.5, "it started after the storm last week"),
)


def trimmed(text: str, voice: str) -> np.ndarray:
    speech = speak(text, voice=voice)
    loud = np.nonzero(np.abs(speech) > 1e-3)[0]
    return speech[loud[0] : loud[-1] + 1] / np.abs(speech).max() * 0.5


def render(lines, voice: str, total_s: float):
    channel = np.zeros(int(total_s * SR), dtype=np.float32)
    utterances, spans = [], []
    for start, text in lines:
        speech = trimmed(text, voice)
        first = int(start * SR)
        channel[first : first + len(speech)] += speech
        end = start + len(speech) / SR
        spans.append((start, end))
        speaker = "operator" if voice == "en+f3" else "caller"
        # recogniser spans are a little loose around the speech
        utterances.append(Utterance(speaker=speaker, start=start - 0.2, end=end + 0.3, text=text))
    return channel, tuple(utterances), tuple(spans)


@pytest.fixture(scope="module")
def stereo_call():
    operator, op_utts, op_spans = render(OPERATOR_LINES, "en+f3", 24.0)
    caller, caller_utts, caller_spans = render(CALLER_LINES, "en-us+m3", 24.0)
    bleed = 10 ** (-25 / 20)
    return {
        "operator": (operator + bleed * caller, op_utts, op_spans, operator),
        "caller": (caller + bleed * operator, caller_utts, caller_spans, caller),
    }


def test_stereo_operator_rate_share_pitch_and_level(stereo_call):
    channel, utterances, spans, clean = stereo_call["operator"]
    turns = speech_intervals(channel, SR)
    caller_turns = speech_intervals(stereo_call["caller"][0], SR)
    metrics = measure_speaker(
        channel,
        SR,
        turns=turns,
        utterances=utterances,
        language="en",
        other_speech_s=total_duration(caller_turns),
    )
    words = sum(len(text.split()) for _, text in OPERATOR_LINES)
    true_speech_s = total_duration(spans)
    assert metrics.word_count == words
    assert metrics.words_per_minute == pytest.approx(words / true_speech_s * 60, rel=0.1)
    assert metrics.syllables_per_second == pytest.approx(
        metrics.syllable_count / true_speech_s, rel=0.1
    )
    caller_true_s = total_duration(stereo_call["caller"][2])
    assert metrics.talk_share == pytest.approx(
        true_speech_s / (true_speech_s + caller_true_s), abs=0.05
    )
    assert 120 < metrics.pitch_median_hz < 350
    assert metrics.pitch_sd_semitones > 0.5  # speech moves, unlike a tone
    alone = active_speech_level(clean, SR).level_dbfs  # the voice without bleed or gaps
    assert metrics.loudness_dbfs == pytest.approx(alone, abs=1.0)
    assert metrics.clipped_share == 0.0
    assert metrics.reliable


def tone(f0: float, amplitude: float, seconds: float) -> np.ndarray:
    return amplitude * np.sin(2 * np.pi * f0 * np.arange(int(seconds * SR)) / SR)


@pytest.fixture(scope="module")
def mono_call():
    """Two 'voices' on one channel: A at 200 Hz / -13.47 dBFS, B at 120 Hz / -33.47 dBFS."""
    mix = np.zeros(12 * SR)
    a_turns, b_turns = ((1.0, 4.0), (8.0, 11.0)), ((4.5, 7.5),)
    for start, end in a_turns:
        mix[int(start * SR) : int(end * SR)] = tone(200.0, 0.3, end - start)
    for start, end in b_turns:
        mix[int(start * SR) : int(end * SR)] = tone(120.0, 0.03, end - start)
    return mix, a_turns, b_turns


def test_diarized_mono_only_looks_inside_the_speakers_turns(mono_call):
    mix, a_turns, b_turns = mono_call
    text = "one two three four five six seven eight nine ten eleven twelve"
    utterances = [
        Utterance(speaker="operator", start=start, end=end, text=text) for start, end in a_turns
    ]
    a = measure_speaker(
        mix, SR, turns=a_turns, utterances=utterances, language="en", other_speech_s=3.0,
        reliable=False,
    )  # fmt: skip
    assert a.speaking_time_s == pytest.approx(6.0)
    assert a.talk_share == pytest.approx(6 / 9)
    assert a.words_per_minute == pytest.approx(24 / 6 * 60)
    assert a.pitch_median_hz == pytest.approx(200, rel=0.01)
    assert a.pitch_range_semitones < 0.2
    assert a.loudness_dbfs == pytest.approx(20 * np.log10(0.3 / np.sqrt(2)), abs=0.05)
    assert a.clipped_share == 0.0
    assert not a.reliable
    b = measure_speaker(mix, SR, turns=b_turns, utterances=[], language="en", other_speech_s=6.0)
    assert b.pitch_median_hz == pytest.approx(120, rel=0.01)
    assert b.loudness_dbfs == pytest.approx(20 * np.log10(0.03 / np.sqrt(2)), abs=0.5)
    assert b.clipped_share == 0.0
    assert b.words_per_minute is None and b.word_count == 0


def test_clipping_is_counted_inside_the_speakers_turns_only(mono_call):
    mix, a_turns, b_turns = mono_call
    clicked = mix.copy()
    clicked[int(6 * SR) : int(6 * SR) + 80] = 1.0  # a clipped burst inside B's turn
    shares = [
        measure_speaker(
            clicked, SR, turns=turns, utterances=(), language="en", other_speech_s=0.0
        ).clipped_share
        for turns in (a_turns, b_turns)
    ]
    assert shares == [0.0, pytest.approx(80 / (3 * SR), rel=0.05)]
    given = measure_speaker(
        clicked,
        SR,
        turns=b_turns,
        utterances=(),
        language="en",
        other_speech_s=0,
        clipped_share=0.5,
    )
    assert given.clipped_share == 0.5


def test_silent_speaker_has_no_measures(mono_call):
    mix, _, _ = mono_call
    empty = measure_speaker(mix, SR, turns=(), utterances=(), language="en", other_speech_s=0.0)
    assert empty.speaking_time_s == 0
    assert empty.talk_share is None and empty.pitch_median_hz is None
    assert empty.loudness_dbfs is None and empty.words_per_minute is None


def test_utterance_reuses_the_channel_pitch_track(mono_call):
    mix, a_turns, _ = mono_call
    track = pitch_track(mix, SR, intervals=a_turns)
    loose = Utterance(
        speaker="operator", start=0.5, end=5.0, text="please hold the line for a minute"
    )
    with_turns = measure_utterance(mix, SR, loose, "en", pitch=track, turns=a_turns)
    assert with_turns.syllables == 8
    assert with_turns.syllables_per_second == pytest.approx(8 / 3.0)  # narrowed to 1..4 s
    assert with_turns.words_per_minute == pytest.approx(7 / 3.0 * 60)
    assert with_turns.pitch_median_hz == pytest.approx(200, rel=0.01)
    assert with_turns.loudness_dbfs == pytest.approx(20 * np.log10(0.3 / np.sqrt(2)), abs=0.05)
    no_track = measure_utterance(mix, SR, loose, "en")
    assert no_track.pitch_median_hz is None
    assert no_track.syllables_per_second == pytest.approx(8 / 4.5)
    elsewhere = Utterance(speaker="operator", start=5.0, end=7.0, text="one two three four")
    outside = measure_utterance(mix, SR, elsewhere, "en", pitch=track, turns=a_turns)
    assert outside.loudness_dbfs is None and outside.pitch_median_hz is None
    assert outside.words_per_minute == pytest.approx(4 / 2.0 * 60)
    short = Utterance(speaker="operator", start=1.0, end=1.5, text="yes")
    assert measure_utterance(mix, SR, short, "en", pitch=track).words_per_minute is None


def test_call_timing_from_both_parties():
    operator = ((0.0, 5.0), (12.0, 20.0), (21.0, 30.0))
    caller = ((5.4, 8.0), (18.5, 22.0), (25.0, 25.5))
    metrics = measure_call(operator, caller, options=DeliveryOptions())
    assert metrics.dead_air == ((8.0, 12.0),)
    assert metrics.overtalk == ((18.5, 20.0), (21.0, 22.0))
    assert metrics.interruptions_by_operator == 1  # at 21 s the caller stops 1 s later
    assert metrics.longest_operator_monologue_s == pytest.approx(8.0)  # 22..30, "mm" ignored
    assert metrics.operator_response_latency_s == pytest.approx(4.0)
    strict = measure_call(
        operator, caller, options=DeliveryOptions(dead_air_min_s=5.0, overtalk_min_s=1.2)
    )
    assert strict.dead_air == () and strict.overtalk == ((18.5, 20.0),)
    mono = measure_call(operator, caller, options=DeliveryOptions(), overtalk_measured=False)
    assert mono.overtalk == () and not mono.overtalk_measured
    assert mono.to_dict()["dead_air"] == [[8.0, 12.0]]


@pytest.mark.parametrize(
    "name", ["en_calm", "en_hold_silence", "en_overtalk", "vi_calm", "ru_calm", "zh_calm"]
)
def test_sample_calls_match_the_generators_truth(name):
    from samples.generate import render_call
    from samples.scripts import SCRIPTS

    rendered = render_call(SCRIPTS[name])
    truth, (operator, caller) = rendered.truth, rendered.stereo
    turns = {
        "operator": speech_intervals(operator, SR, other=caller),
        "caller": speech_intervals(caller, SR, other=operator),
    }
    utterances = [  # the recogniser's spans are a little loose around the speech
        Utterance(speaker=t.speaker, start=t.start - 0.1, end=t.end + 0.2, text=t.text)
        for t in truth.turns
        if t.speaker == "operator"
    ]
    metrics = measure_speaker(
        operator,
        SR,
        turns=turns["operator"],
        utterances=utterances,
        language=truth.language,
        other_speech_s=total_duration(turns["caller"]),
    )
    expected = truth.operator
    assert metrics.words_per_minute == pytest.approx(expected.words_per_minute, rel=0.1)
    assert metrics.syllables_per_second == pytest.approx(expected.syllables_per_second, rel=0.1)
    assert metrics.talk_share == pytest.approx(truth.talk_share, abs=0.05)
    assert metrics.loudness_dbfs == pytest.approx(expected.level_dbfs, abs=1.0)
    assert metrics.pitch_median_hz == pytest.approx(expected.pitch_median_hz, rel=0.02)
    call = measure_call(turns["operator"], turns["caller"], options=DeliveryOptions())
    for found, known in ((call.dead_air, truth.dead_air), (call.overtalk, truth.overtalk)):
        assert len(found) == len(known)
        assert np.allclose(
            np.array(found).reshape(-1, 2), np.array(known).reshape(-1, 2), atol=0.25
        )


def test_short_own_pauses_count_as_speaking_time(mono_call):
    mix, _, _ = mono_call
    turns = ((1.0, 2.0), (2.5, 3.5))  # half a second's pause between two phrases
    words = "one two three four five six seven eight nine ten"
    said = [Utterance(speaker="operator", start=0.9, end=3.7, text=words)]
    kwargs = {"turns": turns, "utterances": said, "language": "en", "other_speech_s": 0.0}
    assert measure_speaker(mix, SR, **kwargs).words_per_minute == pytest.approx(10 / 2.5 * 60)
    strict = measure_speaker(mix, SR, **kwargs, max_pause_s=0.2)
    assert strict.words_per_minute == pytest.approx(10 / 2.0 * 60)
    utterance = measure_utterance(mix, SR, said[0], "en", turns=turns, max_pause_s=0.2)
    assert utterance.words_per_minute == pytest.approx(10 / 2.0 * 60)
