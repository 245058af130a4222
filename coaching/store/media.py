"""What a role may hear of a call, cut and checked in the data layer.

- operator (own calls), coach (team calls), admin: the whole recording, once
  its bytes hash to the analysed audio (see :mod:`.recordings`), with the redacted
  numbers (cards, expiry dates, security and one-time codes, phones) bleeped;
- wellbeing: only the caller's flagged spans, each with ``CONTEXT_S`` of
  context, as separate WAV clips, the flagged words bleeped unless the user
  asks for them unmasked (audit-logged); redacted numbers are bleeped always.
  Never the whole recording.

Every hearing is audit-logged, and so is a recording that no longer matches.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.errors import AccessDenied, CoachingError
from coaching.serial import Serializable
from coaching.store.access import call_for, run_as
from coaching.store.audit import write_audit
from coaching.store.auth import SignedInUser
from coaching.store.db import Store
from coaching.store.derive import EXPOSURE_SPEAKER
from coaching.store.recordings import AudioUnavailable, allowed_roots, verified_bytes
from coaching.store.schema import AbuseFlagRow, User
from coaching.timing import merge_intervals

CONTEXT_S = 1.0
BLEEP_PAD_S = 0.1
HEARING_ROLES = ("operator", "coach", "wellbeing", "admin")


@dataclass(frozen=True)
class AudioClip(Serializable):
    """A stretch of a call's audio: ``start_s``..``end_s`` of the call, as file bytes."""

    start_s: float
    end_s: float | None  # None: to the end (the whole recording)
    mime: str
    data: bytes = field(repr=False, metadata={"serialize": False})
    bleeped: tuple[tuple[float, float], ...] = ()  # call times bleeped in this clip


def call_audio(
    store: Store,
    user: SignedInUser,
    call_id: int,
    *,
    unmasked: bool = False,
    now: datetime | None = None,
) -> tuple[AudioClip, ...]:
    """The audio of one call the user may hear: the whole recording, or for wellbeing
    the flagged clips (bleeped unless ``unmasked``). Raises AudioUnavailable when the
    recording is gone or changed."""

    def work(session: Session, actor: User, at: datetime) -> tuple[AudioClip, ...]:
        if actor.role not in HEARING_ROLES:
            raise AccessDenied(f"{actor.name} ({actor.role}) may not hear calls")
        call, _, _ = call_for(session, actor, call_id, what="hear")
        try:
            data, path = verified_bytes(call.audio_ref, call.audio_sha256, allowed_roots(session))
        except AudioUnavailable:
            write_audit(session, actor=actor.name, action="audio-unavailable", call_id=call_id,
                        now=at)  # fmt: skip
            raise
        numbers = _number_spans(call.report)
        if actor.role == "wellbeing":
            clips = flagged_clips(
                data, _caller_spans(session, call_id), bleep=not unmasked, always=numbers
            )
        elif numbers:
            clips = (_bleeped_whole(data, numbers),)
        else:
            clips = (AudioClip(0.0, None, _mime(path.suffix), data),)
        detail = {"role": actor.role, "clips": len(clips), "unmasked": unmasked}
        write_audit(session, actor=actor.name, action="hear-call", call_id=call_id, now=at,
                    detail=detail)  # fmt: skip
        return clips

    return run_as(store, user, work, action="hear-call", call_id=call_id, now=now)


def _caller_spans(session: Session, call_id: int) -> list[tuple[float, float]]:
    rows = session.scalars(
        select(AbuseFlagRow)
        .where(AbuseFlagRow.call_id == call_id, AbuseFlagRow.speaker == EXPOSURE_SPEAKER)
        .order_by(AbuseFlagRow.start_s)
    )
    return [(row.start_s, row.end_s) for row in rows]


def _number_spans(report: dict | None) -> list[tuple[float, float]]:
    """Call times of the redacted numbers in a stored report."""
    from coaching.text.redact import redacted_spans
    from coaching.types import CallReport

    if not report:
        return []
    utterances = CallReport.from_dict(report).utterances
    return [(start, end) for start, end, _ in redacted_spans(utterances)]


def _bleeped_whole(data: bytes, spans: list[tuple[float, float]]) -> AudioClip:
    """The whole recording as WAV with ``spans`` (padded) bleeped."""
    samples, rate = decode(data)
    return _wav_clip(samples, rate, 0.0, None, spans)


def flagged_clips(
    data: bytes,
    spans: list[tuple[float, float]],
    *,
    bleep: bool,
    always: list[tuple[float, float]] = (),
    context_s: float = CONTEXT_S,
) -> tuple[AudioClip, ...]:
    """One WAV clip per group of flagged spans (with ``context_s`` either side); the
    ``always`` spans (redacted numbers) are bleeped whether or not ``bleep`` is set."""
    samples, rate = decode(data)
    duration = len(samples) / rate
    windows = merge_intervals(
        [(max(0.0, s - context_s), min(duration, e + context_s)) for s, e in spans]
    )
    bleeped = (list(spans) if bleep else []) + list(always)
    return tuple(
        _wav_clip(samples, rate, start, end, [(s, e) for s, e in bleeped if s < end and e > start])
        for start, end in windows
        if end > start
    )


def _wav_clip(
    samples: np.ndarray, rate: int, start: float, end: float | None, bleeped: list
) -> AudioClip:
    """``start``..``end`` (None: to the end) of the call as WAV, ``bleeped`` spans (call
    times, padded by ``BLEEP_PAD_S``) replaced by a tone."""
    import soundfile as sf

    from coaching.text.redact import bleep as bleep_spans

    piece = samples[int(start * rate) : None if end is None else int(end * rate)]
    if bleeped:
        local = [(max(0.0, s - start - BLEEP_PAD_S), e - start + BLEEP_PAD_S) for s, e in bleeped]
        piece = bleep_spans(piece, rate, local)
    buffer = io.BytesIO()
    sf.write(buffer, piece, rate, format="WAV", subtype="PCM_16")
    return AudioClip(start, end, "audio/wav", buffer.getvalue(), tuple(bleeped))


def decode(data: bytes) -> tuple[np.ndarray, int]:
    """Samples (frames × channels, float32) and rate of a recording's bytes."""
    import soundfile as sf

    try:
        samples, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
        return samples, rate
    except (RuntimeError, sf.LibsndfileError):
        pass
    from coaching.audio import load_audio

    try:
        audio = load_audio(data, name="recording")
    except CoachingError as error:
        raise AudioUnavailable(f"cannot decode the recording: {error}") from error
    channels = np.atleast_2d(np.asarray(audio.channels, dtype=np.float32))
    return channels.T, audio.sample_rate


def _mime(suffix: str) -> str:
    return {
        ".mp3": "audio/mpeg",
        ".ogg": "audio/ogg",
        ".opus": "audio/ogg",
        ".flac": "audio/flac",
        ".m4a": "audio/mp4",
        ".webm": "audio/webm",
    }.get(suffix.lower(), "audio/wav")
