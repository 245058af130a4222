"""Sign-in hardening (issue 9, item 7): throttling, weak passwords, field caps, the audit
log's bounds, session lifetime and deactivation. SQLite, and PostgreSQL when configured."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from coaching.errors import StoreError
from coaching.store.admin import add_user, set_active
from coaching.store.audit import read_audit
from coaching.store.auth import (
    SessionExpired,
    SignInError,
    SignInThrottled,
    create_user,
    resume,
    sign_in,
)
from coaching.store.review import add_annotation
from testkit.store_fixtures import FAST_HASHER, PASSWORD, seeded_store_fixture

NOW = datetime(2024, 5, 8, 15, 0, tzinfo=timezone.utc)
PEOPLE = {"alice": ("operator", "north"), "coach_n": ("coach", "north"), "root": ("admin", None)}
store = seeded_store_fixture(PEOPLE)


def _try(store, name, password, *, at, client="10.0.0.1"):
    return sign_in(store, name, password, client=client, now=at, hasher=FAST_HASHER)


def _actions(store, action):
    with store.session() as session:
        return read_audit(session, action=action)


def test_forty_wrong_passwords_then_the_right_one_is_refused(store):
    at, refused = NOW, 0
    for _ in range(40):  # as fast as an attacker may: one guess a second
        try:
            _try(store, "alice", "wrong password", at=at)
        except SignInThrottled:
            refused += 1
        except SignInError:
            pass
        at += timedelta(seconds=1)
    assert refused > 25  # most guesses never reached the password check
    with pytest.raises(SignInThrottled, match="alice|user name"):
        _try(store, "alice", PASSWORD, at=at)
    assert len(_actions(store, "sign-in-throttled")) == refused + 1


def test_waiting_out_each_delay_still_ends_in_a_logged_lockout(store):
    at = NOW
    for _ in range(10):
        with pytest.raises(SignInError):
            _try(store, "alice", "wrong password", at=at)
        at += timedelta(seconds=121)  # past the longest delay
    with pytest.raises(SignInThrottled, match="locked for 13 minutes"):
        _try(store, "alice", PASSWORD, at=at)
    (lockout,) = _actions(store, "sign-in-lockout")
    assert lockout.actor == "alice" and lockout.detail["by"] == "user"
    # After the lockout the right password works and clears the count.
    assert _try(store, "alice", PASSWORD, at=at + timedelta(minutes=14)).name == "alice"
    with pytest.raises(SignInError) as failed:
        _try(store, "alice", "wrong password", at=at + timedelta(minutes=15))
    assert not isinstance(failed.value, SignInThrottled)


def test_the_delay_grows_with_each_failure_and_holds_unknown_names_alike(store):
    for name in ("alice", "nobody"):
        at = NOW
        for _ in range(3):  # free failures
            with pytest.raises(SignInError):
                _try(store, name, "wrong password", at=at, client=None)
        with pytest.raises(SignInThrottled, match=r"wait 2 second\(s\)"):
            _try(store, name, "wrong password", at=at, client=None)
        with pytest.raises(SignInError) as allowed:
            _try(store, name, "wrong password", at=at + timedelta(seconds=2), client=None)
        assert not isinstance(allowed.value, SignInThrottled)
        with pytest.raises(SignInThrottled, match=r"wait 4 second\(s\)"):
            _try(store, name, PASSWORD, at=at + timedelta(seconds=2), client=None)


def test_one_client_guessing_many_names_is_locked_out(store):
    at, failures = NOW, 0
    while failures < 30:  # a new name each time, each delay waited out
        try:
            _try(store, f"guess{failures}", "wrong password", at=at, client="203.0.113.9")
        except SignInThrottled:
            at += timedelta(seconds=121)
        except SignInError:
            failures += 1
    with pytest.raises(SignInThrottled, match="this computer; sign-in is locked"):
        _try(store, "alice", PASSWORD, at=at, client="203.0.113.9")
    assert _try(store, "alice", PASSWORD, at=at, client="198.51.100.1").name == "alice"
    lockouts = _actions(store, "sign-in-lockout")
    assert any(entry.detail.get("by") == "client" for entry in lockouts)


@pytest.mark.parametrize(
    "password",
    ["12345678", "password", "Password", "qwertyuiop", " " * 8, "\u200b" * 8,
     "aaaaaaaaaa", "newcomer", "short1!", "passwor\u200bd-long", "x" * 300],
)  # fmt: skip
def test_weak_passwords_are_refused_with_the_reason(store, password):
    with store.session() as session, pytest.raises(StoreError, match="password is refused"):
        create_user(session, "newcomer", role="operator", password=password, hasher=FAST_HASHER)


def test_over_long_names_and_notes_are_refused_plainly_on_every_backend(store):
    root = sign_in(store, "root", PASSWORD, now=NOW, hasher=FAST_HASHER)
    for name, team in (("n" * 160, None), ("ok name", "t" * 160)):
        with pytest.raises(StoreError, match="at most 120 characters"):
            add_user(store, root, name, role="operator", password=PASSWORD, team=team, now=NOW,
                     hasher=FAST_HASHER)  # fmt: skip
    coach = sign_in(store, "coach_n", PASSWORD, now=NOW, hasher=FAST_HASHER)
    with pytest.raises(StoreError, match="2000 characters"):
        add_annotation(store, coach, 1, text="x" * 5000, now=NOW)


def test_the_audit_log_stores_typed_names_bounded_and_without_control_characters(store):
    forged = "mallory\n2024-05-08 sign-in root\x1b[2J" + "A" * 5000
    with pytest.raises(SignInError):
        _try(store, forged, "wrong password", at=NOW, client="x" * 900)
    (entry,) = _actions(store, "sign-in-failed")
    assert len(entry.actor) <= 160 and "\n" not in entry.actor and "\x1b" not in entry.actor
    assert len(entry.detail["client"]) <= 300


def test_sessions_end_after_their_absolute_lifetime_however_busy(store):
    user = sign_in(store, "alice", PASSWORD, now=NOW, hasher=FAST_HASHER)
    at = NOW
    while at < NOW + timedelta(hours=11, minutes=50):
        at += timedelta(minutes=20)
        resume(store, user.token, now=at)  # never idle
    with pytest.raises(SessionExpired, match="12-hour limit"):
        resume(store, user.token, now=NOW + timedelta(hours=12, minutes=1))


def test_deactivation_ends_sessions_for_good(store):
    root = sign_in(store, "root", PASSWORD, now=NOW, hasher=FAST_HASHER)
    alice = sign_in(store, "alice", PASSWORD, now=NOW, hasher=FAST_HASHER)
    set_active(store, root, "alice", False, now=NOW)
    set_active(store, root, "alice", True, now=NOW + timedelta(minutes=1))
    with pytest.raises(SessionExpired, match="ended"):
        resume(store, alice.token, now=NOW + timedelta(minutes=2))
    assert sign_in(store, "alice", PASSWORD, now=NOW, hasher=FAST_HASHER).name == "alice"


def test_users_add_refuses_plainly_without_a_traceback_or_the_hash(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    for name, password in (("n" * 160, "a decent passphrase"), ("newcomer", "password")):
        result = subprocess.run(
            [sys.executable, "-m", "coaching", "users", "add", name, "--role", "operator",
             "--password-stdin", "--db", url],
            input=password + "\n", capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode != 0
        output = result.stdout + result.stderr
        assert "Traceback" not in output and "$argon2" not in output
        assert "refused" in output or "at most 120" in output
