"""Writing analysed and failed calls, and finding a call already stored.

These are the store's own operations for the pipeline, a batch coordinator or
the CLI; they check no roles (see :mod:`coaching.store.access` for that).
A call is identified by its audio hash, settings hash and package version
(:mod:`coaching.store.identity` says what the settings hash covers): storing the
same triple again returns the existing call instead of a copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from coaching.errors import StoreError
from coaching.serial import Serializable
from coaching.store.derive import AbuseSummary, FlagFacts, abuse_summary, flags_of
from coaching.store.identity import identity_of_report
from coaching.store.names import clean_name, confusable_with, name_key
from coaching.store.schema import (
    AbuseFlagRow,
    Call,
    FlagReview,
    Operator,
    Team,
    as_utc,
    utc_now,
)
from coaching.types import CallReport
from coaching.version import __version__


@dataclass(frozen=True)
class StoredCall(Serializable):
    """What :func:`find_by_hash` says about a call already in the store."""

    id: int
    status: str
    audio_sha256: str | None
    settings_hash: str
    package_version: str
    call_time: datetime
    error: str | None


def package_version() -> str:
    """The installed call-coaching version, as reports carry it."""
    return __version__


def find_by_hash(
    session: Session,
    audio_sha256: str,
    *,
    settings_hash: str | None = None,
    package_version: str | None = None,
    include_failed: bool = False,
) -> StoredCall | None:
    """The newest stored call with this audio (and settings, version when given), or None.

    Failed calls are left out unless ``include_failed``, so a batch retries them.
    """
    query = select(Call).where(Call.audio_sha256 == audio_sha256).order_by(Call.id.desc())
    if settings_hash is not None:
        query = query.where(Call.settings_hash == settings_hash)
    if package_version is not None:
        query = query.where(Call.package_version == package_version)
    if not include_failed:
        query = query.where(Call.status == "analysed")
    call = session.scalars(query.limit(1)).first()
    if call is None:
        return None
    return StoredCall(
        id=call.id,
        status=call.status,
        audio_sha256=call.audio_sha256,
        settings_hash=call.settings_hash,
        package_version=call.package_version,
        call_time=call.call_time,
        error=call.error,
    )


def save_report(
    session: Session,
    report: CallReport | Mapping[str, Any],
    *,
    audio_ref: str,
    operator: str,
    call_time: datetime,
    settings_hash: str | None = None,
    team: str | None = None,
) -> int:
    """Store an analysed call with its derived columns; returns the call id.

    ``settings_hash`` defaults to the identity the report's provenance gives
    (:func:`coaching.store.identity.identity_of_report`), as every caller should file it.

    All rows are written in one savepoint: on error nothing of the call stays
    and :class:`StoreError` is raised. A failed earlier attempt with the same
    audio, settings and version is replaced; an analysed one is returned as is.
    Naive ``call_time`` values are taken as UTC.
    """
    data = report.to_dict() if isinstance(report, CallReport) else dict(report)
    audio_sha256, version_ = _identity(data, audio_ref)
    if settings_hash is None:
        settings_hash = identity_of_report(data).settings_hash
    try:
        with session.begin_nested():
            owner = ensure_operator(session, operator, team=team)
            call = _row_for(session, audio_sha256, settings_hash, version_, audio_ref=audio_ref)
            if call.status == "analysed":
                return call.id
            _fill_analysed(call, data, audio_ref=audio_ref, operator=owner, call_time=call_time)
            session.add(call)
            session.flush()
            _replace_flags(session, call, flags_of(data))
            return call.id
    except SQLAlchemyError as error:
        raise StoreError(f"could not store the report of {audio_ref}: {error}") from error


def record_failure(
    session: Session,
    *,
    audio_ref: str,
    operator: str,
    call_time: datetime,
    settings_hash: str,
    error: str,
    audio_sha256: str | None = None,
    package_version: str | None = None,
    team: str | None = None,
) -> int:
    """Store a call whose analysis failed, with the error text; returns the call id.

    An analysed call with the same identity is left alone and its id returned.
    """
    version_ = package_version or __version__
    try:
        with session.begin_nested():
            owner = ensure_operator(session, operator, team=team)
            call = _row_for(session, audio_sha256, settings_hash, version_, audio_ref=audio_ref)
            if call.status == "analysed":
                return call.id
            call.audio_ref = audio_ref
            call.operator_id = owner.id
            call.call_time = as_utc(call_time)
            call.stored_at = utc_now()
            call.status = "failed"
            call.error = error
            session.add(call)
            session.flush()
            return call.id
    except SQLAlchemyError as db_error:
        raise StoreError(f"could not record the failure of {audio_ref}: {db_error}") from db_error


def _identity(data: Mapping[str, Any], audio_ref: str) -> tuple[str, str]:
    try:
        return data["audio_sha256"], data["provenance"]["package_version"]
    except (KeyError, TypeError) as error:
        raise StoreError(
            f"the report of {audio_ref} lacks {error}; pass a CallReport or its to_dict()"
        ) from error


def _row_for(
    session: Session,
    audio_sha256: str | None,
    settings: str,
    version_: str,
    *,
    audio_ref: str,
) -> Call:
    """The stored call with this identity (without a hash, an earlier failure of the
    same file), else a new unsaved row for it."""
    query = select(Call).where(Call.settings_hash == settings, Call.package_version == version_)
    if audio_sha256 is None:
        query = query.where(
            Call.audio_sha256.is_(None), Call.audio_ref == audio_ref, Call.status == "failed"
        )
    else:
        query = query.where(Call.audio_sha256 == audio_sha256)
    existing = session.scalars(query).first()
    return existing or Call(
        audio_sha256=audio_sha256, settings_hash=settings, package_version=version_
    )


def _fill_analysed(
    call: Call, data: Mapping[str, Any], *, audio_ref: str, operator: Operator, call_time: datetime
) -> None:
    scorecard = data.get("scorecard") or {}
    call.audio_ref = audio_ref
    call.operator_id = operator.id
    call.call_time = as_utc(call_time)
    call.stored_at = utc_now()
    call.status = "analysed"
    call.error = None
    call.report = dict(data)
    call.duration_s = data.get("duration_s")
    call.language = data.get("language")
    call.overall_score = scorecard.get("overall")


def _replace_flags(session: Session, call: Call, flags: tuple[FlagFacts, ...]) -> None:
    session.execute(delete(AbuseFlagRow).where(AbuseFlagRow.call_id == call.id))
    session.add_all(
        AbuseFlagRow(call_id=call.id, flag_index=flag.index, **_flag_columns(flag))
        for flag in flags
    )
    session.flush()
    refresh_abuse_summary(session, call)


_FLAG_COLUMNS = ("start_s", "end_s", "speaker", "category", "severity")


def _flag_columns(flag: FlagFacts | AbuseFlagRow) -> dict[str, Any]:
    """What a flag and its stored row share, under the same names."""
    return {name: getattr(flag, name) for name in _FLAG_COLUMNS}


def latest_verdicts(session: Session, call_id: int) -> dict[int, str]:
    """The latest coach verdict per flag index of one call."""
    reviews = session.scalars(
        select(FlagReview).where(FlagReview.call_id == call_id).order_by(FlagReview.id)
    )
    return {review.flag_index: review.verdict for review in reviews}


def refresh_abuse_summary(session: Session, call: Call) -> AbuseSummary:
    """Recompute the call's abuse columns from its flags, leaving out rejected ones."""
    rows = session.scalars(select(AbuseFlagRow).where(AbuseFlagRow.call_id == call.id))
    flags = [FlagFacts(index=row.flag_index, **_flag_columns(row)) for row in rows]
    verdicts = latest_verdicts(session, call.id)
    rejected = frozenset(index for index, verdict in verdicts.items() if verdict == "rejected")
    summary = abuse_summary(flags, rejected=rejected)
    call.abusive_flag_count = summary.flag_count
    call.abusive_minutes = summary.minutes
    call.max_severity = summary.max_severity
    call.abuse_categories = list(summary.categories)
    return summary


