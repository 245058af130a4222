"""Redacted transcripts and a bleeped copy of the audio, on a call where a card is read out."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from coaching.cli.main import main
from coaching.types import CallReport
from samples.generate import load_truth

pytestmark = pytest.mark.slow


def tone_share(samples: np.ndarray, rate: int, hz: float = 1000.0) -> float:
    """Share of the signal's energy in a narrow band around ``hz``."""
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    band = (freqs > hz - 20) & (freqs < hz + 20)
    return float(spectrum[band].sum() / max(spectrum.sum(), 1e-12))


def test_card_number_is_redacted_and_bleeped(sample_calls, tmp_path, capsys):
    path = sample_calls("en_card_number")["en_card_number"]
    assert main(["analyze", str(path), "--out", str(tmp_path), "--redacted-audio"]) == 0
    assert "numbers bleeped" in capsys.readouterr().out
    report = CallReport.from_dict(json.loads((tmp_path / "en_card_number.json").read_text()))
    caller_text = " ".join(u.text for u in report.utterances if u.speaker == "caller")
    assert "[REDACTED:" in caller_text
    assert not any(ch.isdigit() for ch in caller_text.replace("[REDACTED:", ""))
    redacted = [w for u in report.utterances for w in u.words if w.text.startswith("[REDACTED")]
    assert redacted and all(w.end > w.start for w in redacted)

    bleeped, rate = sf.read(tmp_path / "en_card_number.redacted.wav", dtype="float32")
    card_turn = next(s for s in load_truth(path).redactions)
    middle = (card_turn.start + card_turn.end) / 2
    inside = bleeped[int((middle - 0.5) * rate) : int((middle + 0.5) * rate), 1]
    first_second = bleeped[int(0.5 * rate) : int(1.5 * rate), 0]
    assert tone_share(inside, rate) > 0.9  # the number is a tone now
    assert tone_share(first_second, rate) < 0.1  # the greeting is untouched
