"""Columns derived from a stored report: its abuse flags and the exposure they add up to.

Exposure counts the *caller's* flags only: an operator's own bad language is a
coaching matter, not abuse the operator suffered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from coaching.serial import Serializable
from coaching.timing import total_duration

EXPOSURE_SPEAKER = "caller"


@dataclass(frozen=True)
class FlagFacts(Serializable):
    """The parts of one abuse flag the store keeps as a row."""

    index: int
    start_s: float
    end_s: float
    speaker: str
    category: str
    severity: float


@dataclass(frozen=True)
class AbuseSummary(Serializable):
    """Caller abuse in one call, net of flags a coach rejected."""

    flag_count: int
    minutes: float
    max_severity: float | None
    categories: tuple[str, ...]


def flags_of(report: Mapping[str, Any]) -> tuple[FlagFacts, ...]:
    """The abuse flags of a report (as ``CallReport.to_dict()`` gives it), numbered in order."""
    return tuple(
        FlagFacts(
            index=index,
            start_s=flag["start"],
            end_s=flag["end"],
            speaker=flag["speaker"],
            category=flag["category"],
            severity=flag["severity"],
        )
        for index, flag in enumerate(report.get("abuse") or ())
    )


def abuse_summary(
    flags: Iterable[FlagFacts], *, rejected: frozenset[int] = frozenset()
) -> AbuseSummary:
    """Count, minutes, worst severity and categories of the caller flags not rejected."""
    counted = [
        flag for flag in flags if flag.speaker == EXPOSURE_SPEAKER and flag.index not in rejected
    ]
    return AbuseSummary(
        flag_count=len(counted),
        minutes=total_duration((flag.start_s, flag.end_s) for flag in counted) / 60.0,
        max_severity=max((flag.severity for flag in counted), default=None),
        categories=tuple(sorted({flag.category for flag in counted})),
    )
