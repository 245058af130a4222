"""``coaching scorecard REPORT.json [--html OUT.html] [--language xx] [--rubric FILE]``.

:data:`scorecard` is the ``scorecard`` sub-command of the main ``coaching`` CLI.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import click

from coaching.cli.invoke import run_command
from coaching.errors import CoachingError, ReportError
from coaching.report.html import render_scorecard_html, render_scorecard_text
from coaching.scoring import apply_scorecard, load_rubric
from coaching.scoring.messages import LANGUAGES
from coaching.types import CallReport

ReportFileError = ReportError  # the name this module used first


@click.command(
    "scorecard",
    short_help="show a call's scorecard and coaching notes; export HTML",
    help="Show the scorecard and coaching notes of an analysed call. "
    "REPORT: the call report JSON written by the analysis.",
)
@click.argument("report", type=click.Path(path_type=Path))
@click.option(
    "--html",
    type=click.Path(path_type=Path),
    metavar="OUT.html",
    help="also write a self-contained HTML page",
)
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    help="language of the scorecard and notes (default: the call's language, else en)",
)
@click.option(
    "--rubric",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="rubric TOML to score with (default: the shipped rubric); see default_rubric.toml",
)
def scorecard(**params) -> int:
    return scorecard_command(SimpleNamespace(**params))


def read_report(path: Path) -> CallReport:
    """A :class:`CallReport` from its JSON file, with a clear error when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ReportFileError(f"{path}: no such file; give a call report JSON") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportFileError(f"{path}: not a JSON file ({error})") from error
    try:
        return CallReport.from_dict(data)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise ReportFileError(
            f"{path}: not a call report ({error}); analyse a call first to get one"
        ) from error


def scorecard_command(args: SimpleNamespace) -> int:
    """Print the call's scorecard and notes; rescore when a rubric or language is given."""
    report = read_report(args.report)
    rubric = load_rubric(args.rubric)
    if report.scorecard is None or args.rubric is not None or args.language is not None:
        report = apply_scorecard(report, rubric, language=args.language)
    sys.stdout.write(render_scorecard_text(report, rubric=rubric, color=sys.stdout.isatty()))
    if args.html is not None:
        args.html.write_text(render_scorecard_html(report, rubric=rubric), encoding="utf-8")
        sys.stdout.write(f"\nHTML scorecard written to {args.html}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m coaching.cli.scorecard``."""
    try:
        return run_command(
            scorecard, sys.argv[1:] if argv is None else argv, prog_name="coaching scorecard"
        )
    except CoachingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
