"""Retention and erasure: what goes, what stays, what is said and logged; the store CLI.

The store tests run on a SQLite file, and PostgreSQL too (see testkit/store_fixtures.py).
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from coaching.cli.invoke import run_command
from coaching.cli.main import cli
from coaching.errors import AccessDenied, StoreError
from coaching.store import open_store, save_report
from coaching.store.access import open_call
from coaching.store.admin import erase_call_as
from coaching.store.audit import read_audit
from coaching.store.auth import SessionExpired, sign_in
from coaching.store.retention import erase_call, erase_operator, purge_older_than
from coaching.store.review import add_annotation, override_score, review_flag
from coaching.store.schema import (
    AbuseFlagRow,
    Annotation,
    Call,
    FlagReview,
    Operator,
    ScoreOverride,
    SignInSession,
    User,
)
from testkit.store_fixtures import FAST_HASHER, PASSWORD, seeded_store_fixture
from testkit.store_samples import FlagSpec, synthetic_report

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
PEOPLE = {"alice": ("operator", "north"), "coach": ("coach", "north"), "root": ("admin", "north")}

store = seeded_store_fixture(PEOPLE)


@pytest.fixture
def audio_root(tmp_path):
    root = tmp_path / "data" / "audio"
    root.mkdir(parents=True)
    return root


def _add_call(store, name, *, operator="alice", age_days=1.0, audio=None, now=NOW):
    report = synthetic_report(name, flags=[FlagSpec(10, 20, "threat", 0.8)])
    if audio is not None:
        audio.parent.mkdir(parents=True, exist_ok=True)
        audio.write_bytes(b"RIFF fake audio")
    with store.session() as session:
        return save_report(
            session,
            report,
            audio_ref=str(audio or f"{name}.wav"),
            operator=operator,
            call_time=now - timedelta(days=age_days),
            settings_hash="s",
        )


def _coach_works_on(store, call_id):
    coach = sign_in(store, "coach", PASSWORD, now=NOW, hasher=FAST_HASHER)
    add_annotation(store, coach, call_id, text="good save", at_s=5.0, now=NOW)
    override_score(store, coach, call_id, criterion_id="pace", score=80, reason="ok", now=NOW)
    review_flag(store, coach, call_id, flag_index=0, verdict="confirmed", now=NOW)


def _count(store, table, *where):
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(table).where(*where))


def test_purge_removes_old_calls_with_their_derived_data_and_managed_audio(
    store, audio_root, tmp_path
):
    old = _add_call(store, "old", age_days=40, audio=audio_root / "old.wav")
    outside = _add_call(store, "outside", age_days=31, audio=tmp_path / "recorder" / "o.wav")
    recent = _add_call(store, "recent", age_days=5, audio=audio_root / "recent.wav")
    _coach_works_on(store, old)
    _coach_works_on(store, recent)

    report = purge_older_than(store, days=30, now=NOW, audio_root=audio_root, actor="cron")

    assert report.call_ids == tuple(sorted((old, outside)))
    assert (report.annotations, report.score_overrides, report.flag_reviews) == (1, 1, 1)
    assert report.abuse_flags == 2
    assert report.audio_deleted == (str((audio_root / "old.wav").resolve()),)
    assert report.audio_kept == (str((tmp_path / "recorder" / "o.wav").resolve()),)
    assert not (audio_root / "old.wav").exists() and (tmp_path / "recorder" / "o.wav").exists()
    assert (audio_root / "recent.wav").exists()
    with store.session() as session:
        assert list(session.scalars(select(Call.id))) == [recent]
        (entry,) = read_audit(session, action="purge")
    assert entry.actor == "cron" and entry.detail["calls"] == sorted((old, outside))
    for table in (Annotation, ScoreOverride, FlagReview, AbuseFlagRow):
        assert _count(store, table) == 1, table.__tablename__
    assert "removed 2 call(s)" in report.lines()[0]


def test_erasing_a_call_keeps_audio_another_call_still_uses(store, audio_root):
    shared = audio_root / "shared.wav"
    first = _add_call(store, "first", audio=shared)
    second = _add_call(store, "second", audio=shared)
    _coach_works_on(store, first)

    report = erase_call(store, first, audio_root=audio_root)

    assert report.call_ids == (first,) and report.annotations == 1
    assert report.audio_deleted == () and shared.exists()
    assert _count(store, Call) == 1 and _count(store, Annotation) == 0
    assert erase_call(store, second, audio_root=audio_root).audio_deleted == (
        str(shared.resolve()),
    )
    assert not shared.exists()
    with store.session() as session:
        assert [e.call_id for e in read_audit(session, action="erase-call")] == [first, second]
    with pytest.raises(StoreError, match="no call with id"):
        erase_call(store, first)


def test_erasing_an_operator_removes_everything_about_them(store, audio_root):
    calls = [_add_call(store, f"a{n}", audio=audio_root / f"a{n}.wav") for n in range(3)]
    kept = _add_call(store, "b0", operator="bob")
    _coach_works_on(store, calls[0])
    alice = sign_in(store, "alice", PASSWORD, now=NOW, hasher=FAST_HASHER)

    report = erase_operator(store, "alice", audio_root=audio_root, actor="dpo")

    assert report.call_ids == tuple(calls) and len(report.audio_deleted) == 3
    assert (report.operators, report.users, report.sessions) == (("alice",), ("alice",), 1)
    assert not any(audio_root.iterdir())
    assert _count(store, Operator, Operator.name == "alice") == 0
    assert _count(store, User, User.name == "alice") == 0
    assert _count(store, SignInSession) == 1  # the coach's
    assert [c for c in (kept,) if _count(store, Call, Call.id == c)] == [kept]
    with pytest.raises(SessionExpired):
        open_call(store, alice, kept, now=NOW)
    with store.session() as session:
        (entry,) = read_audit(session, action="erase-operator")
    assert entry.actor == "dpo" and "alice" not in f"{entry.target} {entry.detail}"
    with pytest.raises(StoreError, match="no operator called 'alice'"):
        erase_operator(store, "alice")


def test_only_an_admin_erases_from_the_app(store, audio_root):
    call_id = _add_call(store, "c")
    coach = sign_in(store, "coach", PASSWORD, now=NOW, hasher=FAST_HASHER)
    with pytest.raises(AccessDenied, match="only admin may erase calls"):
        erase_call_as(store, coach, call_id, now=NOW, audio_root=audio_root)
    assert _count(store, Call) == 1
    root = sign_in(store, "root", PASSWORD, now=NOW, hasher=FAST_HASHER)
    assert erase_call_as(store, root, call_id, now=NOW, audio_root=audio_root).call_ids == (
        call_id,
    )
    with store.session() as session:
        assert [e.actor for e in read_audit(session, call_id=call_id)] == ["coach", "root"]


def _run(monkeypatch, capsys, *argv, stdin=""):
    """`coaching ARGV...` with errors raised, not printed."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert run_command(cli, argv, prog_name="coaching") == 0
    return capsys.readouterr().out


