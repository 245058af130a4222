"""Audio for the review pages: the stored recording, bleeped copies, jump targets."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coaching.errors import CoachingError
from coaching.serial import Serializable
from coaching.text.redact import bleep
from coaching.timing import clock
from coaching.types import CallReport, CoachingNote, Interval

BLEEP_PAD_S = 0.1


class AudioMissing(CoachingError):
    """The call's recording is no longer where the store says it is."""


def recording_bytes(audio_ref: str) -> bytes:
    """The stored recording's bytes, or :class:`AudioMissing` saying what to do."""
    path = Path(audio_ref)
    if not path.is_file():
        raise AudioMissing(
            f"the recording {audio_ref} is missing (moved, purged or on another machine); "
            "the transcript and scores are still here"
        )
    return path.read_bytes()


def padded(spans: Sequence[Interval], *, pad_s: float = BLEEP_PAD_S) -> list[Interval]:
    """Spans widened by ``pad_s`` on each side (word timings are a little tight), from 0."""
    return [(max(0.0, start - pad_s), end + pad_s) for start, end in spans]


def bleeped_wav(data: bytes, spans: Sequence[Interval]) -> bytes:
    """The recording as WAV with ``spans`` (padded) bleeped (:func:`coaching.text.redact.bleep`)."""
    import soundfile as sf

    try:
        samples, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (RuntimeError, sf.LibsndfileError) as error:
        samples, rate = _decode_with_av(data, error)
    quiet = bleep(samples, rate, padded(spans))
    buffer = io.BytesIO()
    sf.write(buffer, quiet, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def _decode_with_av(data: bytes, error: Exception) -> tuple[np.ndarray, int]:
    try:
        from coaching.audio.decode import load_audio

        audio = load_audio(data, name="recording")
    except CoachingError as decode_error:
        raise AudioMissing(f"cannot decode the recording to bleep it: {error}") from decode_error
    channels = np.atleast_2d(np.asarray(audio.channels, dtype=np.float32))
    return channels.T, audio.sample_rate


@dataclass(frozen=True)
class JumpTarget(Serializable):
    """A moment the audio player can jump to."""

    kind: str  # "note", "flag", "annotation"
    at_s: float
    label: str
    icon: str = ":material/play_arrow:"

    @property
    def button_label(self) -> str:
        return f"{clock(self.at_s)} · {self.label}"


ICONS = {
    "flag": ":material/warning:",
    "strength": ":material/thumb_up:",
    "improve": ":material/lightbulb:",
    "annotation": ":material/edit_note:",
}


def _label(note: CoachingNote) -> str:
    return note.criterion.replace("_", " ")


def jump_targets(report: CallReport, *, lead_in_s: float = 0.5) -> list[JumpTarget]:
    """Notes and abuse flags of a call as jump targets, in time order."""
    targets = [
        JumpTarget("note", max(0.0, n.start - lead_in_s), _label(n), ICONS[n.kind])
        for n in report.notes
        if n.start is not None
    ]
    targets += [
        JumpTarget("flag", max(0.0, f.start - lead_in_s), f.category, ICONS["flag"])
        for f in report.abuse
    ]
    return sorted(targets, key=lambda t: t.at_s)
