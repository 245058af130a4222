"""Sign-in and roles, enforced in the data layer; wellbeing exposure arithmetic.

The store tests run on a SQLite file, and PostgreSQL too (see testkit/store_fixtures.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from coaching.errors import AccessDenied, StoreError
from coaching.store import save_report
from coaching.store.access import list_calls, open_call
from coaching.store.admin import add_user, set_active, users
from coaching.store.audit import read_audit
from coaching.store.auth import (
    SessionExpired,
    SignInError,
    create_user,
    resume,
    sign_in,
    sign_out,
)
from coaching.store.exposure import exposure
from coaching.store.review import add_annotation, override_score, review_flag, store_analysed_call
from coaching.store.schema import Call, Operator, Team
from testkit.store_fixtures import FAST_HASHER, PASSWORD, seeded_store_fixture
from testkit.store_samples import FlagSpec, synthetic_report

NOW = datetime(2024, 5, 8, 15, 0, tzinfo=timezone.utc)  # a Wednesday
PEOPLE = {
    "alice": ("operator", "north"),
    "bob": ("operator", "south"),
    "coach_n": ("coach", "north"),
    "coach_s": ("coach", "south"),
    "well": ("wellbeing", None),
    "root": ("admin", None),
}

store = seeded_store_fixture(PEOPLE)


@pytest.fixture
def calls(store):
    """alice: a call with a caller threat (and her own swearing), a clean call; bob: an insult."""
    seeded = {
        "alice_abused": (
            synthetic_report(
                "a1", flags=[FlagSpec(10, 20, "threat", 0.9), FlagSpec(30, 32, speaker="operator")]
            ),
            "alice",
            NOW - timedelta(hours=2),
        ),
        "alice_clean": (synthetic_report("a2"), "alice", NOW - timedelta(days=1)),
        "bob_abused": (
            synthetic_report("b1", flags=[FlagSpec(40, 55, "insult", 0.5)]),
            "bob",
            NOW - timedelta(hours=1),
        ),
    }
    ids = {}
    with store.session() as session:
        for key, (report, operator, when) in seeded.items():
            ids[key] = save_report(
                session,
                report,
                audio_ref=f"{key}.wav",
                operator=operator,
                call_time=when,
                settings_hash="s",
            )
    return ids


def _as(store, name, *, at=NOW):
    return sign_in(store, name, PASSWORD, now=at, hasher=FAST_HASHER)


def _actions(store, action):
    with store.session() as session:
        return read_audit(session, action=action)


def test_sign_in_checks_the_password_and_logs_failures(store):
    user = _as(store, "alice")
    assert (user.name, user.role, user.team, user.operator) == (
        "alice",
        "operator",
        "north",
        "alice",
    )
    assert user.expires_at == NOW + timedelta(minutes=30)
    assert user.token and user.token not in repr(user)
    for name, password in (("alice", "wrong password"), ("nobody", PASSWORD)):
        with pytest.raises(SignInError, match="wrong password"):
            sign_in(store, name, password, now=NOW, hasher=FAST_HASHER)
    assert [e.actor for e in _actions(store, "sign-in-failed")] == ["alice", "nobody"]
    with store.session() as session:
        with pytest.raises(StoreError, match="already exists"):
            create_user(session, "alice", role="admin", password=PASSWORD, hasher=FAST_HASHER)
        with pytest.raises(StoreError, match="unknown role"):
            create_user(session, "eve", role="boss", password=PASSWORD, hasher=FAST_HASHER)


def test_idle_sessions_expire_with_a_sliding_window(store, calls):
    user = _as(store, "alice")
    later = NOW + timedelta(minutes=29)
    assert resume(store, user.token, now=later).expires_at == later + timedelta(minutes=30)
    assert len(list_calls(store, user, now=later + timedelta(minutes=29))) == 2
    with pytest.raises(SessionExpired, match="idle"):
        list_calls(store, user, now=later + timedelta(minutes=29 + 31))
    short = sign_in(
        store, "bob", PASSWORD, now=NOW, idle_timeout=timedelta(minutes=5), hasher=FAST_HASHER
    )
    with pytest.raises(SessionExpired):
        resume(store, short.token, now=NOW + timedelta(minutes=6))
    fresh = _as(store, "bob")
    sign_out(store, fresh.token, now=NOW)
    with pytest.raises(SessionExpired, match="ended"):
        open_call(store, fresh, calls["bob_abused"], now=NOW)


def test_an_operator_sees_only_their_own_calls(store, calls):
    alice = _as(store, "alice")
    assert {c.id for c in list_calls(store, alice, now=NOW)} == {
        calls["alice_abused"],
        calls["alice_clean"],
    }
    view = open_call(store, alice, calls["alice_abused"], now=NOW)
    assert view.report is not None and view.summary.overall_score == 72.0
    with pytest.raises(AccessDenied, match="may not open call"):
        open_call(store, alice, calls["bob_abused"], now=NOW)
    denied = _actions(store, "open-call-denied")
    assert [(e.actor, e.call_id) for e in denied] == [("alice", calls["bob_abused"])]
    with pytest.raises(AccessDenied, match="only coach may annotate"):
        add_annotation(store, alice, calls["alice_abused"], text="me", now=NOW)


def test_every_opening_of_a_call_is_audited(store, calls):
    for name in ("alice", "coach_n", "root", "alice"):
        open_call(store, _as(store, name), calls["alice_abused"], now=NOW)
    opened = _actions(store, "open-call")
    assert [(e.actor, e.call_id) for e in opened] == [
        (name, calls["alice_abused"]) for name in ("alice", "coach_n", "root", "alice")
    ]
    assert opened[0].at == NOW


def test_a_coach_reviews_calls_of_their_team_only(store, calls):
    coach = _as(store, "coach_n")
    assert {c.operator for c in list_calls(store, coach, now=NOW)} == {"alice"}
    call_id = calls["alice_abused"]
    add_annotation(store, coach, call_id, text="Calm answer to the threat", at_s=12.0, now=NOW)
    override_score(store, coach, call_id, criterion_id="pace", score=90, reason="fine", now=NOW)
    override_score(
        store, coach, call_id, criterion_id="pace", score=85, reason="on reflection", now=NOW
    )
    review_flag(
        store, coach, call_id, flag_index=0, verdict="confirmed", note="real threat", now=NOW
    )
    seen_by_alice = open_call(store, _as(store, "alice"), call_id, now=NOW)
    assert [(a.author, a.at_s, a.text) for a in seen_by_alice.annotations] == [
        ("coach_n", 12.0, "Calm answer to the threat")
    ]
    assert seen_by_alice.effective_scores() == {"pace": 85, "dead_air": 72.0}
    assert seen_by_alice.segments[0].verdict == "confirmed"
    assert seen_by_alice.segments[0].reviewer == "coach_n"
    with pytest.raises(StoreError, match="no criterion"):
        override_score(store, coach, call_id, criterion_id="nope", score=1, reason="x", now=NOW)
    with pytest.raises(StoreError, match="outside call"):
        add_annotation(store, coach, call_id, text="late", at_s=500.0, now=NOW)
    other = calls["bob_abused"]
    for attempt in (
        lambda: open_call(store, coach, other, now=NOW),
        lambda: add_annotation(store, coach, other, text="hi", now=NOW),
        lambda: override_score(
            store, coach, other, criterion_id="pace", score=1, reason="x", now=NOW
        ),
        lambda: review_flag(store, coach, other, flag_index=0, verdict="rejected", now=NOW),
    ):
        with pytest.raises(AccessDenied):
            attempt()
    assert {e.action for e in _actions_for(store, other)} == {
        "open-call-denied",
        "annotate-denied",
        "override-score-denied",
        "review-flag-denied",
    }


def _actions_for(store, call_id):
    with store.session() as session:
        return read_audit(session, call_id=call_id)


def test_wellbeing_sees_exposure_not_performance(store, calls):
    well = _as(store, "well")
    listed = list_calls(store, well, now=NOW)
    assert {c.id for c in listed} == {calls["alice_abused"], calls["bob_abused"]}
    assert all(c.overall_score is None for c in listed)
    view = open_call(store, well, calls["alice_abused"], now=NOW)
    assert view.report is None and view.annotations == () and view.overrides == ()
    assert [s.flag.category for s in view.segments] == ["threat"]  # not alice's own swearing
    assert [u.text for u in view.segments[0].utterances] == ["utterance 1"]
    with pytest.raises(AccessDenied):
        open_call(store, well, calls["alice_clean"], now=NOW)
    with pytest.raises(AccessDenied, match="may not open call 999, or there is no such"):
        open_call(store, well, 999, now=NOW)
    by_name = {e.operator: e for e in exposure(store, well, now=NOW)}
    assert by_name["alice"].today.threat_calls == 1 and by_name["alice"].team == "north"
    assert by_name["bob"].today.abusive_minutes == pytest.approx(15 / 60)
    for name in ("alice", "coach_n"):
        with pytest.raises(AccessDenied, match="exposure"):
            exposure(store, _as(store, name), now=NOW)


def test_a_rejected_flag_stops_counting_as_exposure(store, calls):
    review_flag(
        store,
        _as(store, "coach_n"),
        calls["alice_abused"],
        flag_index=0,
        verdict="rejected",
        note="a joke between friends",
        now=NOW,
    )
    with store.session() as session:
        call = session.get(Call, calls["alice_abused"])
        assert (call.abusive_flag_count, call.abusive_minutes, call.abuse_categories) == (0, 0, [])
    alice = next(e for e in exposure(store, _as(store, "root"), now=NOW) if e.operator == "alice")
    assert alice.today.abusive_calls == 0 and alice.load == 0


def test_an_admin_manages_users_and_sees_everything(store, calls):
    root = _as(store, "root")
    assert len(list_calls(store, root, now=NOW)) == 3
    add_user(
        store,
        root,
        "carol",
        role="operator",
        team="south",
        password=PASSWORD,
        now=NOW,
        hasher=FAST_HASHER,
    )
    assert {u.name for u in users(store, root, now=NOW)} >= {"carol", "alice"}
    with pytest.raises(AccessDenied, match="only admin may add users"):
        add_user(
            store,
            _as(store, "coach_n"),
            "mallory",
            role="admin",
            password=PASSWORD,
            now=NOW,
            hasher=FAST_HASHER,
        )
    bob = _as(store, "bob")
    set_active(store, root, "bob", False, now=NOW)
    with pytest.raises(SessionExpired, match="deactivated"):
        list_calls(store, bob, now=NOW)
    with pytest.raises(SignInError):
        _as(store, "bob")


def test_a_coach_adds_calls_for_their_own_team_only(store):
    coach = _as(store, "coach_n")
    report = synthetic_report("new")
    call_id = store_analysed_call(
        store,
        coach,
        report,
        audio_ref="new.wav",
        operator="newbie",
        call_time=NOW,
        settings_hash="s",
        now=NOW,
    )
    with store.session() as session:
        newbie = session.scalars(select(Operator).where(Operator.name == "newbie")).one()
        assert session.get(Team, newbie.team_id).name == "north"
        assert session.get(Call, call_id).operator_id == newbie.id
    with pytest.raises(AccessDenied, match="own team"):
        store_analysed_call(
            store,
            coach,
            synthetic_report("x"),
            audio_ref="x.wav",
            operator="bob",
            call_time=NOW,
            settings_hash="s",
            now=NOW,
        )
