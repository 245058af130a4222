"""An operator's personal baseline: their own median per measure and its trend.

Comparing a call with the operator's own earlier calls is fairer than comparing
with a norm alone: a naturally quiet voice or a brisk pace shows up as "usual",
and what changes over time shows up as a trend.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from coaching.scoring.measures import MEASURES
from coaching.serial import Serializable
from coaching.types import CallReport

MIN_CALLS_FOR_TREND = 3
OVERALL = "overall_score"
OVERALL_STEP = 5.0
Trend = Literal["rising", "falling", "steady", "too few calls"]


@dataclass(frozen=True)
class MetricBaseline(Serializable):
    metric: str
    unit: str
    values: tuple[float, ...]  # reliable values only, oldest call first
    median: float | None
    trend: Trend
    change_per_call: float | None  # Theil-Sen slope over the calls


@dataclass(frozen=True)
class Baseline(Serializable):
    calls: int
    metrics: tuple[MetricBaseline, ...]

    def metric(self, metric_id: str) -> MetricBaseline | None:
        return next((m for m in self.metrics if m.metric == metric_id), None)


@dataclass(frozen=True)
class BaselineComparison(Serializable):
    metric: str
    unit: str
    value: float
    median: float
    difference: float
    position: Literal["above", "below", "usual"]
    trend: Trend


def _step(metric_id: str) -> float:
    return OVERALL_STEP if metric_id == OVERALL else MEASURES[metric_id].step


def _unit(metric_id: str) -> str:
    return "pts" if metric_id == OVERALL else MEASURES[metric_id].unit


def _value(report: CallReport, metric_id: str) -> float | None:
    if metric_id == OVERALL:
        return report.scorecard.overall if report.scorecard else None
    reading = MEASURES[metric_id].read(report, None)
    return reading.value if reading.reliable else None


def theil_sen_slope(values: Sequence[float]) -> float:
    """Median of the pairwise slopes: a trend that one odd call cannot swing."""
    slopes = [(values[j] - values[i]) / (j - i) for i, j in combinations(range(len(values)), 2)]
    return statistics.median(slopes)


def _trend(values: Sequence[float], step: float) -> tuple[Trend, float | None]:
    if len(values) < MIN_CALLS_FOR_TREND:
        return "too few calls", None
    slope = theil_sen_slope(values)
    change = slope * (len(values) - 1)
    if abs(change) < step:
        return "steady", slope
    return ("rising" if change > 0 else "falling"), slope


def personal_baseline(reports: Sequence[CallReport]) -> Baseline:
    """Median and trend of each measure over an operator's earlier reports (oldest first)."""
    metrics = []
    for metric_id in (*MEASURES, OVERALL):
        values = [v for v in (_value(report, metric_id) for report in reports) if v is not None]
        if not values:
            continue
        trend, slope = _trend(values, _step(metric_id))
        metrics.append(
            MetricBaseline(
                metric=metric_id,
                unit=_unit(metric_id),
                values=tuple(values),
                median=statistics.median(values),
                trend=trend,
                change_per_call=slope,
            )
        )
    return Baseline(calls=len(reports), metrics=tuple(metrics))


def compare_with_baseline(report: CallReport, baseline: Baseline) -> tuple[BaselineComparison, ...]:
    """Each measure of this call against the operator's own median."""
    comparisons = []
    for metric in baseline.metrics:
        value = _value(report, metric.metric)
        if value is None or metric.median is None:
            continue
        difference = value - metric.median
        if abs(difference) < _step(metric.metric):
            position = "usual"
        else:
            position = "above" if difference > 0 else "below"
        comparisons.append(
            BaselineComparison(
                metric=metric.metric,
                unit=metric.unit,
                value=value,
                median=metric.median,
                difference=difference,
                position=position,
                trend=metric.trend,
            )
        )
    return tuple(comparisons)
