"""Text normalisation for abuse matching, keeping offsets into the original text.

Every token remembers the characters of the *original* text it came from, so a
match can be located, timed and masked. Normalisation, in order:

- NFKC per character cluster (full-width Ｆ → F, ligatures, composed diacritics),
  casefold, Russian ё → е, and a small traditional → simplified table for the
  Chinese characters our lexicons use (one character for one, so offsets hold);
- tokens: Han characters are one token each (Chinese has no spaces, so phrases
  are matched as character sequences); other tokens are runs of letters, digits
  and the obfuscation marks ``* @ $ # !``; apostrophes and other punctuation split;
- letters spelled out with dots or dashes ("f.u.c.k", "đ.m") join into one token;
- each token offers several *keys*: as written; leetspeak undone (``sh1t``,
  ``$hit``, ``a$$``); homoglyphs swapped (Latin look-alikes inside Cyrillic words,
  ``xyй`` → ``хуй``, and the reverse inside Latin words); elongations squeezed
  (``fuuuuck``); masked letters (``f*ck``, ``f**king``) become a pattern.
- Vietnamese tokens also carry a diacritic-free *folded* form. Folding makes many
  innocent syllables collide ("lồn"/"lớn"/"lon", "đéo"/"đeo", "cặc"/"các"), so
  the lexicon matches a folded form only for entries marked ``fold``: multi-syllable
  phrases whose folded spelling has no innocent reading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
MASK_CHARS = "*#"
_TOKEN = re.compile(rf"[{HAN}]|(?:[^\W_{HAN}]|[*@$#!])+")
_JOIN_GAP = re.compile(r"[.\-_·•]+")
_SPACED_GAP = re.compile(r"[ .\-_·•]+")

# Traditional → simplified for every character of the Chinese lexicons (checked against
# OpenCC's s2t, s2tw and s2hk tables; OpenCC itself is not a dependency).
_TRAD_SIMP = str.maketrans(
    "媽馬瑪貨賤雜廢殺們會雞滾腦殘豬這個來讓後經爛給嗎說聲為東誰員燒砸認識騙閉嘴"
    "狗屌幹妳蠢種畜賣嬸氣找愛約陪電話號碼長結婚幾歲漂亮神經病"
    "麼僕兒養冊臥喫處婦開懶機沒癡癟著節蕩賊賽駛騷龜孃乾",
    "妈马玛货贱杂废杀们会鸡滚脑残猪这个来让后经烂给吗说声为东谁员烧砸认识骗闭嘴"
    "狗屌干你蠢种畜卖婶气找爱约陪电话号码长结婚几岁漂亮神经病"
    "么仆儿养册卧吃处妇开懒机没痴瘪着节荡贼赛驶骚龟娘干",
)
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s", "@": "a", "!": "i"}
)
_LATIN_TO_CYRILLIC = str.maketrans({
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "n": "п",
    "o": "о", "p": "р", "t": "т", "u": "и", "x": "х", "y": "у",
    "3": "з", "0": "о", "6": "б", "4": "ч", "@": "а",
})  # fmt: skip
_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "с": "c", "е": "e", "о": "o", "р": "p", "х": "x", "у": "y", "к": "k",
    "і": "i", "ј": "j", "ѕ": "s",
})  # fmt: skip
_ELONGATED = re.compile(r"(.)\1\1")


@dataclass(frozen=True)
class Token:
    """One token: its normalised text, where it sits in the original, and its keys."""

    text: str
    start: int  # offsets into the original text, end exclusive
    end: int
    keys: tuple[str, ...]
    folded: str | None = None  # Vietnamese only: diacritics removed, đ → d
    mask: str | None = None  # regex when letters were masked ("f*ck" → "f.ck")
    elongated: bool = False  # a letter repeated three or more times


def normalize_chars(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """NFKC + casefold + ё→е + traditional→simplified, with each output char's origin."""
    if unicodedata.is_normalized("NFKC", text):  # the usual case: one pass, offsets unchanged
        folded = text.casefold()
        if len(folded) == len(text):
            mapped = folded.replace("ё", "е").translate(_TRAD_SIMP)
            return mapped, tuple((i, i + 1) for i in range(len(text)))
    out: list[str] = []
    origin: list[tuple[int, int]] = []
    index = 0
    while index < len(text):
        end = index + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        piece = unicodedata.normalize("NFKC", text[index:end]).casefold()
        piece = piece.replace("ё", "е").translate(_TRAD_SIMP)
        out.append(piece)
        origin.extend([(index, end)] * len(piece))
        index = end
    return "".join(out), tuple(origin)


