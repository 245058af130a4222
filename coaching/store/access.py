"""Role-enforced reading of calls: the only way the app should see stored data.

Every function takes the :class:`SignedInUser` and checks, inside the data
layer, that the session is live and that the user's *current* role and team
(re-read from the store) allow the request:

- operator: the calls of the operator linked to their user, nothing else;
- coach: the calls of their team's operators (and may annotate, override
  scores and review flags there, see :mod:`coaching.store.review`);
- wellbeing: exposure across all teams, and calls with caller abuse flags,
  opened as flagged segments only (no scores, notes or full transcript);
- admin: everything, plus user management (:mod:`coaching.store.admin`).

Each opening of a call and each refusal is written to the audit log; a
refusal raises :class:`coaching.errors.AccessDenied`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, exists, false, select
from sqlalchemy.orm import Session

from coaching.errors import AccessDenied
from coaching.store.audit import write_audit
from coaching.store.auth import SignedInUser, authenticate
from coaching.store.db import Store
from coaching.store.derive import EXPOSURE_SPEAKER
from coaching.store.masking import masked_utterances
from coaching.store.schema import (
    AbuseFlagRow,
    Annotation,
    Call,
    FlagReview,
    Operator,
    ScoreOverride,
    Team,
    User,
    as_utc,
    utc_now,
)
from coaching.store.views import (
    AnnotationView,
    CallSummary,
    CallView,
    FlaggedSegment,
    ScoreOverrideView,
    overlapping,
)
from coaching.types import AbuseFlag, CallReport, Utterance

T = TypeVar("T")
Work = Callable[[Session, User, datetime], T]


def run_as(
    store: Store,
    user: SignedInUser,
    work: Work[T],
    *,
    action: str,
    call_id: int | None = None,
    now: datetime | None = None,
) -> T:
    """Run ``work`` in one transaction as the live user; refusals are audit-logged."""
    now = as_utc(now) if now else utc_now()
    try:
        with store.session() as session:
            actor = authenticate(session, user.token, now=now)
            return work(session, actor, now)
    except AccessDenied as denied:
        with store.session() as session:
            write_audit(
                session,
                actor=user.name,
                action=f"{action}-denied",
                call_id=call_id,
                detail={"reason": str(denied)},
                now=now,
            )
        raise


def require_role(actor: User, roles: tuple[str, ...], what: str) -> None:
    """Refuse unless the actor holds one of ``roles``."""
    if actor.role not in roles:
        raise AccessDenied(
            f"{actor.name} is signed in as {actor.role}, and only {' or '.join(roles)} may {what}"
        )


def _has_caller_flags() -> Any:
    return exists().where(AbuseFlagRow.call_id == Call.id, AbuseFlagRow.speaker == EXPOSURE_SPEAKER)


def visible_calls(actor: User) -> Select:
    """Calls (with operator and team names) the actor may see, as a query."""
    query = (
        select(Call, Operator.name, Team.name)
        .join(Operator, Call.operator_id == Operator.id)
        .outerjoin(Team, Operator.team_id == Team.id)
    )
    if actor.role == "operator":
        return query.where(Operator.user_id == actor.id)
    if actor.role == "coach":
        return query.where(Operator.team_id == actor.team_id if actor.team_id else false())
    if actor.role == "wellbeing":
        return query.where(_has_caller_flags())
    if actor.role == "admin":
        return query
    return query.where(false())


def call_for(
    session: Session, actor: User, call_id: int, *, what: str
) -> tuple[Call, str, str | None]:
    """The call with its operator and team names, if the actor may see it.

    A call that does not exist and one the actor may not see get the same answer,
    so ids tell nothing about other teams' calls."""
    row = session.execute(visible_calls(actor).where(Call.id == call_id)).first()
    if row is None:
        raise AccessDenied(
            f"{actor.name} ({actor.role}) may not {what} call {call_id}, or there is no such "
            "call (erased, or never stored)"
        )
    return row[0], row[1], row[2]


def summary_of(call: Call, operator: str, team: str | None, *, show_score: bool) -> CallSummary:
    """The list view of one call (without score, audio path or error for wellbeing)."""
    return CallSummary(
        id=call.id,
        operator=operator,
        team=team,
        call_time=call.call_time,
        status=call.status,
        duration_s=call.duration_s,
        language=call.language,
        overall_score=call.overall_score if show_score else None,
        abusive_flag_count=call.abusive_flag_count,
        abusive_minutes=call.abusive_minutes,
        max_severity=call.max_severity,
        abuse_categories=tuple(call.abuse_categories or ()),
        audio_ref=call.audio_ref if show_score else "",
        error=call.error if show_score else None,
    )


