"""Decoding every supported format, and a clear error for every kind of bad input."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coaching.audio.decode import load_audio
from coaching.errors import (
    AudioError,
    CorruptAudioError,
    EmptyAudioError,
    SilentAudioError,
    TooShortAudioError,
    UnsupportedAudioError,
)

RATE = 8000
SECONDS = 2.0


def two_tones(rate: int = RATE, seconds: float = SECONDS) -> np.ndarray:
    """Left 300 Hz at -12 dBFS peak, right 500 Hz at -6 dBFS peak: (n, 2)."""
    t = np.arange(int(rate * seconds)) / rate
    left = 0.25 * np.sin(2 * np.pi * 300 * t)
    right = 0.5 * np.sin(2 * np.pi * 500 * t)
    return np.stack([left, right], axis=1).astype(np.float32)


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", *args], check=True)


@pytest.fixture(scope="module")
def source_wav(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("audio") / "source.wav"
    sf.write(path, two_tones(), RATE, subtype="FLOAT")
    return path


CODECS = {
    "pcm16.wav": ["-c:a", "pcm_s16le"],
    "pcm24.wav": ["-c:a", "pcm_s24le"],
    "pcm32.wav": ["-c:a", "pcm_s32le"],
    "float.wav": ["-c:a", "pcm_f32le"],
    "mulaw.wav": ["-c:a", "pcm_mulaw"],
    "alaw.wav": ["-c:a", "pcm_alaw"],
    "call.mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    "call.flac": ["-c:a", "flac"],
    "call.opus.ogg": ["-c:a", "libopus", "-b:a", "32k", "-ar", "48000"],
    "call.m4a": ["-c:a", "aac", "-b:a", "64k"],
}


@pytest.mark.parametrize("name", sorted(CODECS))
def test_each_format_decodes_to_two_channels_at_16k(source_wav, tmp_path, name):
    target = tmp_path / name
    ffmpeg("-i", str(source_wav), *CODECS[name], str(target))
    audio = load_audio(target)
    assert audio.sample_rate == 16_000
    assert audio.is_stereo
    assert abs(audio.duration_s - SECONDS) < 0.1
    left, right = (float(np.sqrt(np.mean(ch**2))) for ch in audio.channels)
    # right is twice as loud as left (6 dB) whatever the codec did
    assert 1.7 < right / left < 2.3
    assert len(audio.sha256) == 64


def test_channels_keep_their_own_content(source_wav):
    audio = load_audio(source_wav)
    for channel, expected_hz in zip(audio.channels, (300, 500), strict=True):
        spectrum = np.abs(np.fft.rfft(channel))
        peak_hz = np.argmax(spectrum) * audio.sample_rate / len(channel)
        assert abs(peak_hz - expected_hz) < 2


def test_mono_bytes_and_file_objects(tmp_path):
    path = tmp_path / "mono.wav"
    sf.write(path, two_tones()[:, 0], RATE)
    from_bytes = load_audio(path.read_bytes(), name="upload.wav")
    with open(path, "rb") as handle:
        from_handle = load_audio(handle)
    assert not from_bytes.is_stereo and from_bytes.source == "upload.wav"
    assert from_handle.sha256 == from_bytes.sha256
    assert from_handle.source.endswith("mono.wav")


def test_clipping_is_measured_at_the_native_rate(tmp_path):
    signal = np.clip(4 * two_tones()[:, 1], -1, 1)  # 500 Hz at twice full scale
    path = tmp_path / "clipped.wav"
    sf.write(path, signal, RATE, subtype="FLOAT")
    assert 0.5 < load_audio(path).clipped_share[0] < 0.8  # |sin| >= 0.5 two-thirds of the time


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(EmptyAudioError, match="empty.wav: the file is empty"):
        load_audio(path)


def test_missing_file(tmp_path):
    with pytest.raises(EmptyAudioError, match="no such file"):
        load_audio(tmp_path / "nothing.wav")


def test_corrupt_file_names_file_and_reason(tmp_path):
    path = tmp_path / "garbage.mp3"
    path.write_bytes(np.random.default_rng(0).bytes(20_000))
    with pytest.raises(AudioError, match="garbage.mp3") as caught:
        load_audio(path)
    assert isinstance(caught.value, (CorruptAudioError, UnsupportedAudioError, EmptyAudioError))
    assert caught.value.reason


def test_truncated_wav(source_wav, tmp_path):
    data = source_wav.read_bytes()
    path = tmp_path / "truncated.wav"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorruptAudioError, match="truncated"):
        load_audio(path)


def test_no_audio_stream(tmp_path):
    path = tmp_path / "video_only.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=black:s=32x32:d=2", "-c:v", "mpeg4", str(path))
    with pytest.raises(UnsupportedAudioError, match="no audio stream"):
        load_audio(path)


def test_too_short(tmp_path):
    path = tmp_path / "short.wav"
    sf.write(path, two_tones(seconds=0.4), RATE)
    with pytest.raises(TooShortAudioError, match="0.40 s long"):
        load_audio(path)


def test_all_silent(tmp_path):
    path = tmp_path / "silent.wav"
    sf.write(path, np.zeros((RATE * 3, 2), dtype=np.float32), RATE)
    with pytest.raises(SilentAudioError, match="silent"):
        load_audio(path)


def test_more_than_two_channels(tmp_path):
    path = tmp_path / "surround.wav"
    sf.write(path, np.tile(two_tones()[:, :1], (1, 3)), RATE)
    with pytest.raises(UnsupportedAudioError, match="3 channels"):
        load_audio(path)


def test_a_folder_is_not_audio(tmp_path):
    with pytest.raises(UnsupportedAudioError, match="folder"):
        load_audio(tmp_path)


def test_call_audio_serialises_without_samples(source_wav):
    data = load_audio(source_wav).to_dict()
    assert "channels" not in data
    assert data["original_channels"] == 2 and data["original_sample_rate"] == RATE
