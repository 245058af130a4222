"""The ``coaching`` command: analyse calls, render scorecards, batch runs, users."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from coaching import __version__
from coaching.errors import CoachingError


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="note: %(message)s")
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except CoachingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coaching", description="Coaching call-centre operators from their recorded calls."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_analyze(commands)
    for register in _optional_registrations():
        register(commands)
    return parser


def _optional_registrations():
    """Sub-commands that live beside their features."""
    from coaching.registrations import REGISTRATIONS

    return REGISTRATIONS


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
        "--swap-channels",
        action="store_true",
        help="stereo calls: the operator is on the right channel",
    )
    group.add_argument(
        "--sentiment-model",
        help="transformers sentiment model (hub id or local directory) instead of the "
        "embedded head ('builtin' = lexicon)",
    )
    group.add_argument(
        "--toxicity-model",
        help="transformers toxicity model (hub id or local directory) added to the "
        "embedded abuse head (default: none)",
    )
    group.add_argument(
        "--chinese-script",
        choices=("simplified", "traditional"),
        help="Chinese transcripts: simplified characters (default, converted with OpenCC) "
        "or traditional (Whisper's output kept)",
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
        operator_channel=1 if args.swap_channels else 0,
        redact=not args.no_redact,
        sentiment_model=args.sentiment_model,
        toxicity_model=args.toxicity_model,
        chinese_script=getattr(args, "chinese_script", None),
    )


def _add_analyze(commands) -> None:
    parser = commands.add_parser(
        "analyze",
        help="analyse recorded calls into JSON reports",
        description="Analyse recorded calls; writes DIR/<stem>.json each.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument(
        "--out", type=Path, default=Path("out"), help="folder for the JSON reports (default: ./out)"
    )
    parser.add_argument(
        "--operator-profile",
        type=Path,
        help="a recording of the operator alone, to tell their voice on mono calls",
    )
    parser.add_argument("--quiet", action="store_true", help="no summaries, only errors")
    parser.add_argument(
        "--redacted-audio",
        action="store_true",
        help="also write DIR/<stem>.redacted.wav with card and phone numbers bleeped",
    )
    add_model_arguments(parser)
    parser.set_defaults(handler=_analyze)


def _analyze(args: argparse.Namespace) -> int:
    from coaching.runner import analyze_paths

    options = options_from_args(args)
    results = analyze_paths(
        args.paths,
        out_dir=args.out,
        options=options,
        operator_profile=args.operator_profile,
        echo=not args.quiet,
        redacted_audio=args.redacted_audio,
    )
    failed = [r for r in results if r.error]
    if failed:
        print(f"\n{len(failed)} of {len(results)} call(s) failed:", file=sys.stderr)
        for result in failed:
            print(f"  {result.error}", file=sys.stderr)
    return 1 if failed else 0


def print_json(data) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))