def _add_user_by_cli(monkeypatch, capsys, name, role, *options):
    """`coaching users add NAME --role ROLE [options]`, the password piped in."""
    argv = ("users", "add", name, "--role", role, *options, "--password-stdin")
    return _run(monkeypatch, capsys, *argv, stdin=f"{PASSWORD}\n")


@pytest.fixture
def default_store(tmp_path, monkeypatch):
    """The CLI's default store: SQLite in $COACHING_DATA_DIR."""
    monkeypatch.setenv("COACHING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COACHING_DB_URL", raising=False)


def test_the_cli_adds_and_lists_users(default_store, monkeypatch, capsys):
    out = _add_user_by_cli(monkeypatch, capsys, "olga", "operator", "--team", "north")
    assert out == "added operator olga in team north\n"
    _add_user_by_cli(monkeypatch, capsys, "root", "admin")
    listing = _run(monkeypatch, capsys, "users", "list")
    assert "olga" in listing and "operator olga" in listing and "root" in listing
    with pytest.raises(StoreError, match="needs a team"):
        _add_user_by_cli(monkeypatch, capsys, "c", "coach")
    with pytest.raises(StoreError, match="--password-stdin"):
        _run(monkeypatch, capsys, "users", "add", "d", "--role", "admin")


def test_the_cli_erases_and_purges(default_store, monkeypatch, capsys):
    _add_user_by_cli(monkeypatch, capsys, "olga", "operator")
    store = open_store()
    today = datetime.now(timezone.utc)  # the CLI purges relative to the real clock
    old = _add_call(store, "old", operator="olga", age_days=400, now=today)
    _add_call(store, "new", operator="olga", age_days=1, now=today)
    store.close()
    with pytest.raises(StoreError, match="pass --yes"):
        _run(monkeypatch, capsys, "erase", "--call", str(old))
    assert "removed 1 call(s)" in _run(monkeypatch, capsys, "purge", "--older-than", "365")
    out = _run(monkeypatch, capsys, "erase", "--operator", "olga", "--yes")
    assert out.startswith("operator olga: removed 1 call(s)") and "user(s): olga" in out
    with pytest.raises(StoreError, match="positive"):
        _run(monkeypatch, capsys, "purge", "--older-than", "0")
