"""Coaching notes: what went well and what to work on, each tied to a moment in the call.

Strengths come from criteria with a ``good`` verdict, things to work on from
``improve`` first, then ``watch``. Each note points at a moment found in the
call (see :mod:`coaching.scoring.moments`) and is written from the templates in
:mod:`coaching.scoring.note_texts` in the chosen language.
"""

from __future__ import annotations

from coaching.scoring.courtesy import CourtesyCheck, report_courtesy
from coaching.scoring.measures import MEASURES, format_value
from coaching.scoring.messages import (
    ABUSE_CATEGORIES,
    COURTESY_ACTIONS,
    clock,
    join_list,
    resolve_language,
    unit_text,
)
from coaching.scoring.moments import Moment, find_moment
from coaching.scoring.note_texts import TEMPLATES
from coaching.scoring.rubric import Criterion, Rubric, load_rubric
from coaching.types import CallReport, CoachingNote, CriterionScore, Scorecard

MAX_NOTES_PER_KIND = 3
SECONDS_AT = ("dead_air", "overtalk", "response_latency", "talk_share")
IMPROVING_TREND = 20.0  # Genesys: a change beyond +20 on -100..100 is an improvement


def coaching_notes(
    report: CallReport,
    scorecard: Scorecard,
    *,
    language: str | None = None,
    rubric: Rubric | None = None,
) -> tuple[CoachingNote, ...]:
    """Up to three strengths and three things to improve, in ``language`` (default: the card's).

    ``rubric`` must be the one the scorecard was made with (default: the shipped rubric).
    """
    language = resolve_language(language, fallback=scorecard.language)
    rubric = rubric or load_rubric()
    strengths = [c for c in scorecard.criteria if _worth_praising(c, report)]
    strengths.sort(key=lambda c: (-c.score, -c.weight))
    improvements = [c for c in scorecard.criteria if c.verdict in ("improve", "watch")]
    improvements.sort(key=lambda c: (c.verdict != "improve", c.score, -c.weight))
    notes = _notes(report, rubric, strengths, "strength", language)
    notes += _notes(report, rubric, improvements, "improve", language)
    return tuple(notes)


def _worth_praising(score: CriterionScore, report: CallReport) -> bool:
    if score.verdict != "good" or score.score is None:
        return False
    if score.id == "caller_sentiment_trend":
        return score.value is not None and score.value >= IMPROVING_TREND
    if score.id == "operator_language":  # only worth saying when the caller made it hard
        return any(flag.speaker == "caller" for flag in report.abuse)
    return True


def _notes(
    report: CallReport,
    rubric: Rubric,
    candidates: list[CriterionScore],
    kind: str,
    language: str,
) -> list[CoachingNote]:
    notes: list[CoachingNote] = []
    for score in candidates:
        criterion = rubric.criterion(score.id)
        note = None if criterion is None else _note(report, criterion, score, kind, language)
        if note is not None:
            notes.append(note)
        if len(notes) == MAX_NOTES_PER_KIND:
            break
    return notes


def _note(
    report: CallReport, criterion: Criterion, score: CriterionScore, kind: str, language: str
) -> CoachingNote | None:
    target = criterion.target_for(report.language)
    if target is None or score.value is None:
        return None
    direction = target.direction(score.value)
    if kind == "improve" and direction == "in":
        return None
    courtesy = _courtesy(report, criterion) if criterion.id == "courtesy" else None
    moment = find_moment(
        report,
        criterion.id,
        kind=kind,
        direction=direction,
        target=target,
        courtesy=courtesy,
    )
    if moment is None:
        return None
    key = f"{criterion.id}.strength" if kind == "strength" else f"{criterion.id}.{direction}"
    templates = TEMPLATES[language]
    template = templates.get(key) or (templates["generic.improve"] if kind == "improve" else None)
    if template is None:
        return None
    fields = _fields(score, target.metric, moment, courtesy, language)
    return CoachingNote(
        start=round(moment.start, 2),
        criterion=criterion.id,
        kind=kind,
        text=template.format(**fields),
    )


def _courtesy(report: CallReport, criterion: Criterion) -> CourtesyCheck:
    return report_courtesy(report, criterion)


def _fields(
    score: CriterionScore,
    metric: str,
    moment: Moment,
    courtesy: CourtesyCheck | None,
    language: str,
) -> dict[str, str]:
    if moment.value is None:
        at = ""
    elif score.id in SECONDS_AT:
        at = f"{moment.value:.1f}"
    else:
        at = format_value(moment.value, metric)
    actions = COURTESY_ACTIONS[language]
    elements = courtesy.elements if courtesy else ()
    return {
        "time": clock(moment.start),
        "at": at,
        "value": format_value(score.value, metric),
        "unit": unit_text(MEASURES[metric].unit, language),
        "target": score.target,
        "label": score.label,
        "missing": join_list(
            [_quoted(actions[e.element][0], e) for e in elements if e.found_at is None], language
        ),
        "found": join_list(
            [_quoted(actions[e.element][1], e) for e in elements if e.found_at is not None],
            language,
        ),
        "category": ABUSE_CATEGORIES[language].get(moment.detail, moment.detail),
    }


def _quoted(action: str, element) -> str:
    """The action, with the moment's words when the element has them (empathy, next steps)."""
    return f"{action} (“{element.quote}”)" if getattr(element, "quote", None) else action
