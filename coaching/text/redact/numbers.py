"""Digit runs in transcripts: written digits and number words of English, Vietnamese,
Russian and Chinese, read whatever language the call was detected as.

A run is a sequence of numerals and number words joined only by separators
(spaces, dashes, ``. , / ( ) +``, an ellipsis) or hesitation fillers ("um", "ờ", "э", "ну", "嗯").
Spoken numbers become digit *groups*: "four" -> ``4``, "forty five" -> ``45``,
"сорок пять" -> ``45``, "bốn mươi lăm" -> ``45``, "四十五"/"肆拾伍" -> ``45``,
"five hundred and two"/"một trăm linh hai"/"пятьсот два"/"五百零二" -> ``502``,
"double five" -> ``55``; written numerals keep their digits ("0366" -> ``0366``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

_EN = {
    "digit": {"zero": 0, "oh": 0, "o": 0, "nought": 0, "one": 1, "two": 2, "three": 3,
              "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9},
    "teen": {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
             "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19},
    "tens": {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
             "seventy": 70, "eighty": 80, "ninety": 90},
    "x100": {"hundred": 100},
    "link": {"and": 0},
    "repeat": {"double": 2, "triple": 3},
    "filler": {"um": 0, "umm": 0, "uh": 0, "uhh": 0, "uhm": 0, "er": 0, "erm": 0, "ah": 0,
               "hmm": 0, "mm": 0, "slash": 0},
    "month": {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
              "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
              "december": 12},
}  # fmt: skip
_VI = {
    "digit": {"không": 0, "linh": 0, "lẻ": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4,
              "tư": 4, "năm": 5, "lăm": 5, "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8,
              "chín": 9},
    "tens": {"mười": 10},
    "x10": {"mươi": 10},
    "x100": {"trăm": 100},
    "filler": {"ờ": 0, "ừ": 0, "ơ": 0, "à": 0, "ừm": 0, "ờm": 0, "ưm": 0},
}  # fmt: skip
_RU = {
    "digit": {"ноль": 0, "нуль": 0, "один": 1, "одна": 1, "одно": 1, "два": 2, "две": 2,
              "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
              "девять": 9},
    "teen": {"десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13,
             "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17,
             "восемнадцать": 18, "девятнадцать": 19},
    "tens": {"двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60,
             "семьдесят": 70, "восемьдесят": 80, "девяносто": 90},
    "hundreds": {"сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500,
                 "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900},
    "filler": {"э": 0, "ээ": 0, "эм": 0, "эээ": 0, "ну": 0, "мм": 0, "дробь": 0},
}  # fmt: skip
_ZH = {  # single characters, everyday and financial (大写) forms
    "digit": {"零": 0, "〇": 0, "幺": 1, "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2,
              "兩": 2, "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6,
              "陆": 6, "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9},
    "x10": {"十": 10, "拾": 10},
    "x100": {"百": 100, "佰": 100},
    "filler": {"嗯": 0, "呃": 0, "额": 0, "唔": 0},
}  # fmt: skip
VOCABULARIES = {"en": _EN, "vi": _VI, "ru": _RU, "zh": _ZH}
CONNECTIVES = {"and", "then", "ok", "okay", "so", "và", "rồi", "и", "потом", "дальше", "然后",
               "还有"}  # fmt: skip
WORDS: dict[str, tuple[str, int]] = {
    word: (kind, value)
    for vocabulary in VOCABULARIES.values()
    for kind, table in vocabulary.items()
    for word, value in table.items()
}
_CJK = "".join(word for word in WORDS if len(word) == 1 and "\u3000" <= word <= "\u9fff")
_UNIT = re.compile(rf"\+?\d+|[{_CJK}]|[^\W\d_{_CJK}]+")
_JOINER = re.compile(r"[\s\-.,/()+\u2013\u2014\u2026]*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3}){2,}")
_NUMBER = ("digit", "teen", "tens", "hundreds", "x10", "x100", "link", "repeat")


class Token(NamedTuple):  # a tuple: texts are tokenised often, and tuples are cheap
    """A word or numeral of a transcript and what it means as a number."""

    start: int
    end: int
    kind: str  # numeral, month, filler, other or one of _NUMBER
    value: int | str  # the numeral's digits, or the word's value


@dataclass(frozen=True)
class DigitRun:
    """A run of digits in a text: character span, digit groups and how they were said."""

    start: int
    end: int
    groups: tuple[str, ...]
    compound: bool  # some group was said as tens or hundreds ("forty five")
    at_start: bool  # nothing but fillers and punctuation before it in its text
    at_end: bool  # nothing but fillers and punctuation after it
    plus: bool = False  # written with a leading "+" (a phone number)
    thousands: bool = False  # written like an amount: "2,345,000", "1.500.000"

    @property
    def digits(self) -> str:
        return "".join(self.groups)

    @property
    def digit_by_digit(self) -> bool:
        return all(len(group) == 1 for group in self.groups)


def tokens(text: str) -> list[Token]:
    """The words and numerals of ``text`` with their number meaning."""
    out = []
    for match in _UNIT.finditer(text):
        word = match.group()
        if word.lstrip("+").isdecimal():
            out.append(Token(match.start(), match.end(), "numeral", word.lstrip("+")))
            continue
        kind, value = WORDS.get(word.casefold(), ("other", 0))
        out.append(Token(match.start(), match.end(), kind, value))
    return out


@lru_cache(maxsize=4096)  # each utterance is read for its context, its text and its words
def digit_runs(text: str) -> tuple[DigitRun, ...]:
    """Every run of digits in ``text`` (even one digit long), in order."""
    found = tokens(text)
    runs, current = [], []
    for index, token in enumerate(found):
        if current and not _continues(text, current, found[index - 1], token):
            runs.append(current)
            current = []
        if token.kind in (*_NUMBER, "numeral", "month"):
            current.append(token)
        elif token.kind != "filler" and current:
            runs.append(current)
            current = []
    runs.append(current)
    spoken = [t.start for t in found if t.kind != "filler" and _word(text, t) not in CONNECTIVES]
    return tuple(run for run in (_run(text, r, spoken) for r in runs if r) if run is not None)


def _continues(text: str, current: list[Token], previous: Token, token: Token) -> bool:
    if token.kind == "filler":
        return bool(_JOINER.fullmatch(text[previous.end : token.start]))
    if token.kind == "month" or not _JOINER.fullmatch(text[previous.end : token.start]):
        return False
    if token.kind == "link":  # "and" only inside "five hundred and two"
        return current[-1].kind in ("x100", "hundreds")
    return True


def _word(text: str, token: Token) -> str:
    return text[token.start : token.end].casefold()


def _run(text: str, run: list[Token], spoken: list[int]) -> DigitRun | None:
    """``spoken``: where each word that is not a filler or a connective starts."""
    while run and run[0].kind == "link":
        run = run[1:]
    while run and run[-1].kind in ("link", "repeat", "month"):
        run = run[:-1]
    groups = _groups(run)
    if not groups:
        return None
    return DigitRun(  # at_start, at_end: it may go on from or into a neighbouring utterance
        start=run[0].start,
        end=run[-1].end,
        groups=tuple(digits for digits, _ in groups),
        compound=any(compound for _, compound in groups),
        at_start=run[0].start == spoken[0],
        at_end=run[-1].start == spoken[-1],
        plus=text.startswith("+", run[0].start),
        thousands=bool(_THOUSANDS.fullmatch(text, run[0].start, run[-1].end)),
    )


def _groups(run: list[Token]) -> list[tuple[str, bool]]:
    groups, index, repeat = [], 0, 1
    while index < len(run):
        token = run[index]
        if token.kind == "repeat":
            repeat, index = int(token.value), index + 1
            continue
        if token.kind in ("numeral", "month"):
            digits = token.value if token.kind == "numeral" else f"{token.value:02d}"
            groups.append((str(digits), False))
            index += 1
            continue
        value, index = _spoken_group(run, index)
        if value is not None:
            groups.append((value[0] * repeat, value[1]))
            repeat = 1
    return groups


def _spoken_group(run: list[Token], index: int) -> tuple[tuple[str, bool] | None, int]:
    """The group of spoken number words starting at ``run[index]`` and where it ends."""
    token = run[index]
    if token.kind == "hundreds":
        rest, index = _below_hundred(run, index + 1, after_hundred=True)
        return (str(int(token.value) + (rest or 0)), True), index
    value, after = _below_hundred(run, index, after_hundred=False)
    if value is None:
        return None, index + 1
    if after < len(run) and run[after].kind == "x100":
        rest, after = _below_hundred(run, after + 1, after_hundred=True)
        return (str(value * 100 + (rest or 0)), True), after
    if token.kind == "digit" and after == index + 1:
        return (str(value), False), after
    return (str(value), True), after


def _below_hundred(run: list[Token], index: int, *, after_hundred: bool):
    """(value under 100 or None, next index): "seven", "forty five", "mười lăm", "四十五"."""

    def kind(at: int) -> str:
        return run[at].kind if at < len(run) else ""

    if after_hundred and (
        kind(index) == "link" or (kind(index) == "digit" and run[index].value == 0)
    ):
        if kind(index + 1) == "digit":  # "one hundred oh five", "một trăm linh năm", "一百零五"
            return int(run[index + 1].value), index + 2
        return None, index + (kind(index) == "link")
    if kind(index) == "teen":
        return int(run[index].value), index + 1
    if kind(index) in ("tens", "x10"):
        value = int(run[index].value)
        if kind(index + 1) == "digit" and run[index + 1].value:
            return value + int(run[index + 1].value), index + 2
        return value, index + 1
    if kind(index) != "digit":
        return None, index
    value = int(run[index].value)
    if kind(index + 1) == "x10":  # "bốn mươi lăm", "四十五"
        if kind(index + 2) == "digit" and run[index + 2].value:
            return value * 10 + int(run[index + 2].value), index + 3
        return value * 10, index + 2
    return value, index + 1
