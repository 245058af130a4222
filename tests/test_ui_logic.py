"""The app's logic without Streamlit: charts, transcript masking, bleeping, jump targets,
clock parsing (the demo-store flows are in test_app_flows.py)."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf
from argon2 import PasswordHasher

from coaching.app import charts, transcript
from coaching.app.audio import jump_targets
from coaching.app.views import parse_clock
from coaching.store.media import flagged_clips
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
