"""Redacting card, phone and account numbers, card expiry dates and security codes, and
one-time codes from transcripts, and bleeping them in audio.

Numbers are read as written digits ("4512 3456-7890") or as number words of English,
Vietnamese, Russian and Chinese, whatever language the call was detected as: digit by
digit ("four five one two"), in pairs or hundreds ("forty five twelve", "сорок пять
двенадцать"), with fillers between the groups ("um", "ờ", "ну", "嗯"), see
:mod:`coaching.text.redact.numbers`. What a number is comes from its digits and the words
around it (:mod:`coaching.text.redact.rules`), and from the neighbouring utterances: a
card read in two breaths, "and the expiry date?" answered in the next turn
(:mod:`coaching.text.redact.calls`).

The utterance text gets ``[REDACTED:<kind>]`` in place of the number; the words of the
number become one :class:`~coaching.types.Word` spanning their first start to last end,
so timings (and thus bleeping) stay right.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from coaching.audio.activity import sample_span
from coaching.text.redact.calls import call_contexts
from coaching.text.redact.rules import (
    CARD_DIGITS,
    KINDS,
    MIN_DIGITS,
    Span,
    SpeechContext,
    find_spans,
    luhn_valid,
)
from coaching.types import Utterance, Word

__all__ = ["CARD_DIGITS", "LABEL", "MIN_DIGITS", "bleep", "find_digit_runs", "luhn_valid"]
__all__ += ["redact_text", "redact_utterances", "redacted_spans"]

LABEL = "[REDACTED:{kind}]"
_LABEL_RE = re.compile(rf"\[REDACTED:({'|'.join(KINDS)})\]")


def find_digit_runs(text: str, *, language: str | None = None) -> tuple[Span, ...]:
    """Character spans of the numbers to redact in ``text`` with their kind.

    ``language`` is the call's; it does not matter: number words of every supported
    language are read (a call detected as English may hold Russian digits).
    """
    return find_spans(text)


def redact_text(text: str, *, language: str | None = None) -> str:
    """``text`` with every number to redact replaced by ``[REDACTED:<kind>]``."""
    return _replace_spans(text, find_spans(text))


def _replace_spans(text: str, spans: Sequence[Span]) -> str:
    out, cursor = [], 0
    for start, end, kind in spans:
        out += [text[cursor:start], LABEL.format(kind=kind)]
        cursor = end
    return "".join([*out, text[cursor:]])


def redact_utterances(utterances: Sequence[Utterance], *, language: str | None = None):
    """Utterances with numbers redacted in their text and words (timings kept), each
    judged with what the call says around it (see :func:`find_digit_runs` on language)."""
    contexts = call_contexts(utterances)
    return tuple(_redact_utterance(u, c) for u, c in zip(utterances, contexts, strict=True))


def _redact_utterance(utterance: Utterance, context: SpeechContext) -> Utterance:
    text = _replace_spans(utterance.text, find_spans(utterance.text, context))
    words = _redact_words(utterance.words, context)
    if text == utterance.text and words == utterance.words:
        return utterance
    return replace(utterance, text=text, words=words)


def _redact_words(words: tuple[Word, ...], context: SpeechContext) -> tuple[Word, ...]:
    joined, offsets = _join_words(words)
    spans = find_spans(joined, context)
    if not spans:
        return words
    out: list[Word] = []
    index = 0
    for group_start, group_end, group_spans in _span_groups(spans, offsets):
        out += words[index:group_start]
        covered = words[group_start:group_end]
        first, last = offsets[group_start][0], offsets[group_end - 1][1]
        local = [(s - first, e - first, k) for s, e, k in group_spans]
        out.append(
            Word(
                covered[0].start,
                covered[-1].end,
                _replace_spans(joined[first:last], local),
                min(w.probability for w in covered),
            )
        )
        index = group_end
    return tuple([*out, *words[index:]])


def _join_words(words: Sequence[Word]) -> tuple[str, list[tuple[int, int]]]:
    offsets, cursor = [], 0
    for word in words:
        offsets.append((cursor, cursor + len(word.text)))
        cursor += len(word.text) + 1
    return " ".join(word.text for word in words), offsets


def _span_groups(spans: Sequence[Span], offsets: list[tuple[int, int]]):
    """(first word, last word + 1, spans) of the words each run touches; shared words pool."""
    groups: list[tuple[int, int, list[Span]]] = []
    for span in spans:
        touched = [i for i, (s, e) in enumerate(offsets) if s < span[1] and span[0] < e]
        first, last = touched[0], touched[-1] + 1
        if groups and first < groups[-1][1]:
            previous = groups.pop()
            groups.append((previous[0], max(last, previous[1]), [*previous[2], span]))
        else:
            groups.append((first, last, [span]))
    return groups


def redacted_spans(utterances: Sequence[Utterance], *, language: str | None = None):
    """Time spans ``(start, end, kind)`` of redacted or redactable numbers, sorted.

    Works on redacted utterances (their ``[REDACTED:...]`` words) and on raw ones
    (their digit runs). An utterance without words is covered whole.
    """
    spans: list[tuple[float, float, str]] = []
    for utterance, context in zip(utterances, call_contexts(utterances), strict=True):
        if not utterance.words:
            kinds = [m.group(1) for m in _LABEL_RE.finditer(utterance.text)]
            kinds += [k for *_, k in find_spans(utterance.text, context)]
            spans += [(utterance.start, utterance.end, kind) for kind in kinds[:1]]
            continue
        for word in _redact_words(utterance.words, context):
            spans += [(word.start, word.end, m.group(1)) for m in _LABEL_RE.finditer(word.text)]
    return tuple(sorted(set(spans)))


def bleep(
    samples: np.ndarray,
    sample_rate: int,
    spans: Sequence[tuple],
    *,
    tone_hz: float = 1000.0,
    level_dbfs: float = -18.0,
    fade_s: float = 0.005,
) -> np.ndarray:
    """A copy of ``samples`` with each ``(start, end, ...)`` span (seconds) replaced by a tone.

    Mono arrays, ``(channels, samples)`` and ``(samples, channels)`` all work: time is
    the longer axis. The tone fades in and out over ``fade_s`` so the edges do not click.
    """
    out = np.array(samples, dtype=np.float32, copy=True)
    timeline = np.moveaxis(out, int(np.argmax(out.shape)), -1) if out.ndim == 2 else out
    length = timeline.shape[-1]
    amplitude = 10 ** (level_dbfs / 20) * np.sqrt(2)
    for span in spans:
        first, last = sample_span(length, sample_rate, span[0], span[1])
        if last > first:
            timeline[..., first:last] = (
                _tone(last - first, sample_rate, tone_hz, fade_s) * amplitude
            )
    return out


def _tone(count: int, sample_rate: int, tone_hz: float, fade_s: float) -> np.ndarray:
    tone = np.sin(2 * np.pi * tone_hz * np.arange(count) / sample_rate)
    ramp = min(count // 2, round(fade_s * sample_rate))
    if ramp:
        window = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, ramp))
        tone[:ramp] *= window
        tone[-ramp:] *= window[::-1]
    return tone.astype(np.float32)