def ensure_team(session: Session, name: str) -> Team:
    """The team called ``name``, created if new."""
    name = clean_name(name, what="team name")
    team = session.scalars(select(Team).where(Team.name == name)).first()
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    return team


def find_operator(session: Session, name: str) -> Operator | None:
    """The operator whose name has the same key ("Sonia" = "sonia "), if any."""
    key = name_key(clean_name(name, what="operator name"))
    return session.scalars(select(Operator).where(Operator.name_key == key)).first()


def ensure_operator(session: Session, name: str, *, team: str | None = None) -> Operator:
    """The operator called ``name``, else a new one in ``team``.

    An existing operator keeps their team whatever ``team`` says: only an admin
    moves operators (:func:`coaching.store.admin.set_operator_team`). A new name
    that merely looks like an existing one ("ѕonia" with a Cyrillic s) is refused.
    """
    cleaned = clean_name(name, what="operator name")
    operator = find_operator(session, cleaned)
    if operator is not None:
        return operator
    if confusable_with(cleaned, session.scalars(select(Operator.name))) is not None:
        raise StoreError(
            f"the operator name {cleaned!r} looks like an existing operator's name but is "
            "spelt with other characters; use the existing operator's exact name"
        )
    operator = Operator(
        name=cleaned,
        name_key=name_key(cleaned),
        team_id=ensure_team(session, team).id if team else None,
    )
    session.add(operator)
    session.flush()
    return operator
