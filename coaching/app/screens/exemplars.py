"""What worked: de-escalation moments; coaches search and pin them, operators learn from them."""

from __future__ import annotations

import streamlit as st

from coaching.app.feedback_views import exemplar_label, exemplar_rows, exemplar_transcript
from coaching.app.screens.common import attempt, get_store, page_header, require_user, succeeded
from coaching.app.views import titled
from coaching.scoring.exemplar_cues import TOPICS
from coaching.store.auth import SignedInUser
from coaching.store.db import Store
from coaching.store.exemplars import (
    ExemplarView,
    pin_exemplar,
    pinned_exemplars,
    pinned_snippet,
    search_exemplars,
    unpin_exemplar,
)

ROLES = ("operator", "coach", "admin")
LANGUAGES = ("en", "vi", "ru", "zh")


def render() -> None:
    """The What worked page."""
    user = require_user(*ROLES)
    page_header(
        "What worked",
        "Calls where an upset or abusive caller ended calm, and what the operator said just "
        "before the caller's mood turned. Text is redacted and abuse bleeped.",
    )
    store = get_store()
    left, right = st.columns(2)
    language = left.selectbox("Language", (None, *LANGUAGES), format_func=_any, key="ex_lang")
    topic = right.selectbox("Topic", (None, *TOPICS, "other"), format_func=_any, key="ex_topic")
    if user.role == "operator":
        pinned(store, user, language, topic)
        return
    tabs = st.tabs(["Pinned for the team", "Search calls"])
    with tabs[0]:
        pinned(store, user, language, topic)
    with tabs[1]:
        search(store, user, language, topic)


def _any(value: str | None) -> str:
    return "any" if value is None else value


def pinned(store: Store, user: SignedInUser, language: str | None, topic: str | None) -> None:
    views = attempt(
        lambda: pinned_exemplars(store, user, language=language, topic=topic),
        what="browse exemplars",
    )
    if not views:
        st.info("No exemplars pinned for your team yet." if views is not None else "")
        return
    for view in views:
        with st.expander(exemplar_label(view), expanded=len(views) == 1):
            show(view)
            play(store, user, view)
            unpin = user.role == "coach" and st.button("Unpin", key=f"unpin_{view.pin_id}")
            if unpin and succeeded(
                lambda v=view: unpin_exemplar(store, user, v.pin_id), what="unpin"
            ):
                st.rerun()


def show(view: ExemplarView) -> None:
    e = view.exemplar
    before = "?" if e.sentiment_before is None else f"{e.sentiment_before:+.0f}"
    after = "?" if e.sentiment_after is None else f"{e.sentiment_after:+.0f}"
    who = f" · {view.operator}" if view.operator else ""
    st.caption(f"{e.reason} · caller mood {before} → {after}{who}")
    st.markdown(exemplar_transcript(view))


def play(store: Store, user: SignedInUser, view: ExemplarView) -> None:
    if not st.toggle("Play the bleeped snippet", key=f"play_{view.pin_id}"):
        return
    clip = attempt(lambda: pinned_snippet(store, user, view.pin_id), what="hear the snippet")
    if clip is not None:
        st.audio(clip.data, format=clip.mime)


def search(store: Store, user: SignedInUser, language: str | None, topic: str | None) -> None:
    views = attempt(
        lambda: search_exemplars(store, user, language=language, topic=topic),
        what="search exemplars",
    )
    if not views:
        st.info("No de-escalation moments found." if views is not None else "")
        return
    st.dataframe(titled(exemplar_rows(views)), hide_index=True, width="stretch")
    for view in views:
        with st.expander(exemplar_label(view)):
            show(view)
            if user.role == "coach" and view.pin_id is None:
                at = view.exemplar.turn_at_s
                if st.button("Pin for my team", key=f"pin_{view.call_id}") and succeeded(
                    lambda v=view, at=at: pin_exemplar(store, user, v.call_id, at_s=at),
                    what="pin",
                ):
                    st.rerun()
