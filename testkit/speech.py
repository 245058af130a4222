"""Test audio: espeak-ng speech and speech-like noise bursts at known levels."""

from __future__ import annotations

import io
import subprocess

import numpy as np

from coaching.audio import SAMPLE_RATE

RATE = 16_000


def speech_like(duration_s: float, level_dbfs: float, *, seed: int) -> np.ndarray:
    """Noise in 200 ms "syllables" with 100 ms pauses; the syllables sit at ``level_dbfs``."""
    rng = np.random.default_rng(seed)
    samples = rng.standard_normal(int(duration_s * RATE))
    samples *= 10 ** (level_dbfs / 20) / np.sqrt(np.mean(samples**2))
    period = int(0.3 * RATE)
    position = np.arange(len(samples)) % period
    samples[position >= int(0.2 * RATE)] *= 10 ** (-60 / 20)
    return samples.astype(np.float32)


def caller_track(levels_db: list[float], *, utterance_s: float = 2.0, gap_s: float = 1.0):
    """One channel with an utterance per level, separated by silence; and the intervals."""
    pieces, intervals, cursor = [], [], 0.0
    for index, level in enumerate(levels_db):
        pieces += [speech_like(utterance_s, level, seed=index), np.zeros(int(gap_s * RATE))]
        intervals.append((cursor, cursor + utterance_s))
        cursor += utterance_s + gap_s
    return np.concatenate(pieces).astype(np.float32), intervals


def speak(text: str, *, voice: str = "en+f3", rate_wpm: int = 160) -> np.ndarray:
    """Speech from espeak-ng as float32 at the pipeline's sample rate."""
    import soundfile as sf
    import soxr

    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate_wpm), "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    samples, rate = sf.read(io.BytesIO(wav), dtype="float32")
    return soxr.resample(samples, rate, SAMPLE_RATE).astype(np.float32)
