"""Read-only records that the access functions hand to the app (no ORM objects leak out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coaching.serial import Serializable
from coaching.types import AbuseFlag, CallReport, Utterance


@dataclass(frozen=True)
class CallSummary(Serializable):
    """One line of a call list. ``overall_score`` is None for wellbeing staff."""

    id: int
    operator: str
    team: str | None
    call_time: datetime
    status: str
    duration_s: float | None
    language: str | None
    overall_score: float | None
    abusive_flag_count: int
    abusive_minutes: float
    max_severity: float | None
    abuse_categories: tuple[str, ...]
    audio_ref: str
    error: str | None = None


@dataclass(frozen=True)
class AnnotationView(Serializable):
    id: int
    author: str | None
    at_s: float | None
    text: str
    created_at: datetime


@dataclass(frozen=True)
class ScoreOverrideView(Serializable):
    criterion_id: str
    score: float
    reason: str
    author: str | None
    created_at: datetime


@dataclass(frozen=True)
class FlaggedSegment(Serializable):
    """One abuse flag with its latest review and the utterances it overlaps."""

    index: int
    flag: AbuseFlag
    verdict: str | None  # "confirmed", "rejected" or None (not reviewed)
    reviewer: str | None
    utterances: tuple[Utterance, ...]


@dataclass(frozen=True)
class CallView(Serializable):
    """An opened call, shaped by the viewer's role.

    Wellbeing staff get ``report=None``, no annotations or score overrides, and
    only the caller's flagged segments with the utterances they overlap: they
    look after exposure, not performance, so they see what the operator heard
    and nothing else of the call.
    """

    summary: CallSummary
    report: CallReport | None
    annotations: tuple[AnnotationView, ...]
    overrides: tuple[ScoreOverrideView, ...]  # latest per criterion
    segments: tuple[FlaggedSegment, ...]

    def effective_scores(self) -> dict[str, float | None]:
        """Criterion scores with the coaches' latest overrides applied."""
        if self.report is None or self.report.scorecard is None:
            return {}
        scores = {c.id: c.score for c in self.report.scorecard.criteria}
        scores.update({o.criterion_id: o.score for o in self.overrides})
        return scores


def overlapping(
    utterances: tuple[Utterance, ...], start: float, end: float
) -> tuple[Utterance, ...]:
    """The utterances that overlap ``[start, end]``."""
    return tuple(u for u in utterances if u.start < end and u.end > start)
