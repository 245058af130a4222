"""Wellbeing's view: exposure to abusive callers per operator, across teams.

Role-enforced like :mod:`coaching.store.access` (wellbeing and admin only);
the arithmetic is in :mod:`coaching.store.wellbeing`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.store.access import require_role, run_as
from coaching.store.audit import write_audit
from coaching.store.auth import SignedInUser
from coaching.store.calls import latest_verdicts
from coaching.store.db import Store
from coaching.store.derive import EXPOSURE_SPEAKER
from coaching.store.schema import AbuseFlagRow, Call, Operator, Team, User
from coaching.store.wellbeing import (
    ExposureEvent,
    ExposurePolicy,
    OperatorExposure,
    operator_exposure,
)


def exposure(
    store: Store,
    user: SignedInUser,
    *,
    now: datetime | None = None,
    policy: ExposurePolicy | None = None,
) -> tuple[OperatorExposure, ...]:
    """Per-operator exposure to abusive callers across teams (wellbeing and admin only)."""
    policy = policy or ExposurePolicy()

    def work(session: Session, actor: User, at: datetime) -> tuple[OperatorExposure, ...]:
        require_role(actor, ("wellbeing", "admin"), "see exposure across operators")
        window = timedelta(days=max(policy.days_shown, 7 * policy.weeks_shown) + 7)
        events = exposure_events(session, since=at - window)
        everyone = session.execute(
            select(Operator.name, Team.name).outerjoin(Team, Operator.team_id == Team.id)
        ).all()
        write_audit(session, actor=actor.name, action="view-exposure", now=at)
        return operator_exposure(events, now=at, policy=policy, operators=everyone)

    return run_as(store, user, work, action="view-exposure", now=now)


def exposure_events(session: Session, *, since: datetime) -> list[ExposureEvent]:
    """Caller abuse flags of calls since ``since``, with their latest verdicts (no role check)."""
    rows = session.execute(
        select(AbuseFlagRow, Call.call_time, Operator.name, Team.name)
        .join(Call, AbuseFlagRow.call_id == Call.id)
        .join(Operator, Call.operator_id == Operator.id)
        .outerjoin(Team, Operator.team_id == Team.id)
        .where(Call.call_time >= since, AbuseFlagRow.speaker == EXPOSURE_SPEAKER)
    ).all()
    verdicts = {
        call_id: latest_verdicts(session, call_id) for call_id in {r[0].call_id for r in rows}
    }
    return [
        ExposureEvent(
            operator=operator,
            team=team,
            call_id=flag.call_id,
            call_time=call_time,
            start_s=flag.start_s,
            end_s=flag.end_s,
            speaker=flag.speaker,
            category=flag.category,
            severity=flag.severity,
            verdict=verdicts[flag.call_id].get(flag.flag_index),
        )
        for flag, call_time, operator, team in rows
    ]
