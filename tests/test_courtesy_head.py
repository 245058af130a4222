"""Empathy and next steps in the courtesy criterion, read by the real courtesy head."""

from __future__ import annotations

from coaching.scoring.courtesy import check_courtesy, check_empathy, courtesy_steps_scorer
from coaching.types import Sentiment, Utterance

COMPLAINT = Sentiment("negative", -0.8)


def turn(speaker, start, text, sentiment=None):
    return Utterance(speaker, start, start + 3.0, text, sentiment=sentiment)


def test_empathy_and_next_steps_found_after_a_complaint_with_quotes():
    steps = courtesy_steps_scorer()
    caller = [turn("caller", 5.0, "The power's been off since Monday, I'm sick of it", COMPLAINT)]
    operator = [
        turn("operator", 0.0, "Good morning, city power, my name is Ana"),
        turn("operator", 9.0, "I'm really sorry about that, I can see how frustrating it's been"),
        turn("operator", 14.0, "A crew is booked for your street and will be there by four today"),
    ]
    by_name = {e.element: e for e in check_empathy(operator, caller, steps=steps)}
    assert by_name["empathy"].found_at == 9.0
    assert by_name["empathy"].quote.startswith("I'm really sorry")
    assert by_name["next_steps"].found_at in (9.0, 14.0)


def test_missing_empathy_quotes_the_complaint_and_lowers_the_percent():
    steps = courtesy_steps_scorer()
    caller = [turn("caller", 5.0, "Третий раз за неделю отключают свет, сколько можно", COMPLAINT)]
    operator = [
        turn("operator", 0.0, "Здравствуйте, меня зовут Ольга"),
        turn("operator", 9.0, "Назовите номер лицевого счёта"),
    ]
    phrases = {"greeting": ["здравствуйте"]}
    check = check_courtesy(operator, phrases, caller_utterances=caller, steps=steps)
    missing = {e.element: e for e in check.missing}
    assert "empathy" in missing
    assert missing["empathy"].quote.startswith("Третий раз")
    assert check.percent < 100


def test_no_complaint_no_empathy_expected():
    steps = courtesy_steps_scorer()
    caller = [turn("caller", 5.0, "I'd like to pay my bill please", Sentiment("neutral", 0.0))]
    operator = [turn("operator", 0.0, "Hello, how can I help")]
    assert check_empathy(operator, caller, steps=steps) == ()
