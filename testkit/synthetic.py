"""Synthetic call reports with known delivery, for tests and for trying rubrics without audio.

:func:`synthetic_report` lays out alternating operator and caller utterances
with the measures you ask for (pace, level, pitch spread, talk share, a hold
silence, overtalk, courtesy phrases, sentiment, flags), so the right scores and
notes are known in advance.
"""

from __future__ import annotations

from dataclasses import dataclass

from coaching.types import (
    AbuseFlag,
    CallMetrics,
    CallReport,
    Provenance,
    ReportMetrics,
    Sentiment,
    SpeakerMetrics,
    Utterance,
    UtteranceDelivery,
)

LINES = {
    "en": (
        ("Good morning, thank you for calling, my name is Anna.", "Yes."),
        ("Let me check your account for you.", "Let me see."),
        ("Your reference number is four five seven two.", "The number is four five seven two."),
        ("Thank you, is there anything else? Have a nice day.", "OK."),
        ("Hi, I was charged twice for my order.", "I need to change my address."),
    ),
    "vi": (
        ("Xin chào, em tên là Lan, em có thể giúp gì ạ?", "Vâng."),
        ("Để em kiểm tra tài khoản của anh.", "Để xem."),
        ("Mã tham chiếu của anh là bốn năm bảy hai.", "Mã là bốn năm bảy hai."),
        ("Cảm ơn anh, chúc anh một ngày tốt lành.", "Được."),
        ("Chào em, tôi bị trừ tiền hai lần.", "Tôi muốn đổi địa chỉ."),
    ),
    "ru": (
        ("Здравствуйте, меня зовут Анна, чем могу помочь?", "Да."),
        ("Сейчас проверю ваш счёт.", "Посмотрим."),
        ("Ваш номер обращения четыре пять семь два.", "Номер четыре пять семь два."),
        ("Спасибо за обращение, всего доброго.", "Хорошо."),
        ("Здравствуйте, с меня дважды списали деньги.", "Мне нужно сменить адрес."),
    ),
    "zh": (
        ("您好，我是客服小李，请问有什么可以帮您？", "嗯。"),
        ("我帮您查一下账户。", "我看看。"),
        ("您的参考号是四五七二。", "号码是四五七二。"),
        ("谢谢您的来电，再见。", "好的。"),
        ("你好，我的订单被扣了两次钱。", "我想改一下地址。"),
    ),
}


@dataclass(frozen=True)
class OperatorStyle:
    """How the synthetic operator speaks; per-utterance values vary around these."""

    rate: float = 135.0  # words/min for English, syllables/s otherwise
    pitch_sd_semitones: float = 3.5
    loudness_dbfs: float = -22.0
    talk_share: float = 0.5
    courteous: bool = True


def _delivery(style: OperatorStyle, language: str, index: int, turns: int) -> UtteranceDelivery:
    # One utterance, a third of the way in, is 15 % faster and 4 dB quieter than the rest.
    peak = index == turns // 3
    rate = style.rate * (1.15 if peak else 1.0 - 0.03 * (index % 3))
    wpm = rate if language == "en" else rate * 60 / 1.5
    sps = rate * 1.45 / 60 if language == "en" else rate
    return UtteranceDelivery(
        syllables=20,
        words_per_minute=wpm,
        syllables_per_second=sps,
        pitch_median_hz=180.0 + 4 * (index % 4),
        loudness_dbfs=style.loudness_dbfs - (4.0 if peak else 0.5 * (index % 3)),
    )


def _operator_text(language: str, index: int, turns: int, courteous: bool) -> str:
    lines = LINES[language]
    if index == 0:
        return lines[0][0] if courteous else lines[0][1]
    if index == turns - 1:
        return lines[3][0] if courteous else lines[3][1]
    return lines[1 + index % 2][0]


def _utterances(
    language: str,
    style: OperatorStyle,
    turns: int,
    hold_s: float,
    overtalk_s: float,
    latency: float,
) -> tuple[tuple[Utterance, ...], tuple[tuple[float, float], ...], float]:
    operator_s = max(1.0, 12.0 * style.talk_share)
    caller_s = max(1.0, 12.0 * (1.0 - style.talk_share))
    utterances, dead_air, clock = [], [], 0.5
    for index in range(turns):
        if index == 1 and hold_s > 0:
            dead_air.append((clock, clock + hold_s))
            clock += hold_s
        text = _operator_text(language, index, turns, style.courteous)
        delivery = _delivery(style, language, index, turns)
        utterances.append(Utterance("operator", clock, clock + operator_s, text, delivery=delivery))
        clock += operator_s + latency
        overlap = overtalk_s if index == turns // 2 else 0.0
        caller_text = LINES[language][4][index % 2]
        utterances.append(Utterance("caller", clock - overlap, clock + caller_s, caller_text))
        clock += caller_s + latency
    return tuple(utterances), tuple(dead_air), clock


