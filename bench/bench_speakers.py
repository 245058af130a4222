"""Speakers on real recordings: speaker error, roles, confidences, seconds per step.

    python bench/bench_speakers.py [--realcalls ../shared/realcalls] [--seconds 0]

On ``../shared/realcalls`` (skips when absent):

* the stereo AWS call (left = agent) mixed to mono: speaker error of the mono
  diarization against each channel's own speech (DER-style: missed speech, false
  alarm, confusion, no collar), whether the operator role went to the agent,
  the confidences, the scorecard's scored criteria and the seconds per step,
  with diarization time over transcription time (the bar: at most 0.5);
* the Azure sales call: the same against its labelled transcript (speaker 0 is
  the agent);
* the Katie/Steve conversation (no operator: a role must not be confident);
* the stereo AWS call itself: whether the caller's "Hi, Michelle" (7 s; the agent's
  channel is silent there) is still heard as the agent's "I'm Michelle".

``--seconds N`` cuts every call to its first N seconds (a quick run).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coaching.audio.activity import speech_intervals  # noqa: E402
from coaching.audio.decode import CallAudio, load_audio  # noqa: E402
from coaching.options import AnalysisOptions  # noqa: E402
from coaching.pipeline import analyze_call  # noqa: E402
from coaching.registry import load_models, speaker_models  # noqa: E402
from coaching.speakers.diarize import diarize_call  # noqa: E402
from testkit.speaker_error import speaker_error  # noqa: E402

STEREO = "en_call_aws_autorepairs40_stereo.wav"
SALES = "en_call_azure_sales_call.wav"
CONVERSATION = "en_conv_azure_katiesteve.wav"
OPTIONS = AnalysisOptions.of(sentiment_model="builtin", toxicity_model="none", detect_abuse=False)


def operator_share(report, operator_reference) -> float:
    """Share of the operator-labelled words' time inside the true operator's speech."""
    spans = [
        (w.start, w.end) for u in report.utterances if u.speaker == "operator" for w in u.words
    ]
    inside = sum(_overlap(operator_reference, a, b) for a, b in spans)
    return inside / max(sum(b - a for a, b in spans), 1e-9)


def _overlap(intervals, start, end) -> float:
    return sum(max(0.0, min(end, b) - max(start, a)) for a, b in intervals)


def run_mono(name, audio: CallAudio, reference, operator_index, models) -> None:
    started = time.perf_counter()
    diarization = diarize_call(audio.channels[0], audio.sample_rate, models=speaker_models())
    diarize_s = time.perf_counter() - started
    error = speaker_error(reference, diarization.turns, audio.duration_s)
    report = analyze_call(audio, models=models, options=OPTIONS)
    share = operator_share(report, reference[operator_index])
    card = report.scorecard
    scored = sum(c.score is not None for c in card.criteria)
    timings = {k: round(v, 1) for k, v in report.timings.items()}
    print(f"\n{name}  ({audio.duration_s:.0f} s, mono)")
    print(f"  speaker error {error}  voices {diarization.voices}")
    print(
        f"  roles right: {share >= 0.5} (operator words inside the agent's speech: {share:.0%})"
        f"  separation {report.separation_confidence:.2f}  roles {report.role_confidence:.2f}"
    )
    print(f"  scorecard: overall {card.overall} ({card.basis}); {scored} criteria scored")
    ratio = timings.get("diarize", diarize_s) / max(timings.get("transcribe", 1e-9), 1e-9)
    print(f"  seconds {timings}; diarize / transcribe = {ratio:.2f}")


def stereo_reference(path: Path, seconds: float):
    samples, rate = sf.read(path, dtype="float32")
    if seconds:
        samples = samples[: int(seconds * rate)]
    left, right = samples[:, 0], samples[:, 1]
    reference = (
        speech_intervals(left, rate, other=right),
        speech_intervals(right, rate, other=left),
    )
    return reference, _audio((left + right) / 2, rate, f"{path.stem}_mono.wav")


def sales_reference(path: Path, seconds: float):
    labels = json.loads(path.with_suffix(".diarized.json").read_text())
    reference: tuple[list, list] = ([], [])
    for phrase in labels["phrases"]:
        start = phrase["offset"] / 1000
        reference[phrase["speaker"]].append((start, start + phrase["duration"] / 1000))
    samples, rate = sf.read(path, dtype="float32")
    if seconds:
        samples = samples[: int(seconds * rate)]
    return reference, _audio(samples, rate, path.name)


def _audio(samples: np.ndarray, rate: int, name: str) -> CallAudio:
    """Decoded as the toolkit decodes a file (16-bit WAV in memory)."""
    buffer = io.BytesIO()
    sf.write(buffer, samples, rate, format="WAV", subtype="PCM_16")
    return load_audio(buffer.getvalue(), name=name)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realcalls", type=Path, default=ROOT.parent / "shared" / "realcalls")
    parser.add_argument("--seconds", type=float, default=0.0)
    args = parser.parse_args(argv)
    if not (args.realcalls / STEREO).exists():
        print(f"skipped: no real recordings at {args.realcalls}")
        return 0
    models = load_models(device="cpu", sentiment_model="builtin", toxicity_model="none")
    reference, mono = stereo_reference(args.realcalls / STEREO, args.seconds)
    run_mono(f"{STEREO} mixed to mono", mono, reference, 0, models)
    reference, sales = sales_reference(args.realcalls / SALES, args.seconds)
    run_mono(SALES, sales, reference, 0, models)
    talk = analyze_call(args.realcalls / CONVERSATION, models=models, options=OPTIONS)
    print(f"\n{CONVERSATION}: no operator; role confidence {talk.role_confidence:.2f} (< 0.5)")
    stereo = analyze_call(args.realcalls / STEREO, models=models, options=OPTIONS)
    caller = " ".join(u.text for u in stereo.utterances if u.speaker == "caller")
    # the caller says "Hi, Michelle" at 7 s, where the agent's channel is silent
    misheard = "i'm michelle" in caller.lower()
    print(f"\n{STEREO} (stereo): caller's 'Hi, Michelle' heard as 'I'm Michelle': {misheard}")
    print(f"  warnings: {stereo.warnings}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
