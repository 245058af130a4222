"""Redacted numbers are bleeped in every recording the app plays, for every role."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timezone
from hashlib import sha256

import numpy as np
import pytest
import soundfile as sf

from coaching.store import save_report
from coaching.store.auth import sign_in
from coaching.store.media import call_audio
from coaching.types import Utterance, Word
from testkit.store_fixtures import FAST_HASHER, PASSWORD, store_with_users
from testkit.store_samples import FlagSpec, synthetic_report

NOW = datetime(2024, 5, 8, 15, 0, tzinfo=timezone.utc)
PEOPLE = {"ann": ("operator", "north"), "well": ("wellbeing", None), "root": ("admin", None)}
RATE = 16_000
CARD = (2.0, 3.0)  # where the caller reads the card number


def voice(seconds: float = 6.0) -> bytes:
    t = np.arange(int(seconds * RATE)) / RATE
    buffer = io.BytesIO()
    sf.write(buffer, 0.3 * np.sin(2 * np.pi * 220 * t), RATE, format="WAV")
    return buffer.getvalue()


def card_report(audio: bytes):
    words = (
        Word(1.2, 1.5, " my"),
        Word(1.5, 1.9, " card"),
        Word(*CARD, " [REDACTED:card]"),
        Word(3.1, 3.4, " thanks"),
    )
    said = Utterance("caller", 1.2, 3.4, "my card [REDACTED:card] thanks", words=words)
    report = synthetic_report("card", flags=[FlagSpec(1.0, 1.9, "insult", 0.8)])
    return replace(report, audio_sha256=sha256(audio).hexdigest(), utterances=(said,))


@pytest.fixture
def played(tmp_path, monkeypatch):
    monkeypatch.setenv("COACHING_DATA_DIR", str(tmp_path / "data"))
    store = store_with_users("sqlite", tmp_path, PEOPLE)
    audio = voice()
    (tmp_path / "call.wav").write_bytes(audio)
    with store.session() as session:
        call = save_report(session, card_report(audio), audio_ref=str(tmp_path / "call.wav"),
                           operator="ann", call_time=NOW, settings_hash="s")  # fmt: skip
    people = {n: sign_in(store, n, PASSWORD, hasher=FAST_HASHER) for n in PEOPLE}
    yield store, people, call
    store.close()


def dominant_hz(samples: np.ndarray, start: float, end: float, offset: float = 0.0) -> float:
    piece = samples[int((start - offset) * RATE) : int((end - offset) * RATE)]
    spectrum = np.abs(np.fft.rfft(piece))
    return float(np.fft.rfftfreq(len(piece), 1 / RATE)[np.argmax(spectrum)])


@pytest.mark.parametrize("role", ["ann", "root"])
def test_the_whole_recording_is_played_with_the_card_number_bleeped(played, role):
    store, people, call = played
    (clip,) = call_audio(store, people[role], call)
    samples, _ = sf.read(io.BytesIO(clip.data), dtype="float32")
    assert dominant_hz(samples, 2.2, 2.8) == pytest.approx(1000, abs=20)  # the bleep
    assert dominant_hz(samples, 4.0, 5.0) == pytest.approx(220, abs=20)  # the voice
    assert clip.bleeped == (CARD,)


def test_wellbeing_unmasked_clips_still_bleep_the_card_number(played):
    store, people, call = played
    (clip,) = call_audio(store, people["well"], call, unmasked=True)
    samples, _ = sf.read(io.BytesIO(clip.data), dtype="float32")
    assert clip.start_s == 0.0 and clip.end_s == pytest.approx(2.9)
    assert dominant_hz(samples, 1.2, 1.8) == pytest.approx(220, abs=20)  # the insult, unmasked
    assert dominant_hz(samples, 2.2, 2.8) == pytest.approx(1000, abs=20)  # the card, bleeped
