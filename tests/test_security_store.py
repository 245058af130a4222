"""Issue 9 in the store: the audio played is the audio analysed (item 1), operators are not
taken over (item 2), answers reveal nothing (item 1) and erase leaves no copy (item 10)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timezone
from hashlib import sha256
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coaching.errors import AccessDenied, CoachingError, StoreError
from coaching.store import save_report
from coaching.store.access import list_calls, open_call
from coaching.store.admin import allow_import_folder, erase_call_as, set_operator_team
from coaching.store.auth import sign_in
from coaching.store.media import call_audio
from coaching.store.recordings import AudioUnavailable, keep_copy
from coaching.store.review import importable_files, store_analysed_call, stored_call_for
from testkit.store_fixtures import FAST_HASHER, PASSWORD, store_with_users
from testkit.store_samples import synthetic_report

NOW = datetime(2024, 5, 8, 15, 0, tzinfo=timezone.utc)
PEOPLE = {
    "coach_n": ("coach", "north"),
    "coach_s": ("coach", "south"),
    "root": ("admin", None),
}


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("COACHING_DATA_DIR", str(tmp_path / "data"))
    store = store_with_users("sqlite", tmp_path, PEOPLE)
    yield store, {n: sign_in(store, n, PASSWORD, hasher=FAST_HASHER) for n in PEOPLE}
    store.close()


def wav(seconds: float = 2.0, tone: float = 440.0) -> bytes:
    t = np.arange(int(seconds * 16000)) / 16000
    buffer = io.BytesIO()
    sf.write(buffer, 0.3 * np.sin(2 * np.pi * tone * t), 16000, format="WAV")
    return buffer.getvalue()


def report_for(audio: bytes, name: str = "call"):
    return replace(synthetic_report(name), audio_sha256=sha256(audio).hexdigest())


def batch_store(store, audio_ref: str, audio: bytes, *, operator: str, name: str = "c") -> int:
    with store.session() as session:  # as `coaching batch` does: no team, no role
        return save_report(session, report_for(audio, name), audio_ref=audio_ref,
                           operator=operator, call_time=NOW, settings_hash="s")  # fmt: skip


def coach_store(store, coach, audio: bytes, *, operator: str, ref: str = "x.wav") -> int:
    return store_analysed_call(store, coach, report_for(audio, ref), audio_ref=ref,
                               operator=operator, call_time=NOW, settings_hash="s")  # fmt: skip


def test_a_recording_swapped_after_analysis_is_never_played(data, tmp_path):
    store, people = data
    folder = tmp_path / "recordings"
    folder.mkdir()
    audio = wav()
    (folder / "drop_call.wav").write_bytes(audio)
    call = batch_store(store, str(folder / "drop_call.wav"), audio, operator="Ann Lee")
    (clip,) = call_audio(store, people["root"], call)
    assert clip.data == audio
    secret = tmp_path / "secret.wav"
    secret.write_bytes(wav(tone=880.0))
    (folder / "drop_call.wav").unlink()
    (folder / "drop_call.wav").symlink_to(secret)  # the attack of issue 9, item 1
    with pytest.raises(AudioUnavailable, match="not the audio that was analysed"):
        call_audio(store, people["root"], call)
    keep_copy(audio, "upload.wav")  # a managed copy of the analysed audio is served instead
    (clip,) = call_audio(store, people["root"], call)
    assert clip.data == audio


def test_the_folder_option_reads_only_allowed_import_folders_and_answers_alike(data, tmp_path):
    store, people = data
    coach = people["coach_n"]
    imports = tmp_path / "data" / "import" / "day1"
    imports.mkdir(parents=True)
    (imports / "b.wav").write_bytes(b"x1")
    (imports / "a.MP3").write_bytes(b"x2")
    (imports / "notes.txt").write_text("x")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "c.wav").write_bytes(b"x3")
    (imports / "link.wav").symlink_to(outside / "c.wav")  # never followed out of the root
    assert [p.name for p in importable_files(store, coach, str(imports))] == ["a.MP3", "b.wav"]
    (tmp_path / "data" / "import" / "empty").mkdir()
    answers = set()
    for folder in (outside, tmp_path / "data" / "import" / "nope", "/etc", imports / "../empty"):
        with pytest.raises(CoachingError) as refused:
            importable_files(store, coach, str(folder))
        answers.add(str(refused.value).split(": ", 1)[1])
    assert len(answers) == 1 and "no audio files to import there" in answers.pop()
    with pytest.raises(AccessDenied):
        allow_import_folder(store, coach, str(outside))
    allow_import_folder(store, people["root"], str(outside))
    assert [p.name for p in importable_files(store, coach, str(outside))] == ["c.wav"]


def test_storing_a_call_never_moves_an_operator_to_the_coachs_team(data):
    store, people = data
    north = people["coach_n"]
    for n, operator in enumerate(["unassigned", "unassigned", "Ann Lee"]):
        batch_store(store, f"batch{n}.wav", wav(tone=300 + n), operator=operator, name=f"b{n}")
    assert list_calls(store, north) == []
    for operator in ("unassigned", "Ann Lee", "ann lee "):
        with pytest.raises(AccessDenied, match="own team"):
            coach_store(store, north, wav(tone=500), operator=operator)
    assert list_calls(store, north) == []  # still nothing: no takeover
    coach_store(store, north, wav(tone=600), operator="Nina")  # a new operator joins north
    with pytest.raises(AccessDenied, match="own team"):
        coach_store(store, people["coach_s"], wav(tone=700), operator="nina")
    set_operator_team(store, people["root"], "ann lee", "north")  # only an admin moves them
    assert {c.operator for c in list_calls(store, north)} == {"Nina", "Ann Lee"}
    with pytest.raises(AccessDenied):
        set_operator_team(store, north, "unassigned", "north")


@pytest.mark.parametrize(
    "look_alike, error",
    [("sonia\u200b", "invisible"), ("\u0455onia", "looks like"), ("s\u043enia", "looks like"),
     ("sonia\u202e", "invisible"), ("x" * 121, "at most 120")],
)  # fmt: skip
def test_look_alike_operator_names_do_not_create_a_second_operator(data, look_alike, error):
    store, people = data
    coach = people["coach_n"]
    first = coach_store(store, coach, wav(tone=400), operator="Sonia")
    second = coach_store(store, coach, wav(tone=410), operator="  sonia ", ref="y.wav")
    assert {c.operator for c in list_calls(store, coach)} == {"Sonia"} and first != second
    with pytest.raises(StoreError, match=error):
        coach_store(store, coach, wav(tone=420), operator=look_alike, ref="z.wav")


def test_answers_do_not_reveal_other_teams_calls(data):
    store, people = data
    south_call = coach_store(store, people["coach_s"], wav(tone=800), operator="Sam")
    answers = []
    for call_id in (south_call, south_call + 999):
        with pytest.raises(AccessDenied) as refused:
            open_call(store, people["coach_n"], call_id)
        answers.append(str(refused.value).replace(str(call_id), "N"))
    assert answers[0] == answers[1]
    digest = sha256(wav(tone=800)).hexdigest()
    assert stored_call_for(store, people["coach_n"], digest) == (None, True)  # no id
    assert stored_call_for(store, people["coach_s"], digest) == (south_call, True)


def test_erase_removes_the_managed_copy_of_an_upload_already_stored(data, tmp_path):
    from coaching.app.analyse import analyse_file
    from coaching.options import AnalysisOptions

    store, people = data
    audio = wav(tone=900)
    original = tmp_path / "batch_input.wav"
    original.write_bytes(audio)
    call = batch_store(store, str(original), audio, operator="Ann Lee")
    kept, fresh = keep_copy(audio, "upload.wav")  # the app's copy of the same audio, uploaded
    outcome = analyse_file(
        store, people["root"], kept, display_name="upload.wav", operator="Ann Lee",
        call_time=NOW, analyze=None, options=AnalysisOptions(), remove_on_failure=fresh,
    )  # fmt: skip
    assert outcome.already_stored and outcome.call_id == call
    keep_copy(audio, "again.flac")  # a copy left some other way: erase finds it by hash
    erased = erase_call_as(store, people["root"], call)
    managed = Path(tmp_path / "data" / "audio")
    assert list(managed.iterdir()) == [] and erased.audio_kept == (str(original),)
    assert original.exists()  # recordings the app did not make are never deleted
