"""Redaction gaps found when attacking the toolkit (issue 9, item 5), and ordinary talk
that must stay readable."""

from __future__ import annotations

import pytest

from coaching.text.redact import redact_text, redact_utterances, redacted_spans
from coaching.types import Utterance, Word

CARD = "4539 1488 0343 6467"  # Luhn-valid test Visa number
CARD_WORDS = "four five three nine one four eight eight zero three four three six four six seven"
DIGIT_WORDS = set(CARD_WORDS.split()) | {"oh", "twenty", "thirty", "forty", "sixty", "fifty"}


def said(speaker: str, start: float, text: str, *, step: float = 0.4) -> Utterance:
    """An utterance whose space-separated words last 0.3 s every ``step`` seconds."""
    timed = tuple(
        Word(start + i * step, start + i * step + 0.3, w) for i, w in enumerate(text.split())
    )
    return Utterance(speaker, start, timed[-1].end, text, timed)


def texts(utterances) -> list[str]:
    return [u.text for u in redact_utterances(utterances, language="en")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"my card is {CARD}, expiry 05/27, CVV 123",
         "my card is [REDACTED:card], expiry [REDACTED:expiry], CVV [REDACTED:cvv]"),
        (f"the security code is three two one and the card is {CARD}",
         "the security code is [REDACTED:cvv] and the card is [REDACTED:card]"),
        (f"card {CARD} expires oh five twenty seven",
         "card [REDACTED:card] expires [REDACTED:expiry]"),
        (f"card {CARD} valid thru May twenty seven",
         "card [REDACTED:card] valid thru [REDACTED:expiry]"),
        ("the expiry is 12 slash 27 on my card", "the expiry is [REDACTED:expiry] on my card"),
        ("my number is 4539 1488 0343 646, it expires 05/27",  # the recogniser lost a digit
         "my number is [REDACTED:number], it expires [REDACTED:expiry]"),
        (f"số thẻ {CARD} hết hạn 05/27 mã bảo mật 123",
         "số thẻ [REDACTED:card] hết hạn [REDACTED:expiry] mã bảo mật [REDACTED:cvv]"),
        (f"карта {CARD} срок действия 05/27 код безопасности 123",
         "карта [REDACTED:card] срок действия [REDACTED:expiry] код безопасности [REDACTED:cvv]"),
        ("卡号4539148803436467，有效期05/27，安全码123",
         "卡号[REDACTED:card]，有效期[REDACTED:expiry]，安全码[REDACTED:cvv]"),
    ],
)  # fmt: skip
def test_expiry_and_security_code_said_with_a_card(text, expected):
    assert redact_text(text, language="en") == expected


def test_expiry_and_code_asked_for_in_earlier_turns_keep_their_word_timings():
    call = [
        said("caller", 0.0, f"my card number is {CARD}"),
        said("operator", 4.0, "and the expiry date?"),
        said("caller", 6.0, "oh five twenty seven"),
        said("operator", 9.0, "and the three digit code on the back?"),
        said("caller", 12.0, "three two one"),
    ]
    assert texts(call)[2:] == ["[REDACTED:expiry]", call[3].text, "[REDACTED:cvv]"]
    spans = redacted_spans(redact_utterances(call, language="en"))
    expiry, cvv = (next(s[:2] for s in spans if s[2] == kind) for kind in ("expiry", "cvv"))
    assert expiry == pytest.approx((6.0, 7.5))  # from "oh" to the end of "seven"
    assert cvv == pytest.approx((12.0, 13.1))
    assert redacted_spans(call) == spans  # raw or redacted, the same audio is bleeped


@pytest.mark.parametrize(
    "text",
    [
        "four five three nine um one four eight eight uh zero three four three er six four six "
        "seven",
        "bốn năm ba chín ờ một bốn tám tám ờ không ba bốn ba ờ sáu bốn sáu bảy",
        "четыре пять три девять э один четыре восемь восемь ну ноль три четыре три ну шесть "
        "четыре шесть семь",
        "四五三九嗯一四八八呃零三四三六四六七",
        "4539 um 1488 uh 0343 er 6467",
    ],
)
def test_card_numbers_with_fillers_between_groups(text):
    assert redact_text(text, language="en") == "[REDACTED:card]"


@pytest.mark.parametrize(
    "text",
    [
        "bốn năm ba chín một bốn tám tám linh ba bốn ba sáu bốn sáu bảy",
        "bốn năm ba chín một bốn tám tám lẻ ba bốn ba sáu bốn sáu bảy",
        "forty five thirty nine fourteen eighty eight oh three forty three sixty four sixty seven",
        "forty-five thirty-nine, fourteen eighty-eight, oh three forty-three, sixty-four "
        "sixty-seven",
        "сорок пять тридцать девять четырнадцать восемьдесят восемь ноль три сорок три "
        "шестьдесят четыре шестьдесят семь",
        "肆伍叁玖壹肆捌捌零叁肆叁陆肆陆柒",
        "肆伍叁玖幺肆捌捌〇叁肆叁陸肆陸柒",
        "四十五三十九十四八十八零三四十三六十四六十七",
    ],
)
def test_card_numbers_in_pairs_and_other_number_forms(text):
    assert redact_text(text, language="en") == "[REDACTED:card]"


@pytest.mark.parametrize("call_language", ["en", "vi", "zh"])
def test_russian_digits_in_a_call_detected_as_another_language(call_language):
    russian = (
        "четыре пять три девять один четыре восемь восемь ноль три четыре три шесть "
        "четыре шесть семь"
    )
    (redacted,) = redact_utterances([said("caller", 0.0, russian)], language=call_language)
    assert redacted.text == "[REDACTED:card]"
    assert redact_text(f"my card is {russian}", language=call_language) == (
        "my card is [REDACTED:card]"
    )


