"""Normalisation for abuse matching: forms, offsets into the original text, keys."""

from __future__ import annotations

import unicodedata

import pytest

from coaching.abuse.normalize import fold_diacritics, normalize_chars, squeeze, tokenize


def _token_texts(text: str, language: str = "en") -> list[str]:
    return [token.text for token in tokenize(text, language)]


def _original(text: str, language: str = "en") -> list[str]:
    return [text[token.start : token.end] for token in tokenize(text, language)]


def test_full_width_and_case_fold_to_plain_lowercase():
    assert _token_texts("ＦＵＣＫ You") == ["fuck", "you"]


def test_offsets_point_into_the_original_text_even_when_lengths_change():
    text = "ﬁne ＳＨＩＴ e\u0301 end"  # ligature expands, combining accent composes
    assert _original(text) == ["ﬁne", "ＳＨＩＴ", "e\u0301", "end"]
    assert _token_texts(text) == ["fine", "shit", "é", "end"]


def test_decomposed_vietnamese_composes_before_matching():
    decomposed = unicodedata.normalize("NFD", "Địt mẹ")
    assert _token_texts(decomposed, "vi") == ["địt", "mẹ"]


def test_russian_yo_becomes_ye():
    assert _token_texts("Ёбаный ёж", "ru") == ["ебаный", "еж"]


def test_traditional_chinese_maps_to_simplified_char_for_char():
    normal, origin = normalize_chars("他媽的蠢貨")
    assert normal == "他妈的蠢货"
    assert origin == ((0, 1), (1, 2), (2, 3), (3, 4), (4, 5))


def test_han_characters_are_single_tokens_and_latin_runs_stay_whole():
    assert _token_texts("你是SB吗", "zh") == ["你", "是", "sb", "吗"]


@pytest.mark.parametrize(
    ("written", "key"),
    [("sh1t", "shit"), ("$hit", "shit"), ("a$$", "ass"), ("b!tch", "bitch"), ("4ss", "ass")],
)
def test_leetspeak_is_undone_in_a_key(written, key):
    (token,) = tokenize(written, "en")
    assert key in token.keys
    assert token.keys[0] == written


def test_numbers_alone_are_not_leetspeak():
    (token,) = tokenize("1337", "en")
    assert token.keys == ("1337",)


def test_latin_lookalikes_inside_cyrillic_words_become_cyrillic():
    (token,) = tokenize("xyй", "ru")
    assert "хуй" in token.keys


def test_cyrillic_lookalikes_inside_latin_words_become_latin():
    (token,) = tokenize("fuсk", "en")  # the "с" is Cyrillic
    assert "fuck" in token.keys


def test_dotted_and_spaced_letters_join_into_one_token():
    assert _token_texts("F.U.C.K off") == ["fuck", "off"]
    assert _token_texts("f u c k you") == ["fuck", "you"]
    assert _original("đ.m mày", "vi") == ["đ.m", "mày"]
    assert _token_texts("đ.m mày", "vi") == ["đm", "mày"]


def test_two_spaced_letters_stay_apart():
    assert _token_texts("plan a b") == ["plan", "a", "b"]


def test_masked_letters_make_a_pattern():
    (token,) = tokenize("f*ck", "en")
    assert token.mask == "f.ck"
    assert tokenize("f***ing", "en")[0].mask == "f...ing"
    assert tokenize("fine", "en")[0].mask is None


def test_markdown_stars_around_words_are_not_masks():
    tokens = tokenize("**Attaching** ***コンニチハ idiot** f***", "en")
    assert [t.text for t in tokens] == ["attaching", "コンニチハ", "idiot", "f***"]
    assert [t.mask for t in tokens] == [None, None, None, "f..."]


def test_trailing_exclamation_is_punctuation_not_obfuscation():
    assert _original("idiot!!! now") == ["idiot", "now"]


def test_elongation_is_noticed_and_squeezable():
    (token,) = tokenize("fuuuuck", "en")
    assert token.elongated
    assert squeeze(token.text) == "fuck"
    assert not tokenize("assess", "en")[0].elongated


def test_vietnamese_tokens_carry_a_folded_form():
    assert [t.folded for t in tokenize("Đéo biết", "vi")] == ["deo", "biet"]
    assert tokenize("đéo", "en")[0].folded is None
    assert fold_diacritics("lồn lớn") == "lon lon"  # why folding is only for safe entries
