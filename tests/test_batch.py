"""Batch runs: folder and manifest sources, resuming, bad files, the local process pool.

The end-to-end tests run the real embedded Whisper model in worker processes
over short generated calls and a real SQLite store.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from coaching.batch.local import LocalBackend
from coaching.batch.manifest import CallJob, read_manifest, read_source, scan_folder
from coaching.batch.run import format_result, run_batch
from coaching.batch.settings import RunSettings, expected_asr
from coaching.batch.tasks import ModelSpec
from coaching.errors import ConfigError
from coaching.store.db import open_store
from coaching.store.schema import Call, Operator
from testkit.batch_calls import CALLER_WORD, OPTIONS, render_calls


@pytest.fixture(scope="module")
def call_folder(tmp_path_factory) -> Path:
    """Two short stereo calls and one file that is not audio at all."""
    folder = tmp_path_factory.mktemp("calls")
    render_calls(folder)
    (folder / "broken.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunk" + bytes(range(256)) * 8)
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'batch.sqlite3'}")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def first_run(call_folder, store):
    backend = LocalBackend(ModelSpec.of(OPTIONS), workers=2)
    return run_batch(scan_folder(call_folder), store=store, backend=backend, options=OPTIONS)


def stored_calls(store) -> list[Call]:
    with store.session() as session:
        return list(session.scalars(select(Call).order_by(Call.audio_ref)))


# --- end to end -------------------------------------------------------------------------


@pytest.mark.slow
def test_folder_run_stores_every_call_and_lists_the_bad_file(first_run, store, call_folder):
    assert (first_run.total, first_run.analysed, first_run.skipped) == (3, 2, 0)
    [failure] = first_run.failed
    assert failure.path == str(call_folder / "broken.wav")
    assert "cannot be decoded" in failure.reason
    assert "broken.wav" in format_result(first_run)
    by_name = {Path(call.audio_ref).name: call for call in stored_calls(store)}
    assert sorted(by_name) == ["batch_bill.wav", "batch_internet.wav", "broken.wav"]
    assert by_name["broken.wav"].status == "failed"
    assert "cannot be decoded" in by_name["broken.wav"].error
    for name in ("batch_bill.wav", "batch_internet.wav"):
        call = by_name[name]
        assert call.status == "analysed"
        assert call.report["audio_sha256"] == call.audio_sha256
        assert 6 < call.duration_s < 20
    internet = by_name["batch_internet.wav"].report
    caller_text = " ".join(u["text"] for u in internet["utterances"] if u["speaker"] == "caller")
    assert CALLER_WORD in caller_text.lower()
    assert first_run.audio_s == pytest.approx(
        sum(c.duration_s for c in by_name.values() if c.duration_s)
    )


@pytest.mark.slow
def test_second_run_skips_every_stored_call(first_run, store, call_folder):
    backend = LocalBackend(ModelSpec.of(OPTIONS), workers=1)
    again = run_batch(scan_folder(call_folder), store=store, backend=backend, options=OPTIONS)
    assert (again.analysed, again.skipped) == (0, 2)
    assert [f.path for f in again.failed] == [str(call_folder / "broken.wav")]
    assert len([c for c in stored_calls(store) if c.status == "analysed"]) == 2


@pytest.mark.slow
def test_manifest_operator_time_channel_map_and_language_are_honoured(call_folder, store, tmp_path):
    audio = tmp_path / "audio"
    audio.mkdir()
    for name in ("batch_internet.wav", "batch_bill.wav"):
        (audio / name).write_bytes((call_folder / name).read_bytes())
    manifest = tmp_path / "calls.csv"
    manifest.write_text(
        "Path,Operator,Call_Time,Channel_Map,Language\n"
        "audio/batch_internet.wav,Maria Lopez,2024-05-01T09:30:00+02:00,right,\n"
        "audio/batch_bill.wav,Tom Baker,2024-05-02 10:00,,en\n"
    )
    # Other settings than the folder run's, so that no row is skipped as already stored.
    detecting = OPTIONS.with_knobs(language=None, redact=False)
    backend = LocalBackend(ModelSpec.of(detecting), workers=2)
    result = run_batch(read_source(manifest), store=store, backend=backend, options=detecting)
    assert (result.analysed, result.failed) == (2, ())
    with store.session() as session:
        rows = session.execute(
            select(Call, Operator.name)
            .join(Operator, Call.operator_id == Operator.id)
            .where(Operator.name.in_(["Maria Lopez", "Tom Baker"]))
        ).all()
    by_operator = {name: call for call, name in rows}
    swapped = by_operator["Maria Lopez"]
    assert swapped.call_time == datetime(2024, 5, 1, 7, 30, tzinfo=timezone.utc)
    assert swapped.audio_ref == str(audio / "batch_internet.wav")
    assert swapped.report["provenance"]["options"]["operator_channel"] == 1
    # The right channel holds the caller's script: with the map swapped, the greeting on the
    # left is now the "caller" and the complaint is the "operator".
    assert swapped.report["utterances"][0]["speaker"] == "caller"
    said = " ".join(u["text"] for u in swapped.report["utterances"] if u["speaker"] == "operator")
    assert CALLER_WORD in said.lower()
    assert swapped.report["provenance"]["options"]["language"] is None  # detected
    forced = by_operator["Tom Baker"]
    assert forced.call_time == datetime(2024, 5, 2, 10, 0, tzinfo=timezone.utc)
    assert forced.report["provenance"]["options"]["language"] == "en"
    assert forced.report["provenance"]["options"]["operator_channel"] is None  # auto


# --- sources and settings, no models ---------------------------------------------------


def test_folder_scan_finds_audio_by_extension_and_skips_hidden_files(tmp_path):
    for name in ("a.wav", "b.MP3", "notes.txt", ".hidden.wav", "sub/c.flac", ".cache/d.wav"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    jobs = scan_folder(tmp_path, operator="Ann")
    assert [job.origin for job in jobs] == ["a.wav", "b.MP3", "sub/c.flac"]
    assert {job.operator for job in jobs} == {"Ann"}
    assert all(job.call_time.tzinfo is timezone.utc for job in jobs)


@pytest.mark.parametrize(
    ("text", "row", "column", "hint"),
    [
        ("path,operator\na.wav,Ann\n", None, "call_time", "missing column"),
        ("path,operator,call_time\na.wav,,2024-05-01T09:00Z\n", 2, "operator", "empty"),
        ("path,operator,call_time\na.wav,Ann,2024-05-01\n,Bob,2024-05-01\n", 3, "path", "empty"),
        ("path,operator,call_time\na.wav,Ann,yesterday\n", 2, "call_time", "ISO 8601"),
        (
            "path,operator,call_time,channel_map\na.wav,Ann,2024-05-01,up\n",
            2,
            "channel_map",
            "left or right",
        ),
    ],
)
def test_a_bad_manifest_names_the_row_and_the_column(tmp_path, text, row, column, hint):
    manifest = tmp_path / "calls.csv"
    manifest.write_text(text)
    with pytest.raises(ConfigError) as raised:
        read_manifest(manifest)
    message = str(raised.value)
    assert column in message and hint in message
    if row is not None:
        assert f"row {row}," in message


def test_manifest_paths_resolve_against_its_folder(tmp_path):
    (tmp_path / "lists").mkdir()
    manifest = tmp_path / "lists" / "calls.csv"
    manifest.write_text(
        "path,operator,call_time,language\n../audio/a.wav,Ann,2024-05-01T09:00:00Z,VI\n"
        f"{tmp_path / 'b.wav'},Bob,2024-05-01T10:00:00Z,\n"
    )
    first, second = read_manifest(manifest)
    assert first.path == tmp_path / "audio" / "a.wav"
    assert second.path == tmp_path / "b.wav"
    assert (first.language, second.language) == ("vi", None)
    assert first.options_for(OPTIONS).transcript.language == "vi"
    assert second.options_for(OPTIONS).transcript.language == OPTIONS.transcript.language


def test_source_must_be_a_folder_or_a_csv(tmp_path):
    (tmp_path / "call.wav").write_bytes(b"x")
    for source in (tmp_path / "call.wav", tmp_path / "missing"):
        with pytest.raises(ConfigError, match="folder"):
            read_source(source)


def test_settings_hash_follows_options_and_model_weights():
    base = RunSettings(OPTIONS, expected_asr("base"))
    same = RunSettings(OPTIONS.with_knobs(), expected_asr("embedded"))
    assert base.digest() == same.digest()
    job = CallJob(Path("a.wav"), "Ann", datetime.now(timezone.utc), channel_map="right")
    assert base.for_options(job.options_for(OPTIONS)).digest() != base.digest()
    assert base.for_options(OPTIONS.with_knobs(beam_size=5)).digest() != base.digest()
    assert RunSettings(OPTIONS, expected_asr("large-v3")).digest() != base.digest()


def test_batch_command_options_and_its_errors(tmp_path):
    from coaching.cli.batch import batch
    from coaching.cli.invoke import run_command

    argv = [str(tmp_path), "--workers", "2", "--device", "cpu", "--db", "sqlite://"]
    params = batch.make_context("batch", argv).params
    parsed = tuple(params[name] for name in ("source", "workers", "backend", "device"))
    assert parsed == (tmp_path, 2, None, "cpu")
    with pytest.raises(ConfigError, match="--ray-address needs --backend ray"):
        run_command(
            batch, [str(tmp_path), "--backend", "local", "--ray-address", "auto"], prog_name="batch"
        )
    with pytest.raises(ConfigError, match="does not exist"):
        run_command(batch, [str(tmp_path / "missing"), "--db", "sqlite://"], prog_name="batch")
    with pytest.raises(ConfigError, match="at least 1"):
        LocalBackend(ModelSpec.of(OPTIONS), workers=0)
