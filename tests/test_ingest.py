"""The analyse-and-store service in practice: analyse once, batch runs, ``coaching import``.

Real SQLite throughout; the redo test runs the real pipeline with the real
lexicon fallback and a tiny real transformers sentiment model.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from coaching.batch.manifest import scan_folder
from coaching.batch.run import run_batch
from coaching.batch.tasks import CallOutcome
from coaching.cli.main import main
from coaching.errors import CoachingError
from coaching.store.db import open_store
from coaching.store.ingest import Analyser, analyse_and_store, save_in_session
from coaching.store.schema import Call
from testkit.ingest_reports import OPTIONS, REAL_SENTIMENT, WHISPER, audio_of, lexicon, report_with

WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path):
    opened = open_store(f"sqlite:///{tmp_path / 'ingest.sqlite3'}")
    yield opened
    opened.close()


def stored_calls(store) -> list[Call]:
    with store.session() as session:
        return list(session.scalars(select(Call).order_by(Call.id)))


def test_a_call_is_analysed_once_and_a_failed_analysis_stores_nothing(store, tmp_path):
    analysed = []

    def analyze(source, *, name, progress=None):
        analysed.append(name)
        if name == "broken.wav":
            raise CoachingError("broken.wav cannot be decoded")
        return report_with(Path(source).stem)

    analyser = Analyser(analyze, OPTIONS)
    audio = audio_of("call", tmp_path)
    save = save_in_session(store, audio_ref=str(audio), operator="ann", call_time=WHEN)
    first = analyse_and_store(store, audio, analyser, save=save)
    again = analyse_and_store(store, audio, analyser, save=save)
    assert (first.already_stored, again.already_stored) == (False, True)
    assert again.call_id == first.call_id and analysed == ["call.wav"]
    with pytest.raises(CoachingError, match="cannot be decoded"):
        analyse_and_store(store, audio_of("broken", tmp_path), analyser, save=save)
    assert [call.id for call in stored_calls(store)] == [first.call_id]


class ModelsBackend:
    """A backend whose workers hold ``models``: each call's report lists them."""

    name = "models"

    def __init__(self, *models) -> None:
        self.models = models
        self.entered = 0
        self.analysed: list[str] = []

    def __enter__(self):
        self.entered += 1
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def models_used(self):
        return self.models

    def run(self, tasks):
        for task in tasks:
            self.analysed.append(Path(task.path).stem)
            report = report_with(Path(task.path).stem, options=task.options, models=self.models)
            yield CallOutcome(task.index, report=report, audio_s=report.duration_s)


def test_a_batch_redoes_calls_made_with_a_stand_in_once_the_real_model_is_there(store, tmp_path):
    for name in ("one", "two"):
        audio_of(name, tmp_path)
    jobs = scan_folder(tmp_path)

    def run(backend):
        result = run_batch(jobs, store=store, backend=backend, options=OPTIONS, echo=False)
        return result.analysed, result.skipped, backend.entered, sorted(backend.analysed)

    fell_back = (WHISPER, lexicon())
    assert run(ModelsBackend(*fell_back)) == (2, 0, 1, ["one", "two"])
    # Still no real model: the backend starts to say so, and nothing is analysed again.
    assert run(ModelsBackend(*fell_back)) == (0, 2, 1, [])
    assert run(ModelsBackend(WHISPER, REAL_SENTIMENT)) == (2, 0, 1, ["one", "two"])
    # Made with the models asked for: skipped without starting the backend at all.
    assert run(ModelsBackend(WHISPER, REAL_SENTIMENT)) == (0, 2, 0, [])
    sentiment = [
        next(m["name"] for m in c.report["provenance"]["models"] if m["role"] == "sentiment")
        for c in stored_calls(store)
    ]
    assert sentiment == [REAL_SENTIMENT.name] * 2  # the redo refilled the stand-in's calls


def write_report_file(folder: Path, name: str, *, audio: bytes | None = None) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(report_with(name).to_dict()), encoding="utf-8")
    if audio is not None:
        (folder / f"{name}.wav").write_bytes(audio)
    return path


def test_import_stores_analyzed_reports_and_names_each_bad_file(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'import.sqlite3'}"
    good = write_report_file(tmp_path, "good", audio=b"good")
    elsewhere = write_report_file(tmp_path, "elsewhere")
    swapped = write_report_file(tmp_path, "swapped", audio=b"another recording")
    (tmp_path / "notes.json").write_text('{"schema": "sample-truth/1"}')
    (tmp_path / "cut.json").write_text('{"schema": "call-report/1", "source"')
    bad = [swapped, tmp_path / "notes.json", tmp_path / "cut.json", tmp_path / "gone.json"]
    code = main(
        ["import", str(good), *map(str, bad), str(elsewhere), "--operator", "Ann", "--db", url]
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert out.count("stored as call #") == 2 and "4 of 6 report(s) not stored" in err
    assert "SHA-256 differs" in err and "not a call report" in err and "not a JSON file" in err
    assert all(str(path) in err for path in bad)
    store = open_store(url)
    try:
        calls = {Path(c.audio_ref).name: c for c in stored_calls(store)}
        assert sorted(calls) == ["elsewhere.wav", "good.wav"]
        assert calls["good.wav"].audio_ref == str((tmp_path / "good.wav").resolve())
        mtime = (tmp_path / "good.wav").stat().st_mtime
        assert calls["good.wav"].call_time.timestamp() == pytest.approx(mtime)
        argv = ["import", str(good), "--operator", "Ann", "--db", url, "--call-time", "2024-05-01"]
        assert main(argv) == 0
        assert "already stored" in capsys.readouterr().out and len(stored_calls(store)) == 2
    finally:
        store.close()


@pytest.mark.slow
def test_a_call_analysed_with_the_lexicon_is_redone_once_the_model_is_there(store, tmp_path):
    """The real fallback (a missing model directory) and the real tiny model, real pipeline."""
    from coaching.device import resolve_device
    from coaching.registry import Models, load_whisper
    from coaching.text.sentiment import load_sentiment
    from samples.generate import write_call
    from testkit.batch_calls import OPTIONS as FAST
    from testkit.batch_calls import SHORT_CALLS
    from testkit.tiny_models import SENTIMENT_DATA, build_classifier, one_torch_thread

    audio = write_call(SHORT_CALLS[0], tmp_path)
    model_dir = tmp_path / "sentiment-model"
    options = FAST.with_knobs(sentiment_model=str(model_dir))
    asr, _ = load_whisper(options.transcript.model, resolve_device("cpu", "auto"))
    analysed = []

    def ingest():
        models = Models(asr=asr, sentiment=load_sentiment(str(model_dir), device="cpu"))
        analyser = Analyser.pipeline(options, models=lambda: models)
        counted = replace(
            analyser, analyze=lambda *a, **k: analysed.append(1) or analyser.analyze(*a, **k)
        )
        save = save_in_session(store, audio_ref=str(audio), operator="ann", call_time=WHEN)
        with one_torch_thread():
            return analyse_and_store(store, audio, counted, save=save)

    fell_back = ingest()
    assert not fell_back.already_stored and ingest() == replace(fell_back, already_stored=True)
    build_classifier(model_dir, data=SENTIMENT_DATA, steps=10)
    redone = ingest()
    assert not redone.already_stored and redone.call_id == fell_back.call_id  # one row
    assert ingest() == replace(redone, already_stored=True) and len(analysed) == 2
    (call,) = stored_calls(store)
    used = {m["role"]: m for m in call.report["provenance"]["models"]}
    assert used["sentiment"]["name"] == str(model_dir) and used["sentiment"]["sha256"]
