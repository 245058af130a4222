"""Calibration rounds: coaches score the same calls blind, then see how far they agree.

Roles, checked here like in :mod:`coaching.store.access`:

- a coach starts a round on calls of their own team, an admin on any one team's
  calls; the participants are coaches of that team;
- a participant sees the round *blind* (their own levels only; neither the other
  coaches' levels nor the auto-score) until they submit;
- agreement is shown to admins, to coaches of the team who do not take part,
  and to participants once they submitted;
- operators and wellbeing staff see no rounds.

Reading for ``coaching calibration report`` (no sign-in, like the other store
commands) goes through :func:`agreement_table` over a plain session.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.errors import AccessDenied, StoreError
from coaching.scoring.agreement import LEVELS, CriterionAgreement
from coaching.store.access import require_role, run_as
from coaching.store.audit import write_audit
from coaching.store.auth import SignedInUser
from coaching.store.calibration_read import (  # noqa: F401  (records re-exported)
    RoundCall,
    RoundSummary,
    RoundView,
    agreement_table,
    round_calls,
    round_row,
    round_summary,
    trust_marks_in,
)
from coaching.store.calibration_start import STARTERS, start_round, team_coaches  # noqa: F401
from coaching.store.db import Store
from coaching.store.feedback_schema import CalibrationCall, CalibrationCoach, CalibrationRound
from coaching.store.feedback_schema import CalibrationScore as Score
from coaching.store.schema import Call, User


def _participant(session: Session, round_id: int, actor: User) -> CalibrationCoach | None:
    return session.scalars(
        select(CalibrationCoach).where(
            CalibrationCoach.round_id == round_id, CalibrationCoach.coach_id == actor.id
        )
    ).first()


def _round_for(session: Session, actor: User, round_id: int) -> CalibrationRound:
    """The round, if the actor may see it at all (admin, or a coach of its team)."""
    entry = round_row(session, round_id)
    require_role(actor, STARTERS, "see calibration rounds")
    if actor.role == "coach" and actor.team_id != entry.team_id:
        raise AccessDenied(f"{actor.name} may see calibration rounds of their own team only")
    return entry


def list_rounds(
    store: Store, user: SignedInUser, *, now: datetime | None = None
) -> list[RoundSummary]:
    """Rounds the user may see, newest first (coach: their team's; admin: all)."""

    def work(session: Session, actor: User, _at: datetime) -> list[RoundSummary]:
        require_role(actor, STARTERS, "see calibration rounds")
        query = select(CalibrationRound).order_by(CalibrationRound.id.desc())
        if actor.role == "coach":
            query = query.where(CalibrationRound.team_id == actor.team_id)
        return [round_summary(session, entry) for entry in session.scalars(query)]

    return run_as(store, user, work, action="list-calibration", now=now)


def open_round(
    store: Store, user: SignedInUser, round_id: int, *, now: datetime | None = None
) -> RoundView:
    """The round's calls and criteria; blind for a participant who has not submitted."""

    def work(session: Session, actor: User, _at: datetime) -> RoundView:
        entry = _round_for(session, actor, round_id)
        me = _participant(session, round_id, actor)
        blind = me is not None and me.submitted_at is None
        return RoundView(
            summary=round_summary(session, entry),
            participant=me is not None,
            submitted=me is not None and me.submitted_at is not None,
            calls=round_calls(session, entry, viewer=actor, blind=blind),
        )

    return run_as(store, user, work, action="open-calibration", now=now)


def score_call(
    store: Store,
    user: SignedInUser,
    round_id: int,
    call_id: int,
    *,
    levels: Mapping[str, int | None],
    now: datetime | None = None,
) -> None:
    """A participant's levels (1..5, None = not applicable) for criteria of one call."""
    bad = {k: v for k, v in levels.items() if v is not None and v not in LEVELS}
    if bad:
        raise StoreError(f"levels {bad} are outside the scale; use 1..5 or None (not applicable)")

    def work(session: Session, actor: User, at: datetime) -> None:
        me = _writable_participation(session, actor, round_id)
        in_round = session.scalars(
            select(CalibrationCall).where(
                CalibrationCall.round_id == round_id, CalibrationCall.call_id == call_id
            )
        ).first()
        if in_round is None:
            raise StoreError(f"call {call_id} is not in round {round_id}; score the round's calls")
        known = _criteria_ids(session.get(Call, call_id))
        unknown = sorted(set(levels) - known)
        if unknown:
            raise StoreError(f"call {call_id} has no criteria {unknown}; it has {sorted(known)}")
        for criterion, level in levels.items():
            _upsert(session, me, call_id, criterion, level, at)
        write_audit(
            session,
            actor=actor.name,
            action="calibration-score",
            call_id=call_id,
            target=str(round_id),
            detail={"criteria": sorted(levels)},
            now=at,
        )

    run_as(store, user, work, action="calibration-score", call_id=call_id, now=now)


def _writable_participation(session: Session, actor: User, round_id: int) -> CalibrationCoach:
    _round_for(session, actor, round_id)
    me = _participant(session, round_id, actor)
    if me is None:
        raise AccessDenied(f"{actor.name} does not take part in calibration round {round_id}")
    if me.submitted_at is not None:
        raise StoreError(f"{actor.name} already submitted round {round_id}; scores are final")
    return me


def _criteria_ids(call: Call | None) -> set[str]:
    scorecard = ((call.report if call else None) or {}).get("scorecard") or {}
    return {c["id"] for c in scorecard.get("criteria", ())}


def _upsert(
    session: Session, me: CalibrationCoach, call_id: int, criterion: str, level, at
) -> None:
    row = session.scalars(
        select(Score).where(
            Score.round_id == me.round_id,
            Score.call_id == call_id,
            Score.coach_id == me.coach_id,
            Score.criterion_id == criterion,
        )
    ).first()
    if row is None:
        row = Score(
            round_id=me.round_id, call_id=call_id, coach_id=me.coach_id, criterion_id=criterion
        )
        session.add(row)
    row.level = level
    row.scored_at = at


def submit_round(
    store: Store, user: SignedInUser, round_id: int, *, now: datetime | None = None
) -> None:
    """Make a participant's scores final; refused while a criterion of a call is unscored."""

    def work(session: Session, actor: User, at: datetime) -> None:
        me = _writable_participation(session, actor, round_id)
        given = set(
            session.execute(
                select(Score.call_id, Score.criterion_id).where(
                    Score.round_id == round_id, Score.coach_id == actor.id
                )
            ).all()
        )
        calls = session.scalars(
            select(CalibrationCall.call_id).where(CalibrationCall.round_id == round_id)
        )
        missing = [
            f"call {c}: {criterion}"
            for c in calls
            for criterion in sorted(_criteria_ids(session.get(Call, c)))
            if (c, criterion) not in given
        ]
        if missing:
            raise StoreError(
                f"score every criterion before submitting (or mark it not applicable); "
                f"missing: {'; '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}"
            )
        me.submitted_at = at
        write_audit(
            session, actor=actor.name, action="calibration-submit", target=str(round_id), now=at
        )

    run_as(store, user, work, action="calibration-submit", now=now)


def round_agreement(
    store: Store, user: SignedInUser, round_id: int, *, now: datetime | None = None
) -> list[CriterionAgreement]:
    """Agreement per criterion over the submitted scores (participants: after submitting)."""

    def work(session: Session, actor: User, _at: datetime) -> list[CriterionAgreement]:
        _round_for(session, actor, round_id)
        me = _participant(session, round_id, actor)
        if me is not None and me.submitted_at is None:
            raise AccessDenied(
                f"{actor.name} takes part in round {round_id}: submit your scores first, "
                "then the agreement is shown"
            )
        return agreement_table(session, round_id=round_id)

    return run_as(store, user, work, action="calibration-agreement", now=now)


def trust_marks(store: Store, user: SignedInUser, *, now: datetime | None = None) -> dict[str, str]:
    """criterion id -> "trusted" / "coach review" over all rounds (any signed-in role)."""
    return run_as(store, user, lambda s, _a, _t: trust_marks_in(s), action="trust-marks", now=now)
