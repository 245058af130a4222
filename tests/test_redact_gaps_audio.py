"""The bleeped audio covers a card's expiry date and security code too, on real speech
(espeak-ng) analysed end to end by ``coaching analyze --redacted-audio``."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import soundfile as sf

from coaching.audio import SAMPLE_RATE
from coaching.cli.main import main
from coaching.types import CallReport
from testkit.speech import speak

pytestmark = pytest.mark.slow

TURNS = (
    ("operator", "Thank you for calling. How can I help you today?"),
    ("caller", "I would like to pay my bill by card."),
    ("operator", "Of course. Please read me the long number on the card."),
    ("caller", "four five three nine, one four eight eight, zero three four three, six four six "
               "seven."),
    ("operator", "Thank you. And the expiry date?"),
    ("caller", "oh five, twenty seven."),
    ("operator", "And the three digit security code on the back?"),
    ("caller", "three two one."),
    ("operator", "Thank you. The payment is done. Goodbye."),
)  # fmt: skip
GAP_S = 0.9
LABEL = re.compile(r"\[REDACTED:(\w+)\]")


def tone_share(samples: np.ndarray, hz: float = 1000.0) -> float:
    """Share of the signal's energy in a narrow band around ``hz``."""
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE)
    band = (freqs > hz - 20) & (freqs < hz + 20)
    return float(spectrum[band].sum() / max(spectrum.sum(), 1e-12))


def voiced(speech: np.ndarray) -> tuple[float, float]:
    """Seconds from the first to the last 10 ms frame within 30 dB of the loudest."""
    frames = speech[: len(speech) // 160 * 160].reshape(-1, 160)
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    loud = np.flatnonzero(level > level.max() - 30)
    return loud[0] * 0.01, (loud[-1] + 1) * 0.01


@pytest.fixture(scope="module")
def card_call(tmp_path_factory):
    """A stereo call (operator left, caller right) and where each turn's speech sits."""
    channels = {"operator": [], "caller": []}
    spoken, cursor = [], 0.5
    for speaker, text in TURNS:
        speech = speak(text, voice="en+f3" if speaker == "operator" else "en+m3")
        start, end = voiced(speech)
        spoken.append((cursor + start, cursor + end))
        for name, track in channels.items():
            track += [speech if name == speaker else np.zeros_like(speech)]
            track += [np.zeros(int(GAP_S * SAMPLE_RATE), dtype=np.float32)]
        cursor += len(speech) / SAMPLE_RATE + GAP_S
    stereo = np.stack([np.concatenate(channels["operator"]), np.concatenate(channels["caller"])])
    path = tmp_path_factory.mktemp("card-call") / "card_call.wav"
    sf.write(path, (0.5 * stereo).T, SAMPLE_RATE, subtype="PCM_16")
    return path, spoken


def test_expiry_and_security_code_are_bleeped(card_call, tmp_path):
    path, spoken = card_call
    assert main(["analyze", str(path), "--out", str(tmp_path), "--redacted-audio"]) == 0
    report = CallReport.from_dict(json.loads((tmp_path / "card_call.json").read_text()))
    said = " ".join(u.text for u in report.utterances)
    kinds = {kind for u in report.utterances for w in u.words for kind in LABEL.findall(w.text)}
    assert {"expiry", "cvv"} <= kinds and kinds & {"card", "number"}, said  # ASR may drop a digit
    assert not any(ch.isdigit() for ch in said), said

    bleeped, rate = sf.read(tmp_path / "card_call.redacted.wav", dtype="float32")
    for turn in (3, 5, 7):  # card, expiry, security code: a tone on every channel
        start, end = spoken[turn]
        inside = bleeped[int((start + 0.1) * rate) : int((end - 0.1) * rate)]
        assert min(tone_share(inside[:, c]) for c in (0, 1)) > 0.9, (turn, said)
    original, _ = sf.read(path, dtype="float32")
    for turn in (0, 4, 6):  # the greeting and questions stay (but where the word timing
        start, end = spoken[turn]  # of the answer reaches back into their last word)
        kept = slice(int(start * rate), int((start + end) / 2 * rate))
        np.testing.assert_allclose(bleeped[kept], original[kept], atol=1e-3)
