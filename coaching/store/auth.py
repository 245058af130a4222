"""Users, passwords (argon2id) and signed-in sessions that expire when idle."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coaching.errors import CoachingError, StoreError
from coaching.serial import Serializable
from coaching.store.audit import system_actor, write_audit
from coaching.store.calls import ensure_operator, ensure_team
from coaching.store.db import Store
from coaching.store.schema import ROLES, Operator, SignInSession, Team, User, as_utc, utc_now

DEFAULT_IDLE_TIMEOUT = timedelta(minutes=30)
MIN_PASSWORD_LENGTH = 8
# argon2id with RFC 9106's low-memory profile (t=3, m=64 MiB, p=4).
DEFAULT_HASHER = PasswordHasher()


class SignInError(CoachingError):
    """The user name and password did not match an active user."""


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


@dataclass(frozen=True)
class UserInfo(Serializable):
    name: str
    role: str
    team: str | None
    active: bool
    operator: str | None
    created_at: datetime


def hash_password(password: str, *, hasher: PasswordHasher = DEFAULT_HASHER) -> str:
    """An argon2id hash of ``password``; refuses passwords shorter than 8 characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StoreError(
            f"the password is {len(password)} characters long; use at least {MIN_PASSWORD_LENGTH}"
        )
    return hasher.hash(password)


def create_user(
    session: Session,
    name: str,
    *,
    role: str,
    password: str,
    team: str | None = None,
    actor: str | None = None,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> UserInfo:
    """Add a user; an operator-role user is linked to the operator of the same name."""
    name = name.strip()
    if not name:
        raise StoreError("the user name is empty; give a name to sign in with")
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if role == "coach" and not team:
        raise StoreError(f"coach {name!r} needs a team (--team T): coaches see their team's calls")
    if session.scalars(select(User).where(User.name == name)).first() is not None:
        raise StoreError(f"a user called {name!r} already exists; pick another name")
    team_row = ensure_team(session, team) if team else None
    user = User(
        name=name,
        role=role,
        team_id=team_row.id if team_row else None,
        password_hash=hash_password(password, hasher=hasher),
        active=True,
        created_at=utc_now(),
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:
        raise StoreError(f"could not add user {name!r}: {error.orig}") from error
    if role == "operator":
        _link_operator(session, user, team)
    write_audit(
        session,
        actor=actor or system_actor(),
        action="user-add",
        target=name,
        detail={"role": role, "team": team},
    )
    return user_info(session, user)


def _link_operator(session: Session, user: User, team: str | None) -> None:
    operator = ensure_operator(session, user.name, team=team)
    if team and operator.team_id is None:
        operator.team_id = user.team_id  # an admin adding the user places the operator
    elif team and operator.team_id != user.team_id:
        raise StoreError(
            f"operator {operator.name!r} belongs to another team; move them first "
            "(coaching operators set-team) or leave out --team"
        )
    if operator.user_id not in (None, user.id):
        raise StoreError(
            f"operator {user.name!r} is already linked to another user; "
            "give the new user the name of an operator without one"
        )
    operator.user_id = user.id
    session.flush()


def user_info(session: Session, user: User) -> UserInfo:
    """A read-only view of a user row."""
    team = session.get(Team, user.team_id) if user.team_id else None
    operator = session.scalars(select(Operator).where(Operator.user_id == user.id)).first()
    return UserInfo(
        name=user.name,
        role=user.role,
        team=team.name if team else None,
        active=user.active,
        operator=operator.name if operator else None,
        created_at=user.created_at,
    )


def list_users(session: Session) -> list[UserInfo]:
    """Every user, by name."""
    return [user_info(session, user) for user in session.scalars(select(User).order_by(User.name))]


def set_active(session: Session, name: str, active: bool, *, actor: str | None = None) -> None:
    """Activate or deactivate a user; deactivation ends their sessions at once."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise StoreError(f"no user called {name!r}; see `coaching users list`")
    user.active = active
    write_audit(
        session,
        actor=actor or system_actor(),
        action="user-activate" if active else "user-deactivate",
        target=name,
    )


def sign_in(
    store: Store,
    name: str,
    password: str,
    *,
    now: datetime | None = None,
    idle_timeout: timedelta = DEFAULT_IDLE_TIMEOUT,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> SignedInUser:
    """Check the password and open a session; failures are audit-logged and raise SignInError."""
    now = as_utc(now) if now else utc_now()
    with store.session() as session:
        user = session.scalars(select(User).where(User.name == name, User.active)).first()
        if user is not None and _verify(user, password, hasher):
            write_audit(session, actor=name, action="sign-in", now=now)
            return _open_session(session, user, now=now, idle_timeout=idle_timeout)
        if user is None:
            hasher.hash(password)  # same cost as a real check: no hint that the name is unknown
        write_audit(session, actor=name, action="sign-in-failed", now=now)
    raise SignInError("unknown user name or wrong password (or the account is deactivated)")


def _verify(user: User, password: str, hasher: PasswordHasher) -> bool:
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


def _open_session(
    session: Session, user: User, *, now: datetime, idle_timeout: timedelta
) -> SignedInUser:
    token = secrets.token_urlsafe(32)
    session.add(
        SignInSession(
            token_sha256=_token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            idle_timeout_s=idle_timeout.total_seconds(),
        )
    )
    session.flush()
    return _signed_in(session, user, token=token, expires_at=now + idle_timeout)


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


def authenticate(session: Session, token: str, *, now: datetime | None = None) -> User:
    """The active user behind a live session token; marks the session as used just now.

    Raises :class:`SessionExpired` when the token is unknown, signed out, idle
    for longer than its timeout, or its user was deactivated.
    """
    now = as_utc(now) if now else utc_now()
    record = session.scalars(
        select(SignInSession).where(SignInSession.token_sha256 == _token_hash(token))
    ).first()
    if record is None or record.ended_at is not None:
        raise SessionExpired("this session has ended; sign in again")
    idle = now - record.last_seen_at
    if idle > timedelta(seconds=record.idle_timeout_s):
        raise SessionExpired(
            f"the session expired after {idle.total_seconds() / 60:.0f} idle minutes; sign in again"
        )
    user = session.get(User, record.user_id)
    if user is None or not user.active:
        raise SessionExpired("this account is deactivated; ask an administrator")
    record.last_seen_at = max(record.last_seen_at, now)
    return user


def resume(store: Store, token: str, *, now: datetime | None = None) -> SignedInUser:
    """The signed-in user of a live session (refreshing its idle clock) or SessionExpired."""
    now = as_utc(now) if now else utc_now()
    with store.session() as session:
        user = authenticate(session, token, now=now)
        record = session.scalars(
            select(SignInSession).where(SignInSession.token_sha256 == _token_hash(token))
        ).one()
        timeout = timedelta(seconds=record.idle_timeout_s)
        return _signed_in(session, user, token=token, expires_at=now + timeout)


def sign_out(store: Store, token: str, *, now: datetime | None = None) -> None:
    """End a session; signing out twice is harmless."""
    now = as_utc(now) if now else utc_now()
    with store.session() as session:
        record = session.scalars(
            select(SignInSession).where(SignInSession.token_sha256 == _token_hash(token))
        ).first()
        if record is not None and record.ended_at is None:
            record.ended_at = now
            user = session.get(User, record.user_id)
            write_audit(session, actor=user.name if user else "?", action="sign-out", now=now)
