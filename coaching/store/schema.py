"""The store's tables as SQLAlchemy 2.0 ORM classes (the latest schema version).

:mod:`coaching.store.migrations` builds the same tables step by step; a test
checks that both agree, so change them together and add a migration.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("operator", "coach", "wellbeing", "admin")
CALL_STATUSES = ("analysed", "failed")
FLAG_VERDICTS = ("confirmed", "rejected")


def utc_now() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; naive values are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


class UtcDateTime(TypeDecorator):
    """Timestamps stored as UTC on every backend and read back time-zone aware.

    SQLite keeps no offset, so values go in as naive UTC there; PostgreSQL
    uses ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    pass


class SchemaVersion(Base):
    __tablename__ = "schema_version"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    description: Mapped[str] = mapped_column(Text)
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Operator(Base):
    """A person whose calls are analysed; ``user_id`` links their sign-in, if any."""

    __tablename__ = "operators"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # coaching.store.names.name_key(name): "Sonia" and "sonia " are one operator.
    name_key: Mapped[str | None] = mapped_column(String(120), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)


class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (
        UniqueConstraint("audio_sha256", "settings_hash", "package_version", name="uq_calls_run"),
        Index("ix_calls_operator_time", "operator_id", "call_time"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audio_ref: Mapped[str] = mapped_column(Text)
    audio_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    settings_hash: Mapped[str] = mapped_column(String(64))
    package_version: Mapped[str] = mapped_column(String(40))
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    call_time: Mapped[datetime] = mapped_column(UtcDateTime)
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    duration_s: Mapped[float | None] = mapped_column(Float)
    language: Mapped[str | None] = mapped_column(String(16))
    overall_score: Mapped[float | None] = mapped_column(Float)
    # Caller abuse the operator was exposed to, net of flags a coach rejected.
    abusive_flag_count: Mapped[int] = mapped_column(Integer, default=0)
    abusive_minutes: Mapped[float] = mapped_column(Float, default=0.0)
    max_severity: Mapped[float | None] = mapped_column(Float)
    abuse_categories: Mapped[list[str] | None] = mapped_column(JSON)


class AbuseFlagRow(Base):
    """One abuse flag of a stored report, kept as rows so exposure can be queried."""

    __tablename__ = "abuse_flags"
    __table_args__ = (UniqueConstraint("call_id", "flag_index", name="uq_abuse_flags_index"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    flag_index: Mapped[int] = mapped_column(Integer)
    start_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    speaker: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    severity: Mapped[float] = mapped_column(Float)


class Annotation(Base):
    __tablename__ = "annotations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at_s: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ScoreOverride(Base):
    """A coach's replacement score for one criterion; the latest one counts."""

    __tablename__ = "score_overrides"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class FlagReview(Base):
    """A coach's verdict on one abuse flag; the latest one counts."""

    __tablename__ = "flag_reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    flag_index: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(16))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    """Who did what, when. No foreign keys: entries outlive the rows they name."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(64))
    call_id: Mapped[int | None] = mapped_column(Integer, index=True)
    target: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)


class SignInSession(Base):
    """A signed-in session; only the SHA-256 of its token is stored."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    idle_timeout_s: Mapped[float] = mapped_column(Float)
    # Absolute lifetime from created_at, however busy the session (NULL: the default).
    lifetime_s: Mapped[float | None] = mapped_column(Float)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SignInFailure(Base):
    """A failed sign-in, by user name key (``kind="user"``) or by client (``"client"``)."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_key", "kind", "key", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    key: Mapped[str] = mapped_column(String(160))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class ImportFolder(Base):
    """A server folder an admin allowed the "folder on the server" option to read."""

    __tablename__ = "import_folders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), unique=True)
    added_by: Mapped[str] = mapped_column(String(160))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
