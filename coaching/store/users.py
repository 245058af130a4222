"""Users: adding them (normalised names, strong passwords), listing, (de)activating."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from coaching.errors import StoreError
from coaching.serial import Serializable
from coaching.store.audit import system_actor, write_audit
from coaching.store.calls import ensure_operator, ensure_team
from coaching.store.names import clean_name, confusable_with, name_key
from coaching.store.passwords import DEFAULT_HASHER, hash_password
from coaching.store.schema import ROLES, Operator, SignInSession, Team, User, utc_now


@dataclass(frozen=True)
class UserInfo(Serializable):
    name: str
    role: str
    team: str | None
    active: bool
    operator: str | None
    created_at: datetime


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
    """Add a user; an operator-role user is linked to the operator of the same name.

    The name is normalised (see :mod:`.names`); a name equal, case-blind, to an
    existing user's or only looking like one is refused, and so is a weak password.
    """
    name = clean_name(name, what="user name")
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if role == "coach" and not team:
        raise StoreError(f"coach {name!r} needs a team (--team T): coaches see their team's calls")
    _refuse_taken_name(session, name)
    team_row = ensure_team(session, team) if team else None
    user = User(
        name=name,
        role=role,
        team_id=team_row.id if team_row else None,
        password_hash=hash_password(password, user_name=name, hasher=hasher),
        active=True,
        created_at=utc_now(),
    )
    session.add(user)
    try:
        session.flush()
    except SQLAlchemyError as error:
        raise StoreError(f"could not add user {name!r}: {type(error.orig).__name__}") from None
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


def _refuse_taken_name(session: Session, name: str) -> None:
    names = list(session.scalars(select(User.name)))
    if any(name_key(other) == name_key(name) for other in names):
        raise StoreError(f"a user called {name!r} already exists; pick another name")
    if confusable_with(name, names) is not None:
        raise StoreError(
            f"the user name {name!r} looks like an existing user's name spelt with other "
            "characters; pick a clearly different name"
        )


def _link_operator(session: Session, user: User, team: str | None) -> None:
    operator = ensure_operator(session, user.name, team=team)
    if team and operator.team_id is None:
        operator.team_id = user.team_id  # an admin adding the user places the operator
    elif team and operator.team_id != user.team_id:
        raise StoreError(
            f"operator {operator.name!r} belongs to another team; move them first "
            "(an admin can, on the Users page) or leave out --team"
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
    """Activate or deactivate a user; deactivation ends their sessions for good
    (reactivating them later does not bring an old session back)."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise StoreError(f"no user called {name!r}; see `coaching users list`")
    user.active = active
    if not active:
        session.execute(
            update(SignInSession)
            .where(SignInSession.user_id == user.id, SignInSession.ended_at.is_(None))
            .values(ended_at=utc_now())
        )
    write_audit(
        session,
        actor=actor or system_actor(),
        action="user-activate" if active else "user-deactivate",
        target=name,
    )
