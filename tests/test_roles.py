"""The operator/caller decision on mono calls, the script phrases, and the stereo channel map."""

from __future__ import annotations

import numpy as np

from coaching.speakers.cues import caller_cue_count, role_score
from coaching.speakers.roles import cue_count, decide_lone_voice, decide_operator
from coaching.speakers.stereo import choose_operator_channel

GREETING = "Thank you for calling Cedar Motors, this is Travis, how can I help you today?"
REQUEST = "Hi, I'm calling about my car. My phone number is 555 0100."


def test_cues_are_counted_per_language():
    assert cue_count("Thank you for calling City Power, how may I help you?", "en") == 2
    assert cue_count("Xin chào quý khách, em có thể giúp gì cho quý khách?", "vi") >= 2
    assert cue_count("Здравствуйте, меня зовут Ольга, чем я могу вам помочь?", "ru") == 1
    assert cue_count("您好，很高兴为您服务，请问有什么可以帮您？", "zh") >= 2
    assert cue_count("My power has been out since this morning!", "en") == 0
    assert caller_cue_count(REQUEST, "en") == 2


def test_asking_for_details_is_the_operator_giving_them_is_the_caller():
    asks, _ = role_score("Can I have your phone number please? And your date of birth?", "en")
    gives, _ = role_score("Sure, my phone number is 555 0100.", "en")
    assert asks > 0 > gives


def test_greeting_and_help_outweigh_who_spoke_first():
    decision = decide_operator(first_voice=0, texts=[REQUEST, GREETING], language="en")
    assert decision.operator_voice == 1
    assert decision.confidence >= 0.9
    assert any("greets with the company" in line for line in decision.evidence)


def test_no_evidence_either_way_is_not_confident():
    decision = decide_operator(texts=["yes", "no"], language="en")
    assert decision.confidence < 0.5


def test_roles_are_no_surer_than_the_voices_they_rest_on():
    clear = decide_operator(texts=[GREETING, REQUEST], language="en")
    blurred = decide_operator(texts=[GREETING, REQUEST], language="en", separation_confidence=0.3)
    assert clear.confidence > 0.9
    assert blurred.operator_voice == 0 and blurred.confidence == 0.3


def test_a_text_model_can_add_its_evidence_through_the_hook():
    def says_voice_two(text: str, language: str) -> float:
        return 4.0 if text == "words of two" else 0.0

    decision = decide_operator(
        texts=["words of one", "words of two"], language="en", text_scorer=says_voice_two
    )
    assert decision.operator_voice == 1 and decision.confidence > 0.7


def test_voice_profile_decides_when_text_is_silent():
    rng = np.random.default_rng(1)
    voices = rng.normal(size=(2, 192))
    voices /= np.linalg.norm(voices, axis=1, keepdims=True)
    decision = decide_operator(
        texts=["", ""], language="en", centroids=voices, profile=voices[1] + 0.05 * voices[0]
    )
    assert decision.operator_voice == 1
    assert decision.confidence > 0.8


def test_one_voice_is_the_operator_alone_unless_it_talks_like_a_caller():
    alone = decide_lone_voice(text=GREETING + " Please hold.", language="en")
    assert alone.operator_voice == 0 and alone.confidence > 0.9
    caller = decide_lone_voice(text=REQUEST + " I need to book a service.", language="en")
    assert caller.operator_voice == 1


def test_auto_channel_map_swaps_only_when_both_sides_say_so():
    side, evidence = choose_operator_channel([REQUEST, GREETING], "en", None)
    assert side == 1 and any("channels swapped" in line for line in evidence)
    side, evidence = choose_operator_channel(["okay", "yes"], "en", None)
    assert side == 0 and not any(line.startswith("warning") for line in evidence)


def test_a_set_channel_map_is_kept_but_a_contradiction_is_flagged():
    side, evidence = choose_operator_channel([REQUEST, GREETING], "en", 0)
    assert side == 0
    assert any(line.startswith("warning") and "swapped" in line for line in evidence)


def test_russian_seller_on_the_right_is_found():
    customer = "Алло, здравствуйте. Я хотела бы узнать про доставку."
    seller = "Магазин Уют, здравствуйте. Чем я могу вам помочь?"
    side, _ = choose_operator_channel([customer, seller], "ru", None)
    assert side == 1


def test_an_old_voice_profile_is_refused_with_what_to_do(tmp_path):
    import pytest

    from coaching.errors import ConfigError
    from coaching.speakers.profile import load_operator_profile

    old = tmp_path / "anna.npy"
    np.save(old, np.ones(256, dtype=np.float32))  # a resemblyzer-era profile
    with pytest.raises(ConfigError, match="recording of the operator alone"):
        load_operator_profile(old)
    new = tmp_path / "anna192.npy"
    np.save(new, np.full(192, 2.0, dtype=np.float32))
    assert np.linalg.norm(load_operator_profile(new)) == pytest.approx(1.0)


def test_one_operator_phrase_on_the_caller_side_is_worth_a_warning():
    """The Russian seller's "Чем я могу вам помочь?" on the right, nothing telling on the left."""
    side, evidence = choose_operator_channel(["Алло. Да.", "Чем я могу вам помочь?"], "ru", None)
    assert side == 0
    assert any(line.startswith("warning") and "--channel-map right" in line for line in evidence)


def test_channel_map_flags_give_the_operator_channel():
    from coaching.cli.options import options_from

    base = {
        "model": None,
        "device": None,
        "compute_type": None,
        "language": None,
        "no_redact": False,
        "sentiment_model": None,
        "toxicity_model": None,
    }
    pick = {"auto": None, "left": 0, "right": 1}
    for name, channel in pick.items():
        chosen = options_from({**base, "channel_map": name, "swap_channels": False})
        assert chosen.speakers.operator_channel == channel
    alias = options_from({**base, "channel_map": "auto", "swap_channels": True})
    assert alias.speakers.operator_channel == 1  # --swap-channels is --channel-map right
