"""Every data-access function, run as each role: what it allows, refuses and hands out.

Roles are enforced in the store (issue 9, item 3): one test per function per role.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from hashlib import sha256

import numpy as np
import pytest
import soundfile as sf

from coaching.errors import AccessDenied
from coaching.store import admin as admin_fns
from coaching.store import save_report
from coaching.store.access import list_calls, open_call
from coaching.store.auth import sign_in
from coaching.store.db import data_dir, open_store
from coaching.store.exposure import exposure
from coaching.store.media import call_audio
from coaching.store.reports import report_history
from coaching.store.review import (
    add_annotation,
    importable_files,
    override_score,
    review_flag,
    store_analysed_call,
    stored_call_for,
)
from testkit.store_fixtures import FAST_HASHER, PASSWORD, store_with_users
from testkit.store_samples import FlagSpec, synthetic_report

NOW = datetime.now(timezone.utc)
ROLE_USERS = {"operator": "alice", "coach": "coach_n", "wellbeing": "well", "admin": "root"}
PEOPLE = {
    "alice": ("operator", "north"),
    "coach_n": ("coach", "north"),
    "well": ("wellbeing", None),
    "root": ("admin", None),
}
SECONDS = 30.0
FLAG = (10.0, 14.0)


def recording() -> bytes:
    t = np.arange(int(SECONDS * 16000)) / 16000
    buffer = io.BytesIO()
    sf.write(buffer, 0.3 * np.sin(2 * np.pi * 220 * t), 16000, format="WAV")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """alice's call (30 s, a caller threat at 10-14 s), its audio, and everyone signed in."""
    folder = tmp_path_factory.mktemp("matrix")
    store = store_with_users("sqlite", folder, PEOPLE)
    audio = recording()
    path = folder / "recordings" / "call.wav"
    path.parent.mkdir()
    path.write_bytes(audio)
    report = synthetic_report("a1", duration_s=SECONDS, flags=[FlagSpec(*FLAG, "threat", 0.9)])
    with store.session() as session:
        call = save_report(session, replace(report, audio_sha256=sha256(audio).hexdigest()),
                           audio_ref=str(path), operator="alice",
                           call_time=NOW - timedelta(hours=1), settings_hash="s")  # fmt: skip
    users = {role: sign_in(store, name, PASSWORD, hasher=FAST_HASHER)
             for role, name in ROLE_USERS.items()}  # fmt: skip
    store.close()
    return folder / "store.sqlite3", users, call, audio


@pytest.fixture
def world(template, tmp_path, monkeypatch):
    """A copy of the template store (tests change it), with an import folder to read."""
    database, users, call, audio = template
    shutil.copy(database, tmp_path / "store.sqlite3")
    monkeypatch.setenv("COACHING_DATA_DIR", str(tmp_path / "data"))
    for name in ("import", "extra"):
        (tmp_path / "data" / name).mkdir(parents=True)
    (tmp_path / "data" / "import" / "a.wav").write_bytes(b"x")
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    admin_fns.allow_import_folder(store, users["admin"], str(tmp_path / "data" / "extra"))
    yield store, users, call, audio
    store.close()


def _whole(clips, audio):
    assert len(clips) == 1 and clips[0].data == audio


def _flagged_only(clips, _audio):
    (clip,) = clips
    assert (clip.start_s, clip.end_s) == (FLAG[0] - 1, FLAG[1] + 1) and clip.bleeped
    assert len(sf.read(io.BytesIO(clip.data))[0]) == 6 * 16000  # 6 s, not 30


def _full_view(view, _audio):
    assert view.report is not None and view.summary.overall_score == 72.0


def _segments_only(view, _audio):
    assert view.report is None and view.summary.overall_score is None
    assert view.summary.audio_ref == "" and view.annotations == ()
    assert [s.flag.category for s in view.segments] == ["threat"]
    assert all(u.sentiment is None and u.delivery is None for u in view.segments[0].utterances)


