"""The chart data of one call, shared by the app's Altair charts and the HTML page's SVG.

Both draw the same records, so the app and a mailed scorecard cannot disagree
about who spoke when or how an utterance was delivered. Pure functions of the
report: no plotting library is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass

from coaching.serial import Serializable
from coaching.types import CallReport

LANES = ("operator", "caller", "dead air", "overtalk", "abuse flag")
DELIVERY_METRICS = (
    "pitch_median_hz",
    "loudness_dbfs",
    "syllables_per_second",
    "words_per_minute",
)
LABEL_CHARS = 60


@dataclass(frozen=True)
class TimelineSpan(Serializable):
    """A stretch of the call on one lane of the timeline.

    ``speaker`` says whose speech a span on the ``"abuse flag"`` lane was found in
    (empty on the other lanes, where the lane itself says it).
    """

    lane: str
    start: float
    end: float
    label: str = ""
    speaker: str = ""


@dataclass(frozen=True)
class DeliverySample(Serializable):
    """One delivery measure of one utterance, over the utterance's time in the call."""

    metric: str
    speaker: str
    start: float
    end: float
    value: float
    label: str = ""

    @property
    def middle(self) -> float:
        return round((self.start + self.end) / 2, 2)


def timeline_spans(report: CallReport) -> tuple[TimelineSpan, ...]:
    """Who spoke when, dead air, overtalk and abuse flags, as spans on lanes."""
    call = report.metrics.call
    speech = [
        TimelineSpan(u.speaker, u.start, u.end, u.text[:LABEL_CHARS]) for u in report.utterances
    ]
    dead_air = [
        TimelineSpan("dead air", s, e, f"{e - s:.1f} s of silence") for s, e in call.dead_air
    ]
    overtalk = [
        TimelineSpan("overtalk", s, e, f"{e - s:.1f} s both talking") for s, e in call.overtalk
    ]
    flags = [
        TimelineSpan("abuse flag", f.start, f.end, f"{f.category} ({f.speaker})", f.speaker)
        for f in report.abuse
    ]
    return (*speech, *dead_air, *overtalk, *flags)


def delivery_samples(report: CallReport) -> tuple[DeliverySample, ...]:
    """Pitch, loudness and pace (both measures) of each utterance that has them."""
    samples = []
    for utterance in report.utterances:
        if utterance.delivery is None:
            continue
        for metric in DELIVERY_METRICS:
            value = getattr(utterance.delivery, metric)
            if value is not None:
                samples.append(
                    DeliverySample(
                        metric,
                        utterance.speaker,
                        utterance.start,
                        utterance.end,
                        float(value),
                        utterance.text[:LABEL_CHARS],
                    )
                )
    return tuple(samples)