def _with_sentiment(
    utterances: tuple[Utterance, ...], start: float, end: float
) -> tuple[Utterance, ...]:
    callers = [u for u in utterances if u.speaker == "caller"]
    scored = []
    for u in utterances:
        if u.speaker != "caller":
            scored.append(u)
            continue
        position = callers.index(u) / max(1, len(callers) - 1)
        score = start + (end - start) * position
        label = "negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"
        scored.append(
            Utterance(u.speaker, u.start, u.end, u.text, sentiment=Sentiment(label, score))
        )
    return tuple(scored)


def _speaker_metrics(
    language: str, style: OperatorStyle | None, share: float, reliable: bool, sentiment=(None, None)
) -> SpeakerMetrics:
    rate = style.rate if style else (140.0 if language == "en" else 5.0)
    return SpeakerMetrics(
        speaking_time_s=60.0 * share,
        word_count=150,
        syllable_count=220,
        words_per_minute=rate if language == "en" else rate * 60 / 1.5,
        syllables_per_second=rate * 1.45 / 60 if language == "en" else rate,
        talk_share=share,
        pitch_median_hz=180.0,
        pitch_sd_semitones=style.pitch_sd_semitones if style else 3.0,
        pitch_range_semitones=(style.pitch_sd_semitones if style else 3.0) * 3.3,
        loudness_dbfs=style.loudness_dbfs if style else -24.0,
        loudness_sd_db=3.0,
        clipped_share=0.0,
        reliable=reliable,
        sentiment_start=None if sentiment[0] is None else 100.0 * sentiment[0],
        sentiment_end=None if sentiment[1] is None else 100.0 * sentiment[1],
    )


def synthetic_report(
    *,
    language: str = "en",
    style: OperatorStyle | None = None,
    turns: int = 8,
    hold_s: float = 0.0,
    overtalk_s: float = 0.0,
    latency_s: float = 0.6,
    caller_sentiment: tuple[float, float] = (-0.2, 0.3),
    operator_flags: tuple[str, ...] = (),
    caller_flags: tuple[str, ...] = (),
    reliable: bool = True,
    warnings: tuple[str, ...] = (),
) -> CallReport:
    """A complete :class:`CallReport` whose measures are exactly the ones given."""
    style = style or OperatorStyle()
    utterances, dead_air, duration = _utterances(
        language, style, turns, hold_s, overtalk_s, latency_s
    )
    utterances = _with_sentiment(utterances, *caller_sentiment)
    overtalk = ()
    if overtalk_s > 0:
        caller = [u for u in utterances if u.speaker == "caller"][turns // 2]
        overtalk = ((caller.start, caller.start + overtalk_s),)
    metrics = ReportMetrics(
        operator=_speaker_metrics(language, style, style.talk_share, reliable),
        caller=_speaker_metrics(language, None, 1 - style.talk_share, reliable, caller_sentiment),
        call=CallMetrics(
            dead_air=dead_air,
            overtalk=overtalk,
            interruptions_by_operator=0,
            longest_operator_monologue_s=12.0 * style.talk_share,
            operator_response_latency_s=latency_s,
        ),
    )
    return CallReport(
        source=f"synthetic-{language}.wav",
        audio_sha256="0" * 64,
        duration_s=duration,
        language=language,
        separation="stereo" if reliable else "diarized",
        separation_confidence=1.0 if reliable else 0.3,
        role_confidence=1.0 if reliable else 0.4,
        utterances=utterances,
        metrics=metrics,
        timings={},
        provenance=Provenance("0.1.0", "cpu", "int8", (), {"detect_abuse": True}, "synthetic"),
        abuse=_flags(utterances, operator_flags=operator_flags, caller_flags=caller_flags),
        warnings=warnings,
    )


def _flags(
    utterances: tuple[Utterance, ...],
    *,
    operator_flags: tuple[str, ...],
    caller_flags: tuple[str, ...],
) -> tuple[AbuseFlag, ...]:
    """One flag per category, inside each speaker's second, third, ... utterance."""
    wanted = {"operator": operator_flags, "caller": caller_flags}
    return tuple(
        AbuseFlag(turn.start + 0.5, turn.start + 1.2, speaker, category, 0.9)
        for speaker, categories in wanted.items()
        for category, turn in zip(
            categories, [u for u in utterances if u.speaker == speaker][1:], strict=False
        )
    )
