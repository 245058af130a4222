"""Frozen table definitions of each schema version, for the migrations.

Never edit a version once released: migrations must build the schema exactly
as it was. The current schema is :mod:`coaching.store.schema`.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from coaching.store.schema import UtcDateTime


def tables_v1(metadata: MetaData) -> None:
    """The tables of schema version 1."""
    Table(
        "schema_version",
        metadata,
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("description", Text, nullable=False),
        Column("applied_at", UtcDateTime, nullable=False),
    )
    Table(
        "teams",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(120), nullable=False, unique=True),
    )
    Table(
        "users",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(120), nullable=False, unique=True),
        Column("role", String(16), nullable=False),
        Column("team_id", ForeignKey("teams.id")),
        Column("password_hash", Text, nullable=False),
        Column("active", Boolean, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
    )
    Table(
        "operators",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(120), nullable=False, unique=True),
        Column("team_id", ForeignKey("teams.id")),
        Column("user_id", ForeignKey("users.id"), unique=True),
    )
    Table(
        "calls",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("audio_ref", Text, nullable=False),
        Column("audio_sha256", String(64), index=True),
        Column("settings_hash", String(64), nullable=False),
        Column("package_version", String(40), nullable=False),
        Column("operator_id", ForeignKey("operators.id"), nullable=False),
        Column("call_time", UtcDateTime, nullable=False),
        Column("stored_at", UtcDateTime, nullable=False),
        Column("status", String(16), nullable=False),
        Column("error", Text),
        Column("report", JSON),
        Column("duration_s", Float),
        Column("language", String(16)),
        Column("overall_score", Float),
        UniqueConstraint("audio_sha256", "settings_hash", "package_version", name="uq_calls_run"),
        Index("ix_calls_operator_time", "operator_id", "call_time"),
    )
    _activity_tables_v1(metadata)


def _activity_tables_v1(metadata: MetaData) -> None:
    Table(
        "annotations",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("call_id", ForeignKey("calls.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("author_id", ForeignKey("users.id", ondelete="SET NULL")),
        Column("at_s", Float),
        Column("text", Text, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
    )
    Table(
        "audit_log",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("at", UtcDateTime, nullable=False, index=True),
        Column("actor", String(160), nullable=False),
        Column("action", String(64), nullable=False),
        Column("call_id", Integer, index=True),
        Column("target", Text),
        Column("detail", Text),
    )
    Table(
        "sessions",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("token_sha256", String(64), nullable=False, unique=True),
        Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("created_at", UtcDateTime, nullable=False),
        Column("last_seen_at", UtcDateTime, nullable=False),
        Column("idle_timeout_s", Float, nullable=False),
        Column("ended_at", UtcDateTime),
    )


def tables_v2(metadata: MetaData) -> None:
    """The tables version 2 adds (with stubs of those they refer to)."""
    Table("calls", metadata, Column("id", Integer, primary_key=True))
    Table("users", metadata, Column("id", Integer, primary_key=True))

    def call_and_time(*columns: Column) -> tuple[Column, ...]:
        return (
            Column("id", Integer, primary_key=True),
            Column(
                "call_id", ForeignKey("calls.id", ondelete="CASCADE"), nullable=False, index=True
            ),
            *columns,
        )

    Table(
        "abuse_flags",
        metadata,
        *call_and_time(
            Column("flag_index", Integer, nullable=False),
            Column("start_s", Float, nullable=False),
            Column("end_s", Float, nullable=False),
            Column("speaker", String(16), nullable=False),
            Column("category", String(32), nullable=False),
            Column("severity", Float, nullable=False),
        ),
        UniqueConstraint("call_id", "flag_index", name="uq_abuse_flags_index"),
    )
    Table(
        "score_overrides",
        metadata,
        *call_and_time(
            Column("criterion_id", String(64), nullable=False),
            Column("score", Float, nullable=False),
            Column("reason", Text, nullable=False),
            Column("author_id", ForeignKey("users.id", ondelete="SET NULL")),
            Column("created_at", UtcDateTime, nullable=False),
        ),
    )
    Table(
        "flag_reviews",
        metadata,
        *call_and_time(
            Column("flag_index", Integer, nullable=False),
            Column("verdict", String(16), nullable=False),
            Column("reviewer_id", ForeignKey("users.id", ondelete="SET NULL")),
            Column("note", Text, nullable=False),
            Column("created_at", UtcDateTime, nullable=False),
        ),
    )


def tables_v3(metadata: MetaData) -> None:
    """The tables version 3 adds: sign-in failures (throttling) and allowed import folders."""
    Table(
        "sign_in_failures",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("kind", String(8), nullable=False),
        Column("key", String(160), nullable=False),
        Column("at", UtcDateTime, nullable=False),
        Index("ix_sign_in_failures_key", "kind", "key", "at"),
    )
    Table(
        "import_folders",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("path", String(1000), nullable=False, unique=True),
        Column("added_by", String(160), nullable=False),
        Column("added_at", UtcDateTime, nullable=False),
    )
