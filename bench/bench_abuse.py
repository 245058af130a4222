"""Abuse-detection accuracy and cost over the generated sample set.

    python bench/bench_abuse.py [--only NAME ...] [--model base]

Renders every sample call (English, Vietnamese, Russian, Chinese; abusive and
calm), analyses each with the real pipeline, and prints per call the scripted
abusive turns found (recall), false flags, and seconds per stage; then totals.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coaching.options import AnalysisOptions  # noqa: E402
from coaching.pipeline import analyze_call  # noqa: E402
from coaching.registry import load_models  # noqa: E402
from samples.generate import ensure_calls, load_truth  # noqa: E402
from samples.scripts import SCRIPTS  # noqa: E402
from testkit.evaluation import check_flags  # noqa: E402

CACHE = ROOT / "samples" / ".cache"


def selected(only: list[str] | None) -> list[str]:
    names = only or [
        n
        for n, s in SCRIPTS.items()
        if "calm" in s.expect or any(t.startswith("abusive:") for t in s.expect)
    ]
    return sorted(names)


def scripted_text_check(path: Path, truth):
    """The detectors on the script's own words and the rendered caller audio (no ASR)."""
    from coaching.abuse import detect_abuse
    from coaching.audio.decode import load_audio
    from coaching.types import Utterance

    audio = load_audio(path)
    utterances = [Utterance(t.speaker, t.start, t.end, t.text) for t in truth.turns]
    flags = detect_abuse(
        utterances,
        language=truth.language,
        caller_samples=audio.channels[1],
        sample_rate=audio.sample_rate,
    )
    return check_flags(flags, truth.abuse)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--model", default="base")
    parser.add_argument(
        "--given-language",
        action="store_true",
        help="give each call its scripted language (as --language would) instead of detecting it",
    )
    args = parser.parse_args()
    models = load_models(model=args.model)
    paths = ensure_calls(selected(args.only), CACHE)
    stage_totals: dict[str, float] = defaultdict(float)
    scripted = found = false_flags = text_found = text_false = 0
    print(f"{'call':<24}{'lang':<6}{'found':>7}{'false':>7}{'text':>7}  missed / false flags")
    for name, path in sorted(paths.items()):
        truth = load_truth(path)
        language = truth.language if args.given_language else None
        report = analyze_call(path, models=models, options=AnalysisOptions.of(language=language))
        check = check_flags(report.abuse, truth.abuse)
        text = scripted_text_check(path, truth)
        text_found, text_false = text_found + text.found, text_false + len(text.false_flags)
        scripted, found = scripted + check.scripted, found + check.found
        false_flags += len(check.false_flags)
        for stage, seconds in report.timings.items():
            stage_totals[stage] += seconds
        detail = "; ".join(check.missed + tuple(f"FALSE {f}" for f in check.false_flags))
        print(
            f"{name:<24}{truth.language:<6}{check.found:>3}/{check.scripted:<3}"
            f"{len(check.false_flags):>7}{text.found:>5}/{text.scripted:<3} {detail}"
        )
    recall = found / scripted if scripted else float("nan")
    print(
        f"\nend to end (ASR, then detectors): recall {found}/{scripted} = {recall:.0%}; "
        f"false flags {false_flags} over {len(paths)} calls"
    )
    print(
        f"scripted words + caller audio (detectors alone): recall {text_found}/{scripted}; "
        f"false flags {text_false}"
    )
    print(
        "seconds per stage over the set: "
        + ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in stage_totals.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
