"""Decoding a recorded call, once, into per-channel arrays.

Everything after this module works on :class:`CallAudio` arrays, never on paths.
Decoding goes through PyAV (the FFmpeg bindings faster-whisper itself uses), so
WAV in any PCM or G.711 flavour, MP3, FLAC, OGG/Opus and M4A all arrive the same.
The file is streamed, never read whole: frames are resampled as they come into
one preallocated array, so an hour of 44.1 kHz stereo costs the 16 kHz result
(about 460 MB) and not also the file's bytes and its samples at their own rate.
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

from coaching.audio.files import check_wav_length, open_regular_file
from coaching.errors import (
    AudioError,
    CorruptAudioError,
    EmptyAudioError,
    SilentAudioError,
    TooShortAudioError,
    TruncatedAudioError,
    UnsupportedAudioError,
)
from coaching.serial import Serializable

SAMPLE_RATE = 16_000
MIN_DURATION_S = 1.0
SILENT_PEAK = 10 ** (-70 / 20)  # -70 dBFS: nothing audible at all
CLIP_LEVEL = 0.999
TRUNCATION_TOLERANCE = 0.9
HASH_BLOCK = 1 << 20
RESAMPLE_BLOCK = 1 << 16  # samples per channel handed to the resampler at once
PREALLOCATE_MAX_S = 4 * 3600  # a header's claim reserves (untouched) memory up to this

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
    reason when the input is not a regular file, empty, corrupt, truncated, has no
    audio stream, more than two channels, is shorter than ``min_duration_s`` or is
    silent throughout.
    """
    label, stream = _open(source, name)
    with stream:
        digest = _sha256(label, stream)
        check_wav_length(label, stream)
        stream.seek(0)
        decoded = _decode(label, stream, sample_rate)
    decoded_s = decoded.native_samples / decoded.native_rate
    declared_s = decoded.declared_s
    if declared_s and decoded_s < TRUNCATION_TOLERANCE * declared_s:
        raise TruncatedAudioError(
            label,
            f"truncated: the header declares {declared_s:.1f} s but only {decoded_s:.1f} s decode",
            hint="copy the recording again from its source",
        )
    if decoded_s < min_duration_s:
        raise TooShortAudioError(
            label, f"only {decoded_s:.2f} s long; at least {min_duration_s:.1f} s is needed"
        )
    if decoded.peak < SILENT_PEAK:
        raise SilentAudioError(label, "every channel is silent (peak below -70 dBFS)")
    return CallAudio(
        source=label,
        sha256=digest,
        sample_rate=sample_rate,
        channels=tuple(decoded.channels),
        original_sample_rate=decoded.native_rate,
        original_channels=len(decoded.channels),
        codec=decoded.codec,
        clipped_share=decoded.clipped_share,
    )


def _open(source: AudioSource, name: str | None) -> tuple[str, BinaryIO]:
    if isinstance(source, (str, os.PathLike)):
        label = name or str(source)
        return label, open_regular_file(Path(source), label)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return name or "<bytes>", io.BytesIO(bytes(source))
    label = name or getattr(source, "name", None) or "<stream>"
    return str(label), io.BytesIO(source.read())


def _sha256(label: str, stream: BinaryIO) -> str:
    digest, size = hashlib.sha256(), 0
    while block := stream.read(HASH_BLOCK):
        digest.update(block)
        size += len(block)
    if not size:
        raise EmptyAudioError(label, "the file is empty (0 bytes)", hint="re-export the recording")
    return digest.hexdigest()


@dataclass(frozen=True)
class _Decoded:
    channels: np.ndarray  # (channels, samples) at the target rate
    native_rate: int
    native_samples: int
    codec: str
    declared_s: float | None
    peak: float
    clipped_share: tuple[float, ...]


