"""Scoring a call against a rubric: 0-100 per criterion, a verdict, a weighted overall.

Inside the target range a criterion scores 100; the score falls linearly to 50
at one tolerance outside the range and to 0 at two. A criterion whose measure is
missing or unreliable is "n/a": it is shown with the reason and left out of the
overall score, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from coaching.scoring.measures import CRITERION_MEASURES, MEASURES, format_value
from coaching.scoring.messages import resolve_language, unit_text
from coaching.scoring.rubric import Criterion, Rubric, Target
from coaching.types import CallReport, CriterionScore, Scorecard

MIN_SCORED_WEIGHT = 0.5


def score_value(value: float, target: Target) -> float:
    """100 inside the range, 50 one tolerance outside it, 0 from two tolerances on."""
    return max(0.0, 100.0 - 50.0 * target.distance(value) / target.tolerance)


def verdict_for(score: float | None, rubric: Rubric) -> str:
    """``good``, ``watch`` or ``improve`` by the rubric's thresholds; ``n/a`` for no score."""
    if score is None:
        return "n/a"
    if score >= rubric.good_from:
        return "good"
    if score >= rubric.watch_from:
        return "watch"
    return "improve"


def target_text(target: Target, language: str) -> str:
    """The target range as people read it, e.g. ``120–150 wpm``, ``≥ 2.0 st``, ``≤ 5.0 s``."""
    unit = unit_text(MEASURES[target.metric].unit, language)
    low = None if target.low is None else format_value(target.low, target.metric, trim=True)
    high = None if target.high is None else format_value(target.high, target.metric, trim=True)
    if low is not None and high is not None:
        if low == high:
            text = low
        elif target.low is not None and target.low < 0:
            text = f"{low} … {high}"
        elif target.low == 0:
            text = f"≤ {high}"
        else:
            text = f"{low}–{high}"
    else:
        text = f"≥ {low}" if low is not None else f"≤ {high}"
    return f"{text} {unit}".strip() if unit != "%" else f"{text} %"


def score_criterion(
    report: CallReport, criterion: Criterion, rubric: Rubric, *, language: str
) -> CriterionScore:
    """One criterion of the rubric applied to the call."""
    label = criterion.label(language)
    target = criterion.target_for(report.language)
    if target is None:
        return CriterionScore(
            id=criterion.id,
            label=label,
            value=None,
            target="",
            score=None,
            weight=criterion.weight,
            verdict="n/a",
            reason=f"the rubric has no target for language '{report.language}'",
        )
    reading = MEASURES[target.metric].read(report, criterion)
    usable = reading.value is not None and reading.reliable
    score = round(score_value(reading.value, target), 1) if usable else None
    return CriterionScore(
        id=criterion.id,
        label=label,
        value=None if reading.value is None else round(reading.value, 2),
        target=target_text(target, language),
        score=score,
        weight=criterion.weight,
        verdict=verdict_for(score, rubric),
        reason=reading.reason,
        metric=target.metric,
        unit=MEASURES[target.metric].unit,
    )


def scored_weight_share(criteria: tuple[CriterionScore, ...]) -> float:
    """The share of the rubric's weight that the scored criteria carry."""
    rubric_weight = sum(c.weight for c in criteria if c.weight > 0)
    scored = sum(c.weight for c in criteria if c.score is not None and c.weight > 0)
    return scored / rubric_weight if rubric_weight else 0.0


def overall_score(criteria: tuple[CriterionScore, ...]) -> float | None:
    """Weight-averaged score of the scored criteria; None when they carry less than
    ``MIN_SCORED_WEIGHT`` of the rubric's weight (an overall on a sliver would mislead)."""
    scored = [c for c in criteria if c.score is not None and c.weight > 0]
    total_weight = sum(c.weight for c in scored)
    if total_weight == 0 or scored_weight_share(criteria) < MIN_SCORED_WEIGHT:
        return None
    return round(sum(c.score * c.weight for c in scored) / total_weight, 1)


def overall_with_overrides(
    scorecard: Scorecard, overrides: Mapping[str, float | None]
) -> float | None:
    """The overall after coaches' overrides (criterion id -> 0..100), by :func:`overall_score`."""
    criteria = tuple(
        replace(c, score=overrides[c.id]) if c.id in overrides else c for c in scorecard.criteria
    )
    return overall_score(criteria)


def score_call(report: CallReport, rubric: Rubric, *, language: str | None = None) -> Scorecard:
    """Score every criterion of ``rubric`` on the call; labels in ``language`` (default: call's)."""
    display = resolve_language(language, fallback=report.language)
    criteria = tuple(
        score_criterion(report, criterion, rubric, language=display)
        for criterion in rubric.criteria
    )
    overall = overall_score(criteria)
    basis, advice = scorecard_basis(report, criteria, overall)
    return Scorecard(
        overall=overall,
        criteria=criteria,
        rubric=rubric.name,
        language=display,
        basis=basis,
        advice=advice,
    )


def scorecard_basis(
    report: CallReport, criteria: tuple[CriterionScore, ...], overall: float | None
) -> tuple[str, str]:
    """What the overall rests on ("based on 7 of 10 criteria") or why there is none,
    and what would help score more of the rubric."""
    scored = sum(c.score is not None for c in criteria)
    share = scored_weight_share(criteria)
    weak = _weak_speakers(report)
    advice = ""
    if weak:
        advice = (
            "a stereo recording (one party per channel) or the operator's voice profile "
            "(--operator-profile) would let the speaker criteria be scored"
        )
    if overall is not None:
        return f"based on {scored} of {len(criteria)} criteria", advice
    reason = weak or (
        f"only {scored} of {len(criteria)} criteria could be scored "
        f"({share:.0%} of the rubric's weight)"
    )
    return f"no overall: {reason}", advice


def _weak_speakers(report: CallReport) -> str:
    if report.separation == "stereo":
        return ""
    threshold = float(report.provenance.options.get("min_separation_confidence", 0.5))
    if report.separation_confidence < threshold:
        return (
            "the two voices could not be told apart confidently: "
            f"{report.separation_confidence:.2f}"
        )
    if report.role_confidence < threshold:
        return (
            "which voice is the operator could not be told confidently: "
            f"{report.role_confidence:.2f}"
        )
    return ""


def measure_of(score: CriterionScore, language: str) -> str | None:
    """The measure a criterion was scored on.

    Scorecards record it; for reports written before they did, it is recognised by the
    unit its target text ends with.
    """
    if score.metric in MEASURES:
        return score.metric
    candidates = CRITERION_MEASURES.get(score.id, ())
    units = {metric: unit_text(MEASURES[metric].unit, language) for metric in candidates}
    for metric, unit in units.items():
        if unit and score.target.endswith(unit):
            return metric
    unitless = [metric for metric, unit in units.items() if not unit]
    return unitless[0] if unitless else next(iter(candidates), None)


def value_text(score: CriterionScore, language: str) -> str:
    """The criterion's value with its unit, e.g. ``168 wpm``; an em dash when there is none."""
    if score.value is None:
        return "—"
    metric = measure_of(score, language)
    if metric is None:
        return f"{score.value:g}"
    unit = unit_text(MEASURES[metric].unit, language)
    return f"{format_value(score.value, metric)} {unit}".strip()
