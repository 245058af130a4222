"""Reading the lexicon files in ``coaching/abuse/lexicons/``.

The file format and term syntax are described in :mod:`coaching.abuse.lexicon`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from coaching.abuse.normalize import tokenize
from coaching.delivery.syllables import base_language
from coaching.errors import ConfigError

CATEGORIES = ("profanity", "insult", "threat", "harassment")
LANGUAGES = ("en", "vi", "ru", "zh")
_LINE = re.compile(r"^(?P<severity>[01](?:\.\d+)?)\s+(?P<term>[^;]+?)\s*(?:;\s*(?P<flags>.*))?$")
_FLAGS = {"prefixed", "fold"}


@dataclass(frozen=True)
class Entry:
    """One lexicon line: the term as written, its words normalised, weight and flags."""

    term: str
    category: str
    severity: float
    words: tuple[str, ...]
    prefixed: bool = False
    fold: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Every entry and whitelisted phrase used for one language."""

    language: str
    entries: tuple[Entry, ...]
    whitelist: tuple[tuple[str, ...], ...]


def lexicon_sha256() -> str:
    """One hash over every lexicon file, for the report's provenance."""
    digest = hashlib.sha256()
    for item in sorted(_folder().iterdir(), key=lambda path: path.name):
        if item.name.endswith(".txt"):
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()


def _folder():
    return resources.files("coaching.abuse") / "lexicons"


def lexicon_language(language: str | None) -> str:
    """The lexicon used for a language code ("en-US" → "en"; unknown → "en")."""
    code = base_language(language, default="en")
    return code if code in LANGUAGES else "en"


@cache
def load_lexicon(language: str) -> Lexicon:
    """All entries for ``language`` plus English profanity; whitelist of the language."""
    code = lexicon_language(language)
    entries, whitelist = _read_files(code)
    if code != "en":
        english, _ = _read_files("en")
        entries += [entry for entry in english if entry.category == "profanity"]
    return Lexicon(code, tuple(entries), tuple(whitelist))


def _read_files(code: str) -> tuple[list[Entry], list[tuple[str, ...]]]:
    folder = _folder()
    entries: list[Entry] = []
    whitelist: list[tuple[str, ...]] = []
    for item in sorted(folder.iterdir(), key=lambda path: path.name):
        if item.name.startswith(f"{code}-") and item.name.endswith(".txt"):
            parsed, innocent = parse_lexicon(item.read_text(encoding="utf-8"), name=item.name)
            entries += parsed
            whitelist += innocent
    return entries, whitelist


def parse_lexicon(text: str, *, name: str) -> tuple[list[Entry], list[tuple[str, ...]]]:
    """Entries and whitelisted phrases of one lexicon file (format in the module docstring)."""
    entries: list[Entry] = []
    whitelist: list[tuple[str, ...]] = []
    category = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            category = line.strip("[]").strip()
            if category not in (*CATEGORIES, "whitelist"):
                raise ConfigError(
                    f"{name}:{number}: unknown section [{category}]; "
                    f"use one of {', '.join(CATEGORIES)} or whitelist"
                )
            continue
        if category == "whitelist":
            whitelist.append(_words(line))
            continue
        entries.append(_entry(line, category, name=name, number=number))
    return entries, whitelist


def _entry(line: str, category: str | None, *, name: str, number: int) -> Entry:
    match = _LINE.match(line)
    if category is None or not match:
        raise ConfigError(
            f"{name}:{number}: expected '<severity 0-1> <term> [; flags]' "
            f"under a [category] header, got {line!r}"
        )
    flags = {flag.strip() for flag in (match["flags"] or "").split(",") if flag.strip()}
    if flags - _FLAGS:
        raise ConfigError(
            f"{name}:{number}: unknown flag(s) {sorted(flags - _FLAGS)}; allowed: {sorted(_FLAGS)}"
        )
    term = match["term"].strip()
    return Entry(
        term, category, float(match["severity"]), _words(term), "prefixed" in flags, "fold" in flags
    )


def _words(term: str) -> tuple[str, ...]:
    """A term's words, normalised like text tokens; a trailing ``*`` marks a stem."""
    words = []
    for part in term.split():
        stem = part.endswith("*") and len(part) > 1
        tokens = tokenize(part.rstrip("*") if stem else part, "xx")
        texts = [token.text for token in tokens] or [part]
        if stem:
            texts[-1] += "*"
        words.extend(texts)
    return tuple(words)
