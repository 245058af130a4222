"""Versioned schema migrations, applied in order when a store is opened.

Each migration is a function over one connection and runs in its own
transaction together with the ``schema_version`` row that records it, so a
failed step leaves the database at the previous version. Table definitions
here are frozen copies of the schema *as it was at that version*: never edit a
released migration, append a new one (and update :mod:`coaching.store.schema`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

from coaching.errors import StoreError
from coaching.store.derive import abuse_summary, flags_of
from coaching.store.feedback_schema import V4_TABLES, tables_v4
from coaching.store.history import tables_v1, tables_v2, tables_v3
from coaching.store.names import name_key
from coaching.store.schema import SchemaVersion, utc_now


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _initial_tables(connection: Connection) -> None:
    metadata = MetaData()
    tables_v1(metadata)
    metadata.create_all(connection)


def _abuse_and_reviews(connection: Connection) -> None:
    """Abuse summary columns on calls, abuse flags as rows, overrides and flag reviews."""
    for statement in (
        "ALTER TABLE calls ADD COLUMN abusive_flag_count INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE calls ADD COLUMN abusive_minutes FLOAT NOT NULL DEFAULT 0",
        "ALTER TABLE calls ADD COLUMN max_severity FLOAT",
        f"ALTER TABLE calls ADD COLUMN abuse_categories {JSON().compile(connection.dialect)}",
    ):
        connection.execute(text(statement))
    metadata = MetaData()
    tables_v2(metadata)
    metadata.create_all(connection, tables=[metadata.tables[name] for name in _V2_NEW])
    _backfill_abuse(connection, metadata)


_V2_NEW = ("abuse_flags", "score_overrides", "flag_reviews")


def _calibration_and_feedback(connection: Connection) -> None:
    metadata = MetaData()
    tables_v4(metadata)
    metadata.create_all(connection, tables=[metadata.tables[name] for name in V4_TABLES])


def _backfill_abuse(connection: Connection, metadata: MetaData) -> None:
    calls = Table(
        "calls",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("report", JSON),
        Column("abusive_flag_count", Integer),
        Column("abusive_minutes", Float),
        Column("max_severity", Float),
        Column("abuse_categories", JSON),
    )
    flags_table = metadata.tables["abuse_flags"]
    rows = connection.execute(
        select(calls.c.id, calls.c.report).where(calls.c.report.is_not(None))
    ).all()
    for call_id, report in rows:
        flags = flags_of(report)
        if flags:
            connection.execute(
                flags_table.insert(),
                [
                    {
                        "call_id": call_id,
                        "flag_index": flag.index,
                        "start_s": flag.start_s,
                        "end_s": flag.end_s,
                        "speaker": flag.speaker,
                        "category": flag.category,
                        "severity": flag.severity,
                    }
                    for flag in flags
                ],
            )
        summary = abuse_summary(flags)
        connection.execute(
            calls.update()
            .where(calls.c.id == call_id)
            .values(
                abusive_flag_count=summary.flag_count,
                abusive_minutes=summary.minutes,
                max_severity=summary.max_severity,
                abuse_categories=list(summary.categories),
            )
        )


def _security(connection: Connection) -> None:
    """Operator name keys, session lifetimes, sign-in failures, allowed import folders."""
    connection.execute(text("ALTER TABLE operators ADD COLUMN name_key VARCHAR(120)"))
    connection.execute(text("ALTER TABLE sessions ADD COLUMN lifetime_s FLOAT"))
    operators = Table(
        "operators",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String(120)),
        Column("name_key", String(120)),
    )
    for operator_id, name in connection.execute(select(operators.c.id, operators.c.name)).all():
        connection.execute(
            operators.update().where(operators.c.id == operator_id).values(name_key=name_key(name))
        )
    Index("ix_operators_name_key", operators.c.name_key).create(connection)
    metadata = MetaData()
    tables_v3(metadata)
    metadata.create_all(connection)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1, "teams, users, operators, calls, annotations, audit log, sessions", _initial_tables
    ),
    Migration(
        2,
        "abuse flags as rows, abuse summary on calls, score overrides, flag reviews",
        _abuse_and_reviews,
    ),
    Migration(
        3,
        "operator name keys, session lifetimes, sign-in failures, allowed import folders",
        _security,
    ),
    Migration(
        4,
        "calibration rounds, scorecard acknowledgements and disputes, pinned exemplars",
        _calibration_and_feedback,
    ),
)
LATEST_VERSION = MIGRATIONS[-1].version


def current_version(connection: Connection) -> int:
    """The schema version of the database (0 for an empty one)."""
    tables = set(inspect(connection).get_table_names())
    if "schema_version" not in tables:
        if tables & {"calls", "users"}:
            raise StoreError(
                "the database holds tables but no schema_version table, so it is not a "
                "call-coaching store; point COACHING_DB_URL at an empty or coaching database"
            )
        return 0
    version = connection.execute(
        select(SchemaVersion.version).order_by(SchemaVersion.version.desc()).limit(1)
    ).scalar()
    return version or 0


def upgrade(engine: Engine, *, target: int | None = None) -> list[int]:
    """Apply the missing migrations up to ``target`` (default: latest); returns those applied."""
    target = LATEST_VERSION if target is None else target
    applied = []
    for migration in MIGRATIONS:
        if migration.version > target:
            break
        with engine.begin() as connection:
            version = current_version(connection)
            if version > LATEST_VERSION:
                raise StoreError(
                    f"the database schema is at version {version}, newer than this package "
                    f"knows ({LATEST_VERSION}); upgrade call-coaching to use it"
                )
            if version >= migration.version:
                continue
            _apply(connection, migration)
        applied.append(migration.version)
    return applied


def _apply(connection: Connection, migration: Migration) -> None:
    try:
        migration.apply(connection)
        connection.execute(
            SchemaVersion.__table__.insert().values(
                version=migration.version,
                description=migration.description,
                applied_at=utc_now(),
            )
        )
    except SQLAlchemyError as error:
        raise StoreError(
            f"schema migration {migration.version} ({migration.description}) failed and was "
            f"rolled back, so the database is as it was: {error}; fix the cause and open the "
            "store again"
        ) from error
