"""Command-line options shared by every command that runs an analysis."""

from __future__ import annotations

import argparse


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that runs an analysis."""
    group = parser.add_argument_group("analysis")
    group.add_argument(
        "--model",
        default="base",
        help="Whisper size (tiny, small, large-v3...), hub id or local CTranslate2 "
        "directory; default: the embedded multilingual base",
    )
    group.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    group.add_argument(
        "--compute-type",
        default="auto",
        help="CTranslate2 compute type (auto: float16 on GPU, int8 on CPU)",
    )
    group.add_argument("--language", help="force the call language (en, vi, ru, zh...)")
    group.add_argument(
        "--channel-map",
        choices=("auto", "left", "right"),
        default="auto",
        help="stereo calls: the operator's channel; auto (default) takes the left unless "
        "the words clearly say the channels are swapped, and says so",
    )
    group.add_argument(
        "--swap-channels",
        action="store_true",
        help="stereo calls: the operator is on the right channel (same as --channel-map right)",
    )
    group.add_argument(
        "--sentiment-model",
        help="transformers sentiment model: hub id or local directory ('builtin' = lexicon)",
    )
    group.add_argument(
        "--toxicity-model",
        help="transformers toxicity model: hub id or local directory ('none' = off)",
    )
    group.add_argument(
        "--no-redact", action="store_true", help="keep card and phone numbers in the transcript"
    )


def options_from_args(args: argparse.Namespace):
    from coaching.options import AnalysisOptions

    return AnalysisOptions().with_overrides(
        model=args.model,
        device=args.device,
        compute_type=args.compute_type,
        language=args.language,
        operator_channel=_operator_channel(args),
        redact=not args.no_redact,
        sentiment_model=args.sentiment_model,
        toxicity_model=args.toxicity_model,
    )


def _operator_channel(args: argparse.Namespace) -> int | None:
    if args.swap_channels:
        return 1
    return {"left": 0, "right": 1}.get(args.channel_map)
