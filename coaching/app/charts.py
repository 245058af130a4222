"""Chart data of one call and of an operator's calls over time, and their Altair specs.

Builders return :class:`ChartPoint` records and the call's
:class:`~coaching.report.timeline.TimelineSpan` records, the same ones the HTML
scorecard draws (tested without Streamlit); :func:`delivery_chart` and
:func:`timeline_chart` turn them into Altair charts for ``st.altair_chart``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coaching.report.timeline import LANES, TimelineSpan, delivery_samples
from coaching.report.timeline import timeline_spans as timeline_spans  # re-exported for the pages
from coaching.serial import Serializable
from coaching.types import CallReport

DELIVERY_SERIES = (
    ("pitch_median_hz", "Pitch (Hz)"),
    ("loudness_dbfs", "Loudness (dBFS)"),
    ("syllables_per_second", "Pace (syllables/s)"),
)
LANE_COLOURS = ("#4C78A8", "#9D755D", "#BAB0AC", "#F58518", "#E45756")


def speaker_scale():
    """The same colour per speaker as on the timeline."""
    import altair as alt

    return alt.Scale(domain=list(LANES[:2]), range=list(LANE_COLOURS[:2]))


@dataclass(frozen=True)
class ChartPoint(Serializable):
    """One value of one series at a time in the call (seconds) or on a date."""

    series: str
    speaker: str
    x: float | str
    value: float
    label: str = ""


def delivery_points(report: CallReport) -> list[ChartPoint]:
    """Pitch, loudness and pace of each utterance at its midpoint, per speaker."""
    titles = dict(DELIVERY_SERIES)
    return [
        ChartPoint(titles[s.metric], s.speaker, s.middle, s.value, s.label)
        for s in delivery_samples(report)
        if s.metric in titles
    ]


@dataclass(frozen=True)
class MetricTrend(Serializable):
    """One metric over an operator's calls, with their own baseline (median)."""

    metric: str
    title: str
    points: tuple[ChartPoint, ...]
    baseline: float | None


TREND_METRICS = (
    ("overall", "Overall score"),
    ("words_per_minute", "Pace (words/min)"),
    ("pitch_sd_semitones", "Pitch variation (semitones)"),
    ("loudness_dbfs", "Loudness (dBFS)"),
    ("talk_share", "Talk share"),
)


def metric_trends(calls: Sequence[tuple[str, CallReport]]) -> list[MetricTrend]:
    """Each trend metric per call (``(ISO call time, report)``, oldest first) and its median."""
    trends = []
    for metric, title in TREND_METRICS:
        points = tuple(
            ChartPoint(title, "operator", when, value)
            for when, report in calls
            if (value := _operator_value(report, metric)) is not None
        )
        trends.append(MetricTrend(metric, title, points, _median(p.value for p in points)))
    return [trend for trend in trends if trend.points]


def _operator_value(report: CallReport, metric: str) -> float | None:
    if metric == "overall":
        return report.scorecard.overall if report.scorecard else None
    operator = report.metrics.operator
    if not operator.reliable:
        return None
    value = getattr(operator, metric)
    return None if value is None else float(value)


def _median(values: Iterable[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def delivery_chart(points: Sequence[ChartPoint]):
    """Pitch, loudness and pace through the call, one small chart each, stacked."""
    import altair as alt

    charts = []
    for _, title in DELIVERY_SERIES:
        values = [p.to_dict() for p in points if p.series == title]
        if not values:
            continue
        charts.append(
            alt.Chart(alt.Data(values=values), title=title)
            .mark_line(point=True)
            .encode(
                x=alt.X("x:Q", title="time in call (s)"),
                y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
                color=alt.Color("speaker:N", title="speaker", scale=speaker_scale()),
                tooltip=["speaker:N", "x:Q", "value:Q", "label:N"],
            )
            .properties(height=130)
        )
    return alt.vconcat(*charts)


def timeline_chart(spans: Sequence[TimelineSpan], *, duration_s: float):
    """Lanes of speech, dead air, overtalk and flags along the call."""
    import altair as alt

    data = alt.Data(values=[s.to_dict() for s in spans])
    return (
        alt.Chart(data)
        .mark_bar(height=14)
        .encode(
            x=alt.X("start:Q", title="time in call (s)", scale=alt.Scale(domain=[0, duration_s])),
            x2="end:Q",
            y=alt.Y("lane:N", title=None, sort=list(LANES)),
            color=alt.Color(
                "lane:N", scale=alt.Scale(domain=list(LANES), range=list(LANE_COLOURS)), legend=None
            ),
            tooltip=["lane:N", "start:Q", "end:Q", "label:N"],
        )
        .properties(height=160)
    )


def trend_chart(trend: MetricTrend):
    """One metric across calls, with the operator's own median as a dashed rule."""
    import altair as alt

    data = alt.Data(values=[p.to_dict() for p in trend.points])
    line = (
        alt.Chart(data, title=trend.title)
        .mark_line(point=True)
        .encode(
            x=alt.X("x:T", title=None, axis=alt.Axis(format="%d %b", labelAngle=0)),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            tooltip=[alt.Tooltip("x:T", title="call", format="%Y-%m-%d %H:%M"), "value:Q"],
        )
    )
    if trend.baseline is None:
        return line.properties(height=200)
    rule = (
        alt.Chart(alt.Data(values=[{"baseline": trend.baseline}]))
        .mark_rule(strokeDash=[6, 4], color="#888")
        .encode(y="baseline:Q")
    )
    return alt.layer(line, rule, title=trend.title).properties(height=200)
