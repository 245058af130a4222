"""Scorecard acknowledgements and disputes: each data-access function for each role."""

from __future__ import annotations

import pytest

from coaching.errors import StoreError
from coaching.store.access import open_call
from coaching.store.audit import read_audit
from coaching.store.disputes import (
    acknowledge_scorecard,
    call_feedback,
    dispute_criterion,
    list_disputes,
    resolve_dispute,
    team_feedback,
)
from coaching.store.feedback_schema import ScorecardAcknowledgement
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
NOT_OPERATORS = (TEAM_COACH, OTHER_COACH, WELLBEING, ADMIN)


def _dispute(store, calls, criterion="pace"):
    return dispute_criterion(
        store, as_user(store, OPERATOR), calls["a1"], criterion_id=criterion, comment="I was calm"
    )


def test_acknowledge_by_role(store, calls):
    alice = as_user(store, OPERATOR)
    acknowledge_scorecard(store, alice, calls["a1"])
    acknowledge_scorecard(store, alice, calls["a1"])  # twice: one row, one audit entry
    with store.session() as session:
        assert session.query(ScorecardAcknowledgement).count() == 1
        assert len(read_audit(session, action="acknowledge")) == 1
    denied(lambda: acknowledge_scorecard(store, alice, calls["b1"]))  # not her call
    for name in NOT_OPERATORS:
        denied(lambda name=name: acknowledge_scorecard(store, as_user(store, name), calls["a1"]))


def test_dispute_by_role_and_input(store, calls):
    assert _dispute(store, calls) > 0
    alice = as_user(store, OPERATOR)
    with pytest.raises(StoreError, match="already disputed"):
        _dispute(store, calls)
    with pytest.raises(StoreError, match="no criterion"):
        dispute_criterion(store, alice, calls["a1"], criterion_id="tone", comment="x")
    with pytest.raises(StoreError, match="say why"):
        dispute_criterion(store, alice, calls["a1"], criterion_id="pace", comment=" ")
    denied(lambda: dispute_criterion(store, alice, calls["b1"], criterion_id="pace", comment="x"))
    for name in NOT_OPERATORS:
        denied(
            lambda name=name: dispute_criterion(
                store, as_user(store, name), calls["a1"], criterion_id="dead_air", comment="x"
            )
        )


def test_accepting_overrides_the_score_through_the_override_path(store, calls):
    dispute = _dispute(store, calls)
    carla = as_user(store, TEAM_COACH)
    with pytest.raises(StoreError, match="give one from 0 to 100"):
        resolve_dispute(store, carla, dispute, accept=True, reply="agreed")
    view = resolve_dispute(store, carla, dispute, accept=True, reply="agreed", score=80)
    assert (view.status, view.resolved_by, view.reply) == ("accepted", "carla", "agreed")
    opened = open_call(store, carla, calls["a1"])
    assert opened.effective_scores()["pace"] == 80
    assert opened.summary.overall_score == pytest.approx(50.0)  # stored overall: (80 + 20) / 2
    assert opened.overrides[0].reason == "agreed"
    with store.session() as session:
        actions = [e.action for e in read_audit(session, call_id=calls["a1"])]
    assert actions[-3:] == ["override-score", "dispute-accepted", "open-call"]
    with pytest.raises(StoreError, match="already accepted"):
        resolve_dispute(store, carla, dispute, accept=False, reply="no")


def test_resolve_by_role(store, calls):
    dispute = _dispute(store, calls)
    for name in (OPERATOR, OTHER_COACH, WELLBEING, ADMIN):
        denied(
            lambda name=name: resolve_dispute(
                store, as_user(store, name), dispute, accept=False, reply="no"
            )
        )
    view = resolve_dispute(
        store, as_user(store, TEAM_COACH), dispute, accept=False, reply="the pace was 190 wpm"
    )
    assert view.status == "declined"
    assert open_call(store, as_user(store, OPERATOR), calls["a1"]).overrides == ()


def test_list_disputes_by_role(store, calls):
    dispute = _dispute(store, calls)
    for name in (OPERATOR, TEAM_COACH, ADMIN):
        found = list_disputes(store, as_user(store, name), status="open")
        assert [(d.id, d.operator, d.raised_by) for d in found] == [(dispute, "alice", "alice")]
    assert list_disputes(store, as_user(store, OTHER_COACH)) == []
    denied(lambda: list_disputes(store, as_user(store, WELLBEING)))


def test_call_feedback_by_role(store, calls):
    acknowledge_scorecard(store, as_user(store, OPERATOR), calls["a1"])
    _dispute(store, calls)
    for name in (OPERATOR, TEAM_COACH, ADMIN):
        feedback = call_feedback(store, as_user(store, name), calls["a1"])
        assert feedback.acknowledged_at is not None and len(feedback.disputes) == 1
    for name in (OTHER_COACH, WELLBEING):
        denied(lambda name=name: call_feedback(store, as_user(store, name), calls["a1"]))


def test_team_feedback_counts_by_role(store, calls):
    acknowledge_scorecard(store, as_user(store, OPERATOR), calls["a2"])
    first = _dispute(store, calls)
    _dispute(store, calls, criterion="dead_air")
    resolve_dispute(store, as_user(store, TEAM_COACH), first, accept=False, reply="no")
    north = [(t.team, t.acknowledged, t.open, t.accepted, t.declined) for t in
             team_feedback(store, as_user(store, TEAM_COACH))]  # fmt: skip
    assert north == [("north", 1, 1, 0, 1)]
    everyone = team_feedback(store, as_user(store, ADMIN))
    assert [t.team for t in everyone] == ["north", "south"]
    assert [t.open for t in team_feedback(store, as_user(store, OTHER_COACH))] == [0]
    for name in (OPERATOR, WELLBEING):
        denied(lambda name=name: team_feedback(store, as_user(store, name)))