OK, NO = "ok", "denied"
CASES = {
    # function: (call as f(store, user, call_id), {role: expected or checker})
    "list_calls": (lambda s, u, c: list_calls(s, u), {"operator": OK, "coach": OK,
                   "wellbeing": OK, "admin": OK}),
    "open_call": (lambda s, u, c: open_call(s, u, c), {"operator": _full_view,
                  "coach": _full_view, "wellbeing": _segments_only, "admin": _full_view}),
    "call_audio": (lambda s, u, c: call_audio(s, u, c), {"operator": _whole, "coach": _whole,
                   "wellbeing": _flagged_only, "admin": _whole}),
    "report_history": (lambda s, u, c: report_history(s, u), {"operator": OK, "coach": OK,
                       "wellbeing": NO, "admin": OK}),
    "exposure": (lambda s, u, c: exposure(s, u), {"operator": NO, "coach": NO,
                 "wellbeing": OK, "admin": OK}),
    "add_annotation": (lambda s, u, c: add_annotation(s, u, c, text="note"),
                       {"operator": NO, "coach": OK, "wellbeing": NO, "admin": NO}),
    "override_score": (lambda s, u, c: override_score(s, u, c, criterion_id="pace", score=50,
                       reason="r"), {"operator": NO, "coach": OK, "wellbeing": NO, "admin": NO}),
    "review_flag": (lambda s, u, c: review_flag(s, u, c, flag_index=0, verdict="confirmed"),
                    {"operator": NO, "coach": OK, "wellbeing": NO, "admin": NO}),
    "store_analysed_call": (lambda s, u, c: store_analysed_call(
        s, u, synthetic_report("new"), audio_ref="n.wav", operator="alice", call_time=NOW,
        settings_hash="s"), {"operator": NO, "coach": OK, "wellbeing": NO, "admin": OK}),
    "importable_files": (lambda s, u, c: importable_files(s, u, str(data_dir()
                         / "import")), {"operator": NO, "coach": OK, "wellbeing": NO,
                         "admin": OK}),
    "stored_call_for": (lambda s, u, c: stored_call_for(s, u, "0" * 64),
                        {"operator": NO, "coach": OK, "wellbeing": NO, "admin": OK}),
}  # fmt: skip
ADMIN_ONLY = {
    "add_user": lambda s, u, c: admin_fns.add_user(s, u, "newbie", role="operator",
                                                   password="a fine passphrase",
                                                   hasher=FAST_HASHER),
    "users": lambda s, u, c: admin_fns.users(s, u),
    "set_active": lambda s, u, c: admin_fns.set_active(s, u, "alice", True),
    "set_operator_team": lambda s, u, c: admin_fns.set_operator_team(s, u, "alice", "north"),
    "import_folders": lambda s, u, c: admin_fns.import_folders(s, u),
    "allow_import_folder": lambda s, u, c: admin_fns.allow_import_folder(
        s, u, str(data_dir())),
    "disallow_import_folder": lambda s, u, c: admin_fns.disallow_import_folder(
        s, u, str((data_dir() / "extra").resolve())),
    "erase_call_as": lambda s, u, c: admin_fns.erase_call_as(s, u, c),
    "erase_operator_as": lambda s, u, c: admin_fns.erase_operator_as(s, u, "alice"),
}  # fmt: skip
for _name, _call in ADMIN_ONLY.items():
    CASES[_name] = (_call, {"operator": NO, "coach": NO, "wellbeing": NO, "admin": OK})


@pytest.mark.parametrize("role", list(ROLE_USERS))
@pytest.mark.parametrize("function", list(CASES))
def test_each_data_access_function_as_each_role(world, function, role):
    store, users, call, audio = world
    run, expected = CASES[function]
    outcome = expected[role]
    if outcome == NO:
        with pytest.raises(AccessDenied):
            run(store, users[role], call)
        return
    result = run(store, users[role], call)
    if callable(outcome):
        outcome(result, audio)
