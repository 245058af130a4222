"""Fusing lexicon, classifier and voice into abuse flags, per language."""

from __future__ import annotations

import json

import numpy as np
import pytest

from coaching.abuse import detect_abuse
from coaching.abuse.detect import merge_flags, noisy_or
from coaching.errors import ConfigError, ModelError
from coaching.options import AbuseOptions
from coaching.types import AbuseEvidence, AbuseFlag, Utterance, UtteranceDelivery
from testkit.speech import RATE, caller_track

ABUSIVE_TURNS = {
    "en": [
        ("profanity", "This is fucking ridiculous."),
        ("insult", "You people are a bunch of idiots."),
        ("threat", "I know where you work. I'll come to your office."),
        ("harassment", "Tell me, what are you wearing?"),
    ],
    "vi": [
        ("profanity", "Đm, làm ăn như vậy à?"),
        ("insult", "Đồ ngu, có thế cũng không biết."),
        ("threat", "Tao sẽ đến tận nơi, liệu hồn."),
        ("harassment", "Em đang mặc gì thế?"),
    ],
    "ru": [
        ("profanity", "Да это пиздец какой-то."),
        ("insult", "Вы идиот, честное слово."),
        ("threat", "Я тебя найду, ты пожалеешь."),
        ("harassment", "А что на тебе надето?"),
    ],
    "zh": [
        ("profanity", "你们他妈的怎么回事？"),
        ("insult", "你这个蠢货。"),
        ("threat", "我要去你们公司找你。"),
        ("harassment", "你穿什么衣服？"),
    ],
}
CALM_CALLS = {
    "en": ["Hello, my bill looks too high this month.", "Thanks, that explains the class fee."],
    "vi": ["Chào em, hóa đơn tháng này cao quá.", "Cảm ơn em, anh đi mua đồ đây."],
    "ru": ["Здравствуйте, счёт за этот месяц слишком большой.", "Спасибо, всё понятно."],
    "zh": ["你好，这个月的账单太高了。", "谢谢你，我明白了。"],
}


def turns(*texts: str, speaker: str = "caller", step: float = 5.0, levels=None):
    """Utterances 3 s long every ``step`` seconds, optionally with a delivery level."""
    out = []
    for index, text in enumerate(texts):
        delivery = None
        if levels is not None:
            delivery = UtteranceDelivery(10, None, None, 180.0, levels[index])
        start = index * step
        out.append(Utterance(speaker, start, start + 3.0, text, delivery=delivery))
    return out


@pytest.mark.parametrize("language", sorted(ABUSIVE_TURNS))
def test_every_scripted_abusive_turn_is_flagged_with_its_category(language):
    scripted = ABUSIVE_TURNS[language]
    utterances = turns(*(text for _, text in scripted), step=10.0)
    flags = detect_abuse(utterances, language=language)
    for (category, _), utterance in zip(scripted, utterances, strict=True):
        hits = [f for f in flags if f.category == category and f.start <= utterance.start]
        hits = [f for f in hits if f.end >= utterance.end]
        assert hits, f"{language}: {category} turn not flagged: {utterance.text}"
        assert hits[0].speaker == "caller"
        assert hits[0].evidence.terms and "lexicon" in hits[0].evidence.sources


@pytest.mark.parametrize("language", sorted(CALM_CALLS))
def test_calm_calls_have_no_flags(language):
    utterances = [
        *turns(*CALM_CALLS[language]),
        *turns("How can I help you today?", speaker="operator", step=7.0),
    ]
    assert detect_abuse(utterances, language=language) == ()


def test_operator_profanity_and_insults_are_coaching_flags_and_nothing_else():
    utterances = turns("Oh shit, you stupid idiot, I will find you.", speaker="operator")
    flags = detect_abuse(utterances, language="en", toxicity=lambda texts: [0.99] * len(texts))
    # the operator's swearing and insults are a coaching matter; nothing else is flagged
    assert [(f.speaker, f.category) for f in flags] == [
        ("operator", "insult"),
        ("operator", "profanity"),
    ]
    assert flags[1].evidence.terms == ("shit",)


def test_operator_voice_is_never_judged():
    levels = [-26.0, -26.0, -26.0, -10.0]
    utterances = turns("fine", "fine", "fine", "FINE", speaker="operator", levels=levels)
    assert detect_abuse(utterances, language="en") == ()


def test_shouting_from_delivery_levels_carries_voice_evidence():
    utterances = turns("one", "two", "three", "four", "five", levels=[-26, -25, -27, -14, -26])
    (flag,) = detect_abuse(utterances, language="en")
    assert flag.category == "shouting"
    assert flag.start == utterances[3].start
    assert flag.evidence.level_over_median_db == pytest.approx(12.0)
    assert flag.evidence.pitch_rise_semitones == pytest.approx(0.0)
    assert flag.evidence.sources == ("voice",)


