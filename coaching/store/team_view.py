"""Scores per criterion for the team view (coach: their team; admin: every team or one).

Each analysed call gives one point per scored criterion, with the coaches'
latest override applied. Operators and wellbeing staff get no team view:
operators see their own trend on My calls, wellbeing staff see no scores.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.scoring.team_trends import CriterionPoint, WeekRow, weekly_rows
from coaching.store.access import require_role, run_as, visible_calls
from coaching.store.auth import SignedInUser
from coaching.store.db import Store
from coaching.store.schema import Call, ScoreOverride, Team, User


def _overrides(session: Session, call_ids: set[int]) -> dict[tuple[int, str], float]:
    rows = session.scalars(
        select(ScoreOverride).where(ScoreOverride.call_id.in_(call_ids)).order_by(ScoreOverride.id)
    )
    return {(r.call_id, r.criterion_id): r.score for r in rows}  # the latest one wins


def team_weeks(
    store: Store,
    user: SignedInUser,
    *,
    team: str | None = None,
    now: datetime | None = None,
) -> list[WeekRow]:
    """Each criterion per operator per week vs their baseline and the team median."""

    def work(session: Session, actor: User, _at: datetime) -> list[WeekRow]:
        require_role(actor, ("coach", "admin"), "see the team view")
        query = visible_calls(actor).where(Call.status == "analysed")
        if team is not None:
            query = query.where(Team.name == team)
        rows = session.execute(query).all()
        overrides = _overrides(session, {call.id for call, _, _ in rows})
        points = []
        for call, operator, _team in rows:
            scorecard = (call.report or {}).get("scorecard") or {}
            for criterion in scorecard.get("criteria", ()):
                score = overrides.get((call.id, criterion["id"]), criterion.get("score"))
                if score is not None:
                    points.append(CriterionPoint(operator, call.call_time, criterion["id"], score))
        return weekly_rows(points)

    return run_as(store, user, work, action="team-view", now=now)
