"""Which of the four languages a line of text is in, from its script and a few cues.

Han characters mean Chinese, Cyrillic means Russian. Latin text is Vietnamese
when it carries Vietnamese letters (ă â đ ê ô ơ ư, or a tone mark on a vowel) or,
typed without diacritics, when Vietnamese function words outnumber English ones;
otherwise English. No model: lines from chat or SMS are short, and the four
scripts settle almost every case.
"""

from __future__ import annotations

import re
import unicodedata

LANGUAGES = ("en", "vi", "ru", "zh")
VIETNAMESE_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave acute tilde hook dot
VIETNAMESE_CUES = frozenset(
    [
        "khong",
        "duoc",
        "roi",
        "cua",
        "toi",
        "minh",
        "anh",
        "chi",
        "em",
        "ban",
        "nha",
        "dien",
        "tien",
        "thang",
        "ngay",
        "cho",
        "voi",
        "la",
        "thi",
        "nhung",
        "nay",
        "kia",
        "gi",
        "sao",
        "vay",
        "oi",
        "a",
        "nhe",
        "ha",
        "bao",
        "lau",
        "cat",
        "mat",
        "mang",
        "goi",
        "cuoc",
        "tra",
        "lai",
        "di",
    ]
)
ENGLISH_CUES = frozenset(
    [
        "the",
        "a",
        "an",
        "is",
        "are",
        "was",
        "were",
        "i",
        "you",
        "my",
        "your",
        "it",
        "this",
        "that",
        "and",
        "or",
        "but",
        "to",
        "of",
        "in",
        "on",
        "for",
        "with",
        "not",
        "no",
        "what",
        "why",
        "how",
        "can",
        "will",
        "would",
        "have",
        "has",
        "do",
        "does",
        "did",
        "please",
        "hello",
    ]
)
WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str, *, default: str = "en") -> str:
    """``en``, ``vi``, ``ru`` or ``zh`` for ``text`` (``default`` when it has no letters)."""
    han = cyrillic = latin = 0
    vietnamese = False
    for char in unicodedata.normalize("NFD", text):
        if char in TONE_MARKS:
            vietnamese = True
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith(("CJK UNIFIED", "CJK COMPATIBILITY")):
            han += 1
        elif name.startswith("CYRILLIC"):
            cyrillic += 1
        elif name.startswith("LATIN"):
            latin += 1
    vietnamese = vietnamese or any(char in VIETNAMESE_LETTERS for char in text)
    if han and han >= cyrillic and han * 2 >= latin:
        return "zh"
    if cyrillic and cyrillic >= latin:
        return "ru"
    if not latin:
        return default
    if vietnamese:
        return "vi"
    words = [w.casefold() for w in WORD.findall(text)]
    vi_cues = sum(w in VIETNAMESE_CUES for w in words)
    en_cues = sum(w in ENGLISH_CUES for w in words)
    return "vi" if vi_cues > en_cues else "en"
