"""Coaches' writes: annotations, score overrides, flag reviews, and storing analysed calls.

Roles are checked here like in :mod:`coaching.store.access`: a coach may
change only calls of their own team; every change is audit-logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.errors import AccessDenied, StoreError
from coaching.options import AnalysisOptions
from coaching.scoring.score import overall_with_overrides
from coaching.store.access import call_for, require_role, run_as, visible_calls
from coaching.store.audit import write_audit
from coaching.store.auth import SignedInUser
from coaching.store.calls import find_operator, refresh_abuse_summary, save_report
from coaching.store.db import Store
from coaching.store.ingest import ModelsNow, find_stored_analysis
from coaching.store.names import clean_text
from coaching.store.recordings import list_import_folder
from coaching.store.schema import (
    FLAG_VERDICTS,
    AbuseFlagRow,
    Annotation,
    Call,
    FlagReview,
    ScoreOverride,
    Team,
    User,
)
from coaching.store.views import AnnotationView, ScoreOverrideView
from coaching.types import CallReport, Scorecard

COACH = ("coach",)


def add_annotation(
    store: Store,
    user: SignedInUser,
    call_id: int,
    *,
    text: str,
    at_s: float | None = None,
    now: datetime | None = None,
) -> AnnotationView:
    """A coach's note on a call, optionally at a time in the call (seconds)."""
    text = clean_text(text, what="annotation")
    if not text:
        raise StoreError("the annotation is empty; write what the operator should know")

    def work(session: Session, actor: User, at: datetime) -> AnnotationView:
        require_role(actor, COACH, "annotate calls")
        call, _, _ = call_for(session, actor, call_id, what="annotate")
        if at_s is not None and call.duration_s is not None and not 0 <= at_s <= call.duration_s:
            raise StoreError(
                f"{at_s:.1f} s is outside call {call_id} (0..{call.duration_s:.1f} s); "
                "give a time inside the call, or none for a note on the whole call"
            )
        note = Annotation(
            call_id=call_id, author_id=actor.id, at_s=at_s, text=text.strip(), created_at=at
        )
        session.add(note)
        session.flush()
        write_audit(
            session,
            actor=actor.name,
            action="annotate",
            call_id=call_id,
            now=at,
            detail={"annotation": note.id},
        )
        return AnnotationView(
            id=note.id, author=actor.name, at_s=at_s, text=note.text, created_at=at
        )

    return run_as(store, user, work, action="annotate", call_id=call_id, now=now)


def override_score(
    store: Store,
    user: SignedInUser,
    call_id: int,
    *,
    criterion_id: str,
    score: float,
    reason: str,
    now: datetime | None = None,
) -> ScoreOverrideView:
    """Replace one criterion's score (0..100) with a reason; the latest override counts."""

    def work(session: Session, actor: User, at: datetime) -> ScoreOverrideView:
        return record_override(
            session, actor, call_id, criterion_id=criterion_id, score=score, reason=reason, at=at
        )

    return run_as(store, user, work, action="override-score", call_id=call_id, now=now)


def record_override(
    session: Session,
    actor: User,
    call_id: int,
    *,
    criterion_id: str,
    score: float,
    reason: str,
    at: datetime,
) -> ScoreOverrideView:
    """The override inside the caller's transaction (coach of the call's team), audit-logged;
    the call's stored overall follows."""
    if not 0 <= score <= 100:
        raise StoreError(f"score {score} is outside 0..100; give a score from 0 to 100")
    reason = clean_text(reason, what="reason")
    if not reason:
        raise StoreError("an override needs a reason the operator can read")
    require_role(actor, COACH, "override scores")
    call, _, _ = call_for(session, actor, call_id, what="override scores of")
    _require_criterion(call, criterion_id)
    session.add(
        ScoreOverride(
            call_id=call_id,
            criterion_id=criterion_id,
            score=score,
            reason=reason.strip(),
            author_id=actor.id,
            created_at=at,
        )
    )
    session.flush()
    call.overall_score = _overall_after_overrides(session, call)
    write_audit(
        session,
        actor=actor.name,
        action="override-score",
        call_id=call_id,
        now=at,
        detail={"criterion": criterion_id, "score": score},
    )
    return ScoreOverrideView(
        criterion_id=criterion_id,
        score=score,
        reason=reason.strip(),
        author=actor.name,
        created_at=at,
    )


def _overall_after_overrides(session: Session, call: Call) -> float | None:
    """The stored overall with the latest override per criterion, by the one scoring rule."""
    scorecard = (call.report or {}).get("scorecard")
    if not scorecard:
        return call.overall_score
    rows = session.scalars(
        select(ScoreOverride)
        .where(ScoreOverride.call_id == call.id)
        .order_by(ScoreOverride.created_at, ScoreOverride.id)
    )
    latest = {row.criterion_id: row.score for row in rows}
    return overall_with_overrides(Scorecard.from_dict(scorecard), latest)


