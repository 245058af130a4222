"""Opening the store: where it lives, the engine, and one transaction per unit of work.

By default the store is a SQLite file ``coaching.sqlite3`` in the data
directory (``$COACHING_DATA_DIR``, else ``./data``); ``$COACHING_DB_URL`` (or
an explicit URL) selects another database, e.g.
``postgresql+psycopg://user@host/db``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from coaching.errors import StoreError
from coaching.store.migrations import upgrade

DATA_DIR_ENV = "COACHING_DATA_DIR"
DB_URL_ENV = "COACHING_DB_URL"
SQLITE_FILE = "coaching.sqlite3"
SQLITE_BUSY_TIMEOUT_S = 30


def data_dir() -> Path:
    """The data directory: ``$COACHING_DATA_DIR`` or ``./data``."""
    return Path(os.environ.get(DATA_DIR_ENV) or "data")


def managed_audio_dir() -> Path:
    """Where the app keeps copies of uploaded audio; retention deletes files only here."""
    return data_dir() / "audio"


def database_url(url: str | None = None) -> str:
    """The database to use: ``url``, else ``$COACHING_DB_URL``, else the SQLite file."""
    chosen = url or os.environ.get(DB_URL_ENV)
    if chosen:
        return chosen
    return f"sqlite:///{(data_dir() / SQLITE_FILE).resolve()}"


@dataclass(frozen=True)
class Store:
    """An open store: the engine and a factory of ORM sessions."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.sessions.begin() as session:
            yield session

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()


def open_store(url: str | None = None, *, migrate: bool = True, echo: bool = False) -> Store:
    """Open (and by default create or upgrade) the store at ``url`` (see :func:`database_url`)."""
    resolved = database_url(url)
    engine = _create_engine(resolved, echo=echo)
    if migrate:
        try:
            upgrade(engine)
        except SQLAlchemyError as error:
            engine.dispose()
            raise StoreError(
                f"could not open the store at {_safe(resolved)}: {error}; check the URL "
                f"(${DB_URL_ENV}) or the data directory (${DATA_DIR_ENV})"
            ) from error
    return Store(
        url=resolved,
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
    )


def _create_engine(url: str, *, echo: bool) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreError(f"{url!r} is not a database URL: {error}") from error
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(parsed, echo=echo, pool_pre_ping=True)
        except (ImportError, SQLAlchemyError) as error:
            raise StoreError(
                f"cannot connect to {_safe(url)}: {error} (for PostgreSQL install "
                "psycopg: pip install 'call-coaching[postgres]')"
            ) from error
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
    _make_sqlite_transactional(engine)
    return engine


def _make_sqlite_transactional(engine: Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, begin transactions.

    The sqlite3 module starts transactions lazily and commits before DDL, which
    breaks savepoints and transactional migrations; this is SQLAlchemy's
    documented recipe. Foreign keys are off in SQLite unless asked for.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; fewer fsyncs
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def _safe(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"
