"""One overall: a coach's override moves the call list, the review page and the trend alike."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from coaching.app.charts import metric_trends
from coaching.app.history import report_history
from coaching.app.views import overall_with_overrides
from coaching.scoring.score import overall_score
from coaching.store.access import list_calls, open_call
from coaching.store.auth import sign_in
from coaching.store.calls import save_report
from coaching.store.review import override_score
from testkit.store_fixtures import FAST_HASHER, PASSWORD, seeded_store_fixture
from testkit.store_samples import synthetic_report

NOW = datetime(2024, 5, 8, 15, 0, tzinfo=timezone.utc)
store = seeded_store_fixture({"alice": ("operator", "north"), "coach_n": ("coach", "north")})


def _as(store, name, *, now=NOW):
    return sign_in(store, name, PASSWORD, now=now, hasher=FAST_HASHER)


@pytest.fixture
def call_id(store) -> int:
    with store.session() as session:
        return save_report(
            session,
            synthetic_report("a1"),
            audio_ref="a1.wav",
            operator="alice",
            call_time=NOW - timedelta(hours=1),
            settings_hash="s",
        )


def test_an_override_changes_every_overall_the_same_way(store, call_id):
    alice, coach = _as(store, "alice"), _as(store, "coach_n")
    before = list_calls(store, alice, now=NOW)[0].overall_score
    scorecard = open_call(store, alice, call_id, now=NOW).report.scorecard
    assert before == overall_score(scorecard.criteria)

    override_score(store, coach, call_id, criterion_id="pace", score=0, reason="rushed", now=NOW)

    listed = list_calls(store, alice, now=NOW)[0].overall_score
    reviewed = overall_with_overrides(open_call(store, alice, call_id, now=NOW))
    history = report_history(store, _as(store, "alice", now=None))
    (trend,) = [t for t in metric_trends(history) if t.metric == "overall"]
    assert listed != before
    assert listed == pytest.approx(reviewed) == pytest.approx(trend.points[-1].value)


def test_the_latest_override_of_a_criterion_counts(store, call_id):
    coach = _as(store, "coach_n")
    override_score(store, coach, call_id, criterion_id="pace", score=0, reason="first", now=NOW)
    override_score(store, coach, call_id, criterion_id="pace", score=100, reason="second", now=NOW)
    view = open_call(store, _as(store, "alice"), call_id, now=NOW)
    assert list_calls(store, coach, now=NOW)[0].overall_score == pytest.approx(
        overall_with_overrides(view)
    )
    assert view.effective_scores()["pace"] == 100
