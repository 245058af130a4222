"""Which digit runs of a text to redact, and as what.

Kinds: ``card`` (13-19 digits passing the Luhn check, or a card fragment such as
"card ending 0366"), ``expiry`` and ``cvv`` (said near a card, or after "CVV",
"security code"), ``code`` (one-time codes: six digits after "code", four to eight
after "OTP"/"verification code", or six digits said one by one), ``phone`` and
``number`` (any other run of at least ``MIN_DIGITS`` digits). Money, counts, times,
meter readings and written dates are left alone unless they are a card number.
"""

from __future__ import annotations

from dataclasses import dataclass

from coaching.text.redact.cues import harmless_after, said, said_last
from coaching.text.redact.numbers import DigitRun, digit_runs

MIN_DIGITS = 7
CARD_DIGITS = range(13, 20)
CUE_WINDOW = 48  # characters before a number searched for what it is
NEAR_CHARS = 24  # a number this close after a card may be its expiry or code
KINDS = ("card", "expiry", "cvv", "code", "phone", "number")
Span = tuple[int, int, str]  # character start, end, kind


@dataclass(frozen=True)
class SpeechContext:
    """What the rest of the call says about one utterance's numbers."""

    before: str = ""  # what was said just before the utterance
    card_nearby: bool = False  # a card was mentioned or read out near it
    head_kind: str | None = None  # its first run continues a number from before
    tail_kind: str | None = None  # its last run goes on in a later utterance


@dataclass(frozen=True)
class Surroundings:
    before: str  # text since the previous redacted number (or the utterance's context)
    after: str  # a few characters after the run
    card_talk: bool
    follows: str | None  # the kind of a redacted number just before the run


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum that every payment card number passes."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return bool(digits) and total % 10 == 0


def holds_card(groups: tuple[str, ...]) -> bool:
    """A card number in these digit groups: from the first group (or after a stray
    "oh" or two) up to any group end; what follows may be its expiry and code."""
    for first in range(len(groups)):
        if len("".join(groups[:first])) > 2:
            break
        digits = ""
        for group in groups[first:]:
            digits += group
            if len(digits) in CARD_DIGITS and luhn_valid(digits):
                return True
    return False


def card_talk_in(text: str, runs: tuple[DigitRun, ...]) -> bool:
    """A card named, or a card-length number read (the recogniser may drop a digit, so
    the Luhn check is not asked for here)."""
    return said("card", text) or any(len(run.digits) in CARD_DIGITS for run in runs)


def find_spans(text: str, context: SpeechContext = SpeechContext()) -> tuple[Span, ...]:
    """Character spans of the runs of ``text`` to redact, with their kind."""
    runs = digit_runs(text)
    card_talk = context.card_nearby or card_talk_in(text, runs)
    spans: list[Span] = []
    for run in runs:
        if spans:
            before = text[spans[-1][1] : run.start]
            follows = spans[-1][2] if len(before) <= NEAR_CHARS else None
        else:
            before, follows = f"{context.before} {text[: run.start]}", None
        around = Surroundings(before, text[run.end : run.end + NEAR_CHARS], card_talk, follows)
        kind = kind_of(run, around)
        forced = (context.head_kind if run.at_start else None) or (
            context.tail_kind if run.at_end else None
        )
        if forced and kind not in ("card", "expiry", "cvv"):  # part of a card is a card
            kind = forced
        if kind:
            spans.append((run.start, run.end, kind))
    return tuple(spans)


def kind_of(run: DigitRun, around: Surroundings) -> str | None:
    """What the run is, or None to keep it."""
    if len(run.digits) < 2:  # "one", "three times": nothing to redact
        return None
    if holds_card(run.groups):
        return "card"
    before = around.before[-CUE_WINDOW:]
    detail = _card_detail(run, before, card_talk=around.card_talk)
    if detail:
        return detail
    if run.thousands or harmless_after(around.after) or _harmless_before(before):
        return None
    if around.card_talk and around.follows in ("card", "expiry"):
        if _expiry_shaped(run.digits):
            return "expiry"
        if len(run.digits) in (3, 4):
            return "cvv"
    if len(run.digits) >= MIN_DIGITS:
        return _long_number(run, before)
    return _short_code(run, before)


def _card_detail(run: DigitRun, before: str, *, card_talk: bool) -> str | None:
    count = len(run.digits)
    cvv_cue = said("cvv", before) or (card_talk and said("cvv_in_card_talk", before))
    if count in (3, 4) and cvv_cue:
        return "cvv"
    if 2 <= count <= 6 and said("last_digits", before):
        return "card" if card_talk else "number"
    if not card_talk or not 2 <= count <= 6:
        return None
    if said("expiry", before):
        return "expiry"
    if said("card_ending", before):
        return "card"
    return None


def _harmless_before(before: str) -> bool:
    """A meter, a balance or a currency sign named after anything account-like."""
    return said_last("harmless_before", before) > said_last("sensitive", before)


def _expiry_shaped(digits: str) -> bool:
    """0527, 052027: a month then a two- or four-digit year."""
    if len(digits) not in (4, 6) or not 1 <= int(digits[:2]) <= 12:
        return False
    return len(digits) == 4 or digits[2:4] == "20"


def _long_number(run: DigitRun, before: str) -> str | None:
    digits = run.digits
    if _looks_like_date(run.groups):
        return None
    shaped = (len(digits) in (10, 11) and digits[0] == "0") or (
        len(digits) == 11 and digits[0] in "178"
    )
    if run.plus or shaped or said("phone", before):
        return "phone"
    if said("code_strong", before) and len(digits) <= 8:
        return "code"
    if run.compound and len(digits) < 10 and not said("sensitive", before):
        return None  # "nine thirty five, ten fifteen": times and years, not an account
    return "number"


def _short_code(run: DigitRun, before: str) -> str | None:
    count = len(run.digits)
    if said("harmless_code", before):
        return None
    if said("code_strong", before) and 4 <= count <= 8:
        return "code"
    if said("code", before) and count == 6:
        return "code"
    if count == 6 and len(run.groups) == 6:  # said digit by digit: a one-time code
        return "code"
    return None


def _looks_like_date(groups: tuple[str, ...]) -> bool:
    """12 03 2024, 2024-03-12: day, month and year, not an account number."""
    sizes = [len(group) for group in groups]
    if len(sizes) != 3:
        return False
    if sizes[0] == 4 and max(sizes[1:]) <= 2:
        return 1 <= int(groups[1]) <= 12
    if sizes[-1] == 4 and max(sizes[:2]) <= 2:
        return min(int(groups[0]), int(groups[1])) <= 12
    return False
