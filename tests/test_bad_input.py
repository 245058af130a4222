"""Bad input is refused by name, never hangs, never gets a made-up report (issue 9, item 6).

Inputs that could hang or exhaust memory on a regression (a FIFO, ``/dev/zero``)
are only ever opened in a child process with a timeout and a memory cap.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coaching.audio import load_audio
from coaching.errors import NoSpeechError, NotRegularFileError, TruncatedAudioError
from testkit.batch_calls import OPTIONS, render_calls

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "coaching" / "app" / "demo_calls" / "en_calm.flac"
FAST_FLAGS = ("--device", "cpu", "--language", "en", "--quiet")
FAST_FLAGS += ("--sentiment-model", "builtin", "--toxicity-model", "none")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def run_child(args: list[str], *, timeout: float) -> subprocess.CompletedProcess:
    """``python args`` with the project on the path, at most 3 GB of memory and ``timeout``."""

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        return subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            preexec_fn=cap_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{args} hung for {timeout:.0f} s instead of refusing its input")


def load_in_child(path: Path) -> str:
    code = (
        "import sys\nfrom coaching.audio import load_audio\n"
        "try:\n    load_audio(sys.argv[1])\nexcept Exception as error:\n"
        "    print(type(error).__name__, error)\nelse:\n    print('accepted')\n"
    )
    return run_child(["-c", code, str(path)], timeout=60).stdout.strip()


@pytest.fixture(scope="module")
def sample_wav(tmp_path_factory) -> Path:
    """The committed 38.2 s sample call as a 16-bit PCM WAV."""
    audio, rate = sf.read(SAMPLE, dtype="float32")
    path = tmp_path_factory.mktemp("wav") / "call.wav"
    sf.write(path, audio, rate, subtype="PCM_16")
    return path


def test_a_wav_cut_in_half_is_refused_as_truncated(sample_wav, tmp_path):
    data = sample_wav.read_bytes()
    half = tmp_path / "half.wav"
    half.write_bytes(data[: len(data) // 2])
    with pytest.raises(TruncatedAudioError) as caught:
        load_audio(half)
    message = str(caught.value)
    assert "half.wav" in message and "declares 38.2 s" in message and "only 19.1 s" in message
    assert "copy or export the recording again" in message


def test_a_header_claiming_far_more_data_than_the_file_holds_is_refused(sample_wav, tmp_path):
    data = bytearray(sample_wav.read_bytes())
    size_at = data.index(b"data") + 4
    data[size_at : size_at + 4] = (0x7FFF_0000).to_bytes(4, "little")
    bloated = tmp_path / "bloated.wav"
    bloated.write_bytes(bytes(data))
    with pytest.raises(TruncatedAudioError, match="holds only 38.2 s"):
        load_audio(bloated)


def test_a_complete_wav_still_decodes(sample_wav):
    assert load_audio(sample_wav).duration_s == pytest.approx(38.175)


@needs_fifo
@pytest.mark.parametrize("kind", ["fifo", "dev_zero_link", "folder"])
def test_anything_but_a_regular_file_is_refused_without_opening_it(tmp_path, kind):
    path = tmp_path / "call.wav"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev_zero_link":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    answer = load_in_child(path)
    assert answer.startswith(NotRegularFileError.__name__), answer
    expected = {"fifo": "FIFO", "dev_zero_link": "character device", "folder": "a folder"}
    assert expected[kind] in answer and "call.wav" in answer


def test_a_broken_symlink_says_so(tmp_path):
    link = tmp_path / "gone.wav"
    link.symlink_to(tmp_path / "nowhere.wav")
    with pytest.raises(Exception, match="broken symbolic link"):
        load_audio(link)


@pytest.mark.slow
def test_white_noise_gets_no_transcript_and_no_score(models, tmp_path):
    """60 s of 44.1 kHz stereo white noise passes the voice-activity gate on both channels;
    Whisper finds no words, and the analysis must say so instead of scoring delivery
    that never happened."""
    from coaching.pipeline import analyze_call

    noise = np.random.default_rng(1).uniform(-0.5, 0.5, (44_100 * 60, 2)).astype(np.float32)
    path = tmp_path / "noise.wav"
    sf.write(path, noise, 44_100, subtype="PCM_16")
    with pytest.raises(NoSpeechError, match="no words were recognised") as caught:
        analyze_call(path, models=models, options=OPTIONS.with_knobs(language=None))
    assert "noise.wav" in str(caught.value)


@pytest.fixture(scope="module")
def two_calls(tmp_path_factory) -> tuple[Path, Path]:
    return tuple(render_calls(tmp_path_factory.mktemp("short")))


@pytest.mark.slow
@needs_fifo
def test_analyze_reports_every_bad_input_and_goes_on(two_calls, tmp_path):
    for folder, call in zip("ab", two_calls, strict=True):
        (tmp_path / folder).mkdir()
        shutil.copy(call, tmp_path / folder / "call.wav")
    shutil.copy(two_calls[0], tmp_path / "blocked.wav")
    os.mkfifo(tmp_path / "pipe.wav")
    out = tmp_path / "out"
    (out / "blocked.json").mkdir(parents=True)  # a folder where the report should go
    names = ["a/call.wav", "b/call.wav", "/dev/zero", "pipe.wav", "blocked.wav"]
    inputs = [str(tmp_path / name) for name in names]
    done = run_child(
        ["-m", "coaching", "analyze", *inputs, *FAST_FLAGS, "--out", str(out)],
        timeout=600,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "3 of 5 call(s) failed" in done.stderr
    assert "/dev/zero: is a character device" in done.stderr
    assert "pipe.wav: is a FIFO" in done.stderr
    assert "blocked.json: cannot write" in done.stderr
    reports = {p.name: json.loads(p.read_text()) for p in out.glob("*.json") if p.is_file()}
    assert sorted(reports) == ["a_call.json", "b_call.json"]
    assert reports["a_call.json"]["audio_sha256"] != reports["b_call.json"]["audio_sha256"]


@pytest.mark.slow
def test_an_out_path_that_is_a_file_fails_each_call_cleanly(two_calls, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("not a folder")
    done = run_child(
        ["-m", "coaching", "analyze", str(two_calls[0]), "--out", str(taken), *FAST_FLAGS],
        timeout=600,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "cannot write" in done.stderr and "--out" in done.stderr
    assert taken.read_text() == "not a folder"


@pytest.mark.slow
@needs_fifo
def test_a_manifest_row_naming_dev_zero_fails_and_the_batch_goes_on(two_calls, tmp_path):
    os.mkfifo(tmp_path / "pipe.wav")
    manifest = tmp_path / "calls.csv"
    rows = ["/dev/zero", str(tmp_path / "pipe.wav"), str(two_calls[1])]
    manifest.write_text(
        "path,operator,call_time\n" + "".join(f"{r},Ann,2024-05-01T09:00Z\n" for r in rows)
    )
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    done = run_child(
        ["-m", "coaching", "batch", str(manifest), "--db", db, *FAST_FLAGS],
        timeout=600,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "3 call(s): 1 analysed, 0 already stored (skipped), 2 failed" in done.stderr
    assert "/dev/zero: is a character device" in done.stderr
    assert "pipe.wav: is a FIFO" in done.stderr
