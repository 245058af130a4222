"""An operator's reports over time (for their trends), read through the role checks.

Operators get their own calls, coaches their team's, admins everyone's;
wellbeing staff are refused: whole reports carry scores and transcripts,
which are not theirs to see. One audit entry per read.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from coaching.store.access import require_role, run_as, visible_calls
from coaching.store.audit import write_audit
from coaching.store.auth import SignedInUser
from coaching.store.db import Store
from coaching.store.schema import Call, Operator, User
from coaching.types import CallReport

MAX_CALLS = 200
HISTORY_ROLES = ("operator", "coach", "admin")


def report_history(
    store: Store, user: SignedInUser, *, operator: str | None = None, limit: int = MAX_CALLS
) -> list[tuple[datetime, CallReport]]:
    """(call time, report) of the analysed calls the user may see, oldest first."""

    def work(session: Session, actor: User, at: datetime) -> list[tuple[datetime, CallReport]]:
        require_role(actor, HISTORY_ROLES, "read whole reports")
        query = visible_calls(actor).where(Call.status == "analysed")
        if operator is not None:
            query = query.where(Operator.name == operator)
        rows = session.execute(query.order_by(Call.call_time.desc()).limit(limit)).all()
        write_audit(
            session, actor=actor.name, action="view-history", now=at, detail={"calls": len(rows)}
        )
        return [(call.call_time, _with_stored_overall(call)) for call, _, _ in reversed(rows)]

    return run_as(store, user, work, action="view-history")


def _with_stored_overall(call: Call) -> CallReport:
    """The report with the overall the call list shows (coaches' overrides applied)."""
    report = CallReport.from_dict(call.report)
    if report.scorecard is None:
        return report
    return replace(report, scorecard=replace(report.scorecard, overall=call.overall_score))
