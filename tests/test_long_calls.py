"""Long calls in bounded memory (issue 9, item 11), with the same results as before.

Peak memory of whole analyses is measured by bench/bench_memory.py; here the parts
that made it grow with the call's length are checked on their own: decoding, the
voice-activity model and Whisper's windows.
"""

from __future__ import annotations

import difflib
import itertools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coaching.audio import load_audio
from coaching.transcript.whisper import transcribe_words, transcription_windows
from testkit.batch_calls import OPTIONS

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "coaching" / "app" / "demo_calls" / "en_calm.flac"
RATE = 16_000

MEASURE_DECODE = """
import resource, sys
from coaching.audio import load_audio
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
audio = load_audio(sys.argv[1])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) * 1024, sum(channel.nbytes for channel in audio.channels))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in kilobytes on Linux")
def test_decoding_ten_minutes_of_44k_stereo_costs_about_the_decoded_arrays(tmp_path):
    """The old decoder held the file's bytes, its samples at 44.1 kHz and a joined copy
    of them at once: about eight times the 16 kHz result. Streaming holds the result."""
    call = tmp_path / "long.wav"
    block, rate = sf.read(SAMPLE, dtype="float32", always_2d=True)
    with sf.SoundFile(call, "w", samplerate=44_100, channels=2, subtype="PCM_16") as out:
        import soxr

        upsampled = soxr.resample(block, rate, 44_100)
        for _ in range(16):  # 16 x 38 s: a little over ten minutes
            out.write(upsampled)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE_DECODE, str(call)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    growth, result = (int(value) for value in done.stdout.split())
    assert result > 70 * 2**20  # two channels of ten minutes at 16 kHz
    assert growth < 1.6 * result, f"decoding grew {growth / 2**20:.0f} MB for {result / 2**20:.0f}"


def test_silero_in_blocks_finds_the_same_turns_as_one_pass(monkeypatch):
    """Long channels go to faster-whisper's VAD a block at a time (its model restarts at
    each edge, which moves its decision by a frame or two here and there); the turns,
    whose edges the energy gate sets, stay the same."""
    from coaching.audio import activity

    call = load_audio(SAMPLE)
    left, right = (np.concatenate([channel] * 4) for channel in call.channels)
    whole = activity.speech_intervals(left, RATE, other=right)
    monkeypatch.setattr(activity, "VAD_BLOCK_S", 29.3)  # edges inside words, a ragged end
    assert activity.speech_intervals(left, RATE, other=right) == whole
    assert len(whole) > 20


def test_long_channels_are_cut_into_windows_in_their_quiet_stretches():
    rng = np.random.default_rng(0)
    samples = (0.1 * rng.standard_normal(RATE * 1500)).astype(np.float32)
    quiet = (270, 550)  # two seconds of near silence in the last minute before each mark
    for start in quiet:
        samples[start * RATE : (start + 2) * RATE] *= 0.001
    spans = transcription_windows(samples, window_s=300.0)
    assert spans[0][0] == 0 and spans[-1][1] == len(samples)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(end - start <= 300 * RATE for start, end in spans)
    for (_, cut), start in zip(spans, quiet, strict=False):
        assert start <= cut / RATE <= start + 2
    assert transcription_windows(samples[: 300 * RATE], window_s=300.0) == [(0, 300 * RATE)]
    assert transcription_windows(samples) == spans  # five minutes is the default


@pytest.mark.slow
def test_words_of_a_windowed_channel_keep_their_times(models):
    """The operator channel cut into 15-second windows: nearly the same words, same times."""
    operator = load_audio(SAMPLE).channels[0]
    whole = transcribe_words(models.asr, operator, language="en", options=OPTIONS.transcript)
    windowed = transcribe_words(
        models.asr, operator, language="en", options=OPTIONS.transcript, window_s=15.0
    )
    assert len(transcription_windows(operator, window_s=15.0)) >= 3

    def spoken(words):
        return [w.text.strip(" ,.?!").lower() for w in words]

    # Whisper sees less context in short windows, so a word or two may differ; the
    # words both find must sit at the same times (the windows' offsets added back).
    matcher = difflib.SequenceMatcher(a=spoken(whole), b=spoken(windowed), autojunk=False)
    assert matcher.ratio() > 0.8, (spoken(whole), spoken(windowed))
    pairs = [
        (whole[block.a + k], windowed[block.b + k])
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    ]
    assert len(pairs) > 0.8 * len(whole)
    assert max(abs(a.start - b.start) for a, b in pairs) < 0.5
    assert any(b.start > 15.0 for _, b in pairs)
