"""What every page needs: the store, the signed-in user, models, plain error messages."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from coaching.app.sessions import NOTICE_KEY, USER_KEY, current_user
from coaching.errors import AccessDenied, CoachingError
from coaching.store.access import open_call
from coaching.store.auth import SessionExpired, SignedInUser
from coaching.store.db import Store, database_url, open_store
from coaching.store.media import AudioClip, call_audio
from coaching.store.views import CallView

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _store_at(url: str) -> Store:
    return open_store(url)


def get_store() -> Store:
    """The store of this server (``$COACHING_DATA_DIR`` / ``$COACHING_DB_URL``), opened once."""
    return _store_at(database_url())


@st.cache_resource(show_spinner="Loading the speech models (once per server)...")
def get_models():
    """The models of the default analysis options, loaded once per server process."""
    from coaching.options import AnalysisOptions
    from coaching.registry import models_for

    return models_for(AnalysisOptions())


def require_user(*roles: str) -> SignedInUser:
    """The live signed-in user with one of ``roles``; otherwise a plain message and stop."""
    user = current_user(st.session_state, get_store())
    if user is None:
        st.info(st.session_state.get(NOTICE_KEY) or "Please sign in first.")
        st.stop()
    if roles and user.role not in roles:
        st.warning(
            f"This page is for {' and '.join(roles)} users; you are signed in as {user.role}."
        )
        st.stop()
    return user


def attempt(work: Callable[[], T], *, what: str) -> T | None:
    """Run a data-layer call; show refusals and errors as plain messages (None when failed)."""
    try:
        return work()
    except SessionExpired as expired:
        st.session_state.pop(USER_KEY, None)
        st.session_state[NOTICE_KEY] = str(expired)
        st.warning(f"{expired}. Reload the page to sign in.")
    except AccessDenied as denied:
        st.error(f"You cannot {what}: {denied}.")
    except CoachingError as error:
        st.error(f"Could not {what}: {error}")
    return None


def succeeded(work: Callable[[], object], *, what: str) -> bool:
    """Like :func:`attempt` for actions: True when ``work`` ran without an error."""
    failed = object()

    def run() -> object:
        work()
        return failed

    return attempt(run, what=what) is failed


OPENED = "opened_calls"
HEARD = "heard_calls"
KEEP_OPENED_S = 120.0


def _kept(bucket: str, key: tuple, load: Callable[[], T | None]) -> T | None:
    """``load()`` kept in this session for :data:`KEEP_OPENED_S`; failures are not kept."""
    kept_here = st.session_state.setdefault(bucket, {})
    kept = kept_here.get(key)
    if kept is None or time.monotonic() - kept[0] > KEEP_OPENED_S:
        value = load()
        if value is None:
            kept_here.pop(key, None)
            return None
        kept = kept_here[key] = (time.monotonic(), value)
    return kept[1]


def opened_call(
    store: Store, user: SignedInUser, call_id: int, *, unmasked: bool = False
) -> CallView | None:
    """The call as opened in this session: one audit entry per opening, not per click.

    The view is kept for :data:`KEEP_OPENED_S` so that others' changes (a coach's
    note) still show up soon; refusals are shown plainly and not kept.
    :func:`forget_call` drops a call after a change made here.
    """
    return _kept(
        OPENED,
        (user.name, call_id, unmasked),
        lambda: attempt(
            lambda: open_call(store, user, call_id, unmasked=unmasked),
            what=f"open call {call_id}",
        ),
    )


def heard_call(
    store: Store, user: SignedInUser, call_id: int, *, unmasked: bool = False
) -> tuple[AudioClip, ...] | None:
    """The audio of a call the user may hear (checked and cut by the store), kept a while."""
    return _kept(
        HEARD,
        (user.name, call_id, unmasked),
        lambda: attempt(
            lambda: call_audio(store, user, call_id, unmasked=unmasked),
            what=f"play call {call_id}",
        ),
    )


def forget_call(call_id: int) -> None:
    """Drop a call's opened view after it changed (annotation, override, flag review)."""
    opened = st.session_state.get(OPENED, {})
    for key in [k for k in opened if k[1] == call_id]:
        del opened[key]


def page_header(title: str, caption: str) -> None:
    """The page's title and one line saying what it is for."""
    st.title(title)
    st.caption(caption)


def call_id_from_query() -> int | None:
    """The ``?call=ID`` of the page's address, if it is a number."""
    value = st.query_params.get("call")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
