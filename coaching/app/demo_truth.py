"""What a demo call really contains: the sample generator's truth, shipped beside each call.

The demo calls in ``demo_calls/`` were rendered by ``samples/`` (a checkout's generator);
their ``<stem>.truth.json`` lets ``coaching app --demo --quick`` build reports without the
speech models. This module only reads them; the generator writes them.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from coaching.errors import CoachingError
from coaching.serial import Serializable

TRUTH_SCHEMA = "sample-truth/1"
DEMO_CALLS_DIR = Path(__file__).resolve().parent / "demo_calls"
Interval = tuple[float, float]
Speaker = Literal["operator", "caller"]


@dataclass(frozen=True)
class TurnTruth(Serializable):
    """One rendered turn: where it sits in the call and what it holds."""

    index: int
    speaker: Speaker
    start: float
    end: float
    text: str
    words: int
    syllables: int
    level_dbfs: float
    abuse: str | None
    shout: bool
    redact: str | None


@dataclass(frozen=True)
class SpeakerTruth(Serializable):
    """One party over the whole call; times are the rendered (trimmed) turns."""

    speaker: Speaker
    turns: tuple[Interval, ...]
    speech_s: float
    words: int
    syllables: int
    words_per_minute: float
    syllables_per_second: float
    level_dbfs: float
    pitch_median_hz: float
    pitch_sd_semitones: float


@dataclass(frozen=True)
class LabelledSpan(Serializable):
    """A scripted turn with a label: an abuse category or a redaction kind."""

    turn: int
    start: float
    end: float
    category: str


@dataclass(frozen=True)
class CallTruth(Serializable):
    """Everything an analysis of the sample call should find, with its thresholds."""

    schema: str
    name: str
    language: str
    description: str
    layout: str  # "stereo" (left = operator, right = caller) or "mono" (the sum)
    sample_rate: int
    duration_s: float
    operator: SpeakerTruth
    caller: SpeakerTruth
    talk_share: float
    dead_air: tuple[Interval, ...]
    overtalk: tuple[Interval, ...]
    abuse: tuple[LabelledSpan, ...]
    redactions: tuple[LabelledSpan, ...]
    turns: tuple[TurnTruth, ...]
    expect: tuple[str, ...]
    dead_air_min_s: float
    overtalk_min_s: float
    generator_version: str
    script_sha256: str


def truth_path(audio_path: str | os.PathLike) -> Path:
    """``call.flac`` -> ``call.truth.json`` beside it."""
    path = Path(audio_path)
    return path.with_name(f"{path.stem}.truth.json")


def load_truth(audio_path: str | os.PathLike) -> CallTruth:
    """The :class:`CallTruth` written beside ``audio_path``."""
    source = truth_path(audio_path)
    if not source.exists():
        raise CoachingError(
            f"{audio_path}: no truth file {source.name} beside it; quick demo reports need the "
            "sample generator's truth (run without --quick to analyse the audio instead)"
        )
    return CallTruth.from_dict(json.loads(source.read_text(encoding="utf-8")))


def demo_call_paths() -> dict[str, Path]:
    """The demo calls shipped in the package, by name."""
    if not DEMO_CALLS_DIR.is_dir():
        return {}
    audio = (".wav", ".flac", ".ogg", ".opus")
    return {p.stem: p for p in sorted(DEMO_CALLS_DIR.iterdir()) if p.suffix in audio}
