"""Each criterion per operator per week, against the operator's own baseline and the team median.

Pure functions over ``CriterionPoint`` records (one criterion score of one call).
The operator's baseline is the median of all their scores on that criterion;
the team median is the median of every team call's score that week. Weeks are
ISO weeks ("2024-W19"), so a week always starts on Monday.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from coaching.serial import Serializable


@dataclass(frozen=True)
class CriterionPoint(Serializable):
    operator: str
    call_time: datetime
    criterion: str
    score: float


@dataclass(frozen=True)
class WeekRow(Serializable):
    operator: str
    week: str
    criterion: str
    calls: int
    score: float  # the operator's median that week
    baseline: float  # the operator's median over every week
    team_median: float  # every team call that week
    vs_baseline: float
    vs_team: float


def iso_week(moment: datetime) -> str:
    """``2024-W19`` for any time in that ISO week."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_rows(points: Sequence[CriterionPoint]) -> list[WeekRow]:
    """One row per operator, week and criterion, oldest week first."""
    mine: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    everyone: dict[tuple[str, str], list[float]] = defaultdict(list)
    overall: dict[tuple[str, str], list[float]] = defaultdict(list)
    for p in points:
        week = iso_week(p.call_time)
        mine[(p.operator, week, p.criterion)].append(p.score)
        everyone[(week, p.criterion)].append(p.score)
        overall[(p.operator, p.criterion)].append(p.score)
    rows = []
    for (operator, week, criterion), scores in mine.items():
        score = median(scores)
        baseline = median(overall[(operator, criterion)])
        team = median(everyone[(week, criterion)])
        rows.append(
            WeekRow(
                operator,
                week,
                criterion,
                len(scores),
                score,
                baseline,
                team,
                score - baseline,
                score - team,
            )
        )
    return sorted(rows, key=lambda r: (r.week, r.criterion, r.operator))