def _require_criterion(call: Call, criterion_id: str) -> None:
    criteria = {c["id"] for c in ((call.report or {}).get("scorecard") or {}).get("criteria", ())}
    if criterion_id not in criteria:
        raise StoreError(
            f"call {call.id} has no criterion {criterion_id!r}; it has: "
            f"{', '.join(sorted(criteria)) or 'no scorecard'}"
        )


def review_flag(
    store: Store,
    user: SignedInUser,
    call_id: int,
    *,
    flag_index: int,
    verdict: str,
    note: str = "",
    now: datetime | None = None,
) -> None:
    """Confirm or reject one abuse flag; the call's exposure columns follow at once."""
    if verdict not in FLAG_VERDICTS:
        raise StoreError(f"verdict {verdict!r} is unknown; use one of {', '.join(FLAG_VERDICTS)}")
    note = clean_text(note, what="note")

    def work(session: Session, actor: User, at: datetime) -> None:
        require_role(actor, COACH, "review abuse flags")
        call, _, _ = call_for(session, actor, call_id, what="review flags of")
        flag = session.scalars(
            select(AbuseFlagRow).where(
                AbuseFlagRow.call_id == call_id, AbuseFlagRow.flag_index == flag_index
            )
        ).first()
        if flag is None:
            raise StoreError(
                f"call {call_id} has no abuse flag number {flag_index}; "
                "review one of the flags listed for the call"
            )
        session.add(
            FlagReview(
                call_id=call_id,
                flag_index=flag_index,
                verdict=verdict,
                reviewer_id=actor.id,
                note=note,
                created_at=at,
            )
        )
        session.flush()
        refresh_abuse_summary(session, call)
        write_audit(
            session,
            actor=actor.name,
            action="review-flag",
            call_id=call_id,
            now=at,
            detail={"flag": flag_index, "verdict": verdict},
        )

    run_as(store, user, work, action="review-flag", call_id=call_id, now=now)


def store_analysed_call(
    store: Store,
    user: SignedInUser,
    report: CallReport | Mapping[str, Any],
    *,
    audio_ref: str,
    operator: str,
    call_time: datetime,
    settings_hash: str | None = None,
    now: datetime | None = None,
) -> int:
    """Store a call analysed in the app (coach: operators of their team; admin: anyone).

    ``settings_hash`` defaults to the store's identity rule for the report.
    """

    def work(session: Session, actor: User, at: datetime) -> int:
        require_role(actor, ("coach", "admin"), "add calls")
        team = _team_for_new_call(session, actor, operator)
        call_id = save_report(
            session,
            report,
            audio_ref=audio_ref,
            operator=operator,
            call_time=call_time,
            settings_hash=settings_hash,
            team=team,
        )
        write_audit(
            session, actor=actor.name, action="store-call", call_id=call_id, now=at, target=operator
        )
        return call_id

    return run_as(store, user, work, action="store-call", now=now)


def importable_files(
    store: Store, user: SignedInUser, folder: str, *, now: datetime | None = None
) -> list[Path]:
    """The audio files in ``folder`` a coach or admin may analyse: only inside an import
    folder an admin allowed; every refusal reads the same (see list_import_folder)."""

    def work(session: Session, actor: User, _at: datetime) -> list[Path]:
        require_role(actor, ("coach", "admin"), "add calls")
        return list_import_folder(session, folder)

    return run_as(store, user, work, action="import-folder", now=now)


def stored_call_for(
    store: Store,
    user: SignedInUser,
    audio_sha256: str,
    *,
    options: AnalysisOptions | None = None,
    models_now: ModelsNow | None = None,
    now: datetime | None = None,
) -> tuple[int | None, bool]:
    """(id of the stored call that already is this analysis, whether there is one); the id
    is None both when there is none and when the user may not see it. "Already is" is
    the store's one rule (:func:`coaching.store.ingest.find_stored_analysis`) for
    ``options`` (default: the defaults) and ``models_now``."""

    def work(session: Session, actor: User, _at: datetime) -> tuple[int | None, bool]:
        require_role(actor, ("coach", "admin"), "add calls")
        found = find_stored_analysis(
            session, audio_sha256, options=options or AnalysisOptions(), models_now=models_now
        )
        if found is None:
            return None, False
        visible = session.execute(visible_calls(actor).where(Call.id == found)).first()
        return (found, True) if visible else (None, True)

    return run_as(store, user, work, action="find-call", now=now)


def _team_for_new_call(session: Session, actor: User, operator: str) -> str | None:
    """The team a new operator joins; a coach may file calls only under operators of
    their own team (or a new operator, who joins it). Storing never moves an operator."""
    if actor.role != "coach":
        return None
    team = session.get(Team, actor.team_id) if actor.team_id else None
    existing = find_operator(session, operator)
    if team is None or (existing is not None and existing.team_id != team.id):
        raise AccessDenied(
            f"{actor.name} may add calls only for operators of their own team "
            "(or a new operator); an admin can move an operator to the team"
        )
    return team.name
