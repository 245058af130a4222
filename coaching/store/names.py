"""Names and free text people type: normalised, length-capped, free of invisible characters.

Operator and user names are compared by a *key* (NFKC, case-folded, trimmed,
inner whitespace collapsed) so "Sonia", "sonia " and "SONIA" are one person;
names that only *look* alike ("ѕonia" with a Cyrillic s) are refused as
confusables of an existing name (Unicode's confusables data, via the
``confusable-homoglyphs`` package). Every field has a length cap checked here, before the
database sees it, so each backend gives the same plain error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from confusable_homoglyphs import confusables

from coaching.errors import StoreError

MAX_NAME = 120  # users.name, operators.name, teams.name are String(120)
MAX_TEXT = 2000  # annotations, override reasons, flag review notes
MAX_PASSWORD = 256
# Cc control, Cf format (zero-width space/joiners, bidi marks, BOM), Co private use,
# Cs surrogates, Cn unassigned, Zl/Zp line and paragraph separators.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
# Blank-looking characters NFKC keeps and Unicode files as letters or symbols.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_SPACES = re.compile(r"\s+")


def invisible_characters(text: str) -> list[str]:
    """The invisible or control characters in ``text``, as U+XXXX codes."""
    return [
        f"U+{ord(ch):04X}"
        for ch in text
        if unicodedata.category(ch) in INVISIBLE_CATEGORIES or ch in BLANK_LOOKING
    ]


def clean_name(text: str, *, what: str) -> str:
    """``text`` as a name: NFKC, trimmed, inner whitespace as one space; refuses
    empty, over-long or invisible-character names with an error naming ``what``."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    hidden = invisible_characters(name)
    if hidden:
        raise StoreError(
            f"the {what} contains invisible or control characters ({', '.join(hidden[:5])}); "
            "type the name with visible letters only"
        )
    if not name:
        raise StoreError(f"the {what} is empty; give a name")
    if len(name) > MAX_NAME:
        raise StoreError(
            f"the {what} is {len(name)} characters long; use at most {MAX_NAME} characters"
        )
    return name


def name_key(name: str) -> str:
    """The key two names are the same person by: NFKC, case-folded, trimmed."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return _SPACES.sub(" ", folded).strip()


@lru_cache(maxsize=4096)
def _latin_look_alike(ch: str) -> str:
    if ch.isascii():
        return ch
    found = confusables.is_confusable(ch, preferred_aliases=["latin"], greedy=True) or []
    for entry in found:
        for glyph in entry["homoglyphs"]:
            if glyph["c"].isascii():
                return glyph["c"].casefold()
    return ch


def skeleton(name: str) -> str:
    """The name as it looks: its key with each character replaced by a Latin look-alike."""
    return "".join(_latin_look_alike(ch) for ch in name_key(name))


def confusable_with(name: str, others: Iterable[str]) -> str | None:
    """The first of ``others`` that looks like ``name`` but is not the same key, if any."""
    key, look = name_key(name), skeleton(name)
    for other in others:
        if name_key(other) != key and skeleton(other) == look:
            return other
    return None


def clean_text(text: str, *, what: str, limit: int = MAX_TEXT) -> str:
    """Free text (a note, a reason): trimmed, capped at ``limit``, control characters
    other than line breaks and tabs refused."""
    cleaned = unicodedata.normalize("NFC", text).strip()
    bad = invisible_characters(re.sub(r"[\n\t]", "", cleaned))
    if bad:
        raise StoreError(
            f"the {what} contains invisible or control characters ({', '.join(bad[:5])}); "
            "remove them"
        )
    if len(cleaned) > limit:
        raise StoreError(
            f"the {what} is {len(cleaned)} characters long; keep it to {limit} characters"
        )
    return cleaned


def bounded(text: str | None, limit: int) -> str | None:
    """``text`` for the audit log: control characters replaced by '?', cut to ``limit``."""
    if text is None:
        return None
    visible = "".join(
        "?" if unicodedata.category(ch) in INVISIBLE_CATEGORIES else ch for ch in str(text)
    )
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"
