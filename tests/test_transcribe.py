"""Speech recognition with the real embedded Whisper base: words, times, guards."""

from __future__ import annotations

import numpy as np
import pytest

from coaching.audio.decode import SAMPLE_RATE
from coaching.options import TranscriptOptions
from coaching.transcript.whisper import detect_language, group_utterances, transcribe_words
from coaching.types import Word
from testkit.speech import speak

OPTIONS = TranscriptOptions()


def test_group_utterances_splits_on_speaker_change_and_long_pauses():
    words = [
        Word(0.0, 0.4, " Hello"),
        Word(0.5, 0.9, " there."),
        Word(2.5, 2.9, " Again."),
        Word(3.0, 3.3, " Hi"),
    ]
    speakers = ["operator", "operator", "operator", "caller"]
    utterances = group_utterances(words, speakers, max_pause_s=1.0)
    assert [(u.speaker, u.text) for u in utterances] == [
        ("operator", "Hello there."),
        ("operator", "Again."),
        ("caller", "Hi"),
    ]
    assert utterances[0].words[1].text == "there."
    assert (utterances[0].start, utterances[0].end) == (0.0, 0.9)


@pytest.mark.slow
def test_english_words_with_times(models):
    silence = np.zeros(SAMPLE_RATE, dtype=np.float32)
    speech = speak("Thank you for calling City Power. How can I help you today?")
    audio = np.concatenate([silence, speech, silence])
    words = transcribe_words(models.asr, audio, language="en", options=OPTIONS)
    text = " ".join(w.text.strip().lower() for w in words)
    assert "thank you for calling" in text and "help" in text
    # not from 0 (Whisper's first word runs ~0.3 s early)
    assert words[0].start >= 0.5
    assert words[-1].end <= 1.0 + len(speech) / SAMPLE_RATE + 0.3
    assert all(w.end >= w.start and 0 <= w.probability <= 1 for w in words)


@pytest.mark.slow
def test_language_is_detected_and_can_be_forced(models):
    audio = speak("Здравствуйте, меня зовут Ольга, чем могу помочь?", voice="ru")
    assert detect_language(models.asr, audio, candidates=("en", "vi", "ru", "zh")).language == "ru"
    forced = detect_language(models.asr, audio, forced="en")
    assert forced.language == "en" and forced.forced


@pytest.mark.slow
def test_no_text_is_invented_for_noise_or_hold_tones(models):
    rng = np.random.default_rng(0)
    t = np.arange(SAMPLE_RATE * 8) / SAMPLE_RATE
    noise = 0.003 * rng.normal(size=t.size).astype(np.float32)
    hold_tone = (0.05 * np.sin(2 * np.pi * 440 * t) * (np.sin(2 * np.pi * 0.5 * t) > 0)).astype(
        np.float32
    )
    for audio in (noise, hold_tone):
        assert transcribe_words(models.asr, audio, language="en", options=OPTIONS) == ()
