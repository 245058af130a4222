"""Stereo words: the other party's bleed is dropped, quiet channels are levelled for recognition."""

from __future__ import annotations

import numpy as np
import pytest

from coaching.audio.loudness import active_speech_level
from coaching.speakers.stereo import drop_bleed, working_level
from coaching.types import Word

SR = 16_000


def burst(seconds: float, level_db: float, seed: int) -> np.ndarray:
    """Speech-like noise: 4 Hz syllable envelope at roughly ``level_db`` dBFS."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    envelope = 0.55 + 0.45 * np.sin(2 * np.pi * 4 * t)
    return (rng.normal(size=t.size) * envelope * 10 ** (level_db / 20)).astype(np.float32)


def test_words_under_much_louder_speech_on_the_other_channel_are_bleed():
    agent = np.zeros(6 * SR, dtype=np.float32)
    caller = np.zeros(6 * SR, dtype=np.float32)
    agent[SR : 3 * SR] = burst(2.0, -20, 1)
    caller[SR : 3 * SR] = 10 ** (-28 / 20) * agent[SR : 3 * SR]  # the agent, 28 dB down
    caller[4 * SR : 5 * SR] = burst(1.0, -22, 2)  # the caller's own words
    words = [Word(1.2, 1.6, " I'm"), Word(1.6, 2.2, " Michelle"), Word(4.1, 4.6, " Hello")]
    kept = drop_bleed(words, caller, agent, SR)
    assert [w.text for w in kept] == [" Hello"]
    assert drop_bleed(words[:2], agent, caller, SR) == words[:2]  # the agent's own words stay


def test_overtalk_at_similar_levels_is_not_bleed():
    agent = burst(2.0, -20, 3)
    caller = burst(2.0, -24, 4)
    words = [Word(0.2, 0.8, " wait"), Word(0.9, 1.5, " please")]
    assert drop_bleed(words, caller, agent, SR) == words


def test_a_quiet_channel_is_brought_to_a_working_level():
    quiet = burst(3.0, -44, 5)
    level = active_speech_level(quiet, SR, intervals=[(0.0, 3.0)]).level_dbfs
    levelled = working_level(quiet, SR, [(0.0, 3.0)])
    boosted = active_speech_level(levelled, SR, intervals=[(0.0, 3.0)]).level_dbfs
    assert level < -40
    assert boosted == pytest.approx(-26.0, abs=1.0)
    normal = burst(3.0, -24, 6)
    assert working_level(normal, SR, [(0.0, 3.0)]) is normal  # loud enough: untouched


def test_recognition_hears_a_channel_only_around_its_own_speech():
    from coaching.speakers.stereo import GATE_LEAD_S, GATE_PAD_S, own_speech_only

    bleed = burst(4.0, -65, 7)  # the other party, far down between this party's turns
    gated = own_speech_only(bleed, SR, [(1.0, 2.0)])
    inside = slice(int((1.0 - GATE_LEAD_S) * SR), int((2.0 + GATE_PAD_S) * SR))
    assert np.array_equal(gated[inside], bleed[inside])
    assert not gated[: inside.start].any() and not gated[inside.stop :].any()
