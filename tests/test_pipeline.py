"""The whole analysis on generated sample calls, checked against the generator's truth."""

from __future__ import annotations

import json

import pytest

from coaching.audio import CallAudio
from coaching.pipeline import STEPS, analyze_call
from coaching.types import SCHEMA, CallReport

pytestmark = pytest.mark.slow

STEREO_CALLS = ("en_calm", "en_hold_silence", "en_overtalk")
MONO_CALLS = ("en_calm_mono",)


def assert_same_intervals(found, truth, *, slack_s: float = 0.3) -> None:
    assert len(found) == len(truth), (found, truth)
    for (start, end), (true_start, true_end) in zip(found, truth, strict=True):
        assert start == pytest.approx(true_start, abs=slack_s)
        assert end == pytest.approx(true_end, abs=slack_s)


@pytest.mark.parametrize("name", (*STEREO_CALLS, *MONO_CALLS, "en_quiet"))
def test_operator_pace_within_ten_percent(analysed, name):
    """Including the quiet operator (about -44 dBFS), levelled before recognition."""
    report, truth = analysed(name)
    measured = report.metrics.operator.words_per_minute
    assert measured == pytest.approx(truth.operator.words_per_minute, rel=0.10)


@pytest.mark.parametrize("name", STEREO_CALLS + MONO_CALLS)
def test_talk_share_within_five_points(analysed, name):
    report, truth = analysed(name)
    assert report.metrics.operator.talk_share == pytest.approx(truth.talk_share, abs=0.05)


@pytest.mark.parametrize("name", STEREO_CALLS + MONO_CALLS)
def test_every_dead_air_interval_found(analysed, name):
    report, truth = analysed(name)
    assert_same_intervals(report.metrics.call.dead_air, truth.dead_air)


@pytest.mark.parametrize("name", STEREO_CALLS)
def test_every_overtalk_interval_found_and_backchannels_ignored(analysed, name):
    report, truth = analysed(name)
    assert_same_intervals(report.metrics.call.overtalk, truth.overtalk)


@pytest.mark.parametrize("name", STEREO_CALLS + MONO_CALLS)
def test_roles_are_right(analysed, name):
    """Each utterance's speaker matches the scripted turn it falls in."""
    report, truth = analysed(name)
    assert report.utterances
    for utterance in report.utterances:
        middle = (utterance.start + utterance.end) / 2
        covering = [t for t in truth.turns if t.start - 0.3 <= middle <= t.end + 0.3]
        assert utterance.speaker in {t.speaker for t in covering}, utterance.text


def test_mono_call_is_diarized_with_confidence(analysed):
    report, _ = analysed("en_calm_mono")
    assert report.separation == "diarized"
    assert report.separation_confidence > 0.5 and report.role_confidence > 0.5
    assert report.metrics.operator.reliable
    assert report.metrics.call.overtalk_estimated  # from the diarization's overlap
    assert "segmentation-3.0" in report.provenance.separation_method
    roles = {info.role: info.sha256 for info in report.provenance.models}
    assert roles["speaker-segmentation"] and roles["voice-encoder"]


def test_report_json_has_the_documented_keys_and_round_trips(analysed):
    report, _ = analysed("en_calm")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["schema"] == SCHEMA
    for key in (
        "source",
        "audio_sha256",
        "duration_s",
        "language",
        "separation",
        "separation_confidence",
        "utterances",
        "metrics",
        "timings",
        "provenance",
    ):
        assert key in data
    for speaker in ("operator", "caller"):
        for key in (
            "words_per_minute",
            "syllables_per_second",
            "talk_share",
            "pitch_median_hz",
            "pitch_sd_semitones",
            "pitch_range_semitones",
            "loudness_dbfs",
            "loudness_sd_db",
        ):
            assert key in data["metrics"][speaker]
    for key in (
        "dead_air",
        "overtalk",
        "interruptions_by_operator",
        "longest_operator_monologue_s",
        "operator_response_latency_s",
    ):
        assert key in data["metrics"]["call"]
    word = data["utterances"][0]["words"][0]
    assert set(word) == {"start", "end", "text", "probability"}
    assert data["provenance"]["models"][0]["sha256"]
    assert data["provenance"]["options"]["dead_air_min_s"] == 3.0
    assert CallReport.from_dict(data).to_dict() == data


def test_timings_cover_the_named_steps(analysed):
    report, _ = analysed("en_calm")
    assert set(report.timings) <= set(STEPS)
    assert {"decode", "transcribe", "delivery"} <= set(report.timings)


def test_progress_hook_sees_every_step_and_each_result(models, sample_calls):
    path = sample_calls("en_calm")["en_calm"]
    seen, counts, results = [], [], {}
    report = analyze_call(
        path,
        models=models,
        progress=lambda step, done, total: seen.append(step) or counts.append((done, total)),
        on_step=results.__setitem__,
    )
    assert seen[0] == "decode" and seen[-1] == "done"
    assert counts[-1][0] == counts[-1][1] == len(seen) - 1  # a stereo call is not diarized
    assert {"transcribe", "delivery", "abuse", "scorecard"} <= set(seen)
    assert set(results) == set(seen) - {"done"}
    assert isinstance(results["decode"], CallAudio)
    assert results["scorecard"].scorecard == report.scorecard
    assert results["abuse"] == report.abuse


def test_the_report_keeps_voice_activity_and_role_evidence_for_scoring_and_charts(analysed):
    from coaching.report.timeline import timeline_spans

    report, _ = analysed("en_calm")
    assert {t.speaker for t in report.turns} == {"operator", "caller"}
    assert any("channel map" in line for line in report.role_evidence)
    again = CallReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again.turns == report.turns and again.role_evidence == report.role_evidence
    drawn = [s for s in timeline_spans(report) if s.lane == "operator"]
    operator = next(t for t in report.turns if t.speaker == "operator")
    assert [(s.start, s.end) for s in drawn] == list(operator.intervals)
