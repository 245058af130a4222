"""Wellbeing's tables and chart data, from the store's per-operator exposure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coaching.serial import Serializable
from coaching.store.wellbeing import Alert, OperatorExposure

ALERT_ORDER = {"urgent": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class ExposureRow(Serializable):
    operator: str
    team: str
    abusive_calls_today: int
    threatening_today: int
    abusive_minutes_today: float
    abusive_calls_this_week: int
    abusive_minutes_this_week: float
    exposure_load: float
    alerts: int


def exposure_rows(exposures: Sequence[OperatorExposure]) -> list[ExposureRow]:
    """One row per operator, the most exposed (highest load) first."""
    rows = [
        ExposureRow(
            operator=e.operator,
            team=e.team or "",
            abusive_calls_today=e.today.abusive_calls,
            threatening_today=e.today.threat_calls,
            abusive_minutes_today=round(e.today.abusive_minutes, 1),
            abusive_calls_this_week=e.weeks[-1].abusive_calls if e.weeks else 0,
            abusive_minutes_this_week=round(e.weeks[-1].abusive_minutes, 1) if e.weeks else 0.0,
            exposure_load=round(e.load, 2),
            alerts=len(e.alerts),
        )
        for e in exposures
    ]
    return sorted(rows, key=lambda r: (-r.exposure_load, r.operator))


def sorted_alerts(exposures: Sequence[OperatorExposure]) -> list[Alert]:
    """Every alert, most urgent first."""
    alerts = [alert for e in exposures for alert in e.alerts]
    return sorted(alerts, key=lambda a: (ALERT_ORDER.get(a.level, 9), a.operator, a.rule))


@dataclass(frozen=True)
class PeriodPoint(Serializable):
    operator: str
    period: str
    abusive_calls: int
    abusive_minutes: float


def period_points(
    exposures: Sequence[OperatorExposure], *, weekly: bool = False
) -> list[PeriodPoint]:
    """Abusive calls and minutes per operator per day (or ISO week), oldest first."""
    return [
        PeriodPoint(e.operator, p.period, p.abusive_calls, round(p.abusive_minutes, 2))
        for e in exposures
        for p in (e.weeks if weekly else e.days)
    ]


def period_chart(points: Sequence[PeriodPoint], *, measure: str, title: str):
    """Stacked bars of ``measure`` per period, one colour per operator."""
    import altair as alt

    data = alt.Data(values=[p.to_dict() for p in points])
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("period:O", title=None),
            y=alt.Y(f"{measure}:Q", title=title),
            color=alt.Color("operator:N", title="operator"),
            tooltip=["operator:N", "period:O", f"{measure}:Q"],
        )
        .properties(height=220)
    )
