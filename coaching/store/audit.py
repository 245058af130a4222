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
from coaching.store.schema import AuditEntry, as_utc, utc_now


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
    """Add one entry to the audit log (in the caller's transaction)."""
    session.add(
        AuditEntry(
            at=as_utc(now) if now else utc_now(),
            actor=actor,
            action=action,
            call_id=call_id,
            target=target,
            detail=json.dumps(dict(detail), sort_keys=True, default=str) if detail else None,
        )
    )


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
