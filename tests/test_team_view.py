"""The team view: each criterion per operator per week vs baseline and team median."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from coaching.scoring.team_trends import CriterionPoint, iso_week, weekly_rows
from coaching.store.review import override_score
from coaching.store.team_view import team_weeks
from testkit import feedback_fixtures
from testkit.feedback_fixtures import (
    ADMIN,
    OPERATOR,
    OTHER_COACH,
    TEAM_COACH,
    WELLBEING,
    as_user,
    denied,
)

store = feedback_fixtures.store
calls = feedback_fixtures.calls
MONDAY = datetime(2024, 5, 6, 9, tzinfo=timezone.utc)


def test_weeks_compare_with_the_operators_baseline_and_the_team_median():
    points = [
        CriterionPoint("ann", MONDAY, "pace", 40.0),
        CriterionPoint("ann", MONDAY + timedelta(days=7), "pace", 80.0),
        CriterionPoint("ann", MONDAY + timedelta(days=8), "pace", 90.0),
        CriterionPoint("ben", MONDAY + timedelta(days=6), "pace", 60.0),  # Sunday: week 1
    ]
    rows = weekly_rows(points)
    assert [(r.operator, r.week) for r in rows] == [
        ("ann", "2024-W19"),
        ("ben", "2024-W19"),
        ("ann", "2024-W20"),
    ]
    first, _, second = rows
    assert (first.score, first.baseline, first.team_median) == (40.0, 80.0, 50.0)
    assert (first.vs_baseline, first.vs_team) == (-40.0, -10.0)
    assert (second.calls, second.score, second.vs_baseline) == (2, 85.0, 5.0)
    assert iso_week(datetime(2021, 1, 3, tzinfo=timezone.utc)) == "2020-W53"


def test_team_weeks_by_role_with_overrides(store, calls):
    carla = as_user(store, TEAM_COACH)
    override_score(store, carla, calls["a1"], criterion_id="pace", score=100, reason="fine")
    rows = team_weeks(store, carla)
    assert {r.operator for r in rows} == {"alice"}
    assert {r.criterion for r in rows} == {"pace", "dead_air"}
    pace = [r for r in rows if r.criterion == "pace"]
    assert sum(r.calls for r in pace) == 3
    # scores 100 (overridden from 20), 55, 90: the baseline is their median, 55 without it
    assert [r.baseline for r in pace] == [pytest.approx(90.0)] * len(pace)
    assert {r.operator for r in team_weeks(store, as_user(store, ADMIN))} == {"alice", "bob"}
    assert {r.operator for r in team_weeks(store, as_user(store, ADMIN), team="south")} == {"bob"}
    assert {r.operator for r in team_weeks(store, as_user(store, OTHER_COACH))} == {"bob"}
    for name in (OPERATOR, WELLBEING):
        denied(lambda name=name: team_weeks(store, as_user(store, name)))
