"""``coaching import REPORT.json...``: store call reports written by ``coaching analyze``."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path

from coaching.errors import ConfigError


def register(commands) -> None:
    """Add the ``import`` sub-command to the ``coaching`` parser."""
    parser = commands.add_parser(
        "import",
        help="store call reports written by `coaching analyze`",
        description="Store call reports (JSON written by `coaching analyze`) for an operator. "
        "Each file is checked to be a call report; a bad file is named with the reason and "
        "the others go on. A report already stored is not stored twice. When the recording "
        "lies beside its report, the store refers to it.",
    )
    parser.add_argument("reports", nargs="+", type=Path, metavar="REPORT.json")
    parser.add_argument("--operator", required=True, help="the operator who took the calls")
    parser.add_argument(
        "--call-time",
        type=parse_call_time,
        metavar="TIME",
        help="when the calls took place, ISO 8601 (no zone: UTC); default: the recording's "
        "file time beside the report, else the report's",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="store URL (default: $COACHING_DB_URL, else a SQLite file in $COACHING_DATA_DIR)",
    )
    parser.set_defaults(handler=run_import)


def parse_call_time(value: str) -> datetime:
    """An ISO 8601 time (a trailing Z allowed); without a zone it is UTC."""
    try:
        parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 time; write e.g. 2024-05-01T09:30:00Z"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def run_import(args: argparse.Namespace) -> int:
    from coaching.store.db import open_store
    from coaching.store.report_files import import_report_file

    if not args.operator.strip():
        raise ConfigError("--operator is empty; give the operator who took the calls")
    store = open_store(args.db)
    try:
        outcomes = [
            import_report_file(store, path, operator=args.operator, call_time=args.call_time)
            for path in args.reports
        ]
    finally:
        store.close()
    for outcome in outcomes:
        print(outcome.message, file=sys.stderr if outcome.error else sys.stdout)
    failed = sum(1 for outcome in outcomes if outcome.error)
    if failed:
        print(f"{failed} of {len(outcomes)} report(s) not stored", file=sys.stderr)
    return 1 if failed else 0
