"""A store with two teams, each role, and scored calls: shared by the calibration,
dispute and exemplar store tests (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from coaching.errors import AccessDenied
from coaching.store import save_report
from coaching.store.auth import sign_in
from testkit.store_fixtures import FAST_HASHER, PASSWORD, seeded_store_fixture
from testkit.store_samples import synthetic_report

NOW = datetime.now(timezone.utc).replace(microsecond=0)
PEOPLE = {
    "alice": ("operator", "north"),
    "bob": ("operator", "south"),
    "carla": ("coach", "north"),
    "cody": ("coach", "north"),
    "sam": ("coach", "south"),
    "well": ("wellbeing", None),
    "root": ("admin", None),
}
# The role cases every data-access test walks through.
OPERATOR, TEAM_COACH, OTHER_COACH, WELLBEING, ADMIN = "alice", "carla", "sam", "well", "root"

store = seeded_store_fixture(PEOPLE)


@pytest.fixture
def calls(store):
    """Three north calls of alice (overall 20, 55, 90) and one south call of bob."""
    seeded = [("a1", "alice", 20.0), ("a2", "alice", 55.0), ("a3", "alice", 90.0)]
    seeded.append(("b1", "bob", 70.0))
    ids = {}
    with store.session() as session:
        for n, (name, operator, overall) in enumerate(seeded):
            ids[name] = save_report(
                session,
                synthetic_report(name, overall=overall),
                audio_ref=f"{name}.wav",
                operator=operator,
                call_time=NOW - timedelta(hours=n + 1),
                settings_hash="s",
            )
    return ids


def as_user(store, name):
    """Sign ``name`` in (all test users share one password)."""
    return sign_in(store, name, PASSWORD, hasher=FAST_HASHER)


def denied(work):
    """Assert that ``work()`` is refused by the data layer."""
    with pytest.raises(AccessDenied):
        work()
