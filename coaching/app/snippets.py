"""A short bleeped clip of a recording: what an exemplar lets an operator hear, nothing more."""

from __future__ import annotations

import io
from collections.abc import Sequence

import soundfile as sf

from coaching.app.audio import bleeped_wav
from coaching.types import Interval

LEAD_S = 0.3


def snippet_wav(data: bytes, start_s: float, end_s: float, spans: Sequence[Interval]) -> bytes:
    """WAV of ``[start_s, end_s]`` (with a short lead) of the recording, ``spans`` bleeped."""
    samples, rate = sf.read(io.BytesIO(bleeped_wav(data, spans)), dtype="int16", always_2d=True)
    first = max(0, int((start_s - LEAD_S) * rate))
    last = min(len(samples), int((end_s + LEAD_S) * rate))
    buffer = io.BytesIO()
    sf.write(buffer, samples[first:last], rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()
