"""The audit log: who opened, changed or erased what, and when."""

from __future__ import annotations

import getpass
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.serial import Serializable
from coaching.store.names import bounded
from coaching.store.schema import AuditEntry, as_utc, utc_now

ACTOR_LIMIT = 160  # audit_log.actor is String(160)
ACTION_LIMIT = 64
TARGET_LIMIT = 300
VALUE_LIMIT = 300  # each string in the detail
DETAIL_LIMIT = 2000


@dataclass(frozen=True)
class AuditRecord(Serializable):
    at: datetime
    actor: str
    action: str
    call_id: int | None
    target: str | None
    detail: dict[str, Any]


def system_actor() -> str:
    """The actor name for command-line work done without signing in."""
    try:
        return f"system:{getpass.getuser()}"
    except (KeyError, OSError):
        return "system"


def write_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    call_id: int | None = None,
    target: str | None = None,
    detail: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Add one entry to the audit log (in the caller's transaction).

    What people typed (names, reasons) is bounded: control characters become
    '?', and each field is cut to its limit, so the log cannot be flooded or
    made to show forged lines, and every backend stores the same.
    """
    session.add(
        AuditEntry(
            at=as_utc(now) if now else utc_now(),
            actor=bounded(actor, ACTOR_LIMIT),
            action=bounded(action, ACTION_LIMIT),
            call_id=call_id,
            target=bounded(target, TARGET_LIMIT),
            detail=_detail_json(detail) if detail else None,
        )
    )


def _detail_json(detail: Mapping[str, Any]) -> str:
    plain = {
        bounded(str(key), ACTION_LIMIT): bounded(value, VALUE_LIMIT)
        if isinstance(value, str)
        else value
        for key, value in detail.items()
    }
    text = json.dumps(plain, sort_keys=True, default=str)
    if len(text) > DETAIL_LIMIT:
        text = json.dumps({"truncated": bounded(text, DETAIL_LIMIT - 20)})
    return text


def read_audit(
    session: Session, *, call_id: int | None = None, action: str | None = None
) -> list[AuditRecord]:
    """Audit entries, oldest first, optionally for one call or one action."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    if call_id is not None:
        query = query.where(AuditEntry.call_id == call_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return [
        AuditRecord(
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            call_id=entry.call_id,
            target=entry.target,
            detail=json.loads(entry.detail) if entry.detail else {},
        )
        for entry in session.scalars(query)
    ]
