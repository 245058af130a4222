"""Speech recognition with faster-whisper: language once per call, words with times.

Guards against text hallucinated on silence or hold music: Silero VAD in front
of the decoder, no conditioning on previous text, and segments dropped when
Whisper itself says they are probably not speech (high no-speech probability
together with a low average log-probability) or are repetitive (compression ratio).

A long channel goes to Whisper in windows of at most five minutes, each cut at the
quietest second of the minute before its end, with the word times shifted back:
faster-whisper computes the log-mel features of everything it is given at once
(several copies of the audio; gigabytes for an hour), so this bounds the memory
of any length of call. Channels of five minutes or less go whole, as before; on
longer ones a cut in a pause changes at most a word or two near it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from coaching.audio.activity import frame_powers
from coaching.audio.decode import SAMPLE_RATE
from coaching.device import release_freed_memory
from coaching.options import TranscriptOptions
from coaching.registry import AsrModel
from coaching.serial import Serializable
from coaching.types import Speaker, Utterance, Word

DETECTION_SEGMENTS = 2
WINDOW_S = 300.0  # the most audio handed to Whisper at once (about 100 MB of features)
CUT_SEARCH_S = 60.0  # a window ends at the quietest second of its last minute
QUIET_S = 1.0


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
    # Detection reads the first minute of speech; the first window holds it.
    _, _, ranked = asr.whisper.detect_language(
        read(samples, 0, int(WINDOW_S * SAMPLE_RATE)),
        vad_filter=True,
        language_detection_segments=DETECTION_SEGMENTS,
    )
    allowed = [(code, p) for code, p in ranked if not candidates or code in candidates]
    code, probability = max(allowed or ranked, key=lambda item: item[1])
    return LanguageGuess(code, float(probability), False)


def transcribe_words(
    asr: AsrModel,
    samples: np.ndarray,
    *,
    language: str,
    options: TranscriptOptions,
    window_s: float = WINDOW_S,
) -> tuple[Word, ...]:
    """Every recognised word in ``samples`` with start/end seconds, hallucinations dropped."""
    words: list[Word] = []
    for start, end in transcription_windows(samples, window_s=window_s):
        segments, _ = asr.whisper.transcribe(
            read(samples, start, end), language=language, **decoding_settings(options)
        )
        offset = start / SAMPLE_RATE
        words += (
            word
            for segment in segments
            if _is_speech(segment, options)
            for word in _words_of(segment, offset)
        )
        release_freed_memory()  # the window's features and VAD buffers
    return tuple(words)


def transcription_windows(
    samples: np.ndarray, *, window_s: float = WINDOW_S
) -> list[tuple[int, int]]:
    """(start, end) sample spans of at most ``window_s`` covering ``samples``, cut in quiet."""
    window, search = int(window_s * SAMPLE_RATE), int(min(CUT_SEARCH_S, window_s / 2) * SAMPLE_RATE)
    spans, start = [], 0
    while len(samples) - start > window:
        mark = start + window
        cut = mark - search + _quietest_second(read(samples, mark - search, mark))
        spans.append((start, cut))
        start = cut
    spans.append((start, len(samples)))
    return spans


def read(samples, start: int, end: int) -> np.ndarray:
    """Samples ``start:end`` of an array, or of anything that makes them a window at a
    time (``window(start, end)`` and ``len``), so a derived channel is never whole."""
    window = getattr(samples, "window", None)
    return window(start, end) if window is not None else samples[start:end]


def _quietest_second(samples: np.ndarray) -> int:
    """The sample index of the middle of the quietest ``QUIET_S`` stretch of ``samples``."""
    hop = 0.01
    power = frame_powers(samples, SAMPLE_RATE, frame_s=hop)
    width = min(len(power), int(QUIET_S / hop))
    moving = np.convolve(power, np.ones(width) / width, mode="valid")
    return int((int(np.argmin(moving)) + width // 2) * hop * SAMPLE_RATE)


def decoding_settings(options: TranscriptOptions) -> dict[str, object]:
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


def _is_speech(segment, options: TranscriptOptions) -> bool:
    if not segment.text.strip() or not segment.words:
        return False
    silent = (
        segment.no_speech_prob > options.no_speech_threshold
        and segment.avg_logprob < options.log_prob_threshold
    )
    repetitive = segment.compression_ratio > options.compression_ratio_threshold
    return not (silent or repetitive)


def _words_of(segment, offset: float = 0.0) -> Iterable[Word]:
    for word in segment.words:
        if word.word.strip():
            # Whisper marks word boundaries with a leading space; keep it for joining.
            yield Word(
                float(word.start) + offset,
                float(word.end) + offset,
                word.word,
                float(word.probability),
            )


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
