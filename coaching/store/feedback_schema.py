"""Tables for calibration rounds, scorecard acknowledgements and disputes, and pinned exemplars.

ORM classes on the store's :class:`~coaching.store.schema.Base` (imported by
the migrations, so they are registered whenever a store opens), and :func:`tables_v3`, the
frozen copy migration 4 builds. Change both together, with a new migration.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coaching.store.schema import Base, UtcDateTime

DISPUTE_STATES = ("open", "accepted", "declined")
CASCADE = "CASCADE"


class CalibrationRound(Base):
    __tablename__ = "calibration_rounds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete=CASCADE), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CalibrationCall(Base):
    __tablename__ = "calibration_calls"
    __table_args__ = (UniqueConstraint("round_id", "call_id", name="uq_calibration_calls"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_rounds.id", ondelete=CASCADE), index=True
    )
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete=CASCADE), index=True)


class CalibrationCoach(Base):
    """A coach taking part in a round; ``submitted_at`` unlocks the others' scores for them."""

    __tablename__ = "calibration_coaches"
    __table_args__ = (UniqueConstraint("round_id", "coach_id", name="uq_calibration_coaches"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_rounds.id", ondelete=CASCADE), index=True
    )
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete=CASCADE))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CalibrationScore(Base):
    """One coach's blind level (1..5, None = not applicable) for one criterion of one call."""

    __tablename__ = "calibration_scores"
    __table_args__ = (
        UniqueConstraint(
            "round_id", "call_id", "coach_id", "criterion_id", name="uq_calibration_scores"
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_rounds.id", ondelete=CASCADE), index=True
    )
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete=CASCADE))
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete=CASCADE))
    criterion_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[int | None] = mapped_column(Integer)
    scored_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ScorecardAcknowledgement(Base):
    __tablename__ = "scorecard_acknowledgements"
    __table_args__ = (UniqueConstraint("call_id", "user_id", name="uq_scorecard_ack"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete=CASCADE), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete=CASCADE))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ScoreDispute(Base):
    """An operator's dispute of one criterion and the coach's answer."""

    __tablename__ = "score_disputes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete=CASCADE), index=True)
    criterion_id: Mapped[str] = mapped_column(String(64))
    raised_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reply: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ExemplarPin(Base):
    """A de-escalation moment a coach kept for their team (the exemplar as plain data)."""

    __tablename__ = "exemplar_pins"
    __table_args__ = (UniqueConstraint("call_id", "team_id", "at_s", name="uq_exemplar_pins"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete=CASCADE), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete=CASCADE), index=True)
    at_s: Mapped[float] = mapped_column(Float)
    exemplar: Mapped[dict[str, Any]] = mapped_column(JSON)
    pinned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    pinned_at: Mapped[datetime] = mapped_column(UtcDateTime)


def tables_v4(metadata: MetaData) -> None:
    """The tables schema version 4 adds (with stubs of those they refer to). Frozen."""
    for name in ("teams", "users", "calls"):
        Table(name, metadata, Column("id", Integer, primary_key=True))

    def ref(table: str, *, ondelete: str = CASCADE) -> ForeignKey:
        return ForeignKey(f"{table}.id", ondelete=ondelete)

    def key() -> Column:
        return Column("id", Integer, primary_key=True)

    def round_ref() -> Column:
        return Column("round_id", ref("calibration_rounds"), nullable=False, index=True)

    Table(
        "calibration_rounds",
        metadata,
        key(),
        Column("title", String(200), nullable=False),
        Column("team_id", ref("teams"), nullable=False, index=True),
        Column("created_by", ref("users", ondelete="SET NULL")),
        Column("created_at", UtcDateTime, nullable=False),
    )
    Table(
        "calibration_calls",
        metadata,
        key(),
        round_ref(),
        Column("call_id", ref("calls"), nullable=False, index=True),
        UniqueConstraint("round_id", "call_id", name="uq_calibration_calls"),
    )
    Table(
        "calibration_coaches",
        metadata,
        key(),
        round_ref(),
        Column("coach_id", ref("users"), nullable=False),
        Column("submitted_at", UtcDateTime),
        UniqueConstraint("round_id", "coach_id", name="uq_calibration_coaches"),
    )
    Table(
        "calibration_scores",
        metadata,
        key(),
        round_ref(),
        Column("call_id", ref("calls"), nullable=False),
        Column("coach_id", ref("users"), nullable=False),
        Column("criterion_id", String(64), nullable=False),
        Column("level", Integer),
        Column("scored_at", UtcDateTime, nullable=False),
        UniqueConstraint(
            "round_id", "call_id", "coach_id", "criterion_id", name="uq_calibration_scores"
        ),
    )
    _feedback_tables_v4(metadata, key, ref)


def _feedback_tables_v4(metadata: MetaData, key, ref) -> None:
    Table(
        "scorecard_acknowledgements",
        metadata,
        key(),
        Column("call_id", ref("calls"), nullable=False, index=True),
        Column("user_id", ref("users"), nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        UniqueConstraint("call_id", "user_id", name="uq_scorecard_ack"),
    )
    Table(
        "score_disputes",
        metadata,
        key(),
        Column("call_id", ref("calls"), nullable=False, index=True),
        Column("criterion_id", String(64), nullable=False),
        Column("raised_by", ref("users", ondelete="SET NULL")),
        Column("comment", Text, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("status", String(16), nullable=False),
        Column("resolved_by", ref("users", ondelete="SET NULL")),
        Column("reply", Text),
        Column("resolved_at", UtcDateTime),
    )
    Table(
        "exemplar_pins",
        metadata,
        key(),
        Column("call_id", ref("calls"), nullable=False, index=True),
        Column("team_id", ref("teams"), nullable=False, index=True),
        Column("at_s", Float, nullable=False),
        Column("exemplar", JSON, nullable=False),
        Column("pinned_by", ref("users", ondelete="SET NULL")),
        Column("pinned_at", UtcDateTime, nullable=False),
        UniqueConstraint("call_id", "team_id", "at_s", name="uq_exemplar_pins"),
    )


V4_TABLES = (
    "calibration_rounds",
    "calibration_calls",
    "calibration_coaches",
    "calibration_scores",
    "scorecard_acknowledgements",
    "score_disputes",
    "exemplar_pins",
)