def _decode(label: str, stream: BinaryIO, target_rate: int) -> _Decoded:
    try:
        with av.open(stream, mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise UnsupportedAudioError(label, "no audio stream in the file")
            audio = container.streams.audio[0]
            declared = _declared_duration(container, audio)
            rate = int(audio.codec_context.sample_rate or audio.rate or 0)
            if not rate:
                raise EmptyAudioError(label, "the audio stream decodes to no samples")
            sink = _ChannelSink(label, rate, target_rate, expected_s=declared)
            for frame in _float_frames(container, audio):
                sink.add(frame.to_ndarray())
            return sink.finish(codec=audio.codec_context.name, declared_s=declared)
    except AudioError:
        raise
    except (av.error.FFmpegError, ValueError, IndexError) as exc:
        raise CorruptAudioError(
            label,
            f"cannot be decoded as audio ({exc.__class__.__name__}: {exc})",
            hint="check that it is a WAV, MP3, FLAC, OGG/Opus or M4A recording",
        ) from exc


class _ChannelSink:
    """Planar frames at the file's rate in; one float32 array per channel at the target
    rate out, with the peak and the clipped share measured on the way."""

    def __init__(self, label: str, native_rate: int, target_rate: int, *, expected_s) -> None:
        self.label, self.native_rate, self.target_rate = label, native_rate, target_rate
        self.expected_s = min(expected_s or 60.0, PREALLOCATE_MAX_S)
        self.pending: list[np.ndarray] = []
        self.pending_samples = self.native_samples = self.filled = 0
        self.peak = 0.0
        self.clipped: np.ndarray | None = None
        self.out: np.ndarray | None = None
        self.resampler = None

    def add(self, frame: np.ndarray) -> None:
        frame = frame.astype(np.float32, copy=False)
        if self.out is None:
            self._start(frame.shape[0])
        if frame.shape[1]:
            magnitude = np.abs(frame)
            self.peak = max(self.peak, float(magnitude.max()))
            self.clipped += np.count_nonzero(magnitude >= CLIP_LEVEL, axis=1)
        self.native_samples += frame.shape[1]
        self.pending.append(frame)
        self.pending_samples += frame.shape[1]
        if self.pending_samples >= RESAMPLE_BLOCK:
            self._flush(last=False)

    def _start(self, channels: int) -> None:
        if channels > 2:
            raise UnsupportedAudioError(
                self.label,
                f"{channels} channels; calls must be mono or stereo (one party per channel)",
                hint="mix down or split the recording with ffmpeg first",
            )
        # np.empty reserves address space only; pages count once they are written.
        capacity = int(self.expected_s * self.target_rate) + self.target_rate
        self.out = np.empty((channels, capacity), dtype=np.float32)
        self.clipped = np.zeros(channels, dtype=np.int64)
        if self.native_rate != self.target_rate:
            import soxr  # a librosa dependency; high quality, and streams exactly like one call

            self.resampler = soxr.ResampleStream(
                self.native_rate, self.target_rate, channels, dtype="float32"
            )

    def _flush(self, *, last: bool) -> None:
        channels = self.out.shape[0]
        block = np.concatenate([np.zeros((channels, 0), np.float32), *self.pending], axis=1)
        self.pending, self.pending_samples = [], 0
        if self.resampler is not None:
            block = self.resampler.resample_chunk(np.ascontiguousarray(block.T), last=last).T
        need = self.filled + block.shape[1]
        if need > self.out.shape[1]:
            grown = np.empty((self.out.shape[0], max(need, self.out.shape[1] * 3 // 2)), np.float32)
            grown[:, : self.filled] = self.out[:, : self.filled]
            self.out = grown
        self.out[:, self.filled : need] = block
        self.filled = need

    def finish(self, *, codec: str, declared_s: float | None) -> _Decoded:
        if self.out is None or not self.native_samples:
            raise EmptyAudioError(self.label, "the audio stream decodes to no samples")
        self._flush(last=True)
        return _Decoded(
            channels=self.out[:, : self.filled],
            native_rate=self.native_rate,
            native_samples=self.native_samples,
            codec=codec,
            declared_s=declared_s,
            peak=self.peak,
            clipped_share=tuple(float(c) / self.native_samples for c in self.clipped),
        )


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
