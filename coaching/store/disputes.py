"""Operators answer their scorecards: acknowledge one, or dispute a criterion; coaches resolve.

Roles, checked here like in :mod:`coaching.store.access`:

- operator: acknowledges and disputes scorecards of their own calls, reads their disputes;
- coach: reads their team's disputes and resolves them: *accept* overrides the
  criterion through :func:`coaching.store.review.record_override` (so every
  scorecard shows the new score), *decline* answers with a reply;
- admin: reads all disputes and the counts of every team;
- wellbeing: none of it (they look after exposure, not performance).

Every step is audit-logged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.errors import StoreError
from coaching.serial import Serializable
from coaching.store.access import call_for, require_role, run_as, visible_calls
from coaching.store.audit import write_audit
from coaching.store.auth import SignedInUser
from coaching.store.db import Store
from coaching.store.feedback_schema import ScorecardAcknowledgement as Ack
from coaching.store.feedback_schema import ScoreDispute
from coaching.store.review import record_override
from coaching.store.schema import Call, Operator, Team, User

READERS = ("operator", "coach", "admin")


@dataclass(frozen=True)
class DisputeView(Serializable):
    id: int
    call_id: int
    operator: str
    criterion_id: str
    comment: str
    raised_by: str | None
    created_at: datetime
    status: str  # open, accepted, declined
    resolved_by: str | None
    reply: str | None
    resolved_at: datetime | None


@dataclass(frozen=True)
class CallFeedback(Serializable):
    call_id: int
    acknowledged_at: datetime | None
    disputes: tuple[DisputeView, ...]


@dataclass(frozen=True)
class TeamFeedback(Serializable):
    team: str
    acknowledged: int
    open: int
    accepted: int
    declined: int


def _own_call(session: Session, actor: User, call_id: int, what: str) -> Call:
    require_role(actor, ("operator",), what)
    call, _, _ = call_for(session, actor, call_id, what=what)
    return call


def acknowledge_scorecard(
    store: Store, user: SignedInUser, call_id: int, *, now: datetime | None = None
) -> None:
    """The operator has read the scorecard of their call (saying so twice changes nothing)."""

    def work(session: Session, actor: User, at: datetime) -> None:
        _own_call(session, actor, call_id, "acknowledge the scorecard of")
        done = session.scalars(
            select(Ack).where(Ack.call_id == call_id, Ack.user_id == actor.id)
        ).first()
        if done is None:
            session.add(Ack(call_id=call_id, user_id=actor.id, created_at=at))
            write_audit(session, actor=actor.name, action="acknowledge", call_id=call_id, now=at)

    run_as(store, user, work, action="acknowledge", call_id=call_id, now=now)


def dispute_criterion(
    store: Store,
    user: SignedInUser,
    call_id: int,
    *,
    criterion_id: str,
    comment: str,
    now: datetime | None = None,
) -> int:
    """The operator disputes one criterion of their call's scorecard, saying why."""
    if not comment.strip():
        raise StoreError("say why the score is wrong, so the coach can check it")

    def work(session: Session, actor: User, at: datetime) -> int:
        call = _own_call(session, actor, call_id, "dispute the scorecard of")
        criteria = {
            c["id"] for c in ((call.report or {}).get("scorecard") or {}).get("criteria", ())
        }
        if criterion_id not in criteria:
            raise StoreError(f"call {call_id} has no criterion {criterion_id!r}")
        if _open_dispute(session, call_id, criterion_id) is not None:
            raise StoreError(
                f"{criterion_id} of call {call_id} is already disputed; wait for the coach"
            )
        row = ScoreDispute(
            call_id=call_id,
            criterion_id=criterion_id,
            raised_by=actor.id,
            comment=comment.strip(),
            created_at=at,
            status="open",
        )
        session.add(row)
        session.flush()
        write_audit(
            session,
            actor=actor.name,
            action="dispute",
            call_id=call_id,
            detail={"criterion": criterion_id, "dispute": row.id},
            now=at,
        )
        return row.id

    return run_as(store, user, work, action="dispute", call_id=call_id, now=now)


def _open_dispute(session: Session, call_id: int, criterion_id: str) -> ScoreDispute | None:
    return session.scalars(
        select(ScoreDispute).where(
            ScoreDispute.call_id == call_id,
            ScoreDispute.criterion_id == criterion_id,
            ScoreDispute.status == "open",
        )
    ).first()