def list_calls(
    store: Store,
    user: SignedInUser,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    operator: str | None = None,
    now: datetime | None = None,
) -> list[CallSummary]:
    """The calls the user may see, newest first, optionally by time range and operator."""

    def work(session: Session, actor: User, _now: datetime) -> list[CallSummary]:
        query = visible_calls(actor).order_by(Call.call_time.desc(), Call.id.desc())
        if since is not None:
            query = query.where(Call.call_time >= as_utc(since))
        if until is not None:
            query = query.where(Call.call_time < as_utc(until))
        if operator is not None:
            query = query.where(Operator.name == operator)
        show = actor.role != "wellbeing"
        return [summary_of(c, o, t, show_score=show) for c, o, t in session.execute(query)]

    return run_as(store, user, work, action="list-calls", now=now)


def open_call(
    store: Store,
    user: SignedInUser,
    call_id: int,
    *,
    unmasked: bool = False,
    now: datetime | None = None,
) -> CallView:
    """Open one call for reading (audit-logged), shaped by the user's role (see CallView).

    Wellbeing staff get the flagged utterances with offensive words masked
    unless ``unmasked`` (which the audit entry records)."""

    def work(session: Session, actor: User, at: datetime) -> CallView:
        call, operator, team = call_for(session, actor, call_id, what="open")
        write_audit(
            session,
            actor=actor.name,
            action="open-call",
            call_id=call_id,
            detail={"role": actor.role, **({"unmasked": True} if unmasked else {})},
            now=at,
        )
        return _view(session, actor, call, operator, team, unmasked=unmasked)

    return run_as(store, user, work, action="open-call", call_id=call_id, now=now)


def _view(
    session: Session, actor: User, call: Call, operator: str, team: str | None, *, unmasked: bool
) -> CallView:
    wellbeing = actor.role == "wellbeing"
    data = call.report or {}
    segments = _segments(session, call, caller_only=wellbeing)
    if wellbeing:
        language = call.language or "en"
        segments = tuple(
            replace(s, utterances=masked_utterances(
                s.utterances, s.flag, language=language, unmasked=unmasked))
            for s in segments
        )  # fmt: skip
    return CallView(
        summary=summary_of(call, operator, team, show_score=not wellbeing),
        report=CallReport.from_dict(data) if data and not wellbeing else None,
        annotations=() if wellbeing else _annotations(session, call.id),
        overrides=() if wellbeing else _overrides(session, call.id),
        segments=segments,
    )


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


def _annotations(session: Session, call_id: int) -> tuple[AnnotationView, ...]:
    rows = list(
        session.scalars(
            select(Annotation).where(Annotation.call_id == call_id).order_by(Annotation.id)
        )
    )
    names = _names(session, {row.author_id for row in rows})
    return tuple(
        AnnotationView(
            id=r.id,
            author=names.get(r.author_id),
            at_s=r.at_s,
            text=r.text,
            created_at=r.created_at,
        )
        for r in rows
    )


def _overrides(session: Session, call_id: int) -> tuple[ScoreOverrideView, ...]:
    rows = list(
        session.scalars(
            select(ScoreOverride).where(ScoreOverride.call_id == call_id).order_by(ScoreOverride.id)
        )
    )
    names = _names(session, {row.author_id for row in rows})
    latest = {r.criterion_id: r for r in rows}
    return tuple(
        ScoreOverrideView(
            criterion_id=r.criterion_id,
            score=r.score,
            reason=r.reason,
            author=names.get(r.author_id),
            created_at=r.created_at,
        )
        for r in latest.values()
    )


def _segments(session: Session, call: Call, *, caller_only: bool) -> tuple[FlaggedSegment, ...]:
    data = call.report or {}
    utterances = tuple(Utterance.from_dict(u) for u in data.get("utterances", ()))
    reviews = list(
        session.scalars(
            select(FlagReview).where(FlagReview.call_id == call.id).order_by(FlagReview.id)
        )
    )
    reviewers = _names(session, {r.reviewer_id for r in reviews})
    latest = {r.flag_index: r for r in reviews}
    segments = []
    for index, plain in enumerate(data.get("abuse", ())):
        flag = AbuseFlag.from_dict(plain)
        if caller_only and flag.speaker != EXPOSURE_SPEAKER:
            continue
        review = latest.get(index)
        segments.append(
            FlaggedSegment(
                index=index,
                flag=flag,
                verdict=review.verdict if review else None,
                reviewer=reviewers.get(review.reviewer_id) if review else None,
                utterances=overlapping(utterances, flag.start, flag.end),
            )
        )
    return tuple(segments)
