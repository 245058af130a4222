"""What worked: calls where an upset or abusive caller ended calm, and the turn that did it.

A call qualifies when the caller starts upset (opening sentiment at or below
-20 on -100..100) and their sentiment trend (half the end-minus-start change,
as in :func:`coaching.text.sentiment.caller_trajectory`) is at least +20 with
no abuse after the rise, or when all of the caller's abuse falls in the first
half of the call. The turning point is where the caller's sentiment rose most: the split
of their utterances that maximises the mean after minus the mean before (for
abuse-only calls, the first caller turn after the last abuse). The exemplar
keeps the operator turns just before it, with the caller line before and the
calmer reply after: text redacted (numbers, and the flagged abusive words
masked), the snippet's time span with the spans to bleep, the topic and what
the operator did.

What the operator did comes from keyword cues (:mod:`.exemplar_cues`) unless
an ``ActionDetector`` is passed; an encoder-based courtesy head plugs in there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from coaching.scoring.exemplar_cues import ACTIONS, cues_in, topic_of
from coaching.serial import Serializable
from coaching.text.redact import redact_text, redacted_spans
from coaching.text.sentiment import caller_trajectory
from coaching.types import AbuseFlag, CallReport, Interval, Utterance

MIN_TREND = 20.0
UPSET = -20.0  # the caller starts upset: their opening sentiment at or below this
EARLY_SHARE = 0.5  # abuse "only early": every caller flag ends in the first half of the call
MASK = "***"
ActionDetector = Callable[[Sequence[Utterance], str], tuple[str, ...]]


@dataclass(frozen=True)
class ExemplarLine(Serializable):
    speaker: str
    start: float
    text: str


@dataclass(frozen=True)
class Exemplar(Serializable):
    source: str
    language: str
    topic: str
    reason: str  # "mood trend +45" or "abuse stopped"
    turn_at_s: float  # start of the operator turn before the caller calmed
    start_s: float  # the snippet to play, bleeped over bleep_spans
    end_s: float
    bleep_spans: tuple[Interval, ...]
    lines: tuple[ExemplarLine, ...]
    actions: tuple[str, ...]  # acknowledged, apologised, next step
    sentiment_before: float | None  # caller's mean before the turning point, -100..100
    sentiment_after: float | None


def keyword_actions(turns: Sequence[Utterance], language: str) -> tuple[str, ...]:
    """What the operator did in ``turns``, from the keyword cues in four languages."""
    return tuple(cues_in(" ".join(t.text for t in turns), ACTIONS, language))


def find_exemplars(
    report: CallReport, *, detect_actions: ActionDetector = keyword_actions
) -> tuple[Exemplar, ...]:
    """The call's de-escalation moment as an exemplar (empty when the call has none)."""
    ordered = sorted(report.utterances, key=lambda u: u.start)
    caller = [u for u in ordered if u.speaker == "caller" and u.text.strip()]
    if len(caller) < 2:
        return ()
    start, end, _ = caller_trajectory(ordered)
    trend = None if start is None or end is None else (end - start) / 2.0
    flags = [f for f in report.abuse if f.speaker == "caller"]
    early = bool(flags) and max(f.end for f in flags) <= EARLY_SHARE * report.duration_s
    split, reason = None, ""
    upset = start is not None and start <= UPSET
    if upset and trend is not None and trend >= MIN_TREND:
        split, reason = _rise(caller), f"mood trend {trend:+.0f}"
        if split is not None and any(f.end > caller[split].start for f in flags):
            split = None  # still abusive after the "rise": not calm at the end
    if split is None and early:
        split, reason = _after_abuse(caller, flags), "abuse stopped"
    if split is None:
        return ()
    return (_exemplar(report, ordered, caller, split, reason, flags, detect_actions),)


def _score(utterance: Utterance) -> float | None:
    return None if utterance.sentiment is None else 100.0 * utterance.sentiment.score


def _mean(values: Sequence[float | None]) -> float | None:
    given = [v for v in values if v is not None]
    return sum(given) / len(given) if given else None


def _rise(caller: Sequence[Utterance]) -> int | None:
    """Index of the first caller utterance after the largest rise in mean sentiment."""
    best, best_gain = None, 0.0
    for k in range(1, len(caller)):
        before, after = (
            _mean([_score(u) for u in caller[:k]]),
            _mean([_score(u) for u in caller[k:]]),
        )
        if before is not None and after is not None and after - before > best_gain:
            best, best_gain = k, after - before
    return best


def _after_abuse(caller: Sequence[Utterance], flags: Sequence[AbuseFlag]) -> int | None:
    last = max(f.end for f in flags)
    return next((k for k, u in enumerate(caller) if k > 0 and u.start >= last - 1e-6), None)


def _exemplar(
    report: CallReport,
    ordered: Sequence[Utterance],
    caller: Sequence[Utterance],
    split: int,
    reason: str,
    flags: Sequence[AbuseFlag],
    detect_actions: ActionDetector,
) -> Exemplar:
    upset, calmer = caller[split - 1], caller[split]
    turns = [u for u in ordered if u.speaker == "operator" and upset.start < u.start < calmer.start]
    if not turns:
        turns = [u for u in ordered if u.speaker == "operator" and u.start < calmer.start][-1:]
    window = [u for u in ordered if upset.start <= u.start <= calmer.start]
    start_s, end_s = upset.start, calmer.end
    bleeps = [(s, e) for s, e, _ in redacted_spans(window, language=report.language)]
    bleeps += [(f.start, f.end) for f in flags if f.start < end_s and f.end > start_s]
    return Exemplar(
        source=report.source,
        language=report.language,
        topic=topic_of([u.text for u in ordered], report.language),
        reason=reason,
        turn_at_s=turns[0].start if turns else calmer.start,
        start_s=start_s,
        end_s=end_s,
        bleep_spans=tuple(sorted(bleeps)),
        lines=tuple(
            ExemplarLine(u.speaker, u.start, _clean(u, report.abuse, report.language))
            for u in window
        ),
        actions=detect_actions(turns, report.language),
        sentiment_before=_mean([_score(u) for u in caller[:split]]),
        sentiment_after=_mean([_score(u) for u in caller[split:]]),
    )


def _clean(utterance: Utterance, flags: Sequence[AbuseFlag], language: str) -> str:
    """Numbers redacted and the flagged abusive terms masked."""
    text = redact_text(utterance.text, language=language)
    for flag in flags:
        if (
            flag.speaker == utterance.speaker
            and flag.start < utterance.end
            and flag.end > utterance.start
        ):
            for term in flag.evidence.terms:
                if term and term != MASK:
                    text = re.sub(re.escape(term), MASK, text, flags=re.IGNORECASE)
    return text