def fold_diacritics(text: str) -> str:
    """Vietnamese-style folding: strip combining marks, đ → d ("địt mẹ" → "dit me")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def squeeze(text: str) -> str:
    """Collapse every run of one repeated character to a single character."""
    return re.sub(r"(.)\1+", r"\1", text)


def is_han(char: str) -> bool:
    """Whether ``char`` is a Han (Chinese) character."""
    return bool(re.fullmatch(f"[{HAN}]", char))


def tokenize(text: str, language: str) -> tuple[Token, ...]:
    """Tokens of ``text`` with matching keys; offsets refer to ``text`` itself."""
    normal, origin = normalize_chars(text)
    spans = [
        (match.start(), match.end())
        for match in _TOKEN.finditer(normal)
        if any(c.isalnum() for c in match.group())
    ]
    spans = [_strip_edges(normal, start, end) for start, end in spans]
    tokens = []
    for start, end, joined in _join_spelled_letters(normal, spans):
        tokens.append(_make_token(joined, origin[start][0], origin[end - 1][1], language=language))
    return tuple(tokens)


def _strip_edges(normal: str, start: int, end: int) -> tuple[int, int]:
    """Drop punctuation-like marks at a token's edges, keeping censoring stars ("f***").

    Leading ``! * #`` are never censoring (markdown "**bold**", "***コンニチハ"); trailing
    ``!`` is punctuation; trailing stars are censoring only after one or two letters.
    """
    while normal[start] in "!" + MASK_CHARS and start < end - 1:
        start += 1
    while normal[end - 1] == "!" and end - 1 > start:
        end -= 1
    stripped = normal[start:end].rstrip(MASK_CHARS)
    if len(stripped) >= 3:
        end = start + len(stripped)
    return start, end


def _join_spelled_letters(normal: str, spans: list[tuple[int, int]]):
    """Yield (start, end, text), joining runs such as "f.u.c.k" or "f u c k" into one token."""
    index = 0
    while index < len(spans):
        run = [spans[index]]
        spaced = False
        while index + len(run) < len(spans) and _single_letter(normal, run[-1]):
            following = spans[index + len(run)]
            gap = normal[run[-1][1] : following[0]]
            if not _single_letter(normal, following):
                break
            if _JOIN_GAP.fullmatch(gap):
                run.append(following)
            elif _SPACED_GAP.fullmatch(gap):
                run.append(following)
                spaced = True
            else:
                break
        enough = len(run) >= (3 if spaced else 2)
        if len(run) > 1 and enough:
            yield run[0][0], run[-1][1], "".join(normal[s:e] for s, e in run)
            index += len(run)
        else:
            start, end = spans[index]
            yield start, end, normal[start:end]
            index += 1


def _single_letter(normal: str, span: tuple[int, int]) -> bool:
    start, end = span
    return end - start == 1 and normal[start].isalpha() and not is_han(normal[start])


def _make_token(text: str, start: int, end: int, *, language: str) -> Token:
    keys = [text]
    has_letters = any(c.isalpha() for c in text)
    if has_letters and any(c in "013457$@!" for c in text):
        keys.append(text.translate(_LEET))
    if _has_cyrillic(text) or (language == "ru" and _all_latin_lookalikes(text)):
        keys.append(text.translate(_LATIN_TO_CYRILLIC))
    if re.search("[a-z]", text) and _has_cyrillic(text):
        keys.append(text.translate(_CYRILLIC_TO_LATIN))
    keys = list(dict.fromkeys(keys))
    elongated = any(_ELONGATED.search(key) for key in keys)
    mask = None
    if any(c in MASK_CHARS for c in text) and has_letters:
        plain = text.translate(_LEET) if len(keys) > 1 else text
        mask = "".join("." if c in MASK_CHARS else re.escape(c) for c in plain)
    folded = fold_diacritics(text) if language == "vi" else None
    return Token(text, start, end, tuple(keys), folded, mask, elongated)


def _has_cyrillic(text: str) -> bool:
    return bool(re.search("[а-яё]", text))


def _all_latin_lookalikes(text: str) -> bool:
    return bool(re.fullmatch(r"[abcehkmnoptuxy]+", text)) and bool(re.search("[xy]", text))
