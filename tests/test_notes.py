"""Coaching notes: the right criteria, tied to the right moment, kind, in four languages."""

from __future__ import annotations

import re

import pytest

from coaching.errors import ConfigError
from coaching.scoring import (
    apply_scorecard,
    coaching_notes,
    compare_with_baseline,
    load_rubric,
    personal_baseline,
    score_call,
)
from coaching.scoring.messages import clock
from coaching.scoring.note_texts import TEMPLATES
from testkit.synthetic import OperatorStyle, synthetic_report

FAST_MONOTONE = OperatorStyle(rate=200, pitch_sd_semitones=0.6)
SCRIPTS = {
    "vi": "[ạảãàáâầấậẫẩăằắặẵẳđêềếệễểôồốộỗổơờớợỡởưừứựữử]",
    "ru": "[а-яё]",
    "zh": "[\u4e00-\u9fff]",
}


def notes_of(report, **kwargs):
    return apply_scorecard(report, **kwargs).notes


def improve_ids(notes):
    return [note.criterion for note in notes if note.kind == "improve"]


def test_a_fast_monotone_operator_gets_pace_and_pitch_notes_at_the_fastest_moment():
    report = synthetic_report(style=FAST_MONOTONE)
    notes = notes_of(report)
    assert set(improve_ids(notes)) >= {"pace", "pitch_variation"}
    pace = next(n for n in notes if n.criterion == "pace")
    operator = [u for u in report.utterances if u.speaker == "operator"]
    fastest = max(operator, key=lambda u: u.delivery.words_per_minute)
    assert pace.start == pytest.approx(fastest.start)
    assert f"{fastest.delivery.words_per_minute:.0f} wpm" in pace.text
    assert "slow down" in pace.text.lower()


def test_a_quiet_operator_gets_a_volume_note_at_the_quietest_utterance():
    report = synthetic_report(style=OperatorStyle(loudness_dbfs=-38))
    notes = notes_of(report)
    assert improve_ids(notes) == ["volume"]
    quietest = min(
        (u for u in report.utterances if u.speaker == "operator"),
        key=lambda u: u.delivery.loudness_dbfs,
    )
    volume = notes[-1]
    assert volume.start == pytest.approx(quietest.start)
    assert "quiet" in volume.text


def test_a_long_hold_silence_gets_a_dead_air_note_where_it_starts():
    report = synthetic_report(hold_s=20.0)
    notes = notes_of(report)
    dead_air = next(n for n in notes if n.criterion == "dead_air")
    assert dead_air.kind == "improve"
    assert dead_air.start == pytest.approx(report.metrics.call.dead_air[0][0])
    assert "20.0 s" in dead_air.text


def test_a_calm_good_call_gets_strengths_and_no_improve_note_below_watch():
    report = synthetic_report()
    scored = apply_scorecard(report)
    assert 2 <= sum(n.kind == "strength" for n in scored.notes) <= 3
    low = {c.id for c in scored.scorecard.criteria if c.verdict == "improve"}
    assert not low
    assert improve_ids(scored.notes) == []


def test_missing_courtesy_steps_are_named_at_the_point_they_belong():
    report = synthetic_report(style=OperatorStyle(courteous=False))
    courtesy = next(n for n in notes_of(report) if n.criterion == "courtesy")
    assert courtesy.kind == "improve"
    assert courtesy.start == report.utterances[0].start
    assert "greet the caller" in courtesy.text and "say your name" in courtesy.text


def test_staying_professional_under_abuse_is_a_strength_and_operator_words_are_not():
    abused = notes_of(synthetic_report(caller_flags=("insult",)))
    assert "operator_language" in [n.criterion for n in abused if n.kind == "strength"]
    rude = notes_of(synthetic_report(operator_flags=("profanity",)))
    note = next(n for n in rude if n.criterion == "operator_language")
    assert note.kind == "improve" and "profanity" in note.text


