"""The operator's voice profile: one CAM++ embedding of a recording of the operator alone.

The recording is cut into 2 s windows of speech (the segmentation model says
where), each is embedded, and the profile is their normalised mean. A ``.npy``
file holds a profile made earlier (``save_operator_profile``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from coaching.errors import ConfigError
from coaching.speakers.campplus import EMBEDDING_DIM

WINDOW_S = 2.0


def load_operator_profile(path: Path) -> np.ndarray:
    """A unit-length 192-dim voice profile from a ``.npy`` file or a recording."""
    if path.suffix == ".npy":
        profile = np.load(path)
        if profile.shape != (EMBEDDING_DIM,):
            raise ConfigError(
                f"{path} holds a voice profile of shape {profile.shape}, not the "
                f"({EMBEDDING_DIM},) CAM++ embedding this version uses; make it again from a "
                "recording of the operator alone (pass the recording to --operator-profile)"
            )
        return profile / max(float(np.linalg.norm(profile)), 1e-9)
    from coaching.audio.decode import load_audio

    audio = load_audio(path)
    return profile_from_samples(audio.mixdown(), audio.sample_rate)


def profile_from_samples(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    from coaching.registry import speaker_models
    from coaching.speakers.diarize import diarize_call

    models = speaker_models()
    diarization = diarize_call(samples, sample_rate, models=models)
    speech = [span for turns in diarization.turns for span in turns]
    pieces = [samples[int(a * sample_rate) : int(b * sample_rate)] for a, b in speech]
    windows = [w for piece in pieces for w in _windows(piece, int(WINDOW_S * sample_rate))]
    if not windows:
        raise ConfigError(
            "the operator profile recording holds no speech; record the operator speaking "
            "alone for 20 seconds or more"
        )
    embeddings = models.embed([_to_16k(w, sample_rate) for w in windows])
    centre = embeddings.mean(axis=0)
    return centre / max(float(np.linalg.norm(centre)), 1e-9)


def save_operator_profile(profile: np.ndarray, path: Path) -> Path:
    np.save(path, profile.astype(np.float32))
    return path


def _windows(piece: np.ndarray, size: int):
    for first in range(0, max(1, len(piece) - size // 2), size):
        window = piece[first : first + size]
        if len(window) >= size // 2:
            yield window


def _to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == 16_000:
        return samples.astype(np.float32)
    from scipy.signal import resample_poly

    divisor = np.gcd(16_000, rate)
    return resample_poly(samples, 16_000 // divisor, rate // divisor).astype(np.float32)
