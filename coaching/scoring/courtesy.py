"""Finding the courtesy steps (greeting, own name, thanks, closing) in what the operator said.

Greeting and name belong to the opening utterances, the closing to the last
ones, thanks may come anywhere. Phrases match on word boundaries, except in
scripts written without spaces (Chinese), where they match as substrings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from coaching.serial import Serializable
from coaching.types import Utterance

Element = Literal["greeting", "name", "thanks", "closing"]
ELEMENT_WINDOWS: dict[str, Literal["opening", "anywhere", "closing"]] = {
    "greeting": "opening",
    "name": "opening",
    "thanks": "anywhere",
    "closing": "closing",
}


@dataclass(frozen=True)
class CourtesyElement(Serializable):
    element: str
    found_at: float | None  # start of the utterance that holds the phrase
    expected_at: float  # where it belongs: first or last operator utterance
    phrase: str | None = None


@dataclass(frozen=True)
class CourtesyCheck(Serializable):
    elements: tuple[CourtesyElement, ...]

    @property
    def percent(self) -> float:
        if not self.elements:
            return 0.0
        found = sum(1 for element in self.elements if element.found_at is not None)
        return 100.0 * found / len(self.elements)

    @property
    def missing(self) -> tuple[CourtesyElement, ...]:
        return tuple(element for element in self.elements if element.found_at is None)

    @property
    def found(self) -> tuple[CourtesyElement, ...]:
        return tuple(element for element in self.elements if element.found_at is not None)


def normalize_text(text: str) -> str:
    """Casefolded NFC text with Russian ё read as е, for phrase matching."""
    return unicodedata.normalize("NFC", text).casefold().replace("ё", "е")


def _unspaced_script(phrase: str) -> bool:
    return any(unicodedata.east_asian_width(char) in ("W", "F") for char in phrase)


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A regex that finds the phrase as whole words (or as characters, for CJK)."""
    words = [re.escape(word) for word in normalize_text(phrase).split()]
    body = r"\s+".join(words)
    if _unspaced_script(phrase):
        return re.compile(body)
    return re.compile(rf"(?<!\w){body}(?!\w)")


def _first_match(
    utterances: Sequence[Utterance], phrases: Sequence[str]
) -> tuple[float, str] | None:
    patterns = [(phrase, phrase_pattern(phrase)) for phrase in phrases]
    for utterance in utterances:
        text = normalize_text(utterance.text)
        for phrase, pattern in patterns:
            if pattern.search(text):
                return utterance.start, phrase
    return None


def check_courtesy(
    operator_utterances: Sequence[Utterance],
    phrases: Mapping[str, Sequence[str]],
    *,
    opening_utterances: int = 3,
    closing_utterances: int = 3,
) -> CourtesyCheck:
    """Which courtesy elements the operator's utterances contain, and when."""
    ordered = sorted(operator_utterances, key=lambda u: u.start)
    if not ordered:
        return CourtesyCheck(())
    windows = {
        "opening": ordered[:opening_utterances],
        "anywhere": ordered,
        "closing": ordered[-closing_utterances:],
    }
    elements = []
    for element, element_phrases in phrases.items():
        window = ELEMENT_WINDOWS[element]
        expected_at = ordered[-1].start if window == "closing" else ordered[0].start
        match = _first_match(windows[window], element_phrases)
        elements.append(
            CourtesyElement(
                element=element,
                found_at=match[0] if match else None,
                expected_at=expected_at,
                phrase=match[1] if match else None,
            )
        )
    return CourtesyCheck(tuple(elements))
