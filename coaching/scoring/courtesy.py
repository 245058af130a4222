"""Finding the courtesy steps in what the operator said.

Greeting, own name, thanks and closing come from the rubric's phrase lists:
greeting and name belong to the opening utterances, the closing to the last
ones, thanks may come anywhere. Phrases match on word boundaries, except in
scripts written without spaces (Chinese), where they match as substrings.

Empathy and next steps come from the embedded encoder's courtesy head
(:mod:`coaching.text.scorers`, four languages): once the caller has voiced a
complaint (an utterance of negative sentiment), the operator is expected to
acknowledge it or apologise (``empathy``) and to take ownership or explain what
happens next and when (``next_steps``), at any point after it. Each element keeps
a quote of the moment: the operator's words when found, the caller's complaint
when missing. Only the operator's words are read, never their voice or feelings.
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
# Elements the courtesy head finds, and the head's steps that count for each.
ENCODER_ELEMENTS: dict[str, tuple[str, ...]] = {
    "empathy": ("acknowledge", "apologise"),
    "next_steps": ("ownership", "next_step"),
}
QUOTE_CHARS = 90
HEAD_LANGUAGES = ("en", "vi", "ru", "zh")  # the languages the courtesy head was trained on


@dataclass(frozen=True)
class CourtesyElement(Serializable):
    element: str
    found_at: float | None  # start of the utterance that holds the phrase
    expected_at: float  # where it belongs: first or last operator utterance
    phrase: str | None = None
    quote: str | None = None  # the moment in words (encoder elements)


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


def quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def check_empathy(
    operator_utterances: Sequence[Utterance], caller_utterances: Sequence[Utterance], *, steps
) -> tuple[CourtesyElement, ...]:
    """Empathy and next steps after the caller's first complaint (none without one).

    ``steps(texts)`` gives, per text, the courtesy steps it takes (the courtesy
    head's ``EncoderCourtesy.steps``)."""
    complaints = sorted(
        (u for u in caller_utterances if u.sentiment and u.sentiment.label == "negative"),
        key=lambda u: u.start,
    )
    if not complaints:
        return ()
    complaint = complaints[0]
    after = [
        u for u in sorted(operator_utterances, key=lambda u: u.start) if u.end > complaint.start
    ]
    taken = steps([u.text for u in after]) if after else []
    elements = []
    for element, wanted in ENCODER_ELEMENTS.items():
        hit = next((u for u, s in zip(after, taken, strict=True) if set(wanted) & set(s)), None)
        elements.append(
            CourtesyElement(
                element=element,
                found_at=hit.start if hit else None,
                expected_at=complaint.end,
                phrase=None,
                quote=quote(hit.text if hit else complaint.text),
            )
        )
    return tuple(elements)


def courtesy_steps_scorer():
    """The courtesy head's ``steps`` (loaded once per process), or None without the encoder."""
    from coaching.errors import ModelError
    from coaching.registry import text_models

    try:
        return text_models().courtesy.steps
    except ModelError:
        return None


def check_courtesy(
    operator_utterances: Sequence[Utterance],
    phrases: Mapping[str, Sequence[str]],
    *,
    opening_utterances: int = 3,
    closing_utterances: int = 3,
    caller_utterances: Sequence[Utterance] = (),
    steps=None,
) -> CourtesyCheck:
    """Which courtesy elements the operator's utterances contain, and when; with
    ``steps`` (see :func:`check_empathy`) also empathy and next steps."""
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
    if steps is not None:
        elements += check_empathy(ordered, caller_utterances, steps=steps)
    return CourtesyCheck(tuple(elements))


def report_courtesy(report, criterion) -> CourtesyCheck:
    """The courtesy check of a report under a rubric criterion (phrases and the head)."""
    operator = [u for u in report.utterances if u.speaker == "operator"]
    caller = [u for u in report.utterances if u.speaker == "caller"]
    steps = courtesy_steps_scorer() if report.language in HEAD_LANGUAGES else None
    return check_courtesy(
        operator,
        criterion.phrases_for(report.language),
        opening_utterances=criterion.opening_utterances,
        closing_utterances=criterion.closing_utterances,
        caller_utterances=caller,
        steps=steps,
    )
