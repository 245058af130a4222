"""The ``coaching`` command: analyse calls, render scorecards, batch runs, users."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from coaching.cli.app import register as register_app
from coaching.cli.batch import register as register_batch
from coaching.cli.options import add_model_arguments, options_from_args
from coaching.cli.scorecard import register as register_scorecard
from coaching.cli.store import register as register_store
from coaching.errors import CoachingError
from coaching.version import __version__


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
    for register in (register_scorecard, register_batch, register_store, register_app):
        register(commands)
    return parser


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
    from coaching.cli.analyze import analyze_paths

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
