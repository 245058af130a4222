"""Offensive words masked in the text wellbeing staff read ("f*** off"), unless they ask.

The same words the app masks: lexicon hits of the masked categories and the
matched terms of the flag itself. Done in the data layer, so a wellbeing user
gets masked text unless the unmasked read (audit-logged) is asked for.
"""

from __future__ import annotations

import re
from dataclasses import replace

from coaching.abuse.lexicon import find_terms, mask_term
from coaching.types import AbuseFlag, Utterance

MASKED_CATEGORIES = ("profanity", "insult")


def masked_text(text: str, *, language: str, terms: tuple[str, ...] = ()) -> str:
    """``text`` with offensive words replaced by their masked form."""
    spans = [
        (m.start_char, m.end_char)
        for m in find_terms(text, language)
        if m.category in MASKED_CATEGORIES
    ]
    for term in terms:
        if term.strip():
            spans += [(f.start(), f.end()) for f in re.finditer(re.escape(term), text, re.I)]
    result, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        result += [text[cursor:start], mask_term(text[start:end])]
        cursor = end
    result.append(text[cursor:])
    return "".join(result)


def masked_utterances(
    utterances: tuple[Utterance, ...], flag: AbuseFlag, *, language: str, unmasked: bool = False
) -> tuple[Utterance, ...]:
    """The utterances for wellbeing staff: text only (no word timings, delivery or
    sentiment), offensive words masked unless ``unmasked``."""
    terms = tuple(flag.evidence.terms) if flag.category in MASKED_CATEGORIES else ()
    return tuple(
        replace(
            u,
            text=u.text if unmasked else masked_text(u.text, language=language, terms=terms),
            words=(),
            delivery=None,
            sentiment=None,
        )
        for u in utterances
    )
