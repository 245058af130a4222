"""Decoding a recorded call, once, into per-channel arrays.

Everything after this module works on :class:`CallAudio` arrays, never on paths.
Decoding goes through PyAV (the FFmpeg bindings faster-whisper itself uses), so
WAV in any PCM or G.711 flavour, MP3, FLAC, OGG/Opus and M4A all arrive the same.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import av
import numpy as np

from coaching.errors import (
    CorruptAudioError,
    EmptyAudioError,
    SilentAudioError,
    TooShortAudioError,
    UnsupportedAudioError,
)
from coaching.serial import Serializable

SAMPLE_RATE = 16_000
MIN_DURATION_S = 1.0
SILENT_PEAK = 10 ** (-70 / 20)  # -70 dBFS: nothing audible at all
CLIP_LEVEL = 0.999
TRUNCATION_TOLERANCE = 0.9

AudioSource = str | os.PathLike | bytes | BinaryIO


@dataclass(frozen=True, eq=False)
class CallAudio(Serializable):
    """A decoded call: one float32 array per channel at ``sample_rate``."""

    source: str
    sha256: str
    sample_rate: int
    channels: tuple[np.ndarray, ...] = field(metadata={"serialize": False})
    original_sample_rate: int
    original_channels: int
    codec: str
    clipped_share: tuple[float, ...]

    @property
    def duration_s(self) -> float:
        return len(self.channels[0]) / self.sample_rate

    @property
    def is_stereo(self) -> bool:
        return len(self.channels) == 2

    def mixdown(self) -> np.ndarray:
        return np.mean(np.stack(self.channels), axis=0).astype(np.float32)


def load_audio(
    source: AudioSource,
    *,
    name: str | None = None,
    sample_rate: int = SAMPLE_RATE,
    min_duration_s: float = MIN_DURATION_S,
) -> CallAudio:
    """Decode ``source`` (a path, bytes or a binary file object) into a :class:`CallAudio`.

    Raises a :class:`~coaching.errors.AudioError` subclass naming the file and the
    reason when the input is empty, corrupt, truncated, has no audio stream, more
    than two channels, is shorter than ``min_duration_s`` or is silent throughout.
    """
    label, data = _read_bytes(source, name)
    if not data:
        raise EmptyAudioError(label, "the file is empty (0 bytes)", hint="re-export the recording")
    native, native_rate, codec, declared_s = _decode(label, data)
    if native.shape[1] == 0:
        raise EmptyAudioError(label, "the file holds no audio samples")
    if native.shape[0] > 2:
        raise UnsupportedAudioError(
            label,
            f"{native.shape[0]} channels; calls must be mono or stereo (one party per channel)",
            hint="mix down or split the recording with ffmpeg first",
        )
    decoded_s = native.shape[1] / native_rate
    if declared_s and decoded_s < TRUNCATION_TOLERANCE * declared_s:
        raise CorruptAudioError(
            label,
            f"truncated: the header declares {declared_s:.1f} s but only {decoded_s:.1f} s decode",
            hint="copy the recording again from its source",
        )
    if decoded_s < min_duration_s:
        raise TooShortAudioError(
            label, f"only {decoded_s:.2f} s long; at least {min_duration_s:.1f} s is needed"
        )
    if float(np.max(np.abs(native))) < SILENT_PEAK:
        raise SilentAudioError(label, "every channel is silent (peak below -70 dBFS)")
    clipped = tuple(float(np.mean(np.abs(ch) >= CLIP_LEVEL)) for ch in native)
    channels = tuple(_resample(ch, native_rate, sample_rate) for ch in native)
    return CallAudio(
        source=label,
        sha256=hashlib.sha256(data).hexdigest(),
        sample_rate=sample_rate,
        channels=channels,
        original_sample_rate=native_rate,
        original_channels=native.shape[0],
        codec=codec,
        clipped_share=clipped,
    )


def _read_bytes(source: AudioSource, name: str | None) -> tuple[str, bytes]:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = name or str(path)
        if not path.exists():
            raise EmptyAudioError(label, "no such file", hint="check the path")
        if path.is_dir():
            raise UnsupportedAudioError(label, "is a folder, not an audio file")
        return label, path.read_bytes()
    if isinstance(source, (bytes, bytearray, memoryview)):
        return name or "<bytes>", bytes(source)
    label = name or getattr(source, "name", None) or "<stream>"
    return str(label), source.read()


def _decode(label: str, data: bytes) -> tuple[np.ndarray, int, str, float | None]:
    """Decode to a (channels, samples) float32 array at the file's own rate."""
    try:
        with av.open(io.BytesIO(data), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise UnsupportedAudioError(label, "no audio stream in the file")
            stream = container.streams.audio[0]
            declared = _declared_duration(container, stream)
            rate = stream.codec_context.sample_rate or stream.rate
            codec = stream.codec_context.name
            chunks = [
                frame.to_ndarray().astype(np.float32, copy=False)
                for frame in _float_frames(container, stream)
            ]
    except UnsupportedAudioError:
        raise
    except (av.error.FFmpegError, ValueError, IndexError) as exc:
        raise CorruptAudioError(
            label,
            f"cannot be decoded as audio ({exc.__class__.__name__}: {exc})",
            hint="check that it is a WAV, MP3, FLAC, OGG/Opus or M4A recording",
        ) from exc
    if not chunks or not rate:
        raise EmptyAudioError(label, "the audio stream decodes to no samples")
    return np.concatenate(chunks, axis=1), int(rate), codec, declared


def _float_frames(container, stream):
    """Frames as planar float32, whatever the codec's own sample format."""
    resampler = av.AudioResampler(format="fltp")
    for frame in container.decode(stream):
        yield from resampler.resample(frame)
    yield from resampler.resample(None)


def _declared_duration(container, stream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _resample(channel: np.ndarray, rate: int, target: int) -> np.ndarray:
    channel = np.ascontiguousarray(channel, dtype=np.float32)
    if rate == target:
        return channel
    import soxr  # a librosa dependency; high quality and fast

    return soxr.resample(channel, rate, target).astype(np.float32)
