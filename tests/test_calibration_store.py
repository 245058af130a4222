"""Calibration rounds in the store: who may start, score, see, and when scores stop being blind."""

from __future__ import annotations

import pytest

from coaching.errors import StoreError
from coaching.scoring.agreement import COACH_REVIEW
from coaching.store.audit import read_audit
from coaching.store.calibration import (
    agreement_table,
    list_rounds,
    open_round,
    round_agreement,
    score_call,
    start_round,
    submit_round,
    team_coaches,
    trust_marks,
)
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
NORTH_COACHES = ["carla", "cody"]


def _start(store, calls, who="carla"):
    north = [calls["a1"], calls["a2"], calls["a3"]]
    return start_round(
        store, as_user(store, who), title="week 1", call_ids=north, coaches=NORTH_COACHES
    )


def _score_all(store, round_id, calls, name, levels):
    user = as_user(store, name)
    for key, level in zip(("a1", "a2", "a3"), levels, strict=True):
        score_call(store, user, round_id, calls[key], levels={"pace": level, "dead_air": level})
    submit_round(store, user, round_id)


def _call(view, call_id):
    return next(c for c in view.calls if c.call_id == call_id)


def test_start_round_by_role(store, calls):
    assert _start(store, calls, TEAM_COACH) > 0
    assert _start(store, calls, ADMIN) > 0
    for name in (OPERATOR, WELLBEING, OTHER_COACH):
        denied(lambda name=name: _start(store, calls, name))
    with pytest.raises(StoreError, match="one team"):
        start_round(
            store,
            as_user(store, ADMIN),
            title="mixed",
            call_ids=[calls["a1"], calls["b1"]],
            coaches=NORTH_COACHES,
        )
    with pytest.raises(StoreError, match="not active coaches"):
        start_round(
            store,
            as_user(store, TEAM_COACH),
            title="x",
            call_ids=[calls["a1"]],
            coaches=["carla", "sam"],
        )
    with store.session() as session:
        assert [e.actor for e in read_audit(session, action="start-calibration")] == [
            "carla",
            "root",
        ]


def test_list_rounds_by_role(store, calls):
    round_id = _start(store, calls)
    for name in (TEAM_COACH, ADMIN):
        assert [r.id for r in list_rounds(store, as_user(store, name))] == [round_id]
    assert list_rounds(store, as_user(store, OTHER_COACH)) == []
    for name in (OPERATOR, WELLBEING):
        denied(lambda name=name: list_rounds(store, as_user(store, name)))


def test_open_round_is_blind_until_the_coach_submits(store, calls):
    round_id = _start(store, calls)
    _score_all(store, round_id, calls, "cody", [1, 3, 5])
    carla = as_user(store, TEAM_COACH)
    score_call(store, carla, round_id, calls["a1"], levels={"pace": 2})
    view = open_round(store, carla, round_id)
    assert view.participant and not view.submitted
    first = _call(view, calls["a1"])
    assert first.mine == {"pace": 2}
    assert first.others is None and first.auto is None  # cody's scores and auto stay hidden
    denied(lambda: round_agreement(store, carla, round_id))
    _score_all(store, round_id, calls, "carla", [1, 3, 5])
    after = open_round(store, carla, round_id)
    assert after.submitted
    assert _call(after, calls["a1"]).others == {"cody": {"pace": 1, "dead_air": 1}}
    assert _call(after, calls["a1"]).auto == {"pace": 2, "dead_air": 2}  # overall 20 -> level 2


def test_open_round_by_role(store, calls):
    round_id = _start(store, calls)
    admin_view = open_round(store, as_user(store, ADMIN), round_id)
    assert not admin_view.participant and admin_view.calls[0].auto is not None
    assert open_round(store, as_user(store, TEAM_COACH), round_id).calls[0].auto is None
    for name in (OPERATOR, WELLBEING, OTHER_COACH):
        denied(lambda name=name: open_round(store, as_user(store, name), round_id))


