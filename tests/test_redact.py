"""Redaction of written and spoken card, phone and account numbers; bleeping audio."""

from __future__ import annotations

import numpy as np
import pytest

from coaching.text.redact import (
    bleep,
    find_digit_runs,
    luhn_valid,
    redact_text,
    redact_utterances,
    redacted_spans,
)
from coaching.types import Utterance, Word

CARD = "4539148803436467"  # Luhn-valid test Visa number
NOT_CARD = "4539148803436468"  # one digit off: fails the Luhn check
SPOKEN_CARD = {
    "en": "four five three nine one four eight eight zero three four three six four six seven",
    "vi": "bốn năm ba chín một bốn tám tám không ba bốn ba sáu bốn sáu bảy",
    "ru": "четыре пять три девять один четыре восемь восемь ноль три четыре три шесть "
    "четыре шесть семь",
}
LEAD_IN = {"en": "my card is", "vi": "số thẻ của tôi là", "ru": "номер моей карты"}


def utterance_of(words: list[str], *, start: float = 10.0, step: float = 0.4) -> Utterance:
    """An utterance whose words last 0.3 s every ``step`` seconds from ``start``."""
    timed = tuple(
        Word(start + i * step, start + i * step + 0.3, w, 0.9 - i * 0.01)
        for i, w in enumerate(words)
    )
    return Utterance("caller", timed[0].start, timed[-1].end, " ".join(words), timed)


def test_luhn():
    assert luhn_valid(CARD)
    assert not luhn_valid(NOT_CARD)
    assert luhn_valid("79927398713")


@pytest.mark.parametrize("language", ["en", "vi", "ru", "zh"])
@pytest.mark.parametrize("written", [CARD, "4539 1488 0343 6467", "4539-1488-0343-6467"])
def test_written_card_numbers(written, language):
    lead = {"en": "card", "vi": "số thẻ", "ru": "карта", "zh": "卡号"}[language]
    redacted = redact_text(f"{lead} {written}, ok", language=language)
    assert redacted == f"{lead} [REDACTED:card], ok"


def test_luhn_invalid_long_number_is_a_number_not_a_card():
    assert redact_text(f"it is {NOT_CARD} ok", language="en") == "it is [REDACTED:number] ok"


def test_phone_and_account_numbers():
    text = "call +44 20 7946 0958 or 0912345678; my phone is 555 1234 567; account 12345678"
    assert redact_text(text, language="en") == (
        "call [REDACTED:phone] or [REDACTED:phone]; my phone is [REDACTED:phone]; "
        "account [REDACTED:number]"
    )


def test_short_numbers_stay():
    text = "I have 2 kids, paid 120 dollars on 12 03 2024, ticket 123456"
    assert redact_text(text, language="en") == text


@pytest.mark.parametrize("language", sorted(SPOKEN_CARD))
def test_spoken_card_numbers_keep_word_timings(language):
    lead = LEAD_IN[language].split()
    words = [*lead, *SPOKEN_CARD[language].split(), "ok"]
    original = utterance_of(words)
    (redacted,) = redact_utterances([original], language=language)
    assert redacted.text == f"{LEAD_IN[language]} [REDACTED:card] ok"
    assert [w.text for w in redacted.words] == [*lead, "[REDACTED:card]", "ok"]
    card_word = redacted.words[len(lead)]
    first_digit, last_digit = original.words[len(lead)], original.words[-2]
    assert (card_word.start, card_word.end) == (first_digit.start, last_digit.end)
    assert card_word.probability == min(w.probability for w in original.words[len(lead) : -1])
    assert redacted.words[: len(lead)] == original.words[: len(lead)]
    assert redacted.words[-1] == original.words[-1]
    assert (redacted.start, redacted.end) == (original.start, original.end)


