"""Abuse fusion with the real abuse head: categories, evidence, operator flags, exposure."""

from __future__ import annotations

import pytest

from coaching.abuse import detect_abuse
from coaching.store.wellbeing import DEFAULT_WEIGHTS
from coaching.types import Utterance


@pytest.fixture(scope="session")
def head():
    from coaching.registry import text_models

    return text_models("cpu").abuse


def caller(*texts: str, speaker: str = "caller") -> list[Utterance]:
    return [Utterance(speaker, 10.0 * i, 10.0 * i + 4.0, t) for i, t in enumerate(texts)]


def test_the_office_sentence_is_a_threat_from_the_head(head):
    flags = detect_abuse(
        caller("If it is not back tonight I will come down to your office"),
        language="en",
        abuse_head=head,
    )
    threat = [f for f in flags if f.category == "threat"]
    assert threat, flags
    assert "head" in threat[0].evidence.sources
    assert threat[0].evidence.head_probability >= 0.5


def test_a_threat_with_a_swear_word_is_both_with_each_source_named(head):
    flags = detect_abuse(
        caller("I know where you fucking work and I'll be waiting for you tonight"),
        language="en",
        abuse_head=head,
    )
    by_category = {f.category: f for f in flags}
    assert {"threat", "profanity"} <= set(by_category)
    profanity = by_category["profanity"].evidence
    assert "lexicon" in profanity.sources and "fucking" in profanity.terms
    assert profanity.lexicon_severity is not None
    assert by_category["threat"].evidence.head_probability is not None


def test_a_lexicon_word_in_a_domain_sense_does_not_make_a_threat(head):
    texts = ("Please kill the old reading, the meter was replaced", "They cut off my power")
    assert detect_abuse(caller(*texts), language="en", abuse_head=head) == ()


def test_a_toxicity_score_is_kept_as_evidence_beside_the_head(head):
    flags = detect_abuse(
        caller("You are a useless idiot and so is your whole company"),
        language="en",
        abuse_head=head,
        toxicity=lambda texts: [0.93] * len(texts),
    )
    insult = next(f for f in flags if f.category == "insult")
    assert insult.evidence.classifier_score == 0.93
    assert {"head", "classifier"} <= set(insult.evidence.sources)


def test_shouted_words_carry_the_voice_as_evidence(head):
    from coaching.types import UtteranceDelivery

    def spoken(text, level, start):
        delivery = UtteranceDelivery(5, 150.0, 3.0, 180.0, level)
        return Utterance("caller", start, start + 4.0, text, delivery=delivery)

    utterances = [spoken(f"calm words number {i} about my bill", -30.0, 5.0 * i) for i in range(6)]
    utterances.append(spoken("You useless idiot, fix it now", -12.0, 40.0))
    flags = detect_abuse(utterances, language="en", abuse_head=head)
    insult = next(f for f in flags if f.category == "insult")
    assert "voice" in insult.evidence.sources
    assert insult.evidence.level_over_median_db > 10


def test_operator_swearing_and_insults_stay_coaching_flags(head):
    flags = detect_abuse(
        caller("Oh for fuck's sake, you're a complete idiot, sir", speaker="operator"),
        language="en",
        abuse_head=head,
    )
    assert flags and {f.category for f in flags} <= {"profanity", "insult"}
    assert all(f.speaker == "operator" for f in flags)


def test_threat_weighs_most_in_the_exposure_load():
    assert DEFAULT_WEIGHTS["threat"] == max(DEFAULT_WEIGHTS.values())
