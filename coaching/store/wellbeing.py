"""Exposure to abusive callers per operator: daily and weekly counts, a decaying load, alerts.

Pure functions over :class:`ExposureEvent` records (one per abuse flag), so
they are tested with fixed clocks. What counts:

- only the caller's flags (an operator's own language is a coaching matter);
- flags a coach *rejected* do not count; confirmed flags count, and so do
  flags nobody reviewed yet: wellbeing errs on the side of the operator, and
  waiting for a review would delay a needed break;
- a call is *abusive* when at least one flag counts, *threatening* when one of
  its counted flags is a threat; abusive minutes are the union of the counted
  flags' spans, so overlapping flags count once;
- the exposure load adds ``category weight × severity`` per flag, halved
  every ``half_life_hours`` since the flag happened (call time + flag start).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from coaching.serial import Serializable
from coaching.store.derive import EXPOSURE_SPEAKER
from coaching.timing import total_duration


@dataclass(frozen=True)
class ExposureEvent(Serializable):
    operator: str
    team: str | None
    call_id: int
    call_time: datetime
    start_s: float
    end_s: float
    speaker: str
    category: str
    severity: float
    verdict: str | None = None  # "confirmed", "rejected" or None (not reviewed)

    @property
    def happened_at(self) -> datetime:
        return self.call_time + timedelta(seconds=self.start_s)


Metric = Literal["abusive_calls_today", "threat_calls_today", "abusive_minutes_today", "load"]


@dataclass(frozen=True)
class AlertRule(Serializable):
    id: str
    metric: Metric
    threshold: float
    message: str  # formatted with {value}
    level: Literal["info", "warning", "urgent"] = "warning"


DEFAULT_RULES = (
    AlertRule(
        "threats-today",
        "threat_calls_today",
        3,
        "{value:.0f} threatening calls today: suggest a break",
        "urgent",
    ),
    AlertRule(
        "abusive-calls-today",
        "abusive_calls_today",
        5,
        "{value:.0f} abusive calls today: check in and offer a break",
    ),
    AlertRule(
        "abusive-minutes-today",
        "abusive_minutes_today",
        10,
        "{value:.1f} minutes of abuse today: check in",
    ),
    AlertRule(
        "exposure-load",
        "load",
        6.0,
        "exposure load {value:.1f} over the last days: lighten the queue",
    ),
)
DEFAULT_WEIGHTS = {
    "threat": 3.0,
    "harassment": 2.0,
    "insult": 1.5,
    "profanity": 1.0,
    "shouting": 1.0,
}


@dataclass(frozen=True)
class ExposurePolicy(Serializable):
    half_life_hours: float = 72.0
    category_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    rules: tuple[AlertRule, ...] = DEFAULT_RULES
    threat_categories: tuple[str, ...] = ("threat",)
    time_zone: str = "UTC"  # days and ISO weeks are counted in this zone
    days_shown: int = 14
    weeks_shown: int = 8


@dataclass(frozen=True)
class PeriodExposure(Serializable):
    """One day (``period`` = ISO date) or ISO week (``period`` = ``2024-W18``)."""

    period: str
    abusive_calls: int
    threat_calls: int
    abusive_minutes: float


@dataclass(frozen=True)
class Alert(Serializable):
    operator: str
    rule: str
    level: str
    value: float
    threshold: float
    message: str


@dataclass(frozen=True)
class OperatorExposure(Serializable):
    operator: str
    team: str | None
    days: tuple[PeriodExposure, ...]  # oldest first, today last, zero-filled
    weeks: tuple[PeriodExposure, ...]
    load: float
    alerts: tuple[Alert, ...]

    @property
    def today(self) -> PeriodExposure:
        return self.days[-1]


def counted(events: Iterable[ExposureEvent]) -> list[ExposureEvent]:
    """The events that count as exposure: caller flags not rejected by a coach."""
    return [e for e in events if e.speaker == EXPOSURE_SPEAKER and e.verdict != "rejected"]


def exposure_load(
    events: Iterable[ExposureEvent], *, now: datetime, policy: ExposurePolicy
) -> float:
    """Severity-weighted exposure, each flag decaying with the policy's half-life."""
    total = 0.0
    for event in counted(events):
        age_hours = (now - event.happened_at).total_seconds() / 3600.0
        if age_hours < 0:
            continue
        weight = policy.category_weights.get(event.category, 1.0)
        total += weight * event.severity * 0.5 ** (age_hours / policy.half_life_hours)
    return total


