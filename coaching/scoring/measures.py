"""The numbers a rubric can score, read from a finished :class:`CallReport`.

Each measure knows its unit, how many digits are worth showing, what change is
meaningful between two calls (for personal trends), and how to read its value.
A reading carries ``reliable=False`` when the value depends on telling the two
speakers apart and the pipeline marked that separation as weak.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from coaching.scoring.courtesy import check_courtesy
from coaching.serial import Serializable
from coaching.types import CallReport, SpeakerMetrics

if TYPE_CHECKING:
    from coaching.scoring.rubric import Criterion

VOICE_CATEGORIES = ("shouting",)  # flags about the voice, not the words used


@dataclass(frozen=True)
class Reading(Serializable):
    """One measure's value in one call, or why there is none."""

    value: float | None
    reliable: bool = True
    reason: str = ""


@dataclass(frozen=True)
class Measure:
    """A scoreable number: its unit, display precision and how to read it."""

    id: str
    unit: str
    digits: int
    step: float  # the smallest change between calls worth calling a trend
    read: Callable[[CallReport, Criterion | None], Reading]


def _separation_note(report: CallReport) -> str:
    return (
        f"operator and caller could not be told apart reliably "
        f"(separation confidence {report.separation_confidence:.2f}, "
        f"role confidence {report.role_confidence:.2f})"
    )


def _speaker_reading(
    report: CallReport, speaker: SpeakerMetrics, value: float | None, what: str
) -> Reading:
    if value is None:
        return Reading(None, reason=f"no {what} was measured")
    if not speaker.reliable:
        return Reading(value, reliable=False, reason=_separation_note(report))
    return Reading(value)


def _operator(field: str, what: str, *, scale: float = 1.0):
    def read(report: CallReport, _criterion: Criterion | None = None) -> Reading:
        operator = report.metrics.operator
        value = getattr(operator, field)
        return _speaker_reading(report, operator, None if value is None else value * scale, what)

    return read


def _longest_dead_air(report: CallReport, _criterion: Criterion | None = None) -> Reading:
    lengths = [end - start for start, end in report.metrics.call.dead_air]
    return Reading(max(lengths, default=0.0))


def _dead_air_percent(report: CallReport, _criterion: Criterion | None = None) -> Reading:
    if report.duration_s <= 0:
        return Reading(None, reason="the call has no duration")
    total = sum(end - start for start, end in report.metrics.call.dead_air)
    return Reading(100.0 * total / report.duration_s)


def _needs_roles(report: CallReport, value: float | None, what: str) -> Reading:
    return _speaker_reading(report, report.metrics.operator, value, what)


def _overtalk_reading(report: CallReport, value: float) -> Reading:
    if not report.metrics.call.overtalk_measured:
        return Reading(None, reason="overtalk cannot be measured on a mono recording")
    reading = _needs_roles(report, value, "overtalk")
    if report.metrics.call.overtalk_estimated and reading.reliable and not reading.reason:
        return replace(reading, reason="estimated from the mono mix (overlapped speech)")
    return reading


def _overtalk_percent(report: CallReport, _criterion: Criterion | None = None) -> Reading:
    if report.duration_s <= 0:
        return Reading(None, reason="the call has no duration")
    total = sum(end - start for start, end in report.metrics.call.overtalk)
    return _overtalk_reading(report, 100.0 * total / report.duration_s)


def _overtalk_count(report: CallReport, _criterion: Criterion | None = None) -> Reading:
    return _overtalk_reading(report, float(len(report.metrics.call.overtalk)))


def _response_latency(report: CallReport, _criterion: Criterion | None = None) -> Reading:
    latency = report.metrics.call.operator_response_latency_s
    return _needs_roles(report, latency, "operator answer to a caller turn")


