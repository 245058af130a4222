"""Peak memory of analysing long stereo calls, one fresh child process per length.

    python bench/bench_memory.py [--minutes 10 30 60] [--sample-rate 44100] [--model base]

Builds a stereo WAV of each length by playing the committed sample call
``coaching/app/demo_calls/en_calm.flac`` over and over with a few seconds of silence between
the copies (resampled to ``--sample-rate``: 44.1 kHz is what recorders export, and
the rate decoding has to work through), runs ``coaching analyze`` on it in a child
process and prints the child's peak resident memory (``ru_maxrss`` from ``wait4``),
its wall time and the report's per-step seconds. The issue's bar: at most 1.5 GB
for a 60-minute stereo call with Whisper base on CPU (int8).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "coaching" / "app" / "demo_calls" / "en_calm.flac"
GAP_S = 4.0
TARGET_MB = 1500


def write_long_call(target: Path, *, minutes: float, sample_rate: int) -> float:
    """A stereo WAV of about ``minutes``, written block by block; returns its seconds."""
    import soxr

    audio, rate = sf.read(SAMPLE, dtype="float32", always_2d=True)
    block = soxr.resample(audio, rate, sample_rate).astype(np.float32)
    gap = np.zeros((int(GAP_S * sample_rate), block.shape[1]), dtype=np.float32)
    wanted = int(minutes * 60 * sample_rate)
    written = 0
    with sf.SoundFile(target, "w", samplerate=sample_rate, channels=2, subtype="PCM_16") as out:
        while written < wanted:
            for part in (block, gap):
                part = part[: wanted - written]
                out.write(part)
                written += len(part)
    return written / sample_rate


def run_analysis(call: Path, out_dir: Path, model: str) -> tuple[float, float, int]:
    """Peak RSS in MB and wall seconds of ``coaching analyze`` on ``call``, and its exit code."""
    command = [sys.executable, "-m", "coaching", "analyze", str(call), "--out", str(out_dir)]
    command += ["--quiet", "--model", model, "--device", "cpu", "--compute-type", "int8"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 2**20
    return usage.ru_maxrss * scale, seconds, os.waitstatus_to_exitcode(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[10.0, 30.0, 60.0])
    parser.add_argument("--sample-rate", type=int, default=44_100)
    parser.add_argument("--model", default="base")
    parser.add_argument("--keep", type=Path, help="folder to keep the generated calls in")
    args = parser.parse_args()
    print(f"{'minutes':>7} {'wav MB':>7} {'peak RSS MB':>11} {'seconds':>8}  steps (s)")
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="bench_memory_") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for minutes in args.minutes:
            call = folder / f"long_{minutes:g}min_{args.sample_rate}.wav"
            if not call.exists():
                write_long_call(call, minutes=minutes, sample_rate=args.sample_rate)
            out_dir = Path(scratch) / f"out_{minutes:g}"
            peak_mb, seconds, code = run_analysis(call, out_dir, args.model)
            steps = _steps(out_dir) if code == 0 else f"exit code {code}"
            size_mb = call.stat().st_size / 2**20
            print(
                f"{minutes:7g} {size_mb:7.0f} {peak_mb:11.0f} {seconds:8.0f}  {steps}", flush=True
            )
            if minutes >= 60:
                worst = max(worst, peak_mb)
            if not args.keep:
                call.unlink()
    if worst:
        verdict = "within" if worst <= TARGET_MB else "ABOVE"
        print(f"60-minute peak {worst:.0f} MB: {verdict} the {TARGET_MB} MB target")
    return 0


def _steps(out_dir: Path) -> str:
    reports = sorted(out_dir.glob("*.json"))
    if not reports:
        return "no report written"
    timings = json.loads(reports[0].read_text(encoding="utf-8")).get("timings", {})
    return " ".join(f"{step}={seconds:.0f}" for step, seconds in timings.items())


if __name__ == "__main__":
    sys.exit(main())
