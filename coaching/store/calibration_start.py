"""Starting a calibration round: which calls, which coaches (roles as in
:mod:`coaching.store.calibration`: a coach on their own team's calls, an admin on
any one team's; the participants are active coaches of that team)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.errors import StoreError
from coaching.store.access import call_for, require_role, run_as
from coaching.store.audit import write_audit
from coaching.store.auth import SignedInUser
from coaching.store.db import Store
from coaching.store.feedback_schema import CalibrationCall, CalibrationCoach, CalibrationRound
from coaching.store.schema import Operator, Team, User

STARTERS = ("coach", "admin")


def team_coaches(
    store: Store, user: SignedInUser, *, now: datetime | None = None
) -> dict[str, list[str]]:
    """Team -> its active coaches, for picking a round's participants (coach: own team)."""

    def work(session: Session, actor: User, _at: datetime) -> dict[str, list[str]]:
        require_role(actor, STARTERS, "pick calibration coaches")
        query = (
            select(Team.name, User.name)
            .join(User, User.team_id == Team.id)
            .where(User.role == "coach", User.active)
            .order_by(Team.name, User.name)
        )
        if actor.role == "coach":
            query = query.where(Team.id == actor.team_id)
        found: dict[str, list[str]] = {}
        for team, coach in session.execute(query):
            found.setdefault(team, []).append(coach)
        return found

    return run_as(store, user, work, action="team-coaches", now=now)


def start_round(
    store: Store,
    user: SignedInUser,
    *,
    title: str,
    call_ids: Sequence[int],
    coaches: Sequence[str],
    now: datetime | None = None,
) -> int:
    """Start a round on ``call_ids`` (all of one team) scored by ``coaches`` of that team."""
    if not title.strip():
        raise StoreError("a calibration round needs a title, e.g. 'March week 2'")
    if not call_ids or len(set(coaches)) < 2:
        raise StoreError("pick at least one call and at least two coaches to compare")

    def work(session: Session, actor: User, at: datetime) -> int:
        require_role(actor, STARTERS, "start calibration rounds")
        team_id = _team_of_calls(session, actor, call_ids)
        participants = _coaches_of_team(session, coaches, team_id)
        entry = CalibrationRound(title=title.strip(), team_id=team_id, created_by=actor.id)
        entry.created_at = at
        session.add(entry)
        session.flush()
        session.add_all(CalibrationCall(round_id=entry.id, call_id=c) for c in set(call_ids))
        session.add_all(CalibrationCoach(round_id=entry.id, coach_id=p.id) for p in participants)
        write_audit(
            session,
            actor=actor.name,
            action="start-calibration",
            target=str(entry.id),
            detail={
                "calls": sorted(set(call_ids)),
                "coaches": sorted(p.name for p in participants),
            },
            now=at,
        )
        return entry.id

    return run_as(store, user, work, action="start-calibration", now=now)


def _team_of_calls(session: Session, actor: User, call_ids: Sequence[int]) -> int:
    teams = set()
    for call_id in call_ids:
        call, _, _ = call_for(session, actor, call_id, what="calibrate")
        if not (call.report or {}).get("scorecard"):
            raise StoreError(f"call {call_id} has no scorecard to calibrate; pick analysed calls")
        teams.add(session.get(Operator, call.operator_id).team_id)
    if None in teams or len(teams) != 1:
        raise StoreError("the calls of a round must all belong to one team; pick calls of one team")
    return teams.pop()


def _coaches_of_team(session: Session, names: Sequence[str], team_id: int) -> list[User]:
    people = list(session.scalars(select(User).where(User.name.in_(set(names)))))
    found = {p.name for p in people if p.role == "coach" and p.team_id == team_id and p.active}
    missing = sorted(set(names) - found)
    if missing:
        raise StoreError(
            f"{', '.join(missing)}: not active coaches of the round's team; "
            "pick coaches of the team whose calls are calibrated"
        )
    return people
