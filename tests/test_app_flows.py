"""The app's flows over a seeded demo store: pages per role, history, uploads, exposure."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from coaching.app.analyse import analyse_file, keep_audio
from coaching.app.demo import DEMO_USERS, demo_password, seed_demo
from coaching.app.exposure_view import exposure_rows, sorted_alerts
from coaching.app.history import report_history
from coaching.app.quick_reports import quick_report
from coaching.app.sessions import USER_KEY, attempt_sign_in, current_user, pages_for
from coaching.app.views import call_rows, overall_with_overrides, scorecard_rows
from coaching.errors import AccessDenied
from coaching.store.access import list_calls, open_call
from coaching.store.auth import sign_in
from coaching.store.review import override_score

CHEAP = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


@pytest.fixture(scope="module")
def sample_audio(tmp_path_factory):
    from samples.generate import ensure_calls

    cache = Path(__file__).resolve().parent.parent / "samples" / ".cache"
    return ensure_calls(["en_calm", "en_abusive_threat", "en_fast_monotone"], cache)


@pytest.fixture()
def demo(tmp_path, sample_audio, monkeypatch):
    monkeypatch.setenv("COACHING_DATA_DIR", str(tmp_path))
    names = ["en_calm", "en_abusive_threat", "en_fast_monotone"]
    now = datetime(2024, 5, 20, 12, tzinfo=timezone.utc)
    store = seed_demo(tmp_path, analyze=quick_report, names=names, now=now, hasher=CHEAP)
    yield store, now
    store.close()


def test_seed_demo_creates_the_users_and_spreads_calls_over_two_weeks(demo, tmp_path):
    store, now = demo
    admin = sign_in(store, "adam", demo_password("adam"))
    calls = list_calls(store, admin, now=now)
    assert {c.operator for c in calls} == {"olivia", "oscar"}
    assert len(calls) == 3
    assert all(now - timedelta(days=14) <= c.call_time <= now for c in calls)
    assert all(Path(c.audio_ref).is_relative_to(tmp_path / "audio") for c in calls)
    threat = next(c for c in calls if "threat" in c.abuse_categories)
    assert threat.operator == "oscar" and threat.abusive_flag_count >= 1
    from coaching.store.admin import users

    roles = {(u.name, u.role, u.team) for u in users(store, admin)}
    assert roles == set(DEMO_USERS)
    seed_demo(tmp_path, analyze=quick_report, names=["en_calm"], now=now, hasher=CHEAP)
    assert len(list_calls(store, admin, now=now)) == 3  # run again: nothing doubled


def test_pages_follow_the_role():
    assert [p.title for p in pages_for("operator")] == [
        "My calls",
        "Call review",
        "Scorecard feedback",
        "What worked",
    ]
    assert "Coach workspace" in [p.title for p in pages_for("coach")]
    assert [p.title for p in pages_for("wellbeing")] == ["Wellbeing"]
    assert "Users and retention" in [p.title for p in pages_for("admin")]
    assert pages_for("nobody") == []


def test_an_idle_session_expires_with_a_notice(demo):
    store, _ = demo
    state: dict = {}
    attempt_sign_in(state, store, "olivia", demo_password("olivia"))
    assert current_user(state, store).name == "olivia"
    later = datetime.now(timezone.utc) + timedelta(hours=2)
    assert current_user(state, store, now=later) is None
    assert USER_KEY not in state
    assert "idle" in state["sign_in_notice"]


def test_operators_see_only_their_own_history_and_calls(demo):
    store, _ = demo
    olivia = sign_in(store, "olivia", demo_password("olivia"))
    mine = report_history(store, olivia)
    assert [Path(report.source).stem for _, report in mine] == ["en_calm", "en_fast_monotone"]
    oscar_call = next(
        c for c in list_calls(store, sign_in(store, "adam", "demo-adam")) if c.operator == "oscar"
    )
    with pytest.raises(AccessDenied):
        open_call(store, olivia, oscar_call.id)


def test_scorecard_rows_show_a_coachs_override_and_its_reason(demo):
    store, _ = demo
    carla = sign_in(store, "carla", demo_password("carla"))
    call = list_calls(store, carla)[0]
    view = open_call(store, carla, call.id)
    criterion = view.report.scorecard.criteria[0]
    override_score(store, carla, call.id, criterion_id=criterion.id, score=10, reason="heard it")
    view = open_call(store, carla, call.id)
    row = next(r for r in scorecard_rows(view) if r.criterion == criterion.id)
    assert row.score == 10 and "heard it" in row.override and "carla" in row.override
    assert overall_with_overrides(view) < view.report.scorecard.overall
    assert call_rows([call])[0].call == call.id


def test_analysing_an_upload_stores_it_once_and_a_bad_file_leaves_nothing(demo, tmp_path):
    from coaching.audio.decode import load_audio
    from coaching.options import AnalysisOptions
    from samples.generate import ensure_calls

    store, _ = demo
    carla = sign_in(store, "carla", demo_password("carla"))
    source = ensure_calls(["en_quiet"], Path(__file__).resolve().parent.parent / "samples/.cache")
    data = source["en_quiet"].read_bytes()
    kept, fresh = keep_audio(data, "upload.wav", audio_dir=tmp_path / "audio")
    assert fresh and keep_audio(data, "again.wav", audio_dir=tmp_path / "audio") == (kept, False)
    kept.with_name(kept.stem + ".truth.json").write_bytes(
        source["en_quiet"].with_name("en_quiet.truth.json").read_bytes()
    )
    steps = []

    def analyze(path, *, name, progress):
        progress("decode", 0, 2)
        load_audio(path)
        progress("done", 2, 2)
        steps.append(name)
        return quick_report(path)

    when = datetime(2024, 5, 19, 9, tzinfo=timezone.utc)
    heard = []
    kwargs = dict(
        operator="olivia", call_time=when, analyze=analyze, options=AnalysisOptions(),
        progress=lambda step, done, total: heard.append((step, done, total)),
    )  # fmt: skip
    first = analyse_file(store, carla, kept, display_name="upload.wav", **kwargs)
    assert first.error is None and first.call_id is not None
    assert heard == [("decode", 0, 2), ("done", 2, 2)]
    again = analyse_file(store, carla, kept, display_name="upload.wav", **kwargs)
    assert again.already_stored and again.call_id == first.call_id and steps == ["upload.wav"]

    before = len(list_calls(store, carla))
    broken, fresh = keep_audio(b"RIFF not really audio", "broken.wav", audio_dir=tmp_path / "audio")
    outcome = analyse_file(
        store, carla, broken, display_name="broken.wav", remove_on_failure=fresh, **kwargs
    )
    assert outcome.error and "broken.wav" in outcome.message
    assert not broken.exists() and len(list_calls(store, carla)) == before

    olivia = sign_in(store, "olivia", demo_password("olivia"))
    refused = analyse_file(store, olivia, kept, display_name="x.wav", **{**kwargs, "operator": "z"})
    assert refused.error is not None  # not stored: same audio, but an operator may not add calls


def test_exposure_rows_put_the_most_exposed_first(demo):
    from coaching.store.exposure import exposure

    store, now = demo
    wendy = sign_in(store, "wendy", demo_password("wendy"))
    exposures = exposure(store, wendy, now=now + timedelta(hours=1))
    rows = exposure_rows(exposures)
    assert rows[0].operator == "oscar" and rows[0].exposure_load > 0
    assert rows[-1].exposure_load == 0
    assert all(a.operator == "oscar" for a in sorted_alerts(exposures))


@pytest.mark.slow
def test_seed_demo_analyses_a_committed_call_with_the_real_pipeline(tmp_path, monkeypatch):
    from coaching.store.admin import users

    monkeypatch.setenv("COACHING_DATA_DIR", str(tmp_path))
    store = seed_demo(tmp_path, names=["en_calm"], hasher=CHEAP)
    try:
        admin = sign_in(store, "adam", demo_password("adam"))
        (call,) = list_calls(store, admin)
        report = open_call(store, admin, call.id).report
        assert call.operator == "olivia" and len(users(store, admin)) == len(DEMO_USERS)
        assert any(
            m.role == "asr" and m.name.startswith("whisper") for m in report.provenance.models
        )
        assert not any("sample generator" in w for w in report.warnings)
        assert report.scorecard is not None and report.utterances
        assert Path(call.audio_ref).parent == tmp_path / "audio"
    finally:
        store.close()
