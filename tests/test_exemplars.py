"""What worked: finding the de-escalation moment, its topic and what the operator did."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coaching.scoring.exemplar_cues import ACTIONS, cues_in, topic_of
from coaching.scoring.exemplars import find_exemplars
from coaching.types import AbuseEvidence, AbuseFlag, Sentiment, Utterance
from testkit.store_samples import synthetic_report


def _turn(speaker, start, text, score=0.0):
    label = "negative" if score < 0 else "positive" if score > 0 else "neutral"
    return Utterance(speaker, start, start + 4.0, text, sentiment=Sentiment(label, score))


def _report(turns, *, flags=(), language="en", duration=60.0):
    base = synthetic_report("x", duration_s=duration, language=language)
    return replace(base, utterances=tuple(turns), abuse=tuple(flags))


UPSET_TO_CALM = [
    _turn("operator", 0, "Sunrise Telecom, how can I help?"),
    _turn("caller", 5, "My bill is wrong again, this is a disgrace.", -0.8),
    _turn("operator", 10, "Let me look."),
    _turn("caller", 15, "You always overcharge me.", -0.6),
    _turn("operator", 20, "I am sorry, I understand. I will refund the charge today."),
    _turn("caller", 25, "Oh good, thank you.", 0.6),
    _turn("caller", 30, "That is great, thanks.", 0.7),
]


def test_a_caller_who_calms_down_gives_one_exemplar_at_the_turning_point():
    (found,) = find_exemplars(_report(UPSET_TO_CALM))
    assert found.turn_at_s == 20  # the operator turn just before the caller's mood rose
    assert (found.start_s, found.end_s) == (15, 29)
    assert [line.speaker for line in found.lines] == ["caller", "operator", "caller"]
    assert found.actions == ("acknowledged", "apologised", "next step")
    assert found.topic == "billing"
    assert found.sentiment_before == pytest.approx(-70.0)
    assert found.sentiment_after == pytest.approx(65.0)
    assert found.reason == "mood trend +68"


def test_calls_that_stay_flat_or_worsen_give_none():
    flat = [replace(u, sentiment=Sentiment("neutral", 0.0)) for u in UPSET_TO_CALM]
    assert find_exemplars(_report(flat)) == ()
    worse = [replace(u, sentiment=Sentiment("neutral", -u.sentiment.score)) for u in UPSET_TO_CALM]
    assert find_exemplars(_report(worse)) == ()
    assert find_exemplars(_report(UPSET_TO_CALM[:2])) == ()
    content = [replace(u, sentiment=Sentiment("neutral", 0.0)) if u.start < 20 else u
               for u in UPSET_TO_CALM]  # fmt: skip
    assert find_exemplars(_report(content)) == ()  # a calm caller who thanks: nothing to learn


def test_abuse_after_the_rise_is_not_an_exemplar():
    late = _flag(30, 34)
    assert find_exemplars(_report(UPSET_TO_CALM, flags=[late])) == ()


def _flag(start, end, terms=("idiot",)):
    return AbuseFlag(start, end, "caller", "insult", 0.7, AbuseEvidence(terms=terms))


def test_abuse_only_early_qualifies_without_a_mood_change_and_masks_the_words():
    turns = [replace(u, sentiment=Sentiment("neutral", 0.0)) for u in UPSET_TO_CALM]
    turns[1] = _turn("caller", 5, "You idiot, my bill is wrong.")
    (found,) = find_exemplars(_report(turns, flags=[_flag(5, 9)]))
    assert found.reason == "abuse stopped"
    assert found.lines[0].text == "You ***, my bill is wrong."
    assert found.bleep_spans == ((5, 9),)
    late = find_exemplars(_report(turns, flags=[_flag(5, 9), _flag(50, 54)]))
    assert late == ()  # abuse in the second half: not "only early"


def test_numbers_are_redacted_in_the_text_and_bleeped_in_the_snippet():
    turns = list(UPSET_TO_CALM)
    turns[3] = _turn("caller", 15, "My card is 4512 3456 7890 1234 and you overcharge it.", -0.6)
    (found,) = find_exemplars(_report(turns))
    assert "4512" not in found.lines[0].text and "[REDACTED" in found.lines[0].text
    assert found.bleep_spans == ((15, 19),)


def test_an_action_detector_can_replace_the_keyword_cues():
    (found,) = find_exemplars(_report(UPSET_TO_CALM), detect_actions=lambda turns, _: ("hook",))
    assert found.actions == ("hook",)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("vi", "Dạ, em xin lỗi anh. Em hiểu. Chiều nay kỹ thuật viên sẽ đến.", 3),
        ("ru", "Извините, я понимаю вас. Мастер приедет завтра.", 3),
        ("zh", "非常抱歉，我理解您。维修师傅明天上午会去您家。", 3),
    ],
)
def test_action_cues_in_four_languages(language, text, expected):
    assert len(cues_in(text, ACTIONS, language)) == expected


def test_topics_from_keywords():
    assert topic_of(["Mạng nhà tôi mất cả ba ngày"], "vi") == "outage"
    assert topic_of(["Мне списали лишнее, счёт неверный"], "ru") == "billing"
    assert topic_of(["我的电表读数不对"], "zh") == "meter"
    assert topic_of(["They cut off my phone line", "disconnect"], "en") == "disconnection"
    assert topic_of(["hello there"], "en") == "other"


def test_the_generated_deescalation_calls_are_found(sample_calls):
    from coaching.app.quick_reports import quick_report

    for name in ("en_deescalation", "vi_deescalation"):
        (found,) = find_exemplars(quick_report(sample_calls(name)[name]))
        assert found.topic == "outage" and "next step" in found.actions, name
        assert found.sentiment_after - found.sentiment_before >= 40, name
