"""``coaching import REPORT.json...``: store call reports written by ``coaching analyze``."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from coaching.errors import ConfigError


class CallTime(click.ParamType):
    """An ISO 8601 time (a trailing Z allowed); without a zone it is UTC."""

    name = "TIME"

    def convert(self, value, param, ctx) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value)
        try:
            parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            self.fail(f"{text!r} is not an ISO 8601 time; write e.g. 2024-05-01T09:30:00Z")
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


@click.command(
    "import",
    short_help="store call reports written by `coaching analyze`",
    help="Store call reports (JSON written by `coaching analyze`) for an operator. Each file "
    "is checked to be a call report; a bad file is named with the reason and the others go "
    "on. A report already stored is not stored twice. When the recording lies beside its "
    "report, the store refers to it.",
)
@click.argument(
    "reports", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="REPORT.json..."
)
@click.option("--operator", required=True, help="the operator who took the calls")
@click.option(
    "--call-time",
    type=CallTime(),
    help="when the calls took place, ISO 8601 (no zone: UTC); default: the recording's file "
    "time beside the report, else the report's",
)
@click.option(
    "--db",
    metavar="URL",
    help="store URL (default: $COACHING_DB_URL, else a SQLite file in $COACHING_DATA_DIR)",
)
def import_reports(reports, operator: str, call_time: datetime | None, db: str | None) -> int:
    from coaching.store.db import open_store
    from coaching.store.report_files import import_report_file

    if not operator.strip():
        raise ConfigError("--operator is empty; give the operator who took the calls")
    store = open_store(db)
    try:
        outcomes = [
            import_report_file(store, path, operator=operator, call_time=call_time)
            for path in reports
        ]
    finally:
        store.close()
    for outcome in outcomes:
        print(outcome.message, file=sys.stderr if outcome.error else sys.stdout)
    failed = sum(1 for outcome in outcomes if outcome.error)
    if failed:
        print(f"{failed} of {len(outcomes)} report(s) not stored", file=sys.stderr)
    return 1 if failed else 0
