"""Calibration: coaches score the same calls blind, then see how far they agree."""

from __future__ import annotations

import streamlit as st

from coaching.app.feedback_views import (
    LEVEL_CHOICES,
    agreement_rows,
    divergence_rows,
    level_label,
)
from coaching.app.screens.common import attempt, get_store, page_header, require_user, succeeded
from coaching.app.views import call_label, titled
from coaching.store.access import list_calls
from coaching.store.auth import SignedInUser
from coaching.store.calibration import (
    RoundView,
    list_rounds,
    open_round,
    round_agreement,
    score_call,
    start_round,
    submit_round,
    team_coaches,
)
from coaching.store.db import Store

ROLES = ("coach", "admin")


def render() -> None:
    """The Calibration page."""
    user = require_user(*ROLES)
    page_header(
        "Calibration",
        "Coaches score the same calls blind; then Krippendorff's α shows how far they agree "
        "with each other and with the auto-score. α ≥ 0.67 over 10+ calls marks a criterion "
        "trusted.",
    )
    store = get_store()
    rounds = attempt(lambda: list_rounds(store, user), what="list calibration rounds")
    if rounds is None:
        return
    with st.expander("Start a round", expanded=not rounds):
        start_form(store, user)
    if not rounds:
        st.info("No calibration rounds yet: start one above.")
        return
    labels = {r.id: f"#{r.id} {r.title} · team {r.team} · {r.calls} calls" for r in rounds}
    round_id = st.selectbox("Round", list(labels), format_func=labels.get, key="calib_round")
    view = attempt(lambda: open_round(store, user, round_id), what="open the round")
    if view is None:
        return
    st.caption(
        f"Coaches: {', '.join(view.summary.coaches)} · submitted: "
        f"{', '.join(view.summary.submitted) or 'nobody yet'}"
    )
    if view.participant and not view.submitted:
        scoring(store, user, view)
    else:
        agreement(store, user, view)


def start_form(store: Store, user: SignedInUser) -> None:
    calls = attempt(lambda: list_calls(store, user), what="list calls") or []
    coaches = attempt(lambda: team_coaches(store, user), what="list coaches") or {}
    analysed = {c.id: c for c in calls if c.status == "analysed"}
    with st.form("calib_start"):
        title = st.text_input("Title", placeholder="e.g. March, week 2", key="calib_title")
        picked = st.multiselect(
            "Calls", list(analysed), format_func=lambda i: call_label(analysed[i]),
            key="calib_calls",
        )  # fmt: skip
        names = sorted({name for team in coaches.values() for name in team})
        who = st.multiselect("Coaches (two or more)", names, default=names[:2], key="calib_who")
        if st.form_submit_button("Start round", type="primary") and succeeded(
            lambda: start_round(store, user, title=title, call_ids=picked, coaches=who),
            what="start the round",
        ):
            st.success("Round started. Each coach now scores it blind.")


def scoring(store: Store, user: SignedInUser, view: RoundView) -> None:
    """Blind scoring: the coach's own levels only, until they submit."""
    st.info(
        "Score each criterion from 1 (poor) to 5 (excellent), or n/a. The other coaches' "
        "scores and the auto-score stay hidden until you submit.",
        icon=":material/visibility_off:",
    )
    for call in view.calls:
        with st.form(f"calib_{view.summary.id}_{call.call_id}"):
            st.markdown(f"**Call {call.call_id}** · {call.operator} · {call.language or '?'}")
            st.markdown(
                f":material/headphones: [Listen in Call review](call_review?call={call.call_id})"
            )
            columns = st.columns(3)
            levels = {}
            for n, (criterion, label) in enumerate(call.criteria):
                mine = call.mine.get(criterion, 3)
                levels[criterion] = columns[n % 3].selectbox(
                    label, LEVEL_CHOICES, index=LEVEL_CHOICES.index(mine),
                    format_func=level_label, key=f"calib_{call.call_id}_{criterion}",
                )  # fmt: skip
            if st.form_submit_button("Save scores") and succeeded(
                lambda call=call, levels=levels: score_call(
                    store, user, view.summary.id, call.call_id, levels=levels
                ),
                what="save the scores",
            ):
                st.success("Saved.")
    if st.button("Submit my scores", type="primary", key="calib_submit") and succeeded(
        lambda: submit_round(store, user, view.summary.id), what="submit"
    ):
        st.rerun()


def agreement(store: Store, user: SignedInUser, view: RoundView) -> None:
    """Agreement per criterion, and the calls to talk about."""
    table = attempt(lambda: round_agreement(store, user, view.summary.id), what="see agreement")
    if table is None:
        return
    if not any(a.coaches for a in table):
        st.info("No coach has submitted this round yet.")
        return
    st.subheader("Agreement per criterion")
    st.dataframe(titled(agreement_rows(table)), hide_index=True, width="stretch")
    st.caption(
        "α: Krippendorff's alpha (ordinal); κ: Cohen's kappa with quadratic weights (two "
        "coaches). n/a: too little variation to tell."
    )
    rows = divergence_rows(table)
    if rows:
        st.subheader("Where scores differ most")
        st.dataframe(titled(rows), hide_index=True, width="stretch")