def test_score_call_by_role_and_input(store, calls):
    round_id = _start(store, calls)
    carla = as_user(store, TEAM_COACH)
    score_call(store, carla, round_id, calls["a1"], levels={"pace": 3, "dead_air": None})
    with pytest.raises(StoreError, match="outside the scale"):
        score_call(store, carla, round_id, calls["a1"], levels={"pace": 7})
    with pytest.raises(StoreError, match="no criteria"):
        score_call(store, carla, round_id, calls["a1"], levels={"tone": 3})
    with pytest.raises(StoreError, match="not in round"):
        score_call(store, carla, round_id, calls["b1"], levels={"pace": 3})
    for name in (OPERATOR, WELLBEING, OTHER_COACH, ADMIN):
        denied(
            lambda name=name: score_call(
                store, as_user(store, name), round_id, calls["a1"], levels={"pace": 3}
            )
        )


def test_submit_round_needs_every_criterion_and_is_final(store, calls):
    round_id = _start(store, calls)
    carla = as_user(store, TEAM_COACH)
    score_call(store, carla, round_id, calls["a1"], levels={"pace": 3})
    with pytest.raises(StoreError, match="missing: call"):
        submit_round(store, carla, round_id)
    _score_all(store, round_id, calls, "carla", [2, 3, 4])
    with pytest.raises(StoreError, match="already submitted"):
        score_call(store, carla, round_id, calls["a1"], levels={"pace": 1})
    for name in (OPERATOR, WELLBEING, OTHER_COACH, ADMIN):
        denied(lambda name=name: submit_round(store, as_user(store, name), round_id))


def test_round_agreement_by_role(store, calls):
    round_id = _start(store, calls)
    _score_all(store, round_id, calls, "carla", [2, 3, 5])
    _score_all(store, round_id, calls, "cody", [2, 3, 4])
    for name in (TEAM_COACH, ADMIN):
        table = round_agreement(store, as_user(store, name), round_id)
        assert [a.criterion_id for a in table] == ["dead_air", "pace"]
        pace = table[1]
        assert (pace.calls, pace.coaches, pace.auto_calls) == (3, 2, 3)
        assert pace.alpha_coaches is not None and pace.kappa_coaches is not None
        assert pace.status == COACH_REVIEW  # 3 calls are too few to trust
    for name in (OPERATOR, WELLBEING, OTHER_COACH):
        denied(lambda name=name: round_agreement(store, as_user(store, name), round_id))


def test_agreement_table_for_the_cli_counts_submitted_scores_only(store, calls):
    round_id = _start(store, calls)
    _score_all(store, round_id, calls, "carla", [2, 3, 5])
    score_call(store, as_user(store, "cody"), round_id, calls["a1"], levels={"pace": 1})
    with store.session() as session:
        table = agreement_table(session, round_id=round_id)
        assert {a.coaches for a in table} == {1}
        with pytest.raises(StoreError, match="no calibration round"):
            agreement_table(session, round_id=999)


def test_trust_marks_for_every_role(store, calls):
    round_id = _start(store, calls)
    _score_all(store, round_id, calls, "carla", [2, 3, 5])
    _score_all(store, round_id, calls, "cody", [2, 3, 5])
    for name in (OPERATOR, TEAM_COACH, OTHER_COACH, WELLBEING, ADMIN):
        assert trust_marks(store, as_user(store, name)) == {
            "dead_air": COACH_REVIEW,
            "pace": COACH_REVIEW,
        }


def test_team_coaches_by_role(store):
    assert team_coaches(store, as_user(store, TEAM_COACH)) == {"north": ["carla", "cody"]}
    assert team_coaches(store, as_user(store, OTHER_COACH)) == {"south": ["sam"]}
    assert team_coaches(store, as_user(store, ADMIN)) == {
        "north": ["carla", "cody"],
        "south": ["sam"],
    }
    for name in (OPERATOR, WELLBEING):
        denied(lambda name=name: team_coaches(store, as_user(store, name)))
