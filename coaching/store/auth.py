"""Users, sign-in (throttled, see :mod:`.throttle`) and sessions that expire when idle
and after an absolute lifetime; passwords are checked and hashed in :mod:`.passwords`."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.errors import CoachingError
from coaching.serial import Serializable
from coaching.store.audit import write_audit
from coaching.store.db import Store
from coaching.store.names import MAX_NAME, MAX_PASSWORD
from coaching.store.passwords import DEFAULT_HASHER, MIN_PASSWORD_LENGTH, hash_password
from coaching.store.schema import SignInSession, User, as_utc, utc_now
from coaching.store.throttle import (
    Hold,
    ThrottlePolicy,
    clear_failures,
    current_hold,
    note_failure,
    throttle_keys,
)
from coaching.store.users import UserInfo, create_user, list_users, set_active, user_info

__all__ = [  # re-exported: users live in coaching.store.users
    "DEFAULT_HASHER",
    "MIN_PASSWORD_LENGTH",
    "UserInfo",
    "create_user",
    "hash_password",
    "list_users",
    "set_active",
]
DEFAULT_IDLE_TIMEOUT = timedelta(minutes=30)
DEFAULT_LIFETIME = timedelta(hours=12)
DEFAULT_THROTTLE = ThrottlePolicy()


class SignInError(CoachingError):
    """The user name and password did not match an active user."""


class SignInThrottled(SignInError):
    """Too many failed sign-ins for this user name or from this client: wait."""


class SessionExpired(SignInError):
    """The session ended, was idle too long, or its user was deactivated."""


@dataclass(frozen=True)
class SignedInUser(Serializable):
    """Who is signed in. Access checks re-read role and team from the store each time."""

    user_id: int
    name: str
    role: str
    team: str | None
    operator: str | None  # the operator whose calls an operator-role user sees
    expires_at: datetime
    token: str = field(default="", repr=False, metadata={"serialize": False})


def sign_in(
    store: Store,
    name: str,
    password: str,
    *,
    client: str | None = None,
    now: datetime | None = None,
    idle_timeout: timedelta = DEFAULT_IDLE_TIMEOUT,
    lifetime: timedelta = DEFAULT_LIFETIME,
    throttle: ThrottlePolicy = DEFAULT_THROTTLE,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> SignedInUser:
    """Check the password and open a session.

    Failures raise :class:`SignInError`; while the name or ``client`` (the
    address the app sees) is throttled, :class:`SignInThrottled` without any
    password check. Failures, throttled attempts and lockouts are audit-logged.
    """
    now = as_utc(now) if now else utc_now()
    name = name[: MAX_NAME + 1].strip()
    keys = throttle_keys(name, client)
    with store.session() as session:
        hold = current_hold(session, keys, now=now, policy=throttle)
        if hold is None:
            user = _check_password(session, name, password, hasher)
            if user is not None:
                clear_failures(session, keys)
                write_audit(session, actor=name, action="sign-in", now=now, detail=_at(client))
                return _open_session(
                    session, user, now=now, idle_timeout=idle_timeout, lifetime=lifetime
                )
            _failed(session, name, keys, client=client, now=now, policy=throttle)
        else:
            write_audit(
                session,
                actor=name,
                action="sign-in-throttled",
                now=now,
                detail={**_at(client), "held": hold.kind, "until": hold.until.isoformat()},
            )
    if hold is not None:
        raise SignInThrottled(_hold_message(hold, now))
    raise SignInError("unknown user name or wrong password (or the account is deactivated)")


def _at(client: str | None) -> dict[str, str]:
    return {"client": client} if client else {}


def _check_password(
    session: Session, name: str, password: str, hasher: PasswordHasher
) -> User | None:
    user = session.scalars(select(User).where(User.name == name, User.active)).first()
    if len(password) > MAX_PASSWORD:
        password = password[: MAX_PASSWORD + 1]  # cannot match; keep the hashing cost bounded
    if user is not None and _verify(user, password, hasher):
        return user
    if user is None:
        hasher.hash(password)  # same cost as a real check: no hint that the name is unknown
    return None


def _failed(
    session: Session,
    name: str,
    keys: dict[str, str],
    *,
    client: str | None,
    now: datetime,
    policy: ThrottlePolicy,
) -> None:
    write_audit(session, actor=name, action="sign-in-failed", now=now, detail=_at(client))
    for hold in note_failure(session, keys, now=now, policy=policy):
        write_audit(
            session,
            actor=name,
            action="sign-in-lockout",
            now=now,
            detail={**_at(client), "by": hold.kind, "failures": hold.failures,
                    "until": hold.until.isoformat()},
        )  # fmt: skip


def _hold_message(hold: Hold, now: datetime) -> str:
    wait = max(1, int((hold.until - now).total_seconds() + 0.999))
    when = f"{wait} second(s)" if wait < 120 else f"{(wait + 59) // 60} minutes"
    scope = "this user name" if hold.kind == "user" else "this computer"
    if hold.locked:
        return f"too many failed sign-ins for {scope}; sign-in is locked for {when}"
    return f"too many failed sign-ins for {scope}; wait {when} before trying again"


def _verify(user: User, password: str, hasher: PasswordHasher) -> bool:
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


def _open_session(
    session: Session, user: User, *, now: datetime, idle_timeout: timedelta, lifetime: timedelta
) -> SignedInUser:
    token = secrets.token_urlsafe(32)
    session.add(
        SignInSession(
            token_sha256=_token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            idle_timeout_s=idle_timeout.total_seconds(),
            lifetime_s=lifetime.total_seconds(),
        )
    )
    session.flush()
    expires_at = min(now + idle_timeout, now + lifetime)
    return _signed_in(session, user, token=token, expires_at=expires_at)


def _signed_in(session: Session, user: User, *, token: str, expires_at: datetime) -> SignedInUser:
    info = user_info(session, user)
    return SignedInUser(
        user_id=user.id,
        name=user.name,
        role=user.role,
        team=info.team,
        operator=info.operator,
        expires_at=expires_at,
        token=token,
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(
    session: Session, token: str, *, now: datetime | None = None, touch: bool = True
) -> User:
    """The active user behind a live session token; marks the session as used just now.

    Raises :class:`SessionExpired` when the token is unknown, signed out, idle
    for longer than its timeout, older than its lifetime, or its user was deactivated.
    """
    now = as_utc(now) if now else utc_now()
    record = _session_record(session, token)
    user = session.get(User, record.user_id) if record is not None else None
    if user is not None and not user.active:
        raise SessionExpired("this account is deactivated; ask an administrator")
    if user is None or record.ended_at is not None:
        raise SessionExpired("this session has ended; sign in again")
    if now - record.created_at > _lifetime(record):
        raise SessionExpired(
            f"the session reached its {_lifetime(record).total_seconds() / 3600:g}-hour "
            "limit; sign in again"
        )
    idle = now - record.last_seen_at
    if idle > timedelta(seconds=record.idle_timeout_s):
        raise SessionExpired(
            f"the session expired after {idle.total_seconds() / 60:.0f} idle minutes; sign in again"
        )
    if touch:
        record.last_seen_at = max(record.last_seen_at, now)
    return user


def _session_record(session: Session, token: str) -> SignInSession | None:
    return session.scalars(
        select(SignInSession).where(SignInSession.token_sha256 == _token_hash(token))
    ).first()


def _lifetime(record: SignInSession) -> timedelta:
    return timedelta(seconds=record.lifetime_s) if record.lifetime_s else DEFAULT_LIFETIME


TOUCH_ATTEMPTS = 3


def resume(store: Store, token: str, *, now: datetime | None = None) -> SignedInUser:
    """The signed-in user of a live session (refreshing its idle clock) or SessionExpired.

    On SQLite a transaction that read before it writes cannot take the write lock when
    another connection wrote in between ("database is locked" at once, whatever the busy
    timeout); the touch is then tried again in a fresh transaction."""
    import time

    from sqlalchemy.exc import OperationalError

    for attempt in range(1, TOUCH_ATTEMPTS):
        try:
            return _resume_once(store, token, now=now)
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.1 * attempt)
    return _resume_once(store, token, now=now)


def _resume_once(store: Store, token: str, *, now: datetime | None) -> SignedInUser:
    now = as_utc(now) if now else utc_now()
    with store.session() as session:
        user = authenticate(session, token, now=now)
        record = _session_record(session, token)
        idle_end = now + timedelta(seconds=record.idle_timeout_s)
        expires_at = min(idle_end, record.created_at + _lifetime(record))
        return _signed_in(session, user, token=token, expires_at=expires_at)


def is_live(store: Store, token: str, *, now: datetime | None = None) -> bool:
    """Whether the session is still live, without counting this check as activity."""
    with store.session() as session:
        try:
            authenticate(session, token, now=now, touch=False)
        except SessionExpired:
            return False
    return True


def sign_out(store: Store, token: str, *, now: datetime | None = None) -> None:
    """End a session; signing out twice is harmless."""
    now = as_utc(now) if now else utc_now()
    with store.session() as session:
        record = _session_record(session, token)
        if record is not None and record.ended_at is None:
            record.ended_at = now
            user = session.get(User, record.user_id)
            write_audit(session, actor=user.name if user else "?", action="sign-out", now=now)
