"""``coaching calibration report`` and ``coaching exemplars``: coaching feedback from the shell.

Both read the store the app uses (``$COACHING_DB_URL``, else SQLite in
``$COACHING_DATA_DIR``), as the local system user like the other store commands.
"""

from __future__ import annotations

import argparse
from contextlib import closing
from typing import Any

from coaching.cli.store import add_db_argument
from coaching.scoring.agreement import CriterionAgreement
from coaching.store.calibration_read import agreement_table
from coaching.store.db import open_store
from coaching.store.exemplars import ExemplarView, exemplars_in
from coaching.timing import clock


def register(commands: Any) -> None:
    """Add ``calibration report`` and ``exemplars`` to the ``coaching`` sub-parsers."""
    calibration = commands.add_parser(
        "calibration", help="agreement between coaches, and between coaches and the auto-score"
    )
    actions = calibration.add_subparsers(title="actions", metavar="ACTION", required=True)
    report = actions.add_parser(
        "report",
        help="agreement per criterion (Krippendorff's alpha) and trusted / coach review",
        description="Per criterion: calls scored, coaches, Krippendorff's alpha (ordinal) among "
        "coaches and between the coaches' median and the auto-score, and whether the "
        "auto-score is trusted (alpha >= 0.67 over at least 10 calls). Submitted scores only.",
    )
    report.add_argument("--round", type=int, metavar="ID", help="one round (default: all)")
    add_db_argument(report)
    report.set_defaults(handler=run_calibration_report)
    exemplars = commands.add_parser(
        "exemplars",
        help="calls where an upset caller ended calm, and what the operator did",
        description="Lists each stored call's de-escalation moment: call, time of the "
        "operator's turn, language, topic, what the operator did, caller mood before -> after.",
    )
    exemplars.add_argument("--language", metavar="L", help="only calls in this language (en, vi..)")
    exemplars.add_argument(
        "--topic", help="only this topic (outage, billing, disconnection, meter)"
    )
    add_db_argument(exemplars)
    exemplars.set_defaults(handler=run_exemplars)


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


def run_calibration_report(args: argparse.Namespace) -> int:
    """``coaching calibration report [--round ID] [--db URL]``."""
    with closing(open_store(args.db)) as store, store.session() as session:
        table = agreement_table(session, round_id=args.round)
    if not table:
        print("no submitted calibration scores yet; start a round in the app (Calibration page)")
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


def run_exemplars(args: argparse.Namespace) -> int:
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
