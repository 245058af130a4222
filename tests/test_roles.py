"""The operator/caller decision on mono calls, and the operator-cue counter."""

from __future__ import annotations

import numpy as np

from coaching.speakers.roles import cue_count, decide_operator


def test_cues_are_counted_per_language():
    assert cue_count("Thank you for calling City Power, my name is Anna.", "en") == 2
    assert cue_count("Xin chào quý khách, em có thể giúp gì cho quý khách?", "vi") >= 3
    assert cue_count("Здравствуйте, меня зовут Ольга, чем могу помочь?", "ru") == 3
    assert cue_count("您好，很高兴为您服务，请问有什么可以帮您？", "zh") >= 3
    assert cue_count("My power has been out since this morning!", "en") == 0


def test_opener_and_cues_agree_gives_high_confidence():
    decision = decide_operator(
        first_voice=0,
        texts=["Thank you for calling, my name is Anna, how can I help?", "My bill is wrong."],
        language="en",
    )
    assert decision.operator_voice == 0
    assert decision.confidence > 0.9


def test_cues_outweigh_who_spoke_first():
    decision = decide_operator(
        first_voice=0,
        texts=[
            "Hello? Hello? Is anyone there?",
            "Thank you for calling, my name is Anna. How can I help you?",
        ],
        language="en",
    )
    assert decision.operator_voice == 1
    assert any("cues" in line for line in decision.evidence)


def test_no_evidence_either_way_is_low_confidence():
    decision = decide_operator(first_voice=0, texts=["yes", "no"], language="en")
    assert decision.confidence < 0.5


def test_voice_profile_decides_when_text_is_silent():
    rng = np.random.default_rng(1)
    voices = rng.normal(size=(2, 256))
    voices /= np.linalg.norm(voices, axis=1, keepdims=True)
    decision = decide_operator(
        first_voice=0,
        texts=["", ""],
        language="en",
        centroids=voices,
        profile=voices[1] + 0.05 * voices[0],
    )
    assert decision.operator_voice == 1
    assert decision.confidence > 0.8
