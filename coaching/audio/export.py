"""Exported copies of a call's audio with the redacted numbers bleeped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from coaching.audio.decode import CallAudio
from coaching.text.redact import bleep, redacted_spans
from coaching.types import CallReport

PAD_S = 0.15  # Whisper's word times are a little tight; cover the whole spoken number


def redacted_audio(audio: CallAudio, report: CallReport) -> np.ndarray:
    """(channels, samples) of ``audio`` with every redacted span bleeped on every channel."""
    spans = [
        (max(0.0, start - PAD_S), end + PAD_S)
        for start, end, _ in redacted_spans(report.utterances, language=report.language)
    ]
    return np.stack([bleep(channel, audio.sample_rate, spans) for channel in audio.channels])


def write_redacted_audio(audio: CallAudio, report: CallReport, target: Path) -> Path:
    """Write the bleeped copy as 16-bit WAV at the analysis sample rate."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sf.write(target, redacted_audio(audio, report).T, audio.sample_rate, subtype="PCM_16")
    return target
