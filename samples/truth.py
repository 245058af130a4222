"""What a rendered sample call really contains, measured from its own audio.

Words are whitespace tokens holding a letter or digit, except in Chinese, where
each Han character counts as one word (and one syllable), as the speech-rate
metrics count it. Syllables are the hand-written counts of the script.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np

from coaching.app.demo_truth import (
    TRUTH_SCHEMA,
    CallTruth,
    LabelledSpan,
    SpeakerTruth,
    TurnTruth,
)
from samples.render import active_level_dbfs, pitch_track_hz
from samples.script_model import CallScript, Speaker

DEAD_AIR_MIN_S = 3.0
OVERTALK_MIN_S = 1.0
Interval = tuple[float, float]
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORDLIKE = re.compile(r"\w")


def count_words(text: str, language: str) -> int:
    """Words in ``text``: Han characters for Chinese, else whitespace tokens with a letter."""
    if language == "zh":
        return len(_HAN.findall(text))
    return sum(1 for token in text.split() if _WORDLIKE.search(token))


def build_truth(
    script: CallScript,
    stereo: np.ndarray,
    placed: Sequence[Interval],
    *,
    sample_rate: int,
    generator_version: str,
    script_sha256: str,
) -> CallTruth:
    """The truth of ``script`` rendered into ``stereo`` with turns at ``placed`` (seconds)."""
    turns = _turn_truths(script, stereo, placed, sample_rate)
    operator = _speaker_truth("operator", turns, stereo, sample_rate)
    caller = _speaker_truth("caller", turns, stereo, sample_rate)
    return CallTruth(
        schema=TRUTH_SCHEMA,
        name=script.name,
        language=script.language,
        description=script.description,
        layout="stereo",
        sample_rate=sample_rate,
        duration_s=stereo.shape[1] / sample_rate,
        operator=operator,
        caller=caller,
        talk_share=operator.speech_s / (operator.speech_s + caller.speech_s),
        dead_air=silences([(t.start, t.end) for t in turns], min_s=DEAD_AIR_MIN_S),
        overtalk=overlaps(operator.turns, caller.turns, min_s=OVERTALK_MIN_S),
        abuse=tuple(LabelledSpan(t.index, t.start, t.end, t.abuse) for t in turns if t.abuse),
        redactions=tuple(
            LabelledSpan(t.index, t.start, t.end, t.redact) for t in turns if t.redact
        ),
        turns=turns,
        expect=script.expect,
        dead_air_min_s=DEAD_AIR_MIN_S,
        overtalk_min_s=OVERTALK_MIN_S,
        generator_version=generator_version,
        script_sha256=script_sha256,
    )


def _turn_truths(
    script: CallScript, stereo: np.ndarray, placed: Sequence[Interval], rate: int
) -> tuple[TurnTruth, ...]:
    return tuple(
        TurnTruth(
            index=index,
            speaker=turn.speaker,
            start=start,
            end=end,
            text=turn.text,
            words=count_words(turn.text, script.language),
            syllables=turn.syllables,
            level_dbfs=active_level_dbfs(_slice(stereo, turn.speaker, start, end, rate), rate),
            abuse=turn.abuse,
            shout=turn.shout,
            redact=turn.redact,
        )
        for index, (turn, (start, end)) in enumerate(zip(script.turns, placed, strict=True))
    )


def _slice(stereo: np.ndarray, speaker: Speaker, start: float, end: float, rate: int):
    channel = stereo[0 if speaker == "operator" else 1]
    return channel[round(start * rate) : round(end * rate)]


def _speaker_truth(speaker: Speaker, turns, stereo: np.ndarray, rate: int) -> SpeakerTruth:
    own = [t for t in turns if t.speaker == speaker]
    speech_s = sum(t.end - t.start for t in own)
    words = sum(t.words for t in own)
    syllables = sum(t.syllables for t in own)
    audio = np.concatenate([_slice(stereo, speaker, t.start, t.end, rate) for t in own])
    f0 = pitch_track_hz(audio, rate)
    semitones = 12 * np.log2(f0 / np.median(f0))
    return SpeakerTruth(
        speaker=speaker,
        turns=tuple((t.start, t.end) for t in own),
        speech_s=speech_s,
        words=words,
        syllables=syllables,
        words_per_minute=words / (speech_s / 60),
        syllables_per_second=syllables / speech_s,
        level_dbfs=active_level_dbfs(audio, rate),
        pitch_median_hz=float(np.median(f0)),
        pitch_sd_semitones=float(np.std(semitones)),
    )


def merge(intervals: Sequence[Interval]) -> list[Interval]:
    """Overlapping or touching intervals joined, in time order."""
    merged: list[list[float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def silences(speech: Sequence[Interval], *, min_s: float) -> tuple[Interval, ...]:
    """Gaps of at least ``min_s`` between the first and the last speech."""
    spans = merge(speech)
    gaps = [(a_end, b_start) for (_, a_end), (b_start, _) in itertools.pairwise(spans)]
    return tuple(gap for gap in gaps if gap[1] - gap[0] >= min_s)


def overlaps(
    first: Sequence[Interval], second: Sequence[Interval], *, min_s: float
) -> tuple[Interval, ...]:
    """Stretches where both sides speak, at least ``min_s`` long."""
    both = [
        (max(a0, b0), min(a1, b1))
        for a0, a1 in merge(first)
        for b0, b1 in merge(second)
        if min(a1, b1) - max(a0, b0) >= min_s
    ]
    return tuple(both)
