"""Lexicon matching on whole tokens, per language, with offsets and severities.

Lexicon files live in ``coaching/abuse/lexicons/<language>-<name>.txt``::

    # header: source, licence, version
    [profanity]              # or insult, threat, harassment, whitelist
    0.8 fuck*                # severity, then the term (several words allowed)
    0.9 пизд* ; prefixed     # flags after ";": prefixed, fold

Term syntax, per word: ``word`` must equal a whole token; ``stem*`` matches any
token starting with ``stem``. Flags: ``prefixed`` lets a Russian verbal prefix
stand before the stem ("охуеть", "спиздить", "заебал") without opening the stem
to any infix ("застрахуете" holds "хуе" and stays clean); ``fold`` also matches
the Vietnamese diacritic-free spelling (see :mod:`coaching.abuse.normalize`).

Chinese has no spaces, so its terms are character sequences and can sit inside
innocent compounds; ``[whitelist]`` lists such compounds ("你妈妈", "今日你") and
a match lying wholly inside one is dropped. English profanity is matched in every
language, since callers switch to it; a language without lexicons gets English.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from coaching.abuse.lexicon_files import (
    CATEGORIES,
    LANGUAGES,
    Entry,
    lexicon_language,
    load_lexicon,
    parse_lexicon,
)
from coaching.abuse.normalize import MASK_CHARS, Token, fold_diacritics, squeeze, tokenize
from coaching.serial import Serializable

__all__ = [
    "CATEGORIES",
    "LANGUAGES",
    "TermMatch",
    "find_terms",
    "lexicon_language",
    "load_lexicon",
    "mask_term",
    "parse_lexicon",
]

_RU_PREFIX_LIST = (
    "в вз вы до за из ис на недо о об обо от пере по под при про раз рас с у въ съ объ отъ подъ "
    "разъ изъ"
)
RU_PREFIXES = tuple(_RU_PREFIX_LIST.split())


@dataclass(frozen=True)
class TermMatch(Serializable):
    """One lexicon hit: the text as written, its category and where it sits."""

    term: str  # the matched text, casefolded, as it was written ("f*ck", "đm")
    category: str
    severity: float
    start_char: int
    end_char: int
    word_index_range: tuple[int, int]  # whitespace-separated words [first, last + 1)
    entry: str = ""  # the lexicon entry that matched ("fuck*")


def find_terms(text: str, language: str) -> tuple[TermMatch, ...]:
    """Lexicon hits in ``text``, ordered by position; nested hits of one category collapse."""
    lexicon = load_lexicon(language)
    tokens = tokenize(text, lexicon.language)
    index = _index(lexicon.language)
    found: list[TermMatch] = []
    for position, token in enumerate(tokens):
        for entry in _candidates(token, index):
            length = _match_at(tokens, position, entry)
            if length and not _whitelisted(tokens, position, length, lexicon.whitelist):
                found.append(_term_match(text, tokens[position : position + length], entry))
    return _outermost(found)


def mask_term(term: str) -> str:
    """Display form that hides all but each word's first character: "fuck off" → "f*** o**"."""
    return " ".join(word[:1] + "*" * (len(word) - 1) for word in term.split())


@cache
def _index(language: str) -> tuple[dict[str, list[Entry]], tuple[str, ...], tuple[Entry, ...]]:
    """Entries by the head of their first word, the prefixes to try, and all entries.

    Heads: the whole word for exact words (and its folded form for ``fold`` entries),
    ``"^" + two letters`` for stems, ``"~" + two letters`` for prefixed Russian stems.
    """
    lexicon = load_lexicon(language)
    heads: dict[str, list[Entry]] = defaultdict(list)
    for entry in lexicon.entries:
        first = entry.words[0]
        if entry.prefixed:
            heads["~" + first.rstrip("*")[:2]].append(entry)
        elif first.endswith("*"):
            heads["^" + first[:2]].append(entry)
        else:
            heads[first].append(entry)
            if entry.fold:
                heads[fold_diacritics(first)].append(entry)
    prefixes = ("", *RU_PREFIXES) if any(e.prefixed for e in lexicon.entries) else ()
    return dict(heads), prefixes, lexicon.entries


def _candidates(token: Token, index) -> list[Entry]:
    heads, prefixes, every = index
    if token.mask or token.elongated:
        return list(every)
    found: list[Entry] = []
    keys = [*token.keys, token.folded] if token.folded is not None else list(token.keys)
    for key in keys:
        found += heads.get(key, ())
        found += [*heads.get("^" + key[:2], ()), *heads.get("^" + key[:1], ())]
        for prefix in prefixes:
            if key.startswith(prefix):
                rest = key[len(prefix) :]
                found += [*heads.get("~" + rest[:2], ()), *heads.get("~" + rest[:1], ())]
    return list(dict.fromkeys(found))