def test_shouting_from_caller_samples():
    samples, intervals = caller_track([-26, -25, -27, -14, -26])
    utterances = [Utterance("caller", s, e, "words") for s, e in intervals]
    flags = detect_abuse(utterances, language="en", caller_samples=samples, sample_rate=RATE)
    assert [(f.category, f.start) for f in flags] == [("shouting", intervals[3][0])]
    assert flags[0].evidence.level_over_median_db == pytest.approx(12.0, abs=1.5)


def test_samples_without_a_rate_are_refused():
    with pytest.raises(ConfigError, match="sample_rate"):
        detect_abuse(turns("hi"), language="en", caller_samples=np.zeros(RATE))


def test_shouting_threshold_comes_from_options():
    utterances = turns("a", "b", "c", "d", levels=[-26, -26, -26, -19])
    assert detect_abuse(utterances, language="en") == ()
    options = AbuseOptions(shouting_db_over_median=6.0)
    assert [f.category for f in detect_abuse(utterances, language="en", options=options)] == [
        "shouting"
    ]


def keyword_toxicity(texts: list[str]) -> list[float]:
    """A stand-in classifier with known outputs: the fusion, not the model, is under test."""
    return [0.95 if "awful" in t else 0.4 if "meh" in t else 0.05 for t in texts]


def test_classifier_alone_adds_an_insult_flag_above_threshold():
    flags = detect_abuse(turns("you awful person", "meh"), language="en", toxicity=keyword_toxicity)
    (flag,) = flags
    assert (flag.category, flag.severity) == ("insult", 0.95)
    assert flag.evidence.classifier_score == 0.95
    assert flag.evidence.sources == ("classifier",)


def test_classifier_raises_lexicon_severity_and_low_scores_are_evidence_only():
    plain = detect_abuse(turns("damn it"), language="en")
    raised = detect_abuse(turns("damn it, awful"), language="en", toxicity=keyword_toxicity)
    kept = detect_abuse(turns("damn it, meh"), language="en", toxicity=keyword_toxicity)
    assert raised[0].severity == pytest.approx(noisy_or([plain[0].severity, 0.95]), abs=1e-3)
    assert raised[0].evidence.sources == ("lexicon", "classifier")
    assert kept[0].severity == plain[0].severity
    assert kept[0].evidence.classifier_score == 0.4


def test_threshold_of_the_classifier_comes_from_options():
    options = AbuseOptions(toxicity_threshold=0.3)
    flags = detect_abuse(turns("meh"), language="en", toxicity=keyword_toxicity, options=options)
    assert [f.category for f in flags] == ["insult"]


def test_a_classifier_returning_the_wrong_shape_is_reported():
    with pytest.raises(ModelError, match="one probability per text"):
        detect_abuse(turns("a", "b"), language="en", toxicity=lambda texts: [0.1])
    with pytest.raises(ModelError, match="outside 0..1"):
        detect_abuse(turns("a"), language="en", toxicity=lambda texts: [3.0])


def test_adjacent_turns_merge_and_distant_ones_do_not():
    close = detect_abuse(turns("fuck", "shit", step=4.0), language="en")  # 1 s apart
    apart = detect_abuse(turns("fuck", "shit", step=5.5), language="en")  # 2.5 s apart
    assert [(f.start, f.end) for f in close] == [(0.0, 7.0)]
    assert close[0].evidence.terms == ("fuck", "shit")
    assert close[0].severity == max(f.severity for f in apart)
    assert len(apart) == 2


def test_repeated_insults_add_harassment():
    flags = detect_abuse(turns("idiot", "moron", "clown", step=30.0), language="en")
    harassment = [f for f in flags if f.category == "harassment"]
    assert len(harassment) == 1
    assert (harassment[0].start, harassment[0].end) == (0.0, 63.0)
    assert harassment[0].evidence.sources == ("repetition",)
    two = detect_abuse(turns("idiot", "moron", step=30.0), language="en")
    assert all(f.category != "harassment" for f in two)


def test_severity_combines_several_hits_in_one_turn():
    (one,) = detect_abuse(turns("damn"), language="en")
    (two,) = detect_abuse(turns("damn, crap"), language="en")
    assert two.severity == pytest.approx(noisy_or([0.2, 0.2]), abs=1e-3)
    assert two.severity > one.severity


def test_merge_keeps_speakers_and_categories_apart():
    flag = AbuseFlag(0.0, 1.0, "caller", "insult", 0.5, AbuseEvidence(terms=("idiot",)))
    other = AbuseFlag(1.5, 2.0, "caller", "threat", 0.7)
    operator = AbuseFlag(1.2, 2.0, "operator", "insult", 0.3)
    assert len(merge_flags([flag, other, operator])) == 3


def test_detection_can_be_switched_off_and_flags_serialise():
    utterances = turns("fuck off")
    assert detect_abuse(utterances, language="en", options=AbuseOptions(detect_abuse=False)) == ()
    (flag,) = detect_abuse(utterances, language="en")
    data = json.loads(json.dumps(flag.to_dict()))
    assert AbuseFlag.from_dict(data) == flag
