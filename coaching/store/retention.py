"""Retention and erasure: purge old calls, erase one call or everything about one operator.

Each function runs as one transaction, writes one audit entry and returns an
:class:`ErasureReport` of what it removed. Audio files are deleted after the
database commit, and only inside the managed audio folder (the app's copies,
``$COACHING_DATA_DIR/audio`` by default): recordings the store merely points
at elsewhere are listed as kept, never deleted behind their owner's back.
The audit log itself is kept (it holds ids and counts, not call content), and
an operator's erasure names them by id only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coaching.errors import StoreError
from coaching.serial import Serializable
from coaching.store.audit import system_actor, write_audit
from coaching.store.db import Store, managed_audio_dir
from coaching.store.recordings import managed_copies
from coaching.store.schema import (
    AbuseFlagRow,
    Annotation,
    Call,
    FlagReview,
    Operator,
    ScoreOverride,
    SignInSession,
    User,
    as_utc,
    utc_now,
)


@dataclass(frozen=True)
class ErasureReport(Serializable):
    scope: str
    call_ids: tuple[int, ...]
    annotations: int = 0
    score_overrides: int = 0
    flag_reviews: int = 0
    abuse_flags: int = 0
    operators: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    sessions: int = 0
    audio_deleted: tuple[str, ...] = ()
    audio_kept: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """What was removed, for people."""
        lines = [
            f"{self.scope}: removed {len(self.call_ids)} call(s)"
            + (f" ({', '.join(map(str, self.call_ids))})" if self.call_ids else ""),
            f"  with {self.annotations} annotation(s), {self.score_overrides} score override(s), "
            f"{self.flag_reviews} flag review(s), {self.abuse_flags} abuse flag(s)",
        ]
        if self.operators or self.users:
            lines.append(
                f"  operator(s): {', '.join(self.operators) or '-'}; user(s): "
                f"{', '.join(self.users) or '-'}; {self.sessions} session(s)"
            )
        lines += [f"  deleted audio {path}" for path in self.audio_deleted]
        lines += [f"  kept audio outside the managed folder: {path}" for path in self.audio_kept]
        return lines


def erase_call(
    store: Store, call_id: int, *, actor: str | None = None, audio_root: Path | None = None
) -> ErasureReport:
    """Remove one call with everything derived from it."""
    with store.session() as session:
        if session.get(Call, call_id) is None:
            raise StoreError(f"no call with id {call_id}; nothing was erased")
        report, refs = _remove_calls(session, [call_id], scope=f"call {call_id}")
        write_audit(
            session,
            actor=actor or system_actor(),
            action="erase-call",
            call_id=call_id,
            detail=_counts(report),
        )
    return _with_audio(report, refs, audio_root, store)


def erase_operator(
    store: Store, name: str, *, actor: str | None = None, audio_root: Path | None = None
) -> ErasureReport:
    """Remove an operator: their calls and derived data, the operator and their user account."""
    with store.session() as session:
        operator = session.scalars(select(Operator).where(Operator.name == name)).first()
        if operator is None:
            raise StoreError(f"no operator called {name!r}; nothing was erased")
        call_ids = list(session.scalars(select(Call.id).where(Call.operator_id == operator.id)))
        report, refs = _remove_calls(session, call_ids, scope=f"operator {name}")
        user = session.get(User, operator.user_id) if operator.user_id else None
        operator_id = operator.id
        session.execute(delete(Operator).where(Operator.id == operator_id))
        sessions = 0
        if user is not None:
            sessions = _delete(session, SignInSession, SignInSession.user_id == user.id)
            session.execute(delete(User).where(User.id == user.id))
        report = _replace(
            report, operators=(name,), users=(user.name,) if user else (), sessions=sessions
        )
        write_audit(
            session,
            actor=actor or system_actor(),
            action="erase-operator",
            target=f"operator #{operator_id}",
            detail=_counts(report),
        )
    return _with_audio(report, refs, audio_root, store)


def purge_older_than(
    store: Store,
    *,
    days: float,
    now: datetime | None = None,
    actor: str | None = None,
    audio_root: Path | None = None,
) -> ErasureReport:
    """Remove calls whose call time is more than ``days`` before ``now``."""
    if days <= 0:
        raise StoreError(f"--older-than must be a positive number of days, not {days}")
    cutoff = (as_utc(now) if now else utc_now()) - timedelta(days=days)
    with store.session() as session:
        call_ids = list(session.scalars(select(Call.id).where(Call.call_time < cutoff)))
        report, refs = _remove_calls(
            session, call_ids, scope=f"calls before {cutoff:%Y-%m-%d %H:%M} UTC"
        )
        write_audit(
            session,
            actor=actor or system_actor(),
            action="purge",
            detail={"older_than_days": days, **_counts(report)},
        )
    return _with_audio(report, refs, audio_root, store)


def _delete(session: Session, table: type, condition: object) -> int:
    return session.execute(delete(table).where(condition)).rowcount or 0


def _remove_calls(
    session: Session, call_ids: list[int], *, scope: str
) -> tuple[ErasureReport, set[str]]:
    """Delete the calls and what derives from them; returns what was removed and the
    audio they referred to (paths, and ``sha256:`` + hash for the managed copies)."""
    rows = session.execute(
        select(Call.audio_ref, Call.audio_sha256).where(Call.id.in_(call_ids))
    ).all()
    refs = {ref for ref, _ in rows} | {f"sha256:{sha}" for _, sha in rows if sha}
    counts = {
        name: _delete(session, table, table.call_id.in_(call_ids))
        for name, table in (
            ("annotations", Annotation),
            ("score_overrides", ScoreOverride),
            ("flag_reviews", FlagReview),
            ("abuse_flags", AbuseFlagRow),
        )
    }
    _delete(session, Call, Call.id.in_(call_ids))
    return ErasureReport(scope=scope, call_ids=tuple(sorted(call_ids)), **counts), refs


def _replace(report: ErasureReport, **changes: object) -> ErasureReport:
    return ErasureReport(**{**report.__dict__, **changes})


def _counts(report: ErasureReport) -> dict[str, object]:
    return {
        "calls": list(report.call_ids),
        "annotations": report.annotations,
        "score_overrides": report.score_overrides,
        "flag_reviews": report.flag_reviews,
        "abuse_flags": report.abuse_flags,
        "sessions": report.sessions,
    }


def _with_audio(
    report: ErasureReport, refs: set[str], audio_root: Path | None, store: Store
) -> ErasureReport:
    """Delete the managed audio no remaining call needs: the stored paths inside the
    managed folder, and every managed copy of the erased audio (by its hash: an
    upload of audio already stored leaves such a copy). List the rest as kept."""
    root = (audio_root or managed_audio_dir()).resolve()
    hashes = {ref.removeprefix("sha256:") for ref in refs if ref.startswith("sha256:")}
    paths = refs - {f"sha256:{sha}" for sha in hashes}
    with store.session() as session:
        used = session.execute(
            select(Call.audio_ref, Call.audio_sha256).where(
                Call.audio_ref.in_(paths) | Call.audio_sha256.in_(hashes)
            )
        ).all()
    still_used_refs = {ref for ref, _ in used}
    still_used_hashes = {sha for _, sha in used if sha}
    candidates = {Path(ref) for ref in paths - still_used_refs}
    for sha in hashes - still_used_hashes:
        candidates.update(managed_copies(sha, audio_dir=root))
    deleted, kept = [], []
    for path in sorted(p.resolve() for p in candidates):
        if not path.is_file():
            continue
        if path.is_relative_to(root):
            path.unlink()
            deleted.append(str(path))
        else:
            kept.append(str(path))
    return _replace(report, audio_deleted=tuple(deleted), audio_kept=tuple(kept))