def exposure_by_period(
    events: Iterable[ExposureEvent],
    *,
    period_of: Callable[[datetime], str],
    periods: Iterable[str],
    policy: ExposurePolicy,
) -> tuple[PeriodExposure, ...]:
    """Abusive calls, threatening calls and abusive minutes per period, zero-filled."""
    by_call: dict[int, list[ExposureEvent]] = defaultdict(list)
    for event in counted(events):
        by_call[event.call_id].append(event)
    totals: dict[str, list[float]] = {period: [0, 0, 0.0] for period in periods}
    for call_events in by_call.values():
        period = period_of(call_events[0].call_time)
        if period not in totals:
            continue
        totals[period][0] += 1
        if any(e.category in policy.threat_categories for e in call_events):
            totals[period][1] += 1
        totals[period][2] += total_duration((e.start_s, e.end_s) for e in call_events) / 60.0
    return tuple(
        PeriodExposure(period=p, abusive_calls=int(c), threat_calls=int(t), abusive_minutes=m)
        for p, (c, t, m) in totals.items()
    )


def alerts_for(
    operator: str, *, today: PeriodExposure, load: float, policy: ExposurePolicy
) -> tuple[Alert, ...]:
    """The policy's alerts whose threshold this operator reached."""
    values = {
        "abusive_calls_today": today.abusive_calls,
        "threat_calls_today": today.threat_calls,
        "abusive_minutes_today": today.abusive_minutes,
        "load": load,
    }
    return tuple(
        Alert(
            operator=operator,
            rule=rule.id,
            level=rule.level,
            value=values[rule.metric],
            threshold=rule.threshold,
            message=rule.message.format(value=values[rule.metric]),
        )
        for rule in policy.rules
        if values[rule.metric] >= rule.threshold
    )


def operator_exposure(
    events: Iterable[ExposureEvent],
    *,
    now: datetime,
    policy: ExposurePolicy | None = None,
    operators: Iterable[tuple[str, str | None]] = (),
) -> tuple[OperatorExposure, ...]:
    """Exposure of every operator with events (and of ``operators``, zero if none), by name."""
    policy = policy or ExposurePolicy()
    zone = ZoneInfo(policy.time_zone)
    today = now.astimezone(zone).date()
    days = [(today - timedelta(days=n)).isoformat() for n in range(policy.days_shown - 1, -1, -1)]
    weeks = sorted({_week(today - timedelta(weeks=n)) for n in range(policy.weeks_shown)})
    grouped: dict[str, list[ExposureEvent]] = defaultdict(list)
    teams = dict(operators)
    for event in events:
        grouped[event.operator].append(event)
        teams.setdefault(event.operator, event.team)
    result = []
    for name in sorted(set(grouped) | set(teams)):
        mine = grouped.get(name, [])
        daily = exposure_by_period(
            mine,
            period_of=lambda t: t.astimezone(zone).date().isoformat(),
            periods=days,
            policy=policy,
        )
        weekly = exposure_by_period(
            mine, period_of=lambda t: _week(t.astimezone(zone).date()), periods=weeks, policy=policy
        )
        load = exposure_load(mine, now=now, policy=policy)
        alerts = alerts_for(name, today=daily[-1], load=load, policy=policy)
        result.append(
            OperatorExposure(
                operator=name,
                team=teams.get(name),
                days=daily,
                weeks=weekly,
                load=load,
                alerts=alerts,
            )
        )
    return tuple(result)


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
