"""Administration from the app: users and erasure, for signed-in admins only."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from coaching.store.access import require_role, run_as
from coaching.store.auth import DEFAULT_HASHER, SignedInUser, UserInfo, create_user, list_users
from coaching.store.auth import set_active as _set_active
from coaching.store.db import Store
from coaching.store.retention import ErasureReport, erase_call, erase_operator
from coaching.store.schema import User

ADMIN = ("admin",)


def add_user(
    store: Store,
    user: SignedInUser,
    name: str,
    *,
    role: str,
    password: str,
    team: str | None = None,
    now: datetime | None = None,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> UserInfo:
    """Add a user (admin only)."""

    def work(session: Session, actor: User, _at: datetime) -> Any:
        require_role(actor, ADMIN, "add users")
        return create_user(
            session, name, role=role, password=password, team=team, actor=actor.name, hasher=hasher
        )

    return run_as(store, user, work, action="user-add", now=now)


def users(store: Store, user: SignedInUser, *, now: datetime | None = None) -> list[UserInfo]:
    """Every user (admin only)."""

    def work(session: Session, actor: User, _at: datetime) -> Any:
        require_role(actor, ADMIN, "list users")
        return list_users(session)

    return run_as(store, user, work, action="user-list", now=now)


def set_active(
    store: Store, user: SignedInUser, name: str, active: bool, *, now: datetime | None = None
) -> None:
    """Activate or deactivate a user (admin only)."""

    def work(session: Session, actor: User, _at: datetime) -> Any:
        require_role(actor, ADMIN, "activate or deactivate users")
        _set_active(session, name, active, actor=actor.name)

    run_as(store, user, work, action="user-activate", now=now)


def erase_call_as(
    store: Store,
    user: SignedInUser,
    call_id: int,
    *,
    now: datetime | None = None,
    audio_root: Path | None = None,
) -> ErasureReport:
    """Erase one call (admin only)."""
    run_as(
        store,
        user,
        lambda _s, actor, _at: require_role(actor, ADMIN, "erase calls"),
        action="erase-call",
        call_id=call_id,
        now=now,
    )
    return erase_call(store, call_id, actor=user.name, audio_root=audio_root)


def erase_operator_as(
    store: Store,
    user: SignedInUser,
    name: str,
    *,
    now: datetime | None = None,
    audio_root: Path | None = None,
) -> ErasureReport:
    """Erase everything about one operator (admin only)."""
    run_as(
        store,
        user,
        lambda _s, actor, _at: require_role(actor, ADMIN, "erase operators"),
        action="erase-operator",
        now=now,
    )
    return erase_operator(store, name, actor=user.name, audio_root=audio_root)
