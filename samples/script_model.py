"""What a call script is made of: turns, the script, and the checks on both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from coaching.errors import CoachingError
from coaching.serial import Serializable

Speaker = Literal["operator", "caller"]
AbuseCategory = Literal["profanity", "insult", "threat", "harassment", "shouting"]
ABUSE_CATEGORIES: tuple[str, ...] = ("profanity", "insult", "threat", "harassment", "shouting")
LANGUAGES: tuple[str, ...] = ("en", "vi", "ru", "zh")
EXPECT_TAGS: tuple[str, ...] = (
    "calm",
    "fast",
    "monotone",
    "quiet",
    "hold_silence",
    "overtalk",
    "card_number",
    "deescalation",  # the caller starts abusive or upset and ends calm
    *(f"abusive:{category}" for category in ABUSE_CATEGORIES),
)


class SampleError(CoachingError):
    """A sample call script is wrong or could not be rendered."""


@dataclass(frozen=True)
class Turn(Serializable):
    """One stretch of speech by one party.

    ``gap_before_s`` is measured from the end of everything said so far; a negative
    gap makes this turn start before that end (talking over). ``rate_wpm`` and
    ``pitch`` (0..99) are espeak-ng's ``-s`` and ``-p``, ``level_dbfs`` the active
    speech level; None takes the speaker's default (see :mod:`samples.render`).
    ``shout`` adds 12 dB and raises the pitch; ``flatten_pitch`` resynthesises the
    turn on one constant F0. espeak-ng's ``-s`` runs about 15 % below the words per
    minute measured over the trimmed turn, so ``-s 125`` gives about 145 wpm.
    """

    speaker: Speaker
    text: str
    syllables: int
    gap_before_s: float = 0.5
    rate_wpm: int | None = None
    level_dbfs: float | None = None
    pitch: int | None = None
    flatten_pitch: bool = False
    abuse: AbuseCategory | None = None
    shout: bool = False
    redact: Literal["card"] | None = None


@dataclass(frozen=True)
class CallScript(Serializable):
    """A whole scripted call; ``expect`` says what an analysis of it should find."""

    name: str
    language: str
    description: str
    turns: tuple[Turn, ...]
    expect: tuple[str, ...]

    def __post_init__(self) -> None:
        problem = _script_problem(self)
        if problem:
            raise SampleError(f"call script {self.name!r}: {problem}")


def _script_problem(script: CallScript) -> str:
    if script.language not in LANGUAGES:
        return f"language {script.language!r} is not one of {', '.join(LANGUAGES)}"
    if not script.turns or script.turns[0].speaker != "operator":
        return "the operator must speak first (with a greeting)"
    if script.turns[0].gap_before_s < 0:
        return "the first turn cannot overlap anything"
    unknown = sorted(set(script.expect) - set(EXPECT_TAGS))
    if unknown:
        return f"unknown expect tag(s) {unknown}; use {', '.join(EXPECT_TAGS)}"
    for index, turn in enumerate(script.turns):
        if turn.abuse is not None and turn.abuse not in ABUSE_CATEGORIES:
            return f"turn {index} has abuse {turn.abuse!r}; use one of {ABUSE_CATEGORIES}"
        if turn.syllables <= 0 or not turn.text.strip():
            return f"turn {index} needs text and a positive syllable count"
    return ""


def operator(text: str, syllables: int, **knobs) -> Turn:
    """An operator turn."""
    return Turn("operator", text, syllables, **knobs)


def caller(text: str, syllables: int, **knobs) -> Turn:
    """A caller turn."""
    return Turn("caller", text, syllables, **knobs)
