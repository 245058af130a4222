"""Administration: users (add, deactivate, reactivate) and the retention purge."""

from __future__ import annotations

import streamlit as st

from coaching.app.screens.common import attempt, get_store, page_header, require_user, succeeded
from coaching.app.views import titled, user_rows
from coaching.store.access import require_role, run_as
from coaching.store.admin import (
    add_user,
    allow_import_folder,
    disallow_import_folder,
    import_folders,
    set_active,
    set_operator_team,
    users,
)
from coaching.store.auth import SignedInUser
from coaching.store.db import Store, managed_audio_dir
from coaching.store.retention import ErasureReport, purge_older_than
from coaching.store.schema import ROLES

DEFAULT_RETENTION_DAYS = 90
NOTICE = "admin_notice"


def _done(message: str) -> None:
    """Show ``message`` after redrawing the page with the change applied."""
    st.session_state[NOTICE] = message
    st.rerun()


def render() -> None:
    """The Users and retention page."""
    user = require_user("admin")
    page_header(
        "Users and retention",
        "Add and deactivate users; purge calls past the "
        "retention period. Every change is written to the audit log.",
    )
    store = get_store()
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(notice)
    people = attempt(lambda: users(store, user), what="list users")
    if people is None:
        return
    st.dataframe(titled(user_rows(people)), hide_index=True, width="stretch")
    left, right = st.columns(2)
    with left:
        add_form(store, user)
    with right:
        activation(store, user, [p.name for p in people if p.name != user.name])
    st.divider()
    folders_form(store, user)
    operator_team_form(store, user)
    st.divider()
    purge_form(store, user)


def folders_form(store: Store, user: SignedInUser) -> None:
    """The server folders coaches may analyse recordings from ("folder on the server")."""
    st.subheader("Import folders")
    allowed = attempt(lambda: import_folders(store, user), what="list import folders") or []
    st.caption(
        "Coaches can name only these folders (or folders inside them) on the server; "
        "the first is the data directory's own import folder and always allowed."
    )
    st.code("\n".join(str(path) for path in allowed) or "-", language=None)
    new, gone = st.columns(2)
    folder = new.text_input("Allow a folder", key="import_folder_add")
    if new.button("Allow", key="import_folder_allow") and succeeded(
        lambda: allow_import_folder(store, user, folder), what="allow the folder"
    ):
        _done(f"Coaches may now analyse recordings in {folder}.")
    extra = [str(path) for path in allowed[1:]]
    if extra:
        drop = gone.selectbox("Stop allowing", extra, key="import_folder_drop")
        if gone.button("Remove", key="import_folder_remove") and succeeded(
            lambda: disallow_import_folder(store, user, drop), what="remove the folder"
        ):
            _done(f"{drop} is no longer an import folder.")


def operator_team_form(store: Store, user: SignedInUser) -> None:
    """Move an operator (with all their calls) to a team: only admins may."""
    st.subheader("Operator's team")
    name, team = st.columns(2)
    operator = name.text_input("Operator", key="operator_team_name")
    target = team.text_input("Team (empty: no team)", key="operator_team_team")
    if st.button("Move operator", key="operator_team_move") and succeeded(
        lambda: set_operator_team(store, user, operator, target.strip() or None),
        what="move the operator",
    ):
        _done(f"{operator} is now in {target.strip() or 'no team'}.")


def add_form(store: Store, user: SignedInUser) -> None:
    """A new user with a role, a team (needed for coaches) and a first password."""
    with st.form("add_user", clear_on_submit=True):
        st.markdown("**Add a user**")
        name = st.text_input("User name", key="new_user_name")
        role = st.selectbox("Role", ROLES, key="new_user_role")
        team = st.text_input("Team (operators and coaches)", key="new_user_team")
        password = st.text_input(
            "First password (8+ characters)", type="password", key="new_user_password"
        )
        sent = st.form_submit_button("Add user", type="primary")
    if sent and succeeded(
        lambda: add_user(
            store, user, name, role=role, password=password, team=team.strip() or None
        ),
        what="add the user",
    ):
        _done(f"Added {name} ({role}).")


def activation(store: Store, user: SignedInUser, names: list[str]) -> None:
    """Deactivate (ends their sessions at once) or reactivate a user."""
    st.markdown("**Deactivate or reactivate**")
    if not names:
        st.caption("No other users yet.")
        return
    name = st.selectbox("User", names, key="activation_user")
    off, on = st.columns(2)
    if off.button("Deactivate", key="deactivate") and succeeded(
        lambda: set_active(store, user, name, False), what="deactivate the user"
    ):
        _done(f"{name} is deactivated and signed out.")
    if on.button("Reactivate", key="reactivate") and succeeded(
        lambda: set_active(store, user, name, True), what="reactivate the user"
    ):
        _done(f"{name} can sign in again.")


def purge_as(store: Store, user: SignedInUser, *, days: float) -> ErasureReport:
    """The retention purge, after the data layer confirmed the user is an admin."""
    run_as(
        store,
        user,
        lambda _s, actor, _at: require_role(actor, ("admin",), "purge calls"),
        action="purge",
    )
    return purge_older_than(store, days=days, actor=user.name, audio_root=managed_audio_dir())


def purge_form(store: Store, user: SignedInUser) -> None:
    """Remove calls older than the retention period, with their audio and derived data."""
    st.subheader("Retention")
    days = st.number_input(
        "Keep calls for (days)", min_value=1, value=DEFAULT_RETENTION_DAYS, key="retention_days"
    )
    sure = st.checkbox(
        f"I understand that calls older than {days} days are deleted for good", key="retention_sure"
    )
    if st.button("Purge old calls", disabled=not sure, key="purge"):
        report = attempt(lambda: purge_as(store, user, days=float(days)), what="purge old calls")
        if report is not None:
            st.success(
                f"Removed {len(report.call_ids)} call(s) and "
                f"{len(report.audio_deleted)} audio file(s)."
            )