def resolve_dispute(
    store: Store,
    user: SignedInUser,
    dispute_id: int,
    *,
    accept: bool,
    reply: str,
    score: float | None = None,
    now: datetime | None = None,
) -> DisputeView:
    """The coach accepts (overriding the criterion with ``score``, ``reply`` as the reason)
    or declines (``reply`` tells the operator why)."""
    if not reply.strip():
        raise StoreError("write a reply the operator can read")
    if accept and score is None:
        raise StoreError("accepting a dispute sets a new score: give one from 0 to 100")

    def work(session: Session, actor: User, at: datetime) -> DisputeView:
        require_role(actor, ("coach",), "resolve disputes")
        row = session.get(ScoreDispute, dispute_id)
        if row is None:
            raise StoreError(f"no dispute {dispute_id}; it may have been erased with its call")
        call_for(session, actor, row.call_id, what="resolve disputes of")
        if row.status != "open":
            raise StoreError(f"dispute {dispute_id} was already {row.status}")
        if accept:
            record_override(
                session, actor, row.call_id, criterion_id=row.criterion_id, score=score,
                reason=reply, at=at,
            )  # fmt: skip
        row.status = "accepted" if accept else "declined"
        row.resolved_by, row.reply, row.resolved_at = actor.id, reply.strip(), at
        write_audit(
            session,
            actor=actor.name,
            action=f"dispute-{row.status}",
            call_id=row.call_id,
            detail={"criterion": row.criterion_id, "dispute": row.id},
            now=at,
        )
        session.flush()
        return _views(session, [row])[0]

    return run_as(store, user, work, action="resolve-dispute", now=now)


def _views(session: Session, rows: list[ScoreDispute]) -> list[DisputeView]:
    ids = {r.raised_by for r in rows} | {r.resolved_by for r in rows}
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(ids - {None}))).all())
    operators = dict(
        session.execute(
            select(Call.id, Operator.name)
            .join(Operator, Operator.id == Call.operator_id)
            .where(Call.id.in_({r.call_id for r in rows}))
        ).all()
    )
    return [
        DisputeView(
            id=r.id,
            call_id=r.call_id,
            operator=operators.get(r.call_id, "?"),
            criterion_id=r.criterion_id,
            comment=r.comment,
            raised_by=names.get(r.raised_by),
            created_at=r.created_at,
            status=r.status,
            resolved_by=names.get(r.resolved_by),
            reply=r.reply,
            resolved_at=r.resolved_at,
        )
        for r in rows
    ]


def list_disputes(
    store: Store, user: SignedInUser, *, status: str | None = None, now: datetime | None = None
) -> list[DisputeView]:
    """Disputes the user may read, newest first: operator their own, coach their team's
    (the inbox, with ``status="open"``), admin all."""

    def work(session: Session, actor: User, _at: datetime) -> list[DisputeView]:
        require_role(actor, READERS, "read disputes")
        visible = visible_calls(actor).with_only_columns(Call.id)
        query = select(ScoreDispute).where(ScoreDispute.call_id.in_(visible))
        if status is not None:
            query = query.where(ScoreDispute.status == status)
        return _views(session, list(session.scalars(query.order_by(ScoreDispute.id.desc()))))

    return run_as(store, user, work, action="list-disputes", now=now)


def call_feedback(
    store: Store, user: SignedInUser, call_id: int, *, now: datetime | None = None
) -> CallFeedback:
    """Whether the call's operator acknowledged its scorecard, and its disputes."""

    def work(session: Session, actor: User, _at: datetime) -> CallFeedback:
        require_role(actor, READERS, "read scorecard feedback")
        call_for(session, actor, call_id, what="read feedback on")
        acks = session.scalars(select(Ack.created_at).where(Ack.call_id == call_id)).all()
        rows = session.scalars(
            select(ScoreDispute).where(ScoreDispute.call_id == call_id).order_by(ScoreDispute.id)
        ).all()
        return CallFeedback(call_id, min(acks, default=None), tuple(_views(session, list(rows))))

    return run_as(store, user, work, action="call-feedback", call_id=call_id, now=now)


def team_feedback(
    store: Store, user: SignedInUser, *, now: datetime | None = None
) -> list[TeamFeedback]:
    """Acknowledgements and disputes by state, per team (coach: own team; admin: all)."""

    def work(session: Session, actor: User, _at: datetime) -> list[TeamFeedback]:
        require_role(actor, ("coach", "admin"), "see feedback counts")
        visible = visible_calls(actor).with_only_columns(Call.id)
        team_of = select(Call.id, Team.name).join(Operator, Operator.id == Call.operator_id)
        team_of = team_of.join(Team, Team.id == Operator.team_id).where(Call.id.in_(visible))
        teams = dict(session.execute(team_of).all())
        acks = Counter(teams[c] for c in session.scalars(select(Ack.call_id)) if c in teams)
        states = Counter(
            (teams[c], s)
            for c, s in session.execute(select(ScoreDispute.call_id, ScoreDispute.status))
            if c in teams
        )
        return [
            TeamFeedback(
                team=name,
                acknowledged=acks[name],
                open=states[(name, "open")],
                accepted=states[(name, "accepted")],
                declined=states[(name, "declined")],
            )
            for name in sorted(set(teams.values()))
        ]

    return run_as(store, user, work, action="team-feedback", now=now)
