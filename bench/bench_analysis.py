"""Whole-analysis cost against a bare faster-whisper transcription of the same call.

    python bench/bench_analysis.py [--minutes 3] [--model base] [--device auto] [--repeat 1]

Builds a stereo English call of about ``--minutes`` minutes from the sample
scripts, transcribes both channels with faster-whisper alone (the same model,
word timestamps, VAD and guard settings the toolkit uses, language detected per
channel), then runs the whole :func:`coaching.analyze_call`, and prints seconds
per stage and the ratio of the two. The issue's bar: at most 1.3 on CPU.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coaching.options import AnalysisOptions  # noqa: E402
from coaching.pipeline import analyze_call  # noqa: E402
from coaching.registry import load_models  # noqa: E402
from coaching.transcript.whisper import decoding_settings  # noqa: E402
from samples.generate import render_call  # noqa: E402
from samples.scripts import SCRIPTS, CallScript  # noqa: E402

BASE_SCRIPTS = ("en_calm", "en_hold_silence", "en_overtalk", "en_fast_monotone", "en_quiet")


def long_call(minutes: float) -> CallScript:
    """Sample scripts played one after another until the call lasts ``minutes``."""
    turns, seconds = [], 0.0
    while seconds < minutes * 60:
        for name in BASE_SCRIPTS:
            script = SCRIPTS[name]
            turns += list(script.turns)
            seconds += sum(len(t.text) for t in script.turns) / 20  # ~20 characters a second
            if seconds >= minutes * 60:
                break
    return dataclasses.replace(
        SCRIPTS["en_calm"],
        name="bench_long",
        turns=tuple(turns),
        description="benchmark call",
        expect=(),
    )


def bare_transcription(models, channels, options: AnalysisOptions, language=None) -> float:
    started = time.perf_counter()
    for channel in channels:
        segments, _ = models.asr.whisper.transcribe(
            channel, language=language, **decoding_settings(options.transcript)
        )
        list(segments)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--model", default="base")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best counts")
    args = parser.parse_args()

    rendered = render_call(long_call(args.minutes))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench_long.wav"
        sf.write(path, rendered.stereo.T, rendered.sample_rate, subtype="PCM_16")
        options = AnalysisOptions.of(model=args.model, device=args.device)
        models = load_models(model=args.model, device=args.device)
        duration = rendered.stereo.shape[1] / rendered.sample_rate
        print(
            f"call: {duration / 60:.1f} min stereo, model {models.asr.info.name}, "
            f"device {models.asr.device.device}/{models.asr.device.compute_type}"
        )
        bare = min(bare_transcription(models, rendered.stereo, options) for _ in range(args.repeat))
        bare_forced = min(
            bare_transcription(models, rendered.stereo, options, language="en")
            for _ in range(args.repeat)
        )
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            report = analyze_call(path, models=models, options=options)
            runs.append((time.perf_counter() - started, report))
        whole, report = min(runs, key=lambda run: run[0])
    print("\nseconds per stage (whole analysis):")
    for stage, seconds in report.timings.items():
        print(f"  {stage:<11} {seconds:7.2f}")
    print(f"\nbare faster-whisper transcription: {bare:7.2f} s  (language detected per channel)")
    print(f"  same with the language given:    {bare_forced:7.2f} s")
    print(f"whole analysis:                    {whole:7.2f} s  (language detected once)")
    print(f"ratio whole / bare:                {whole / bare:7.2f}  (target <= 1.3 on CPU)")
    print(f"ratio whole / bare, language given:{whole / bare_forced:7.2f}")
    print(f"real-time factor of the analysis:  {whole / duration:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
