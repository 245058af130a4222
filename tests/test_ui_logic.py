"""The app's logic without Streamlit: charts, transcript masking, bleeping, views, sessions,
analysing uploads into a real SQLite store, and demo seeding."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from argon2 import PasswordHasher

from coaching.app import charts, transcript
from coaching.app.analyse import analyse_file, keep_audio
from coaching.app.audio import jump_targets
from coaching.app.demo import DEMO_USERS, demo_password, seed_demo
from coaching.app.exposure_view import exposure_rows, sorted_alerts
from coaching.app.history import report_history
from coaching.app.quick_reports import quick_report
from coaching.app.sessions import USER_KEY, attempt_sign_in, current_user, pages_for
from coaching.app.views import call_rows, overall_with_overrides, parse_clock, scorecard_rows
from coaching.errors import AccessDenied
from coaching.store.access import list_calls, open_call
from coaching.store.auth import sign_in
from coaching.store.media import flagged_clips
from coaching.store.review import override_score
from coaching.types import (
    AbuseEvidence,
    AbuseFlag,
    CallMetrics,
    CallReport,
    CoachingNote,
    ModelInfo,
    Provenance,
    ReportMetrics,
    Sentiment,
    SpeakerMetrics,
    Utterance,
    UtteranceDelivery,
)

CHEAP = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
RATE = 16_000


def _speaker() -> SpeakerMetrics:
    return SpeakerMetrics(10.0, 30, 45, 150.0, 4.0, 0.5, 180.0, 2.0, 8.0, -22.0, 3.0, 0.0)


def _report(*, utterances, abuse=(), dead_air=(), overtalk=(), notes=()) -> CallReport:
    return CallReport(
        source="known.wav",
        audio_sha256="0" * 64,
        duration_s=30.0,
        language="en",
        separation="stereo",
        separation_confidence=1.0,
        role_confidence=1.0,
        utterances=tuple(utterances),
        metrics=ReportMetrics(
            operator=_speaker(),
            caller=_speaker(),
            call=CallMetrics(tuple(dead_air), tuple(overtalk), 0, 5.0, 0.5),
        ),
        timings={},
        provenance=Provenance("0", "cpu", "int8", (ModelInfo("asr", "x", "built-in"),), {}, "s"),
        abuse=tuple(abuse),
        notes=tuple(notes),
    )


def _delivery(pitch: float, level: float, pace: float) -> UtteranceDelivery:
    return UtteranceDelivery(10, 150.0, pace, pitch, level)


# -- charts ---------------------------------------------------------------------------------


def test_delivery_points_put_each_utterance_at_its_midpoint():
    report = _report(
        utterances=[
            Utterance("operator", 0.0, 4.0, "Hello", delivery=_delivery(200.0, -20.0, 4.5)),
            Utterance("caller", 5.0, 7.0, "Hi", delivery=_delivery(120.0, -25.0, 3.0)),
            Utterance("caller", 8.0, 9.0, "no delivery"),
        ]
    )
    points = charts.delivery_points(report)
    assert len(points) == 6
    pitch = {(p.speaker, p.x): p.value for p in points if p.series.startswith("Pitch")}
    assert pitch == {("operator", 2.0): 200.0, ("caller", 6.0): 120.0}
    pace = [p.value for p in points if p.series.startswith("Pace")]
    assert pace == [4.5, 3.0]


def test_timeline_has_speech_dead_air_overtalk_and_flags_on_their_lanes():
    flag = AbuseFlag(10.0, 12.0, "caller", "threat", 0.8)
    report = _report(
        utterances=[Utterance("operator", 0.0, 4.0, "Hello")],
        abuse=[flag],
        dead_air=[(4.0, 9.5)],
        overtalk=[(20.0, 21.5)],
    )
    spans = {(s.lane, s.start, s.end) for s in charts.timeline_spans(report)}
    assert spans == {
        ("operator", 0.0, 4.0),
        ("dead air", 4.0, 9.5),
        ("overtalk", 20.0, 21.5),
        ("abuse flag", 10.0, 12.0),
    }
    spec = charts.timeline_chart(charts.timeline_spans(report), duration_s=30.0).to_dict()
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 30.0]
    assert len(spec["data"]["values"]) == 4


def test_metric_trends_use_the_operators_own_median_and_skip_unreliable_calls():
    from dataclasses import replace

    reports = []
    for wpm in (120.0, 150.0, 180.0, 140.0):
        base = _report(utterances=[])
        operator = replace(base.metrics.operator, words_per_minute=wpm)
        reports.append(replace(base, metrics=replace(base.metrics, operator=operator)))
    shaky = replace(reports[0].metrics.operator, words_per_minute=400.0, reliable=False)
    reports.append(replace(reports[0], metrics=replace(reports[0].metrics, operator=shaky)))
    trends = charts.metric_trends([(f"day {i}", r) for i, r in enumerate(reports)])
    pace = next(t for t in trends if t.metric == "words_per_minute")
    assert [p.value for p in pace.points] == [120.0, 150.0, 180.0, 140.0]
    assert pace.baseline == pytest.approx(145.0)
    assert "layer" in charts.trend_chart(pace).to_dict()


def test_delivery_chart_stacks_one_chart_per_measure_with_its_own_points():
    report = _report(
        utterances=[
            Utterance("operator", 0.0, 4.0, "Hi", delivery=_delivery(200, -20, 4)),
            Utterance("caller", 4.0, 6.0, "Yo", delivery=_delivery(120, -30, 5)),
        ]
    )
    spec = charts.delivery_chart(charts.delivery_points(report)).to_dict()
    titles = [chart["title"] for chart in spec["vconcat"]]
    assert titles == ["Pitch (Hz)", "Loudness (dBFS)", "Pace (syllables/s)"]
    pitch = spec["vconcat"][0]["data"]["values"]
    assert sorted(p["value"] for p in pitch) == [120.0, 200.0]


# -- transcript ------------------------------------------------------------------------------


def test_abusive_words_are_masked_until_revealed_and_innocent_words_are_not():
    text = "You fucking idiot, this class was useless."
    spans = transcript.abusive_spans(text, language="en")
    masked = transcript.masked_html(text, spans)
    assert "f******" in masked
    assert '<span class="tx-hidden">f******</span>' in masked
    assert '<span class="tx-word">fucking</span>' in masked
    assert "class was" in masked
    revealed = transcript.masked_html(text, spans, reveal=True)
    assert "<mark>fucking</mark>" in revealed


def test_terms_of_a_flag_are_masked_even_when_no_lexicon_knows_them():
    utterance = Utterance("caller", 1.0, 3.0, "You absolute walnut!")
    flag = AbuseFlag(1.0, 3.0, "caller", "insult", 0.7, AbuseEvidence(terms=("walnut",)))
    html = transcript.utterance_html(utterance, language="en", flags=[flag])
    assert "w*****" in html and "tx-flag" in html
    outside = AbuseFlag(10.0, 12.0, "caller", "insult", 0.7, AbuseEvidence(terms=("walnut",)))
    assert "w*****" not in transcript.utterance_html(utterance, language="en", flags=[outside])


def test_transcript_escapes_html_and_colours_by_sentiment():
    hostile = Utterance("caller", 0, 1, "<script>x</script>", sentiment=Sentiment("negative", -0.9))
    html = transcript.transcript_html([hostile], language="en")
    assert "<script>x" not in html and "&lt;script&gt;" in html
    assert "#d62728" in html
    assert transcript.sentiment_colour(Sentiment("positive", 0.8))[0] == "#2ca02c"
    assert "negative" not in transcript.utterance_html(hostile, language="en", show_sentiment=False)


# -- audio -----------------------------------------------------------------------------------


def _dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(len(samples), 1 / RATE)[np.argmax(spectrum)])


def test_flagged_clips_cut_with_context_and_bleep_only_the_padded_flagged_span():
    t = np.arange(4 * RATE) / RATE
    voice = 0.3 * np.sin(2 * np.pi * 220 * t)
    buffer = io.BytesIO()
    sf.write(buffer, np.stack([voice, voice], axis=1), RATE, format="WAV", subtype="FLOAT")
    (clip,) = flagged_clips(buffer.getvalue(), [(1.0, 1.5)], bleep=True)
    out, rate = sf.read(io.BytesIO(clip.data))
    assert (clip.start_s, clip.end_s) == (0.0, 2.5) and len(out) == int(2.5 * rate)
    assert _dominant_hz(out[RATE : int(1.5 * RATE), 0]) == pytest.approx(1000, abs=5)
    assert _dominant_hz(out[: int(0.85 * RATE), 1]) == pytest.approx(220, abs=5)
    assert _dominant_hz(out[int(1.65 * RATE) :, 1]) == pytest.approx(220, abs=5)
    (plain,) = flagged_clips(buffer.getvalue(), [(1.0, 1.5)], bleep=False)
    heard, _ = sf.read(io.BytesIO(plain.data))
    assert _dominant_hz(heard[RATE : int(1.5 * RATE), 0]) == pytest.approx(220, abs=5)


def test_jump_targets_lead_in_to_notes_and_flags_in_time_order():
    report = _report(
        utterances=[],
        abuse=[AbuseFlag(12.0, 14.0, "caller", "threat", 0.9)],
        notes=[
            CoachingNote(20.0, "pace", "improve", "slow down"),
            CoachingNote(None, "courtesy", "strength", "nice"),
        ],
    )
    targets = jump_targets(report)
    assert [(t.kind, t.at_s) for t in targets] == [("flag", 11.5), ("note", 19.5)]
    assert targets[0].button_label == "00:12 · threat"
    assert targets[1].label == "pace" and targets[1].icon == ":material/lightbulb:"


# -- views -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"), [("01:42", 102.0), ("102", 102.0), ("1:02:03", 3723.0), ("0:05.5", 5.5)]
)
def test_parse_clock(text, seconds):
    assert parse_clock(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "1:-2", "1:2:3:4"])
def test_parse_clock_refuses_nonsense_plainly(text):
    with pytest.raises(ValueError, match="mm:ss"):
        parse_clock(text)


# -- the store: sessions, analysing, history, demo ------------------------------------------


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
    assert [p.title for p in pages_for("operator")] == ["My calls", "Call review"]
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
