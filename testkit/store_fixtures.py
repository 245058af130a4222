"""Set-up shared by the store, access and retention tests.

They run on a SQLite file, and on PostgreSQL too when COACHING_TEST_PG_URL is
set (see scripts/start_test_postgres.sh).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from coaching.store.auth import create_user
from coaching.store.db import Store
from testkit.store import clean_store, postgres_url

BACKENDS = [
    pytest.param("sqlite"),
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            postgres_url() is None,
            reason="no PostgreSQL: start one with scripts/start_test_postgres.sh and set "
            "COACHING_TEST_PG_URL to the URL it prints",
        ),
    ),
]
PASSWORD = "correct horse"
# Real argon2id, cheap parameters: seeding a handful of users must not take seconds.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def store_with_users(
    backend: str, directory: Path, people: Mapping[str, tuple[str, str | None]]
) -> Store:
    """A clean store on ``backend`` with ``people`` (name -> (role, team)), all with PASSWORD."""
    store = clean_store(backend, directory)
    with store.session() as session:
        for name, (role, team) in people.items():
            create_user(session, name, role=role, team=team, password=PASSWORD, hasher=FAST_HASHER)
    return store


def seeded_store_fixture(people: Mapping[str, tuple[str, str | None]]):
    """A ``store`` fixture over BACKENDS with ``people`` as users.

    In a test module: ``store = seeded_store_fixture(PEOPLE)``.
    """

    @pytest.fixture(params=BACKENDS)
    def store(request, tmp_path):
        opened = store_with_users(request.param, tmp_path, people)
        yield opened
        opened.close()

    return store
