"""``coaching calibration report`` and ``coaching exemplars``: coaching feedback from the shell.

Both read the store the app uses (``$COACHING_DB_URL``, else SQLite in
``$COACHING_DATA_DIR``), as the local system user like the other store commands.
"""

from __future__ import annotations

from contextlib import closing
from types import SimpleNamespace

import click

from coaching.cli.invoke import ListedInOrder
from coaching.cli.store import db_option
from coaching.scoring.agreement import CriterionAgreement
from coaching.store.calibration_read import agreement_table
from coaching.store.db import open_store
from coaching.store.exemplars import ExemplarView, exemplars_in
from coaching.timing import clock


@click.group(
    "calibration",
    cls=ListedInOrder,
    short_help="agreement between coaches, and between coaches and the auto-score",
    help="agreement between coaches, and between coaches and the auto-score",
)
def calibration() -> None:
    pass


@calibration.command(
    "report",
    short_help="agreement per criterion (Krippendorff's alpha) and trusted / coach review",
    help="Per criterion: calls scored, coaches, Krippendorff's alpha (ordinal) among coaches "
    "and between the coaches' median and the auto-score, and whether the auto-score is "
    "trusted (alpha >= 0.67 over at least 10 calls). Submitted scores only.",
)
@click.option("--round", "round_id", type=int, metavar="ID", help="one round (default: all)")
@db_option
def report(**params) -> int:
    return run_calibration_report(SimpleNamespace(**params))


@click.command(
    "exemplars",
    short_help="calls where an upset caller ended calm, and what the operator did",
    help="Lists each stored call's de-escalation moment: call, time of the operator's turn, "
    "language, topic, what the operator did, caller mood before -> after.",
)
@click.option("--language", metavar="L", help="only calls in this language (en, vi, ru, zh)")
@click.option("--topic", help="only this topic: outage, billing, disconnection, meter, other")
@db_option
def exemplars(**params) -> int:
    return run_exemplars(SimpleNamespace(**params))


CALIBRATION_COMMANDS = (calibration, exemplars)


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def agreement_lines(table: list[CriterionAgreement]) -> list[str]:
    """The calibration report as aligned text lines."""
    head = f"{'criterion':<24}{'calls':>6}{'coaches':>8}"
    lines = [f"{head}{'alpha coaches':>15}{'alpha vs auto':>15}  status"]
    for row in table:
        lines.append(
            f"{row.criterion_id:<24}{row.calls:>6}{row.coaches:>8}"
            f"{_number(row.alpha_coaches):>15}{_number(row.alpha_auto):>15}  {row.status}"
        )
    return lines


def run_calibration_report(args: SimpleNamespace) -> int:
    """``coaching calibration report [--round ID] [--db URL]``."""
    with closing(open_store(args.db)) as store, store.session() as session:
        table = agreement_table(session, round_id=args.round_id)
    if not table:
        where = f"round {args.round_id} has no" if args.round_id else "no round has"
        print(f"{where} submitted calibration scores yet; coaches score and submit on the "
              "app's Calibration page")  # fmt: skip
        return 0
    print("\n".join(agreement_lines(table)))
    return 0


def _mood(value: float | None) -> str:
    return "?" if value is None else f"{value:+.0f}"


def exemplar_lines(views: list[ExemplarView]) -> list[str]:
    """The exemplar list as aligned text lines."""
    lines = [f"{'call':>6}  {'time':>5}  lang  {'topic':<13} {'operator did':<36} caller mood"]
    for view in views:
        e = view.exemplar
        pinned = "  (pinned)" if view.pin_id else ""
        lines.append(
            f"{view.call_id:>6}  {clock(e.turn_at_s):>5}  {e.language:<4}  {e.topic:<13} "
            f"{', '.join(e.actions) or '-':<36} "
            f"{_mood(e.sentiment_before)} -> {_mood(e.sentiment_after)}{pinned}"
        )
    return lines


def run_exemplars(args: SimpleNamespace) -> int:
    """``coaching exemplars [--language L] [--topic T] [--db URL]``."""
    with closing(open_store(args.db)) as store, store.session() as session:
        views = exemplars_in(session, language=args.language, topic=args.topic)
    if not views:
        print(
            "no de-escalation moments in the stored calls (caller mood up by 20+, or abuse "
            "only early in the call)"
        )
        return 0
    print("\n".join(exemplar_lines(views)))
    return 0