def _match_at(tokens: tuple[Token, ...], position: int, entry: Entry) -> int:
    """Number of tokens ``entry`` covers from ``position``, or 0 when it does not match."""
    if position + len(entry.words) > len(tokens):
        return 0
    for offset, word in enumerate(entry.words):
        if not _word_matches(tokens[position + offset], word, entry):
            return 0
    return len(entry.words)


def _word_matches(token: Token, word: str, entry: Entry) -> bool:
    if not (token.mask or token.elongated or entry.prefixed or entry.fold or word[-1] == "*"):
        return word in token.keys  # the common case: a plain whole word
    stem = word.endswith("*")
    target = word.rstrip("*")
    if token.mask:
        return _mask_matches(token, target, stem=stem)
    keys = list(token.keys)
    if entry.fold and token.folded is not None:
        keys.append(token.folded)
        target_options = (target, fold_diacritics(target))
    else:
        target_options = (target,)
    if token.elongated:
        keys = [squeeze(key) for key in keys]
        target_options = tuple(squeeze(option) for option in target_options)
    prefixes = ("", *RU_PREFIXES) if entry.prefixed else ("",)
    for key in keys:
        for prefix in prefixes:
            if not key.startswith(prefix):
                continue
            rest = key[len(prefix) :]
            if any(rest.startswith(t) if stem else rest == t for t in target_options):
                return True
    return False


def _mask_matches(token: Token, target: str, *, stem: bool) -> bool:
    """A masked token ("f*ck", "f***ing") fits a word when its visible letters agree.

    At least two letters must show, or the first letter with everything else masked
    ("f***"), so that a lone "*" never matches anything.
    """
    visible = sum(1 for c in token.text if c not in MASK_CHARS)
    fully_masked_tail = token.text[0] not in MASK_CHARS and visible == 1
    if visible < 2 and not (fully_masked_tail and len(token.text) >= 4):
        return False
    pattern = token.mask or ""
    if stem:
        if len(token.text) < len(target):
            return False
        head = pattern[: _pattern_cut(pattern, len(target))]
        return re.fullmatch(head, target) is not None
    return re.fullmatch(pattern, target) is not None


def _pattern_cut(pattern: str, characters: int) -> int:
    """Index into a regex built of single chars (maybe escaped) after ``characters`` chars."""
    index = 0
    for _ in range(characters):
        index += 2 if pattern[index] == "\\" else 1
    return index


def _whitelisted(tokens, position: int, length: int, whitelist) -> bool:
    for phrase in whitelist:
        size = len(phrase)
        for begin in range(max(0, position + length - size), position + 1):
            window = tokens[begin : begin + size]
            if len(window) == size and all(
                t.text == w for t, w in zip(window, phrase, strict=True)
            ):
                return True
    return False


def _term_match(text: str, covered: tuple[Token, ...], entry: Entry) -> TermMatch:
    start, end = covered[0].start, covered[-1].end
    words = [word.span() for word in re.finditer(r"\S+", text)]
    first = next(i for i, (_, word_end) in enumerate(words) if word_end > start)
    last = next(i for i, (_, word_end) in enumerate(words) if word_end >= end)
    return TermMatch(
        text[start:end].casefold(),
        entry.category,
        entry.severity,
        start,
        end,
        (first, last + 1),
        entry.term,
    )


def _outermost(found: list[TermMatch]) -> tuple[TermMatch, ...]:
    """Sorted hits; a hit inside a longer hit of the same category is dropped."""
    kept = []
    for match in found:
        inside = any(
            other is not match
            and other.category == match.category
            and other.start_char <= match.start_char
            and match.end_char <= other.end_char
            and (other.end_char - other.start_char, other.severity)
            > (match.end_char - match.start_char, match.severity)
            for other in found
        )
        if not inside:
            kept.append(match)
    unique: dict[tuple[str, int, int], TermMatch] = {}
    for match in sorted(kept, key=lambda m: (-len(m.entry), -m.severity)):
        # one hit per span: the most specific entry, then the first in lexicon order
        unique.setdefault((match.category, match.start_char, match.end_char), match)
    return tuple(sorted(unique.values(), key=lambda m: (m.start_char, m.end_char, m.category)))
