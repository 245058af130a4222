"""Rubric files: the shipped default, centre overrides, and an error for each kind of mistake."""

from __future__ import annotations

import textwrap

import pytest

from coaching.errors import ConfigError
from coaching.scoring import load_rubric
from coaching.scoring.courtesy import check_courtesy
from coaching.scoring.measures import CRITERION_MEASURES
from coaching.types import Utterance

MINIMAL = """
name = "centre"
[criteria.pace]
weight = 2
tolerance = 0.5
targets.vi = { range = [3.0, 5.5] }
"""


def write(tmp_path, text: str):
    path = tmp_path / "rubric.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_default_rubric_has_every_criterion_with_weights_and_targets():
    rubric = load_rubric()
    assert [c.id for c in rubric.criteria] == list(CRITERION_MEASURES)
    for criterion in rubric.criteria:
        assert criterion.weight > 0
        for language in ("en", "vi", "ru", "zh"):
            target = criterion.target_for(language)
            assert target is not None, (criterion.id, language)
            assert target.metric in CRITERION_MEASURES[criterion.id]
            assert set(criterion.labels) >= {"en", "vi", "ru", "zh"}
    courtesy = rubric.criterion("courtesy")
    for language in ("en", "vi", "ru", "zh"):
        assert set(courtesy.phrases_for(language)) == {"greeting", "name", "thanks", "closing"}


def test_default_targets_differ_by_language_where_the_norms_do():
    rubric = load_rubric()
    pace = rubric.criterion("pace")
    assert pace.target_for("en").metric == "words_per_minute"
    assert (pace.target_for("en").low, pace.target_for("en").high) == (120, 150)
    assert pace.target_for("vi").metric == "syllables_per_second"
    pitch = rubric.criterion("pitch_variation")
    assert pitch.target_for("zh").low > pitch.target_for("en").low  # tone languages spread wider
    assert pitch.target_for("vi").low > pitch.target_for("ru").low


def test_a_standalone_file_loads_with_only_its_criteria(tmp_path):
    rubric = load_rubric(write(tmp_path, MINIMAL))
    assert rubric.name == "centre"
    assert [c.id for c in rubric.criteria] == ["pace"]
    assert rubric.criterion("pace").target_for("vi").tolerance == 0.5
    assert rubric.criterion("pace").target_for("en") is None


def test_a_centre_file_extends_the_default_and_changes_only_what_it_names(tmp_path):
    path = write(
        tmp_path,
        """
        extends = "default"
        name = "north"
        [criteria.pace.targets.en]
        range = [110, 140]
        [criteria.caller_sentiment_trend]
        weight = 0
        """,
    )
    rubric, default = load_rubric(path), load_rubric()
    assert rubric.name == "north"
    en = rubric.criterion("pace").target_for("en")
    assert (en.low, en.high, en.metric, en.tolerance) == (110, 140, "words_per_minute", 10)
    assert rubric.criterion("caller_sentiment_trend").weight == 0
    assert rubric.criterion("volume") == default.criterion("volume")


@pytest.mark.parametrize(
    ("text", "names", "allowed"),
    [
        (MINIMAL.replace("criteria.pace]", "criteria.speed]"), "criteria.speed", "pace"),
        (MINIMAL.replace("weight = 2\n", ""), "criteria.pace.weight", ">= 0"),
        (MINIMAL.replace("weight = 2", "weight = -1"), "criteria.pace.weight", ">= 0"),
        (MINIMAL.replace("[3.0, 5.5]", "[5.5, 3.0]"), "criteria.pace.targets.vi.range", "low <="),
        (MINIMAL.replace("[3.0, 5.5]", "[3.0]"), "criteria.pace.targets.vi.range", "[low, high]"),
        (MINIMAL.replace("[3.0, 5.5]", '[3.0, "fast"]'), "targets.vi.range", "two numbers"),
        (MINIMAL.replace("targets.vi", "targets.xx"), "criteria.pace.targets.xx", "en, vi, ru, zh"),
        (MINIMAL.replace("tolerance = 0.5", "tolerance = 0"), "targets.vi.tolerance", "> 0"),
        (MINIMAL.replace("tolerance = 0.5\n", ""), "targets.vi.tolerance", "> 0"),
        (MINIMAL.replace("weight = 2", "weight = 2\nspeed = 1"), "criteria.pace.speed", "weight"),
        (
            MINIMAL.replace("weight = 2", 'weight = 2\nmetric = "loudness_dbfs"'),
            "targets.vi.metric",
            "syllables_per_second",
        ),
        (MINIMAL + "\n[verdicts]\ngood = 40\nwatch = 60\n", "verdicts", "watch <= good"),
        ('extends = "other"\n' + MINIMAL, "extends", '"default"'),
        (
            'extends = "default"\n[criteria.courtesy.phrases.en]\nsmile = ["hi"]\n',
            "criteria.courtesy.phrases.en.smile",
            "greeting",
        ),
    ],
)
def test_each_mistake_names_the_key_and_what_is_allowed(tmp_path, text, names, allowed):
    with pytest.raises(ConfigError) as error:
        load_rubric(write(tmp_path, text))
    assert names in str(error.value)
    assert allowed in str(error.value)


def test_unreadable_files_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_rubric(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_rubric(write(tmp_path, "[criteria.pace\nweight = 1"))


def _said(*texts: str) -> list[Utterance]:
    return [Utterance("operator", 10.0 * i, 10.0 * i + 5, text) for i, text in enumerate(texts)]


def test_courtesy_phrases_match_whole_words_in_their_window():
    phrases = load_rubric().criterion("courtesy").phrases_for("en")
    check = check_courtesy(
        _said("Hi there, my name is Anna.", "Let me check.", "Thanks! Goodbye."), phrases
    )
    assert check.percent == 100
    assert {e.element: e.found_at for e in check.elements}["closing"] == 20.0
    late_greeting = check_courtesy(
        _said("Yes?", "Right.", "Okay.", "Hello, welcome!", "Thistle."),
        phrases,
        opening_utterances=3,
        closing_utterances=1,
    )
    assert {e.element for e in late_greeting.missing} == {"greeting", "name", "thanks", "closing"}


@pytest.mark.parametrize(
    ("language", "greeting", "closing"),
    [
        ("vi", "Xin chào, em tên là Lan.", "Cảm ơn anh, chúc anh một ngày tốt lành."),
        ("ru", "Здравствуйте, меня зовут Анна.", "Спасибо, всего доброго!"),
        ("zh", "您好，我是客服小李。", "谢谢您的来电，再见。"),
        ("zh", "您好，工號三號為您服務。", "謝謝，再見。"),
    ],
)
def test_courtesy_phrases_exist_for_each_language(language, greeting, closing):
    phrases = load_rubric().criterion("courtesy").phrases_for(language)
    check = check_courtesy(_said(greeting, "...", closing), phrases)
    assert check.percent == 100, check
