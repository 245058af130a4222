"""Sign-in throttling: a growing delay after failed sign-ins, then a temporary lockout.

Failures are counted per user name (its key, whether or not such a user
exists, so the answer tells nothing) and per client (the address the app
sees). After ``free_failures`` (per client: ``client_free_failures``) the
next attempt must wait ``base_delay_s``, doubling with each further failure
up to ``max_delay_s``; at
``lockout_failures`` (per name) or ``client_lockout_failures`` (per client)
attempts are refused for ``lockout``. An attempt while throttled is refused
without checking the password. A successful sign-in clears the name's count.
Failures older than ``window`` are forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coaching.serial import Serializable
from coaching.store.names import MAX_NAME, bounded, name_key
from coaching.store.schema import SignInFailure

KEY_LIMIT = 160


@dataclass(frozen=True)
class ThrottlePolicy(Serializable):
    free_failures: int = 3
    client_free_failures: int = 10  # people behind one address share its count
    base_delay_s: float = 2.0
    max_delay_s: float = 120.0
    lockout_failures: int = 10
    client_lockout_failures: int = 30
    lockout: timedelta = timedelta(minutes=15)
    window: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Hold(Serializable):
    """Why attempts are held back, and until when."""

    kind: str  # "user" or "client"
    until: datetime
    locked: bool  # a lockout, not just a delay
    failures: int


def throttle_keys(name: str, client: str | None) -> dict[str, str]:
    """The keys failures are counted under: the name's key and the client."""
    keys = {"user": bounded(name_key(name[: MAX_NAME * 2]), KEY_LIMIT) or ""}
    if client:
        keys["client"] = bounded(client, KEY_LIMIT) or ""
    return keys


def _failures(session: Session, kind: str, key: str, since: datetime) -> list[datetime]:
    return list(
        session.scalars(
            select(SignInFailure.at)
            .where(SignInFailure.kind == kind, SignInFailure.key == key, SignInFailure.at > since)
            .order_by(SignInFailure.at)
        )
    )


def _hold_for(kind: str, times: list[datetime], policy: ThrottlePolicy) -> Hold | None:
    count = len(times)
    limit = policy.lockout_failures if kind == "user" else policy.client_lockout_failures
    free = policy.free_failures if kind == "user" else policy.client_free_failures
    if count >= limit:
        return Hold(kind, times[-1] + policy.lockout, True, count)
    if count >= free:
        extra = count - free
        delay = min(policy.base_delay_s * 2**extra, policy.max_delay_s)
        return Hold(kind, times[-1] + timedelta(seconds=delay), False, count)
    return None


def current_hold(
    session: Session, keys: dict[str, str], *, now: datetime, policy: ThrottlePolicy
) -> Hold | None:
    """The longest hold on any of ``keys`` still in force at ``now``, if any."""
    holds = [
        _hold_for(kind, _failures(session, kind, key, now - policy.window), policy)
        for kind, key in keys.items()
    ]
    live = [hold for hold in holds if hold is not None and hold.until > now]
    return max(live, key=lambda hold: hold.until) if live else None


def note_failure(
    session: Session, keys: dict[str, str], *, now: datetime, policy: ThrottlePolicy
) -> list[Hold]:
    """Count a failed sign-in under each key; returns the lockouts it just started."""
    started = []
    for kind, key in keys.items():
        session.add(SignInFailure(kind=kind, key=key, at=now))
        session.flush()
        hold = _hold_for(kind, _failures(session, kind, key, now - policy.window), policy)
        limit = policy.lockout_failures if kind == "user" else policy.client_lockout_failures
        if hold is not None and hold.locked and hold.failures == limit:
            started.append(hold)
    return started


def clear_failures(session: Session, keys: dict[str, str]) -> None:
    """Forget the failures of the user name (after a successful sign-in)."""
    if "user" in keys:
        session.execute(
            delete(SignInFailure).where(
                SignInFailure.kind == "user", SignInFailure.key == keys["user"]
            )
        )
