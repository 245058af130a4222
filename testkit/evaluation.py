"""Scoring abuse flags against a generated call's scripted truth (for bench and tests).

A scripted abusive turn is *found* when a caller flag of its category overlaps
it; a *false flag* is a caller flag that overlaps no scripted abusive turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coaching.serial import Serializable
from coaching.types import AbuseFlag

OVERLAP_SLACK_S = 0.5


@dataclass(frozen=True)
class FlagCheck(Serializable):
    scripted: int
    found: int
    missed: tuple[str, ...]  # "category at start-end"
    false_flags: tuple[str, ...]

    @property
    def recall(self) -> float | None:
        return self.found / self.scripted if self.scripted else None


def check_flags(flags: Sequence[AbuseFlag], scripted: Sequence) -> FlagCheck:
    """Compare caller ``flags`` with scripted spans (``.start``, ``.end``, ``.category``)."""
    caller = [flag for flag in flags if flag.speaker == "caller"]
    missed = [
        f"{span.category} at {span.start:.1f}-{span.end:.1f}"
        for span in scripted
        if not any(f.category == span.category and _overlaps(f, span) for f in caller)
    ]
    false = [
        f"{flag.category} at {flag.start:.1f}-{flag.end:.1f}"
        for flag in caller
        if not any(_overlaps(flag, span) for span in scripted)
    ]
    return FlagCheck(len(scripted), len(scripted) - len(missed), tuple(missed), tuple(false))


def _overlaps(flag: AbuseFlag, span) -> bool:
    return flag.start < span.end + OVERLAP_SLACK_S and span.start < flag.end + OVERLAP_SLACK_S
