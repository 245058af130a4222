"""Reading calibration rounds: the records handed out, and agreement over stored scores.

No role checks here: :mod:`coaching.store.calibration` checks them before
calling in; ``coaching calibration report`` reads through
:func:`agreement_table` as the local system user.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.errors import StoreError
from coaching.scoring.agreement import (
    COACH_REVIEW,
    CriterionAgreement,
    criterion_agreement,
    level_of,
)
from coaching.serial import Serializable
from coaching.store.feedback_schema import (
    CalibrationCall,
    CalibrationCoach,
    CalibrationRound,
    CalibrationScore,
)
from coaching.store.schema import Call, Operator, Team, User


@dataclass(frozen=True)
class RoundSummary(Serializable):
    id: int
    title: str
    team: str
    created_by: str | None
    created_at: datetime
    calls: int
    coaches: tuple[str, ...]
    submitted: tuple[str, ...]  # coaches who submitted


@dataclass(frozen=True)
class RoundCall(Serializable):
    """One call of a round. ``others`` and ``auto`` are None while the viewer scores blind."""

    call_id: int
    operator: str
    call_time: datetime
    language: str | None
    criteria: tuple[tuple[str, str], ...]  # (id, label)
    mine: dict[str, int | None]
    others: dict[str, dict[str, int | None]] | None  # coach -> criterion -> level
    auto: dict[str, int | None] | None  # criterion -> auto-score level


@dataclass(frozen=True)
class RoundView(Serializable):
    summary: RoundSummary
    participant: bool
    submitted: bool
    calls: tuple[RoundCall, ...]


def round_row(session: Session, round_id: int) -> CalibrationRound:
    entry = session.get(CalibrationRound, round_id)
    if entry is None:
        raise StoreError(f"no calibration round {round_id}; list them with: coaching calibration")
    return entry


def _names(session: Session, ids) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


def round_summary(session: Session, entry: CalibrationRound) -> RoundSummary:
    people = list(
        session.scalars(select(CalibrationCoach).where(CalibrationCoach.round_id == entry.id))
    )
    names = _names(session, {p.coach_id for p in people} | {entry.created_by})
    calls = session.scalars(
        select(CalibrationCall.id).where(CalibrationCall.round_id == entry.id)
    ).all()
    return RoundSummary(
        id=entry.id,
        title=entry.title,
        team=session.get(Team, entry.team_id).name,
        created_by=names.get(entry.created_by),
        created_at=entry.created_at,
        calls=len(calls),
        coaches=tuple(sorted(names[p.coach_id] for p in people)),
        submitted=tuple(sorted(names[p.coach_id] for p in people if p.submitted_at)),
    )


def _criteria(call: Call) -> list[dict]:
    return list(((call.report or {}).get("scorecard") or {}).get("criteria", ()))


def auto_levels(call: Call) -> dict[str, int | None]:
    """The auto-score of each criterion of a stored call, on the 1..5 scale."""
    return {c["id"]: level_of(c.get("score")) for c in _criteria(call)}


def round_calls(
    session: Session, entry: CalibrationRound, *, viewer: User, blind: bool
) -> tuple[RoundCall, ...]:
    rows = session.execute(
        select(Call, Operator.name)
        .join(CalibrationCall, CalibrationCall.call_id == Call.id)
        .join(Operator, Operator.id == Call.operator_id)
        .where(CalibrationCall.round_id == entry.id)
        .order_by(Call.call_time, Call.id)
    ).all()
    scores = _submitted_or_mine(session, entry.id, viewer_id=viewer.id)
    names = _names(session, {s.coach_id for s in scores})
    by_call: dict[int, dict[str, dict[str, int | None]]] = defaultdict(lambda: defaultdict(dict))
    for s in scores:
        by_call[s.call_id][names[s.coach_id]][s.criterion_id] = s.level
    result = []
    for call, operator in rows:
        levels = by_call[call.id]
        result.append(
            RoundCall(
                call_id=call.id,
                operator=operator,
                call_time=call.call_time,
                language=call.language,
                criteria=tuple((c["id"], c.get("label", c["id"])) for c in _criteria(call)),
                mine=dict(levels.get(viewer.name, {})),
                others=None
                if blind
                else {n: dict(v) for n, v in levels.items() if n != viewer.name},
                auto=None if blind else auto_levels(call),
            )
        )
    return tuple(result)


def _submitted_or_mine(session: Session, round_id: int, *, viewer_id: int | None):
    """Scores of coaches who submitted, plus the viewer's own drafts."""
    submitted = select(CalibrationCoach.coach_id).where(
        CalibrationCoach.round_id == round_id, CalibrationCoach.submitted_at.is_not(None)
    )
    query = select(CalibrationScore).where(CalibrationScore.round_id == round_id)
    if viewer_id is None:
        query = query.where(CalibrationScore.coach_id.in_(submitted))
    else:
        query = query.where(
            CalibrationScore.coach_id.in_(submitted) | (CalibrationScore.coach_id == viewer_id)
        )
    return list(session.scalars(query.order_by(CalibrationScore.id)))


def agreement_table(session: Session, *, round_id: int | None = None) -> list[CriterionAgreement]:
    """Agreement per criterion over submitted scores of one round, or of all rounds."""
    rounds = [round_id] if round_id is not None else _all_rounds(session)
    if round_id is not None:
        round_row(session, round_id)
    coach_levels: dict[str, dict[int, dict[str, int | None]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    auto: dict[str, dict[int, int | None]] = defaultdict(dict)
    for number in rounds:
        scores = _submitted_or_mine(session, number, viewer_id=None)
        names = _names(session, {s.coach_id for s in scores})
        for s in scores:
            coach_levels[s.criterion_id][s.call_id][names[s.coach_id]] = s.level
        for call_id in {s.call_id for s in scores}:
            for criterion, level in auto_levels(session.get(Call, call_id)).items():
                auto[criterion][call_id] = level
    return [
        criterion_agreement(criterion, coach_levels[criterion], auto[criterion])
        for criterion in sorted(coach_levels)
    ]


def _all_rounds(session: Session) -> list[int]:
    return list(session.scalars(select(CalibrationRound.id).order_by(CalibrationRound.id)))


def trust_marks_in(session: Session) -> dict[str, str]:
    """criterion id -> trusted / coach review over every round; unlisted ones are unreviewed."""
    return {a.criterion_id: a.status for a in agreement_table(session)}


def trust_mark(marks: dict[str, str], criterion_id: str) -> str:
    """The mark a scorecard shows for one criterion (never calibrated: coach review)."""
    return marks.get(criterion_id, COACH_REVIEW)
