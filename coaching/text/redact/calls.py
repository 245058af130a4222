"""What the rest of a call tells about the numbers of each utterance.

A number is often spread over turns: the operator asks "and the expiry date?", the
caller answers "oh five twenty seven"; a card is read in two breaths, maybe with the
operator's "mhm" between. Each utterance gets a :class:`SpeechContext`: the words said
just before it, whether a card is being talked about nearby, and the kind of a number
that starts in an earlier utterance and ends in it (or the other way round).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from coaching.text.redact.cues import said
from coaching.text.redact.numbers import DigitRun, digit_runs
from coaching.text.redact.rules import (
    CUE_WINDOW,
    NEAR_CHARS,
    SpeechContext,
    Surroundings,
    card_talk_in,
    kind_of,
)
from coaching.types import Utterance

CARD_NEAR_S = 30.0  # a card read or named this close makes expiry and code cues count
BEFORE_S = 15.0  # earlier utterances this recent lend their words as cues
BEFORE_UTTERANCES = 2
JOIN_GAP_S = 6.0  # a pause this long still continues a number
BACKCHANNEL_WORDS = 4  # "mhm", "yes go on": skipped between two parts of a number
MAX_SKIPPED = 2
LONG_JOINED = 10  # digits: a number split over utterances this long is redacted anyway


def call_contexts(utterances: Sequence[Utterance]) -> tuple[SpeechContext, ...]:
    """One :class:`SpeechContext` per utterance, in the order given."""
    order = sorted(range(len(utterances)), key=lambda i: (utterances[i].start, i))
    runs = [digit_runs(u.text) for u in utterances]
    card_nearby = _card_nearby(utterances, runs)
    before = [""] * len(utterances)
    for position, index in enumerate(order):
        since = utterances[index].start - BEFORE_S
        earlier = order[max(0, position - BEFORE_UTTERANCES) : position]
        before[index] = " ".join(utterances[i].text for i in earlier if utterances[i].end >= since)
    heads, tails = _continued_numbers(utterances, order, runs, before, card_nearby)
    return tuple(
        SpeechContext(before[i], card_nearby[i], heads.get(i), tails.get(i))
        for i in range(len(utterances))
    )


def _card_nearby(utterances: Sequence[Utterance], runs: list[tuple[DigitRun, ...]]) -> list[bool]:
    marks = sorted(
        (u.start, u.end)
        for u, found in zip(utterances, runs, strict=True)
        if card_talk_in(u.text, found)
    )
    starts = [start for start, _ in marks]
    latest_end = list(accumulate((end for _, end in marks), max))
    nearby = []
    for utterance in utterances:
        count = bisect_right(starts, utterance.end + CARD_NEAR_S)  # marks starting early enough
        nearby.append(count > 0 and latest_end[count - 1] >= utterance.start - CARD_NEAR_S)
    return nearby


def _continued_numbers(utterances, order, runs, before, card_nearby):
    """Kinds forced on first runs (heads) and last runs (tails) of utterances whose
    number goes on in the next utterance: judged on the whole, joined number."""
    heads: dict[int, str] = {}
    tails: dict[int, str] = {}
    for position, first in enumerate(order):
        if not runs[first] or not runs[first][-1].at_end:
            continue
        chain = _chain(utterances, order, runs, position)
        if len(chain) < 2:
            continue
        tail, (last, last_run) = runs[first][-1], chain[-1]
        joined = DigitRun(
            start=0,
            end=0,
            groups=tuple(group for _, run in chain for group in run.groups),
            compound=any(run.compound for _, run in chain),
            at_start=False,
            at_end=False,
            plus=tail.plus,
        )
        around = Surroundings(
            before=f"{before[first]} {utterances[first].text[: tail.start]}",
            after=utterances[last].text[last_run.end : last_run.end + NEAR_CHARS],
            card_talk=any(card_nearby[index] for index, _ in chain),
            follows=None,
        )
        kind = kind_of(joined, around)
        if kind is None or (kind == "number" and not _account_like(joined, around.before)):
            continue
        for index, _ in chain[:-1]:
            tails.setdefault(index, kind)
        for index, _ in chain[1:]:
            heads.setdefault(index, kind)
    return heads, tails


def _account_like(joined: DigitRun, before: str) -> bool:
    """Two short numbers in a row ("at 9 30" / "10 15?") are no account number unless
    long or named as one."""
    return len(joined.digits) >= LONG_JOINED or said("sensitive", before[-CUE_WINDOW:])


def _chain(utterances, order, runs, position) -> list[tuple[int, DigitRun]]:
    """(utterance, run) parts of a number starting with the last run at ``position``."""
    chain = [(order[position], runs[order[position]][-1])]
    while True:
        found = _continuation(utterances, order, runs, position)
        if found is None:
            return chain
        position, run = found
        chain.append((order[position], run))
        if len(runs[order[position]]) > 1 or not run.at_end:
            return chain


def _continuation(utterances, order, runs, position) -> tuple[int, DigitRun] | None:
    """The next utterance (past short digit-free backchannels) if it starts with digits."""
    ended = utterances[order[position]].end
    for later in range(position + 1, len(order)):
        utterance, found = utterances[order[later]], runs[order[later]]
        if utterance.start - ended > JOIN_GAP_S:
            return None
        if found and found[0].at_start:
            return later, found[0]
        backchannel = not found and len(utterance.text.split()) <= BACKCHANNEL_WORDS
        if not backchannel or later - position > MAX_SKIPPED:
            return None
    return None
