"""Finding the moment in a call that a coaching note points at.

For something to improve it is the clearest example (the fastest operator
utterance for pace, the longest silence for dead air, the quietest stretch for
volume); for a strength it is a representative good one.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from coaching.scoring.courtesy import CourtesyCheck
from coaching.scoring.rubric import Target
from coaching.serial import Serializable
from coaching.timing import merge_intervals
from coaching.types import CallReport, Utterance

MIN_UTTERANCE_S = 1.0  # shorter utterances give noisy rates and levels
LONG_UTTERANCE_S = 2.5  # "a long explanation" for intonation notes


@dataclass(frozen=True)
class Moment(Serializable):
    start: float
    end: float
    value: float | None = None  # the measure at that moment, in the note's unit
    detail: str = ""  # e.g. the category of a flag


def _operator(report: CallReport) -> list[Utterance]:
    return sorted((u for u in report.utterances if u.speaker == "operator"), key=lambda u: u.start)


def _with_value(
    utterances: Sequence[Utterance], field: str, min_duration: float = MIN_UTTERANCE_S
) -> list[tuple[Utterance, float]]:
    pairs = [(u, getattr(u.delivery, field, None)) for u in utterances if u.delivery is not None]
    valued = [(u, v) for u, v in pairs if v is not None]
    long_enough = [(u, v) for u, v in valued if u.duration >= min_duration]
    return long_enough or valued


def _pick(
    pairs: list[tuple[Utterance, float]],
    kind: str,
    direction: str,
    target: Target | None = None,
) -> Moment | None:
    if not pairs:
        return None
    if kind == "strength":
        # A representative utterance: on target where one is, and typical of the call.
        on_target = [p for p in pairs if target is None or target.direction(p[1]) == "in"]
        pairs = on_target or pairs
        middle = statistics.median(v for _, v in pairs)
        utterance, value = min(pairs, key=lambda p: (abs(p[1] - middle), -p[0].duration))
    elif direction == "low":
        utterance, value = min(pairs, key=lambda p: p[1])
    else:
        utterance, value = max(pairs, key=lambda p: p[1])
    return Moment(utterance.start, utterance.end, value)


def _delivery_moment(field: str) -> Callable[..., Moment | None]:
    def find(report: CallReport, kind: str, direction: str, target: Target, **_: object):
        return _pick(_with_value(_operator(report), field), kind, direction, target)

    return find


def _pace(report: CallReport, kind: str, direction: str, target: Target, **_: object):
    return _pick(_with_value(_operator(report), target.metric), kind, direction, target)


def _pitch_variation(report: CallReport, kind: str, **_: object):
    # Per-utterance pitch spread, where the delivery stage provides it; otherwise the
    # longest operator utterance stands for "a long explanation".
    spread = _with_value(_operator(report), "pitch_sd_semitones", LONG_UTTERANCE_S)
    if spread:
        return _pick(spread, kind, "low" if kind == "improve" else "high")
    longest = max(_operator(report), key=lambda u: u.duration, default=None)
    return None if longest is None else Moment(longest.start, longest.end)


def _stretches(report: CallReport, speaker: str) -> list[tuple[float, float]]:
    """Runs of consecutive utterances by one speaker, as (start, end)."""
    runs: list[tuple[float, float]] = []
    previous = None
    for utterance in sorted(report.utterances, key=lambda u: u.start):
        if utterance.speaker == speaker and previous == speaker and runs:
            runs[-1] = (runs[-1][0], max(runs[-1][1], utterance.end))
        elif utterance.speaker == speaker:
            runs.append((utterance.start, utterance.end))
        previous = utterance.speaker
    return runs


def _talk_share(report: CallReport, kind: str, direction: str, **_: object):
    speaker = "operator" if kind == "improve" and direction == "high" else "caller"
    runs = _stretches(report, speaker)
    if not runs:
        return None
    start, end = max(runs, key=lambda run: run[1] - run[0])
    return Moment(start, end, end - start)


def _gaps(report: CallReport) -> list[tuple[float, float]]:
    """Silent gaps between everyone's speech (voice activity, else the utterances)."""
    covered = merge_intervals(
        [span for turns in report.turns for span in turns.intervals]
        or [(u.start, u.end) for u in report.utterances]
    )
    return [(before[1], after[0]) for before, after in pairwise(covered)]


def _dead_air(report: CallReport, kind: str, direction: str, **_: object):
    intervals = list(report.metrics.call.dead_air) or _gaps(report)
    if not intervals:
        return None
    start, end = max(intervals, key=lambda interval: interval[1] - interval[0])
    return Moment(start, end, end - start)


def _answer_gaps(report: CallReport) -> list[tuple[Utterance, float]]:
    """Operator utterances that answer a caller, with how long the caller waited."""
    ordered = sorted(report.utterances, key=lambda u: u.start)
    return [
        (current, max(0.0, current.start - previous.end))
        for previous, current in pairwise(ordered)
        if previous.speaker == "caller" and current.speaker == "operator"
    ]


def _response_latency(report: CallReport, kind: str, direction: str, target: Target, **_: object):
    return _pick(_answer_gaps(report), kind, direction, target)


def _overtalk(report: CallReport, kind: str, direction: str, **_: object):
    if kind == "improve" and report.metrics.call.overtalk:
        start, end = max(report.metrics.call.overtalk, key=lambda iv: iv[1] - iv[0])
        return Moment(start, end, end - start)
    answers = _answer_gaps(report)
    if not answers:
        return None
    utterance, gap = answers[0]
    return Moment(utterance.start, utterance.end, gap)


def _courtesy(report: CallReport, kind: str, courtesy: CourtesyCheck | None = None, **_: object):
    if courtesy is None or not courtesy.elements:
        return None
    if kind == "improve" and courtesy.missing:
        at = min(element.expected_at for element in courtesy.missing)
    elif courtesy.found:
        at = min(element.found_at for element in courtesy.found)
    else:
        return None
    return Moment(at, at)


def _caller_sentiment(report: CallReport, kind: str, **_: object):
    half = report.duration_s / 2
    scored = [
        (u, u.sentiment.score)
        for u in report.utterances
        if u.speaker == "caller" and u.sentiment is not None and u.start >= half
    ]
    return _pick(scored, "improve", "low" if kind == "improve" else "high")


def _operator_language(report: CallReport, kind: str, **_: object):
    speaker = "operator" if kind == "improve" else "caller"
    flags = sorted(
        (f for f in report.abuse if f.speaker == speaker and f.category != "shouting"),
        key=lambda f: f.start,
    )
    if not flags:
        return None
    return Moment(flags[0].start, flags[0].end, flags[0].severity, flags[0].category)


FINDERS: dict[str, Callable[..., Moment | None]] = {
    "pace": _pace,
    "volume": _delivery_moment("loudness_dbfs"),
    "pitch_variation": _pitch_variation,
    "talk_share": _talk_share,
    "dead_air": _dead_air,
    "overtalk": _overtalk,
    "response_latency": _response_latency,
    "courtesy": _courtesy,
    "caller_sentiment_trend": _caller_sentiment,
    "operator_language": _operator_language,
}


def find_moment(
    report: CallReport,
    criterion_id: str,
    *,
    kind: str,
    direction: str,
    target: Target,
    courtesy: CourtesyCheck | None = None,
) -> Moment | None:
    """The moment a note about ``criterion_id`` should point at, or None if there is none."""
    finder = FINDERS.get(criterion_id)
    if finder is None:
        return None
    return finder(report, kind=kind, direction=direction, target=target, courtesy=courtesy)
