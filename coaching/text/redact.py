"""Redacting card, phone and account numbers from transcripts, and bleeping them in audio.

A *digit run* is a sequence of digits written ("4512 3456-7890"), spoken as words
("four five one two", vi "bốn năm một hai", ru "четыре пять один два", zh "四五一二")
or mixed, joined only by spaces and ``- . , / ( ) +``. Runs of at least
``MIN_DIGITS`` digits are redacted:

- ``card``: 13-19 digits passing the Luhn check (or a longer run that starts with
  such a card, e.g. a card number read straight into its expiry date);
- ``phone``: a leading ``+``, a phone word just before it ("phone", "số điện thoại",
  "телефон", "电话"...), or a phone shape (10-11 digits starting with 0; 11 starting
  with 1, 7 or 8);
- ``number``: any other run (account, contract and Luhn-invalid long numbers).

Written dates (12 03 2024, 2024-03-12) are left alone.

The utterance text gets ``[REDACTED:<kind>]`` in place of the run; the words of the
run become one :class:`~coaching.types.Word` spanning their first start to last end,
so timings (and thus bleeping) stay right. Spoken tens and hundreds ("forty five")
are not read as digits; transcribers mostly write such numbers as numerals anyway.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from coaching.audio.activity import sample_span
from coaching.delivery.syllables import base_language
from coaching.types import Utterance, Word

MIN_DIGITS = 7
CARD_DIGITS = range(13, 20)
LABEL = "[REDACTED:{kind}]"
_LABEL_RE = re.compile(r"\[REDACTED:(card|phone|number)\]")
_CJK_DIGITS = {"零": "0", "〇": "0", "幺": "1", "一": "1", "二": "2", "两": "2", "三": "3",
               "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}  # fmt: skip
SPOKEN_DIGITS = {
    "en": {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
           "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"},
    "vi": {"không": "0", "một": "1", "mốt": "1", "hai": "2", "ba": "3", "bốn": "4", "tư": "4",
           "năm": "5", "lăm": "5", "sáu": "6", "bảy": "7", "bẩy": "7", "tám": "8", "chín": "9"},
    "ru": {"ноль": "0", "нуль": "0", "один": "1", "одна": "1", "одно": "1", "два": "2",
           "две": "2", "три": "3", "четыре": "4", "пять": "5", "шесть": "6", "семь": "7",
           "восемь": "8", "девять": "9"},
    "zh": _CJK_DIGITS,
}  # fmt: skip
REPEATS = {"double": 2, "triple": 3}
PHONE_WORDS = (
    "phone",
    "mobile",
    "cell",
    "điện thoại",
    "sđt",
    "số máy",
    "телефон",
    "мобильн",
    "电话",
    "手机",
)
_UNIT = re.compile(rf"\+?\d+|[{''.join(_CJK_DIGITS)}]|[^\W\d_{''.join(_CJK_DIGITS)}]+")
_SEPARATOR = re.compile(r"[\s\-.,/()+]*")
Span = tuple[int, int, str]  # character start, end, kind


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum that every payment card number passes."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return bool(digits) and total % 10 == 0


def find_digit_runs(text: str, *, language: str) -> tuple[Span, ...]:
    """Character spans of redactable digit runs in ``text`` with their kind."""
    code = base_language(language, default="en")
    vocabulary = SPOKEN_DIGITS.get(code, SPOKEN_DIGITS["en"])
    spans: list[Span] = []
    run: list[tuple[int, int, str]] = []  # (start, end, digits) of each unit
    repeat = 1
    for match in _UNIT.finditer(text):
        word = match.group().casefold()
        digits = _unit_digits(word, vocabulary)
        joined = bool(run) and _SEPARATOR.fullmatch(text[run[-1][1] : match.start()])
        if word in REPEATS and code == "en":
            if run and not joined:
                _close(text, run, spans)
                run = []
            run.append((match.start(), match.end(), ""))  # "double five" → "55"
            repeat = REPEATS[word]
            continue
        if digits is None or (run and not joined):
            _close(text, run, spans)
            run = []
        if digits is not None:
            run.append((match.start(), match.end(), digits * repeat))
        repeat = 1
    _close(text, run, spans)
    return tuple(spans)


def _unit_digits(word: str, vocabulary: dict[str, str]) -> str | None:
    if word.lstrip("+").isdigit():
        return word.lstrip("+")
    if word in _CJK_DIGITS:
        return _CJK_DIGITS[word]
    return vocabulary.get(word)


def _close(text: str, run: list[tuple[int, int, str]], spans: list[Span]) -> None:
    digits = "".join(unit[2] for unit in run)
    if len(digits) < MIN_DIGITS or _looks_like_date([unit[2] for unit in run if unit[2]]):
        return
    start, end = run[0][0], run[-1][1]
    clause_start = max(spans[-1][1] if spans else 0, start - 40)
    plus = text[start] == "+"
    spans.append((start, end, _kind(text[clause_start:start], run, plus=plus)))


def _looks_like_date(units: list[str]) -> bool:
    """12 03 2024, 2024-03-12: day, month and year, not an account number."""
    sizes = [len(unit) for unit in units]
    if sizes[:1] == [4] and len(sizes) == 3 and max(sizes[1:]) <= 2:
        return 1 <= int(units[1]) <= 12
    if sizes[-1:] == [4] and len(sizes) == 3 and max(sizes[:2]) <= 2:
        return min(int(units[0]), int(units[1])) <= 12
    return False


def _kind(before: str, run: list[tuple[int, int, str]], *, plus: bool) -> str:
    digits = "".join(unit[2] for unit in run)
    if len(digits) in CARD_DIGITS and luhn_valid(digits):
        return "card"
    prefix = ""
    for _, _, unit in run:
        prefix += unit
        if len(digits) > CARD_DIGITS[-1] and len(prefix) in CARD_DIGITS and luhn_valid(prefix):
            return "card"
    before = before.casefold()
    shaped = (len(digits) in (10, 11) and digits[0] == "0") or (
        len(digits) == 11 and digits[0] in "178"
    )
    if plus or shaped or any(word in before for word in PHONE_WORDS):
        return "phone"
    return "number"


def redact_text(text: str, *, language: str) -> str:
    """``text`` with every digit run replaced by ``[REDACTED:<kind>]``."""
    return _replace_spans(text, find_digit_runs(text, language=language))


def _replace_spans(text: str, spans: Sequence[Span]) -> str:
    out, cursor = [], 0
    for start, end, kind in spans:
        out += [text[cursor:start], LABEL.format(kind=kind)]
        cursor = end
    return "".join([*out, text[cursor:]])


def redact_utterances(utterances: Sequence[Utterance], *, language: str):
    """Utterances with digit runs redacted in their text and words (timings kept)."""
    return tuple(_redact_utterance(u, language=language) for u in utterances)


def _redact_utterance(utterance: Utterance, *, language: str) -> Utterance:
    text = redact_text(utterance.text, language=language)
    words = _redact_words(utterance.words, language=language)
    if text == utterance.text and words == utterance.words:
        return utterance
    return replace(utterance, text=text, words=words)


def _redact_words(words: tuple[Word, ...], *, language: str) -> tuple[Word, ...]:
    joined, offsets = _join_words(words)
    spans = find_digit_runs(joined, language=language)
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


def redacted_spans(utterances: Sequence[Utterance], *, language: str = "en"):
    """Time spans ``(start, end, kind)`` of redacted or redactable numbers, sorted.

    Works on redacted utterances (their ``[REDACTED:...]`` words) and on raw ones
    (their digit runs). An utterance without words is covered whole.
    """
    spans: list[tuple[float, float, str]] = []
    for utterance in utterances:
        if not utterance.words:
            kinds = [m.group(1) for m in _LABEL_RE.finditer(utterance.text)]
            kinds += [k for *_, k in find_digit_runs(utterance.text, language=language)]
            spans += [(utterance.start, utterance.end, kind) for kind in kinds[:1]]
            continue
        for word in _redact_words(utterance.words, language=language):
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