def _caller_sentiment_change(report: CallReport, _criterion: Criterion | None = None) -> Reading:
    """Genesys-style trend score: (end - start) / 2 of the caller's sentiment on -100..100."""
    caller = report.metrics.caller
    if caller.sentiment_start is None or caller.sentiment_end is None:
        return Reading(None, reason="no caller sentiment was measured")
    change = (caller.sentiment_end - caller.sentiment_start) / 2.0
    return _speaker_reading(report, caller, change, "caller sentiment")


def _operator_abuse_flags(report: CallReport, _criterion: Criterion | None = None) -> Reading:
    if report.provenance.options.get("detect_abuse", True) is False:
        return Reading(None, reason="abuse detection was switched off for this call")
    flags = [
        flag
        for flag in report.abuse
        if flag.speaker == "operator" and flag.category not in VOICE_CATEGORIES
    ]
    return _needs_roles(report, float(len(flags)), "operator wording")


def _courtesy_percent(report: CallReport, criterion: Criterion | None = None) -> Reading:
    if criterion is None:
        return Reading(None, reason="courtesy needs the rubric's phrase lists")
    phrases = criterion.phrases_for(report.language)
    if not phrases:
        return Reading(None, reason=f"the rubric has no courtesy phrases for '{report.language}'")
    operator = tuple(u for u in report.utterances if u.speaker == "operator")
    if not operator:
        return Reading(None, reason="the operator said nothing that was transcribed")
    check = check_courtesy(
        operator,
        phrases,
        opening_utterances=criterion.opening_utterances,
        closing_utterances=criterion.closing_utterances,
    )
    return _needs_roles(report, check.percent, "courtesy")


MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        Measure("words_per_minute", "wpm", 0, 10.0, _operator("words_per_minute", "speech rate")),
        Measure(
            "syllables_per_second",
            "syll/s",
            1,
            0.3,
            _operator("syllables_per_second", "speech rate"),
        ),
        Measure("loudness_dbfs", "dBFS", 1, 2.0, _operator("loudness_dbfs", "speech level")),
        Measure("pitch_sd_semitones", "st", 1, 0.5, _operator("pitch_sd_semitones", "pitch")),
        Measure("pitch_range_semitones", "st", 1, 1.0, _operator("pitch_range_semitones", "pitch")),
        Measure("talk_share_percent", "%", 0, 5.0, _operator("talk_share", "talk", scale=100.0)),
        Measure("longest_dead_air_s", "s", 1, 2.0, _longest_dead_air),
        Measure("dead_air_percent", "%", 1, 2.0, _dead_air_percent),
        Measure("overtalk_percent", "%", 1, 2.0, _overtalk_percent),
        Measure("overtalk_count", "count", 0, 1.0, _overtalk_count),
        Measure("response_latency_s", "s", 1, 0.5, _response_latency),
        Measure("courtesy_percent", "%", 0, 25.0, _courtesy_percent),
        Measure("caller_sentiment_change", "pts", 0, 20.0, _caller_sentiment_change),
        Measure("operator_abuse_flags", "count", 0, 1.0, _operator_abuse_flags),
    )
}

# Which measures each criterion may be scored on (the first is its default).
CRITERION_MEASURES: dict[str, tuple[str, ...]] = {
    "pace": ("syllables_per_second", "words_per_minute"),
    "volume": ("loudness_dbfs",),
    "pitch_variation": ("pitch_sd_semitones", "pitch_range_semitones"),
    "talk_share": ("talk_share_percent",),
    "dead_air": ("longest_dead_air_s", "dead_air_percent"),
    "overtalk": ("overtalk_percent", "overtalk_count"),
    "response_latency": ("response_latency_s",),
    "courtesy": ("courtesy_percent",),
    "caller_sentiment_trend": ("caller_sentiment_change",),
    "operator_language": ("operator_abuse_flags",),
}


def format_value(value: float, measure_id: str, *, trim: bool = False) -> str:
    """A value with the precision its measure deserves (no unit); ``trim``: 5 not 5.0."""
    digits = 0 if trim and value == int(value) else MEASURES[measure_id].digits
    text = f"{value:.{digits}f}"
    return "0" if text.strip("-0.") == "" else text.replace("-", "−")
