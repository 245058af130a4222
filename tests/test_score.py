"""Scores per criterion, verdicts, weighted overall, per-language targets and N/A, never guessed."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from coaching.scoring import apply_scorecard, load_rubric, score_call
from coaching.scoring.rubric import Target, parse_rubric
from coaching.scoring.score import overall_score, score_value, verdict_for
from coaching.types import AbuseFlag, CallReport
from testkit.synthetic import OperatorStyle, synthetic_report

PACE = Target(metric="words_per_minute", low=120.0, high=150.0, tolerance=10.0)


def criterion(card, criterion_id):
    return next(c for c in card.criteria if c.id == criterion_id)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(120, 100), (135, 100), (150, 100), (155, 75), (160, 50), (110, 50), (165, 25), (170, 0)],
)
def test_score_is_100_in_range_50_at_one_tolerance_and_0_at_two(value, expected):
    assert score_value(value, PACE) == pytest.approx(expected)


def test_open_ranges_only_penalise_the_closed_side():
    at_least = Target(metric="pitch_sd_semitones", low=2.0, high=None, tolerance=0.8)
    assert score_value(9.0, at_least) == 100
    assert score_value(1.2, at_least) == pytest.approx(50)
    assert score_value(0.0, at_least) == 0


@pytest.mark.parametrize(
    ("score", "verdict"),
    [
        (100, "good"),
        (80, "good"),
        (79.9, "watch"),
        (50, "watch"),
        (49.9, "improve"),
        (0, "improve"),
    ],
)
def test_verdict_thresholds(score, verdict):
    assert verdict_for(score, load_rubric()) == verdict
    assert verdict_for(None, load_rubric()) == "n/a"


def test_a_vietnamese_call_at_5_2_syllables_per_second_is_fine():
    card = score_call(synthetic_report(language="vi", style=OperatorStyle(rate=5.2)), load_rubric())
    pace = criterion(card, "pace")
    assert (pace.value, pace.score, pace.verdict) == (5.2, 100, "good")


def test_english_at_200_words_per_minute_is_improve():
    card = score_call(synthetic_report(style=OperatorStyle(rate=200)), load_rubric())
    pace = criterion(card, "pace")
    assert pace.value == 200
    assert pace.verdict == "improve"
    assert pace.target == "120–150 wpm"


@pytest.mark.parametrize(
    ("language", "rate", "verdict"),
    [("zh", 6.8, "improve"), ("ru", 4.5, "good"), ("vi", 6.2, "watch"), ("en", 140, "good")],
)
def test_pace_targets_follow_the_call_language(language, rate, verdict):
    card = score_call(
        synthetic_report(language=language, style=OperatorStyle(rate=rate)), load_rubric()
    )
    assert criterion(card, "pace").verdict == verdict


def test_a_calm_good_call_scores_good_everywhere():
    card = score_call(synthetic_report(), load_rubric())
    assert card.overall == 100
    assert {c.verdict for c in card.criteria} == {"good"}


def test_overall_is_the_weighted_mean_of_scored_criteria():
    rubric = parse_rubric(
        {
            "criteria": {
                "pace": {
                    "weight": 3,
                    "metric": "words_per_minute",
                    "tolerance": 10,
                    "targets": {"en": {"range": [120, 150]}},
                },
                "volume": {
                    "weight": 1,
                    "tolerance": 4,
                    "targets": {"default": {"range": [-28, -16]}},
                },
            }
        }
    )
    # pace in range (100), volume one tolerance under (50): (3*100 + 1*50) / 4
    report = synthetic_report(style=OperatorStyle(rate=140, loudness_dbfs=-32))
    assert score_call(report, rubric).overall == pytest.approx(87.5)


def test_unreliable_separation_leaves_speaker_criteria_out_rather_than_guessing():
    report = synthetic_report(style=OperatorStyle(rate=200), reliable=False)
    card = score_call(report, load_rubric())
    for criterion_id in ("pace", "volume", "pitch_variation", "talk_share", "courtesy"):
        scored = criterion(card, criterion_id)
        assert (scored.score, scored.verdict) == (None, "n/a"), criterion_id
        assert "could not be told apart" in scored.reason
    assert criterion(card, "dead_air").verdict == "good"  # silence needs no speaker roles
    # what is left carries under half the rubric's weight: no overall, and why
    assert card.overall is None
    assert card.basis == "no overall: the two voices could not be told apart confidently: 0.30"
    assert "stereo recording" in card.advice and "voice profile" in card.advice


def test_overall_says_how_many_criteria_it_rests_on():
    card = score_call(synthetic_report(), load_rubric())
    scored = sum(c.score is not None for c in card.criteria)
    assert card.overall is not None
    assert card.basis == f"based on {scored} of {len(card.criteria)} criteria"
    assert card.advice == ""


def test_no_overall_when_the_scored_criteria_carry_under_half_the_weight():
    card = score_call(synthetic_report(), load_rubric())
    total = sum(c.weight for c in card.criteria)
    kept, weight = [], 0.0
    for c in sorted(card.criteria, key=lambda c: c.weight):
        if weight + c.weight < total / 2:
            kept.append(c.id)
            weight += c.weight
    thin = replace(
        card,
        criteria=tuple(c if c.id in kept else replace(c, score=None) for c in card.criteria),
    )
    assert overall_score(thin.criteria) is None
    assert overall_score(card.criteria) is not None


def test_missing_measures_are_not_applicable():
    report = synthetic_report()
    operator = replace(report.metrics.operator, pitch_sd_semitones=None, loudness_dbfs=None)
    call = replace(report.metrics.call, overtalk_measured=False, operator_response_latency_s=None)
    report = replace(report, metrics=replace(report.metrics, operator=operator, call=call))
    card = score_call(report, load_rubric())
    for criterion_id in ("pitch_variation", "volume", "overtalk", "response_latency"):
        assert criterion(card, criterion_id).verdict == "n/a", criterion_id
        assert criterion(card, criterion_id).reason
    assert "mono" in criterion(card, "overtalk").reason


def test_a_language_without_its_own_target_uses_default_targets_only():
    report = replace(synthetic_report(), language="fr")
    card = score_call(report, load_rubric())
    assert criterion(card, "pace").verdict == "n/a"
    assert "'fr'" in criterion(card, "pace").reason
    assert criterion(card, "courtesy").verdict == "n/a"  # no French phrase list
    assert criterion(card, "volume").verdict == "good"
    assert card.language == "en"  # labels fall back to English


def test_only_the_operators_words_count_for_operator_language():
    card = score_call(synthetic_report(caller_flags=("insult", "threat")), load_rubric())
    assert criterion(card, "operator_language").verdict == "good"
    card = score_call(synthetic_report(operator_flags=("profanity",)), load_rubric())
    assert criterion(card, "operator_language").verdict == "improve"
    shouting = replace(
        synthetic_report(), abuse=(AbuseFlag(3.0, 4.0, "operator", "shouting", 0.8),)
    )
    assert criterion(score_call(shouting, load_rubric()), "operator_language").value == 0


def test_caller_sentiment_trend_uses_genesys_bands():
    worsening = synthetic_report(caller_sentiment=(0.4, -0.6))  # trend (-60 - 40) / 2 = -50
    scored = criterion(score_call(worsening, load_rubric()), "caller_sentiment_trend")
    assert scored.value == -50
    assert scored.verdict == "watch"
    much_worse = synthetic_report(caller_sentiment=(0.6, -0.9))  # -75: beyond the strong band
    assert criterion(score_call(much_worse, load_rubric()), "caller_sentiment_trend").verdict == (
        "improve"
    )


def test_long_hold_silence_scores_dead_air_down():
    card = score_call(synthetic_report(hold_s=8.0), load_rubric())
    assert criterion(card, "dead_air").value == 8.0
    assert criterion(card, "dead_air").verdict == "watch"
    card = score_call(synthetic_report(hold_s=25.0), load_rubric())
    assert criterion(card, "dead_air").verdict == "improve"


def test_scorecard_and_notes_go_into_the_report_json_and_back():
    report = apply_scorecard(synthetic_report(style=OperatorStyle(rate=190)))
    data = json.loads(json.dumps(report.to_dict()))
    scorecard = data["scorecard"]
    assert set(scorecard) >= {"overall", "criteria"}
    assert set(scorecard["criteria"][0]) >= {
        "id", "label", "value", "target", "score", "weight", "verdict"
    }  # fmt: skip
    assert {note["kind"] for note in data["notes"]} == {"strength", "improve"}
    assert all(set(note) >= {"start", "criterion", "kind", "text"} for note in data["notes"])
    restored = CallReport.from_dict(data)
    assert (restored.scorecard, restored.notes) == (report.scorecard, report.notes)
