"""Administration from the app: users and erasure, for signed-in admins only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from coaching.errors import StoreError
from coaching.store.access import require_role, run_as
from coaching.store.audit import write_audit
from coaching.store.auth import DEFAULT_HASHER, SignedInUser, UserInfo, create_user, list_users
from coaching.store.auth import set_active as _set_active
from coaching.store.calls import ensure_team, find_operator
from coaching.store.db import Store
from coaching.store.recordings import add_import_folder, import_roots, remove_import_folder
from coaching.store.retention import ErasureReport, erase_call, erase_operator
from coaching.store.schema import Team, User, utc_now

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
    return _run_as_admin(
        store,
        user,
        what="add users",
        action="user-add",
        now=now,
        work=lambda session, actor: create_user(
            session, name, role=role, password=password, team=team, actor=actor.name, hasher=hasher
        ),
    )


def users(store: Store, user: SignedInUser, *, now: datetime | None = None) -> list[UserInfo]:
    """Every user (admin only)."""
    return _run_as_admin(
        store,
        user,
        what="list users",
        action="user-list",
        now=now,
        work=lambda session, _actor: list_users(session),
    )


def set_active(
    store: Store, user: SignedInUser, name: str, active: bool, *, now: datetime | None = None
) -> None:
    """Activate or deactivate a user (admin only)."""
    _run_as_admin(
        store,
        user,
        what="activate or deactivate users",
        action="user-activate",
        now=now,
        work=lambda session, actor: _set_active(session, name, active, actor=actor.name),
    )


def set_operator_team(
    store: Store,
    user: SignedInUser,
    operator: str,
    team: str | None,
    *,
    now: datetime | None = None,
) -> None:
    """Move an operator (with all their calls) to ``team``, or to no team (admin only)."""

    def move(session: Session, actor: User) -> None:
        found = find_operator(session, operator)
        if found is None:
            raise StoreError(f"no operator called {operator!r}; see the operators of stored calls")
        before = session.get(Team, found.team_id).name if found.team_id else None
        found.team_id = ensure_team(session, team).id if team else None
        write_audit(
            session,
            actor=actor.name,
            action="operator-team",
            target=found.name,
            detail={"from": before, "to": team},
        )

    _run_as_admin(
        store, user, what="move operators between teams", action="operator-team", now=now, work=move
    )


def import_folders(store: Store, user: SignedInUser, *, now: datetime | None = None) -> list[Path]:
    """The server folders the "folder on the server" option may read (admin only)."""
    return _run_as_admin(
        store, user, what="see import folders", action="import-folders", now=now,
        work=lambda session, _actor: import_roots(session),
    )  # fmt: skip


def allow_import_folder(
    store: Store, user: SignedInUser, folder: str, *, now: datetime | None = None
) -> Path:
    """Let coaches analyse recordings in ``folder`` on the server (admin only)."""

    def allow(session: Session, actor: User) -> Path:
        path = add_import_folder(session, folder, actor=actor.name, now=utc_now())
        write_audit(session, actor=actor.name, action="import-folder-add", target=str(path))
        return path

    return _run_as_admin(
        store, user, what="allow import folders", action="import-folder-add", now=now, work=allow
    )


def disallow_import_folder(
    store: Store, user: SignedInUser, folder: str, *, now: datetime | None = None
) -> None:
    """Stop coaches reading ``folder`` (admin only); the default import folder stays."""

    def disallow(session: Session, actor: User) -> None:
        remove_import_folder(session, folder)
        write_audit(session, actor=actor.name, action="import-folder-remove", target=folder)

    _run_as_admin(
        store, user, what="remove import folders", action="import-folder-remove", now=now,
        work=disallow,
    )  # fmt: skip


def erase_call_as(
    store: Store,
    user: SignedInUser,
    call_id: int,
    *,
    now: datetime | None = None,
    audio_root: Path | None = None,
) -> ErasureReport:
    """Erase one call (admin only)."""
    _run_as_admin(store, user, what="erase calls", action="erase-call", call_id=call_id, now=now)
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
    _run_as_admin(store, user, what="erase operators", action="erase-operator", now=now)
    return erase_operator(store, name, actor=user.name, audio_root=audio_root)


def _run_as_admin(
    store: Store,
    user: SignedInUser,
    *,
    what: str,
    action: str,
    now: datetime | None,
    work: Callable[[Session, User], Any] | None = None,
    call_id: int | None = None,
) -> Any:
    """``work(session, actor)`` run as ``user`` once the data layer confirms an admin
    (``what`` names the refused action in the error and the audit log)."""

    def checked(session: Session, actor: User, _at: datetime) -> Any:
        require_role(actor, ADMIN, what)
        return None if work is None else work(session, actor)

    return run_as(store, user, checked, action=action, call_id=call_id, now=now)
