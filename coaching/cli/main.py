"""The ``coaching`` command: analyse calls, render scorecards, batch runs, users."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from coaching.cli.app import app
from coaching.cli.batch import batch
from coaching.cli.calibration import CALIBRATION_COMMANDS
from coaching.cli.import_reports import import_reports
from coaching.cli.invoke import ListedInOrder, run_command
from coaching.cli.options import analysis_options, options_from
from coaching.cli.scorecard import scorecard
from coaching.cli.store import STORE_COMMANDS
from coaching.cli.text import text
from coaching.errors import CoachingError
from coaching.version import __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``coaching`` on ``argv`` (default: the process's arguments); the exit code.

    A :class:`CoachingError` is printed as ``error: ...`` (1), an interrupt as
    ``interrupted`` (130); ``--help``, ``--version`` and usage errors exit; output cut
    short by its reader (``| head``) ends quietly (0).
    """
    logging.basicConfig(level=logging.WARNING, format="note: %(message)s")
    try:
        return run_command(cli, sys.argv[1:] if argv is None else argv, prog_name="coaching")
    except CoachingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early (| head): nothing went wrong here
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 0


@click.group(
    "coaching",
    cls=ListedInOrder,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Coaching call-centre operators from their recorded calls.",
)
@click.version_option(__version__, prog_name="coaching", message="%(prog)s %(version)s")
@click.pass_context
def cli(context: click.Context) -> int:
    if context.invoked_subcommand is None:
        click.echo(context.get_help())
        return 2
    return 0


@cli.command(
    "analyze",
    short_help="analyse recorded calls into JSON reports",
    help="Analyse recorded calls; writes DIR/<stem>.json each.",
)
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH..."
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    help="folder for the JSON reports (default: ./out)",
)
@click.option(
    "--operator-profile",
    type=click.Path(path_type=Path),
    help="a recording of the operator alone, to tell their voice on mono calls",
)
@click.option("--quiet", is_flag=True, help="no summaries, only errors")
@click.option(
    "--redacted-audio",
    is_flag=True,
    help="also write DIR/<stem>.redacted.wav with card and phone numbers bleeped",
)
@analysis_options
def analyze(paths, out, operator_profile, quiet, redacted_audio, **analysis) -> int:
    from coaching.cli.analyze import analyze_paths

    results = analyze_paths(
        list(paths),
        out_dir=out,
        options=options_from(analysis),
        operator_profile=operator_profile,
        echo=not quiet,
        redacted_audio=redacted_audio,
    )
    failed = [r for r in results if r.error]
    if failed:
        print(f"\n{len(failed)} of {len(results)} call(s) failed:", file=sys.stderr)
        for result in failed:
            print(f"  {result.error}", file=sys.stderr)
    return 1 if failed else 0


for _command in (
    scorecard,
    batch,
    import_reports,
    *STORE_COMMANDS,
    app,
    *CALIBRATION_COMMANDS,
    text,
):
    cli.add_command(_command)