def test_chinese_spoken_and_written_digits():
    assert redact_text("我的卡号是四五三九一四八八零三四三六四六七。", language="zh") == (
        "我的卡号是[REDACTED:card]。"
    )
    assert redact_text(f"卡号{CARD}", language="zh") == "卡号[REDACTED:card]"
    assert redact_text("电话幺三八一二三四五六七八", language="zh") == "电话[REDACTED:phone]"
    assert redact_text("等一下，我看看", language="zh") == "等一下，我看看"


def test_chinese_words_without_spaces_keep_timings():
    words = ["我的", "卡号", "是", *"四五三九一四八八零三四三六四六七", "。"]
    timed = tuple(Word(i * 0.3, i * 0.3 + 0.25, w) for i, w in enumerate(words))
    original = Utterance("caller", 0.0, timed[-1].end, "".join(words), timed)
    (redacted,) = redact_utterances([original], language="zh")
    assert redacted.text == "我的卡号是[REDACTED:card]。"
    assert [w.text for w in redacted.words] == ["我的", "卡号", "是", "[REDACTED:card]", "。"]
    assert (redacted.words[3].start, redacted.words[3].end) == (timed[3].start, timed[-2].end)


def test_digits_inside_a_word_keep_the_rest_of_the_word():
    words = ["卡号是4539", "1488", "0343", "6467", "谢谢"]
    timed = tuple(Word(i * 1.0, i * 1.0 + 0.8, w) for i, w in enumerate(words))
    original = Utterance("caller", 0.0, 4.8, "".join(words), timed)
    (redacted,) = redact_utterances([original], language="zh")
    assert [w.text for w in redacted.words] == ["卡号是[REDACTED:card]", "谢谢"]
    assert (redacted.words[0].start, redacted.words[0].end) == (0.0, 3.8)


def test_english_double_and_oh():
    runs = find_digit_runs("double five oh one two three four five", language="en")
    assert [kind for *_, kind in runs] == ["number"]


def test_utterances_without_numbers_are_returned_unchanged():
    calm = utterance_of(["thank", "you", "very", "much"])
    assert redact_utterances([calm], language="en") == (calm,)


def test_redacted_spans_agree_on_raw_and_redacted_utterances():
    lead = LEAD_IN["en"].split()
    original = utterance_of([*lead, *SPOKEN_CARD["en"].split(), "ok"])
    redacted = redact_utterances([original], language="en")
    expected = ((original.words[3].start, original.words[-2].end, "card"),)
    assert redacted_spans([original]) == expected
    assert redacted_spans(redacted) == expected


def test_an_utterance_without_words_is_covered_whole():
    bare = Utterance("caller", 3.0, 6.0, f"card {CARD}")
    assert redacted_spans([bare]) == ((3.0, 6.0, "card"),)


def _dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


def test_bleep_replaces_only_the_spans_with_a_tone():
    rate = 16_000
    rng = np.random.default_rng(0)
    speech = (0.1 * rng.standard_normal(3 * rate)).astype(np.float32)
    out = bleep(speech, rate, [(1.0, 2.0, "card")])
    assert out.shape == speech.shape and out.dtype == np.float32
    np.testing.assert_array_equal(out[:rate], speech[:rate])
    np.testing.assert_array_equal(out[2 * rate :], speech[2 * rate :])
    assert _dominant_hz(out[rate : 2 * rate], rate) == pytest.approx(1000.0, abs=2.0)
    assert abs(out[rate]) < 0.01  # faded in, no click
    assert np.array_equal(speech, speech.copy())  # input untouched


@pytest.mark.parametrize("layout", ["channels_first", "samples_first"])
def test_bleep_handles_stereo_and_spans_past_the_end(layout):
    rate = 8_000
    stereo = np.zeros((2, rate), dtype=np.float32)
    if layout == "samples_first":  # as soundfile reads it
        stereo = stereo.T
    out = bleep(stereo, rate, [(0.5, 5.0)], tone_hz=500.0)
    assert out.shape == stereo.shape
    channels = out if layout == "channels_first" else out.T
    for channel in channels:
        assert _dominant_hz(channel[rate // 2 :], rate) == pytest.approx(500.0, abs=20.0)
        assert not channel[: rate // 2].any()
