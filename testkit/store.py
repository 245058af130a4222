"""Clean stores for tests: a SQLite file, or a PostgreSQL database when one is given.

``$COACHING_TEST_PG_URL`` names a throw-away PostgreSQL database (see
``scripts/start_test_postgres.sh``); :func:`clean_store` empties it first.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, text

from coaching.errors import StoreError
from coaching.store.db import Store, open_store

PG_URL_ENV = "COACHING_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


def postgres_url() -> str | None:
    """The throw-away PostgreSQL URL for tests, if one is configured."""
    return os.environ.get(PG_URL_ENV) or None


def backend_url(backend: str, directory: Path) -> str:
    """A database URL for ``backend``: a SQLite file in ``directory`` or the test PostgreSQL."""
    if backend == "sqlite":
        return f"sqlite:///{directory / 'store.sqlite3'}"
    url = postgres_url()
    if url is None:
        raise StoreError(
            f"no test PostgreSQL: set {PG_URL_ENV} to a throw-away database URL "
            "(scripts/start_test_postgres.sh starts one and prints it)"
        )
    return url


def empty_database(url: str) -> None:
    """Drop everything in a PostgreSQL database's public schema (tests only)."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def clean_store(backend: str, directory: Path, *, migrate: bool = True) -> Store:
    """An empty store on ``backend``, migrated to the latest schema unless told not to."""
    url = backend_url(backend, directory)
    if backend == "postgresql":
        empty_database(url)
    return open_store(url, migrate=migrate)
