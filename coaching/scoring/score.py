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


def overall_score(criteria: tuple[CriterionScore, ...]) -> float | None:
    """Weight-averaged score of the scored criteria; None when nothing could be scored."""
    scored = [c for c in criteria if c.score is not None and c.weight > 0]
    total_weight = sum(c.weight for c in scored)
    if total_weight == 0:
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
    return Scorecard(
        overall=overall_score(criteria),
        criteria=criteria,
        rubric=rubric.name,
        language=display,
    )


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
