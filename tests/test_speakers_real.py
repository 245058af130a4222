"""Speakers on real recordings (../shared/realcalls; skipped when absent), on short excerpts.

The full calls are measured by bench/bench_speakers.py; these keep the models honest
on a minute of real audio each.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coaching.audio.activity import frame_levels_db, speech_intervals
from coaching.audio.decode import load_audio
from coaching.pipeline import analyze_call
from coaching.registry import speaker_models
from coaching.speakers.diarize import diarize_call
from coaching.speakers.stereo import BLEED_DB
from testkit.speaker_error import speaker_error

pytestmark = pytest.mark.slow

# CI has them beside the checkout; COACHING_REALCALLS points elsewhere (e.g. from a worktree)
REALCALLS = Path(
    os.environ.get(
        "COACHING_REALCALLS", Path(__file__).resolve().parent.parent.parent / "shared" / "realcalls"
    )
)
STEREO = REALCALLS / "en_call_aws_autorepairs40_stereo.wav"  # left = agent


def needs(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path.name} not found under {REALCALLS}")
    return path


def excerpt(path: Path, start_s: float, end_s: float) -> tuple[np.ndarray, int]:
    samples, rate = sf.read(needs(path), dtype="float32")
    return samples[int(start_s * rate) : int(end_s * rate)], rate


def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, samples, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def aws_minute():
    """The first minute of the stereo call, its channels' own speech and its mono mix."""
    stereo, rate = excerpt(STEREO, 0.0, 60.0)
    left, right = stereo[:, 0], stereo[:, 1]
    reference = (
        speech_intervals(left, rate, other=right),
        speech_intervals(right, rate, other=left),
    )
    return reference, (left + right) / 2, rate


def test_mono_mix_is_split_like_the_stereo_channels(aws_minute):
    reference, mono, rate = aws_minute
    diarization = diarize_call(mono, rate, models=speaker_models())
    assert diarization.voices == 2
    error = speaker_error(reference, diarization.turns, len(mono) / rate)
    assert error["speaker error"] <= 8.0, error
    assert diarization.confidence >= 0.5


def test_mono_mix_roles_are_right_and_confident(models, aws_minute):
    reference, mono, rate = aws_minute
    report = analyze_call(wav_bytes(mono, rate), models=models, name="aws_minute_mono.wav")
    operator = [w for u in report.utterances if u.speaker == "operator" for w in u.words]
    inside = sum(
        max(0.0, min(w.end, b) - max(w.start, a)) for w in operator for a, b in reference[0]
    )
    assert inside / sum(w.end - w.start for w in operator) > 0.8  # the agent's words
    assert report.role_confidence >= 0.7
    assert report.scorecard.overall is not None


def test_one_voice_is_one_voice():
    samples, rate = excerpt(REALCALLS / "ru_silero_ru.wav", 0.0, 40.0)
    diarization = diarize_call(samples, rate, models=speaker_models())
    assert diarization.voices == 1
    assert not diarization.turns[1]


def test_a_conversation_without_an_operator_gets_no_confident_roles(models):
    report = analyze_call(needs(REALCALLS / "en_conv_azure_katiesteve.wav"), models=models)
    assert report.role_confidence < 0.5


def test_no_caller_word_is_the_agents_bleed(models):
    """Every caller word sits where the caller's channel is not drowned by the agent's.

    (The caller's "Hi, Michelle" at 7 s is at times heard as "I'm Michelle" by Whisper
    base; the agent's channel is silent there, so that is recognition, not bleed.)
    """
    stereo, rate = excerpt(STEREO, 0.0, 20.0)
    report = analyze_call(load_audio(wav_bytes(stereo, rate), name="aws_20s.wav"), models=models)
    agent_db = frame_levels_db(stereo[:, 0], rate)
    caller_db = frame_levels_db(stereo[:, 1], rate)
    caller_words = [w for u in report.utterances if u.speaker == "caller" for w in u.words]
    assert caller_words
    for word in caller_words:
        span = slice(int(word.start * 100), max(int(word.start * 100) + 1, int(word.end * 100)))
        assert np.median(agent_db[span] - caller_db[span]) < BLEED_DB, word
    operator = " ".join(u.text for u in report.utterances if u.speaker == "operator").lower()
    assert "thank you for calling" in operator and "michelle" in operator


def test_sales_call_roles_match_the_labelled_agent(models):
    """80-120 s: the agent pitches, the customer asks (100-113 s), the agent answers."""
    import json

    path = needs(REALCALLS / "en_call_azure_sales_call.wav")
    labels = json.loads(path.with_suffix(".diarized.json").read_text())["phrases"]
    samples, rate = excerpt(path, 80.0, 120.0)
    report = analyze_call(wav_bytes(samples, rate), models=models, name="sales_40s.wav")
    agent = [
        (p["offset"] / 1000 - 80, (p["offset"] + p["duration"]) / 1000 - 80)
        for p in labels
        if p["speaker"] == 0
    ]
    operator = [w for u in report.utterances if u.speaker == "operator" for w in u.words]
    inside = sum(max(0.0, min(w.end, b) - max(w.start, a)) for w in operator for a, b in agent)
    right = inside / max(sum(w.end - w.start for w in operator), 1e-9) > 0.5
    assert right or report.role_confidence < 0.5  # a wrong role is never confident
    assert right, report.role_confidence
