"""Speech recognition with faster-whisper: language once per call, words with times.

Guards against text hallucinated on silence or hold music: Silero VAD in front
of the decoder, no conditioning on previous text, and segments dropped when
Whisper itself says they are probably not speech (high no-speech probability
together with a low average log-probability) or are repetitive (compression ratio).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from coaching.options import AnalysisOptions
from coaching.registry import AsrModel
from coaching.serial import Serializable
from coaching.types import Speaker, Utterance, Word

DETECTION_SEGMENTS = 2


@dataclass(frozen=True)
class LanguageGuess(Serializable):
    language: str
    probability: float
    forced: bool


def detect_language(
    asr: AsrModel,
    samples: np.ndarray,
    *,
    forced: str | None = None,
    candidates: Sequence[str] = (),
) -> LanguageGuess:
    """The call's language, from its first speech; ``forced`` skips detection."""
    if forced:
        return LanguageGuess(forced, 1.0, True)
    _, _, ranked = asr.whisper.detect_language(
        samples, vad_filter=True, language_detection_segments=DETECTION_SEGMENTS
    )
    allowed = [(code, p) for code, p in ranked if not candidates or code in candidates]
    code, probability = max(allowed or ranked, key=lambda item: item[1])
    return LanguageGuess(code, float(probability), False)


def transcribe_words(
    asr: AsrModel, samples: np.ndarray, *, language: str, options: AnalysisOptions
) -> tuple[Word, ...]:
    """Every recognised word in ``samples`` with start/end seconds, hallucinations dropped."""
    segments, _ = asr.whisper.transcribe(samples, language=language, **decoding_settings(options))
    return tuple(
        word for segment in segments if _is_speech(segment, options) for word in _words_of(segment)
    )


def decoding_settings(options: AnalysisOptions) -> dict[str, object]:
    """faster-whisper ``transcribe`` keywords: word times, VAD and the hallucination guards."""
    return {
        "beam_size": options.beam_size,
        "temperature": list(options.temperatures),
        "word_timestamps": True,
        "vad_filter": True,
        "condition_on_previous_text": False,
        "no_speech_threshold": options.no_speech_threshold,
        "log_prob_threshold": options.log_prob_threshold,
        "compression_ratio_threshold": options.compression_ratio_threshold,
    }


def _is_speech(segment, options: AnalysisOptions) -> bool:
    if not segment.text.strip() or not segment.words:
        return False
    silent = (
        segment.no_speech_prob > options.no_speech_threshold
        and segment.avg_logprob < options.log_prob_threshold
    )
    repetitive = segment.compression_ratio > options.compression_ratio_threshold
    return not (silent or repetitive)


def _words_of(segment) -> Iterable[Word]:
    for word in segment.words:
        if word.word.strip():
            # Whisper marks word boundaries with a leading space; keep it for joining.
            yield Word(float(word.start), float(word.end), word.word, float(word.probability))


def group_utterances(
    words: Sequence[Word], speakers: Sequence[Speaker], *, max_pause_s: float
) -> tuple[Utterance, ...]:
    """Consecutive words of one speaker, split at pauses longer than ``max_pause_s``."""
    utterances: list[Utterance] = []
    run: list[Word] = []
    for index, word in enumerate(words):
        if run and (
            speakers[index] != speakers[index - 1] or word.start - run[-1].end > max_pause_s
        ):
            utterances.append(_utterance(run, speakers[index - 1]))
            run = []
        run.append(word)
    if run:
        utterances.append(_utterance(run, speakers[len(words) - 1]))
    return tuple(utterances)


def _utterance(words: Sequence[Word], speaker: Speaker) -> Utterance:
    text = "".join(word.text for word in words).strip()
    clean = tuple(Word(w.start, w.end, w.text.strip(), w.probability) for w in words)
    return Utterance(
        speaker=speaker, start=clean[0].start, end=clean[-1].end, text=text, words=clean
    )


def merge_by_time(*groups: Sequence[Utterance]) -> tuple[Utterance, ...]:
    return tuple(sorted((u for group in groups for u in group), key=lambda u: (u.start, u.end)))
