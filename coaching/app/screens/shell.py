"""The app's frame: the sign-in form, the pages of the signed-in role, signing out."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from coaching.app.screens.common import get_store
from coaching.app.sessions import (
    NOTICE_KEY,
    attempt_sign_in,
    current_user,
    end_session,
    pages_for,
    still_signed_in,
)
from coaching.store.auth import DEFAULT_IDLE_TIMEOUT, SignInError

APP_TITLE = "Call coaching"
SESSION_CHECK_ENV = "COACHING_SESSION_CHECK_S"  # seconds between session checks (default 60)


def run_app(app_dir: Path) -> None:
    """Draw the sign-in form, or the signed-in role's navigation and current page."""
    st.set_page_config(page_title=APP_TITLE, page_icon=":material/support_agent:", layout="wide")
    store = get_store()
    user = current_user(st.session_state, store)
    if user is None:
        st.navigation([st.Page(sign_in_page, title="Sign in", icon=":material/login:")]).run()
        return
    pages = [
        st.Page(str(app_dir / spec.script), title=spec.title, icon=spec.icon, default=index == 0)
        for index, spec in enumerate(pages_for(user.role))
    ]
    with st.sidebar:
        st.markdown(
            f"**{user.name}** · {user.role}" + (f" · team {user.team}" if user.team else "")
        )
        st.caption(f"Signs out after {_idle_minutes()} idle minutes.")
        if st.button("Sign out", icon=":material/logout:", key="sign_out"):
            end_session(st.session_state, store)
            drop_media()
            st.rerun()
        _watch_session()
    st.navigation(pages).run()


@st.fragment(run_every=float(os.environ.get(SESSION_CHECK_ENV) or 60))
def _watch_session() -> None:
    """Once a minute, end the page when the session expired (idle, lifetime, deactivated):
    the full rerun that follows shows no recording, so Streamlit drops its /media files."""
    if not still_signed_in(st.session_state, get_store()):
        drop_media()
        st.rerun(scope="app")


def drop_media() -> None:
    """Forget this session's /media files now; each is deleted once no session shows it."""
    from streamlit.runtime import Runtime, exists

    if exists():
        manager = Runtime.instance().media_file_mgr
        manager.clear_session_refs()
        manager.remove_orphaned_files()


def _idle_minutes() -> int:
    return int(DEFAULT_IDLE_TIMEOUT.total_seconds() // 60)


def sign_in_page() -> None:
    """Name and password; a failed attempt says so without telling which part was wrong."""
    st.title(APP_TITLE)
    st.caption("Review recorded calls, coach operators and look after their wellbeing.")
    notice = st.session_state.get(NOTICE_KEY)
    if notice:
        st.info(notice)
    with st.form("sign_in", border=True):
        st.subheader("Sign in")
        name = st.text_input("User name", key="sign_in_name")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            attempt_sign_in(
                st.session_state, get_store(), name, password, client=st.context.ip_address
            )
        except SignInError as error:
            st.error(f"Sign-in failed: {error}.")
            return
        st.rerun()
    st.caption(
        "No account yet? An administrator adds users in the app or with "
        "`coaching users add NAME --role operator|coach|wellbeing|admin`."
    )
