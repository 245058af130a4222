"""A readable, few-line summary of a call report for the terminal."""

from __future__ import annotations

from collections.abc import Iterable

from coaching.timing import clock
from coaching.types import CallReport, Interval, SpeakerMetrics


def format_summary(report: CallReport, *, omit_warnings: Iterable[str] = ()) -> str:
    """A few lines on the call; ``omit_warnings`` were already said (model fallbacks)."""
    lines = [
        f"{report.source}  {clock(report.duration_s)}  language {report.language}  "
        f"{_separation(report)}",
        _speaker_line("operator", report.metrics.operator),
        _speaker_line("caller", report.metrics.caller),
        _timing_line(report),
    ]
    if report.abuse:
        lines.append(
            "  abuse:    "
            + "; ".join(_flag(flag) for flag in report.abuse[:5])
            + (f" (+{len(report.abuse) - 5} more)" if len(report.abuse) > 5 else "")
        )
    if report.scorecard is not None:
        lines.append(_score_line(report))
    said = set(omit_warnings)
    lines += [f"  warning:  {warning}" for warning in report.warnings if warning not in said]
    return "\n".join(lines)


def _separation(report: CallReport) -> str:
    if report.separation == "stereo":
        return "stereo"
    return (
        f"mono, diarized (separation {report.separation_confidence:.2f}, "
        f"roles {report.role_confidence:.2f})"
    )


def _speaker_line(name: str, m: SpeakerMetrics) -> str:
    parts = [f"  {name:<9}"]
    if m.words_per_minute is not None:
        parts.append(f"{m.words_per_minute:.0f} wpm")
    if m.syllables_per_second is not None:
        parts.append(f"{m.syllables_per_second:.1f} syll/s")
    if m.talk_share is not None:
        parts.append(f"talk {m.talk_share:.0%}")
    if m.pitch_median_hz is not None:
        parts.append(f"pitch {m.pitch_median_hz:.0f} Hz, spread {m.pitch_sd_semitones:.1f} st")
    if m.loudness_dbfs is not None:
        parts.append(f"level {m.loudness_dbfs:.1f} dBFS")
    if m.sentiment_trend:
        parts.append(f"mood {m.sentiment_trend}")
    if not m.reliable:
        parts.append("(unreliable: weak speaker separation or roles)")
    return "  ".join(parts)


def _intervals(label: str, intervals: tuple[Interval, ...]) -> str:
    if not intervals:
        return f"{label} none"
    longest = max(intervals, key=lambda iv: iv[1] - iv[0])
    return (
        f"{label} {len(intervals)} (longest {longest[1] - longest[0]:.1f} s at {clock(longest[0])})"
    )


def _timing_line(report: CallReport) -> str:
    call = report.metrics.call
    overtalk = (
        _intervals("overtalk", call.overtalk) if call.overtalk_measured else "overtalk n/a (mono)"
    )
    if call.overtalk_estimated:
        overtalk += " (estimated from the mono mix)"
    latency = (
        f"{call.operator_response_latency_s:.1f} s"
        if call.operator_response_latency_s is not None
        else "n/a"
    )
    return (
        f"  timing:   {_intervals('dead air', call.dead_air)}; {overtalk}; "
        f"interruptions {call.interruptions_by_operator}; "
        f"longest monologue {call.longest_operator_monologue_s:.0f} s; response {latency}"
    )


def _flag(flag) -> str:
    from coaching.abuse import mask_term

    terms = ", ".join(mask_term(t) for t in flag.evidence.terms[:3])
    detail = f' "{terms}"' if terms else ""
    return f"{flag.speaker} {flag.category} at {clock(flag.start)}{detail} ({flag.severity:.1f})"


def _score_line(report: CallReport) -> str:
    card = report.scorecard
    overall = f"{card.overall:.0f}/100" if card.overall is not None else "n/a"
    if card.basis:
        overall += f" ({card.basis})"
    improve = [c.id for c in card.criteria if c.verdict == "improve"]
    good = [c.id for c in card.criteria if c.verdict == "good"]
    line = (
        f"  score:    {overall}; improve: {', '.join(improve) or 'nothing'}; "
        f"good: {', '.join(good) or 'none yet'}"
    )
    return line + (f"\n  would help: {card.advice}" if card.advice else "")