@pytest.mark.parametrize("backchannel", [None, "mhm", "yes go on"])
@pytest.mark.parametrize("split", range(1, 16))
def test_card_number_split_over_two_utterances(split, backchannel):
    words = CARD_WORDS.split()
    first = said("caller", 0.0, "my card is " + " ".join(words[:split]))
    pause = first.end + 0.8
    between = [said("operator", pause, backchannel)] if backchannel else []
    second = said("caller", pause + 1.2, " ".join(words[split:]) + " thanks")
    redacted = texts([first, *between, second])
    assert redacted[0] == "my card is [REDACTED:card]"
    assert redacted[-1] == "[REDACTED:card] thanks"
    spans = redacted_spans([first, *between, second])
    assert [kind for *_, kind in spans] == ["card", "card"]
    assert spans[0][:2] == (first.words[3].start, first.words[-1].end)
    assert spans[1][:2] == (second.words[0].start, second.words[-2].end)


def test_card_number_split_with_connectives_around_the_parts():
    call = [said("caller", 0.0, "my card is 4539 1488 and"), said("operator", 3.0, "mhm"),
            said("caller", 4.0, "then 0343 6467 okay")]  # fmt: skip
    assert texts(call) == ["my card is [REDACTED:card] and", "mhm", "then [REDACTED:card] okay"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("your verification code is 482913", "your verification code is [REDACTED:code]"),
        ("the code is four eight two nine one three", "the code is [REDACTED:code]"),
        ("it says four eight two nine one three", "it says [REDACTED:code]"),
        ("one-time password 4829", "one-time password [REDACTED:code]"),
        ("mã OTP của tôi là 482913", "mã OTP của tôi là [REDACTED:code]"),
        ("mã xác nhận là bốn tám hai chín một ba", "mã xác nhận là [REDACTED:code]"),
        ("код подтверждения 482913", "код подтверждения [REDACTED:code]"),
        ("код из смс четыре восемь два девять один три", "код из смс [REDACTED:code]"),
        ("验证码是482913", "验证码是[REDACTED:code]"),
        ("验证码四八二九一三", "验证码[REDACTED:code]"),
        ("密码是 4 8 2 9", "密码是 [REDACTED:code]"),
    ],
)
def test_one_time_codes(text, expected):
    assert redact_text(text, language="en") == expected


def test_a_code_read_in_two_breaths():
    call = [said("caller", 0.0, "my code is four eight two"), said("caller", 2.5, "nine one three")]
    assert texts(call) == ["my code is [REDACTED:code]", "[REDACTED:code]"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the card ending 0366", "the card ending [REDACTED:card]"),
        ("my visa ends in oh three six six", "my visa ends in [REDACTED:card]"),
        ("card, last four digits are 0 3 6 6", "card, last four digits are [REDACTED:card]"),
        ("thẻ có 4 số cuối là 0366", "thẻ có 4 số cuối là [REDACTED:card]"),
        ("карта, последние четыре цифры 0366", "карта, последние четыре цифры [REDACTED:card]"),
        ("卡尾号0366", "卡尾号[REDACTED:card]"),
    ],
)
def test_short_card_fragments(text, expected):
    assert redact_text(text, language="en") == expected


def test_card_fragment_after_the_operator_asks_which_card():
    call = [said("operator", 0.0, "which card would you like to use?"),
            said("caller", 3.0, "the one ending oh three six six")]  # fmt: skip
    assert texts(call)[1] == "the one ending [REDACTED:card]"


@pytest.mark.parametrize(
    "text",
    [
        "I called three times and waited forty five minutes",
        "I paid 1,234,567 dollars last year",
        "I pay about 20% more, around 2,345,000 a year",
        "the bill was two hundred forty five dollars and thirty cents",
        "it costs 4500000 đồng",
        "счёт на сумму 1500000 рублей",
        "一共三百五十块",
        "the outage was on 12 03 2024 and again on 2024-03-15",
        "the outage started on twelve oh three twenty twenty four",
        "it went down at nine thirty five, ten fifteen and eleven",
        "the meter reads 0 4 5 6 7 8",
        "my meter reading is 1234567",
        "chỉ số công tơ là 045678",
        "показания счётчика ноль четыре пять шесть семь восемь",
        "电表读数是四五六七八九",
        "zip code 902101, error code 500",
        "I have 2 kids and a ticket 123456",
        "Tôi đã gọi ba lần rồi, chờ hai mươi phút",
        "我打了三次电话，等了二十分钟",
    ],
)
def test_ordinary_numbers_stay(text):
    assert redact_text(text, language="en") == text


def test_ordinary_numbers_in_a_card_call_stay():
    call = [
        said("caller", 0.0, f"my card is {CARD}"),
        said("caller", 4.0, "I was charged 120 dollars twice"),
        said("caller", 7.0, "and I called three times since 2024"),
        said("operator", 10.0, "it went down at 9 30"),
        said("caller", 12.0, "10 15 I think"),
    ]
    assert texts(call)[1:] == [u.text for u in call[1:]]


def test_quick_demo_reports_are_redacted(sample_calls):
    from coaching.app.quick_reports import quick_report

    report = quick_report(sample_calls("en_card_number")["en_card_number"])
    caller = " ".join(u.text for u in report.utterances if u.speaker == "caller")
    assert "[REDACTED:card]" in caller
    assert not DIGIT_WORDS & set(caller.replace(",", " ").replace(".", " ").split())
    card_turn = next(u for u in report.utterances if "[REDACTED" in u.text)
    assert redacted_spans(report.utterances) == ((card_turn.start, card_turn.end, "card"),)