def test_there_are_at_most_three_of_each_kind_and_the_worst_comes_first():
    report = synthetic_report(
        style=OperatorStyle(rate=220, pitch_sd_semitones=0.2, loudness_dbfs=-40, talk_share=0.8),
        hold_s=30.0,
    )
    notes = notes_of(report)
    improvements = [n for n in notes if n.kind == "improve"]
    assert len(improvements) == 3
    card = apply_scorecard(report).scorecard
    scores = {c.id: c.score for c in card.criteria}
    assert [scores[n.criterion] for n in improvements] == sorted(
        scores[n.criterion] for n in improvements
    )


@pytest.mark.parametrize("language", ["en", "vi", "ru", "zh"])
def test_notes_exist_in_each_language_with_a_timestamp(language):
    report = synthetic_report(language=language, style=OperatorStyle(rate=7.0), hold_s=12.0)
    if language == "en":
        report = synthetic_report(style=OperatorStyle(rate=185), hold_s=12.0)
    notes = notes_of(report)
    assert {n.kind for n in notes} == {"strength", "improve"}
    for note in notes:
        assert note.start is not None
        assert clock(note.start) in note.text
        if language != "en":
            assert re.search(SCRIPTS[language], note.text.lower()), note.text


def test_an_explicit_language_overrides_the_calls():
    report = synthetic_report(style=FAST_MONOTONE)
    card = score_call(report, load_rubric())
    russian = coaching_notes(report, card, language="ru")
    assert all(re.search(SCRIPTS["ru"], n.text.lower()) for n in russian)
    with pytest.raises(ConfigError, match="allowed: en, vi, ru, zh"):
        coaching_notes(report, card, language="de")


def test_every_template_exists_in_every_language_with_the_same_fields():
    fields = {key: set(re.findall(r"{(\w+)}", text)) for key, text in TEMPLATES["en"].items()}
    for language, templates in TEMPLATES.items():
        assert set(templates) == set(fields), language
        for key, text in templates.items():
            assert set(re.findall(r"{(\w+)}", text)) == fields[key], (language, key)
            assert "{time}" in text


def test_notes_never_describe_the_operators_feelings():
    feelings = re.compile(
        r"\b(calm|nervous|stress\w*|anxious|angry|frustrat\w*|upset|bored|emotion\w*|mood)\b"
    )
    operator_notes = [
        text
        for key, text in TEMPLATES["en"].items()
        if not key.startswith("caller_sentiment_trend")
    ]
    assert not [text for text in operator_notes if feelings.search(text.lower())]


def test_personal_baseline_gives_median_and_trend_of_own_calls():
    history = [
        apply_scorecard(synthetic_report(style=OperatorStyle(rate=rate)))
        for rate in (130, 140, 150, 160, 170)
    ]
    baseline = personal_baseline(history)
    pace = baseline.metric("words_per_minute")
    assert pace.median == 150
    assert pace.trend == "rising"
    assert pace.change_per_call == pytest.approx(10)
    assert baseline.metric("loudness_dbfs").trend == "steady"
    comparison = {
        c.metric: c for c in compare_with_baseline(synthetic_report(style=FAST_MONOTONE), baseline)
    }
    assert comparison["words_per_minute"].position == "above"
    assert comparison["loudness_dbfs"].position == "usual"
    assert personal_baseline(history[:2]).metric("words_per_minute").trend == "too few calls"


def test_the_baseline_skips_unreliable_calls():
    history = [synthetic_report(style=OperatorStyle(rate=135)) for _ in range(3)]
    history.append(synthetic_report(style=OperatorStyle(rate=260), reliable=False))
    assert personal_baseline(history).metric("words_per_minute").values == (135.0, 135.0, 135.0)


SAMPLE_EXPECTATIONS = {
    "en_fast_monotone": {"pace", "pitch_variation"},
    "en_quiet": {"volume"},
    "en_hold_silence": {"dead_air"},
}


@pytest.mark.slow
def test_notes_on_the_sample_calls(analysed):
    """The real analysis of generated calls leads to the notes their scripts call for."""
    for name, expected in SAMPLE_EXPECTATIONS.items():
        report, _ = analysed(name)
        assert set(improve_ids(report.notes)) >= expected, (name, report.notes)
    calm, _ = analysed("en_calm")
    assert {c.verdict for c in calm.scorecard.criteria} <= {"good", "watch", "n/a"}
    assert improve_ids(calm.notes) == []
