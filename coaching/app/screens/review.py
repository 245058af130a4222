"""The call review page: scorecard and notes, the player with jumps, transcript and charts."""

from __future__ import annotations

import streamlit as st

from coaching.app.screens.common import (
    attempt,
    call_id_from_query,
    get_store,
    opened_call,
    page_header,
    require_user,
)
from coaching.app.screens.player import call_charts, player_with_jumps, transcript
from coaching.app.screens.trust import scorecard_table
from coaching.app.views import call_label, overall_with_overrides, plain_markdown, scorecard_rows
from coaching.store.access import list_calls
from coaching.store.auth import SignedInUser
from coaching.store.views import CallSummary, CallView
from coaching.timing import clock

REVIEW_ROLES = ("operator", "coach", "admin")


def render() -> None:
    """The Call review page."""
    user = require_user(*REVIEW_ROLES)
    page_header(
        "Call review",
        "How a call went, what to keep and what to change, tied to moments in the call.",
    )
    store = get_store()
    calls = attempt(lambda: list_calls(store, user), what="list your calls") or []
    call_id = pick_call(calls, key="review_pick")
    if call_id is None:
        return
    view = opened_call(store, user, call_id)
    if view is None:
        return
    show_call(view, user)


def pick_call(calls: list[CallSummary], *, key: str) -> int | None:
    """A picker of the user's calls, or a call number typed in (the data layer decides)."""
    analysed = [c for c in calls if c.status == "analysed"]
    wanted = call_id_from_query()
    ids = [c.id for c in analysed]
    labels = {c.id: call_label(c) for c in analysed}
    pick, number = st.columns([4, 1])
    typed = number.number_input(
        "Or open call number",
        min_value=1,
        value=None,
        step=1,
        key=f"{key}_number",
        placeholder="e.g. 12",
    )
    if typed is not None:
        pick.caption(f"Showing call #{typed}. Clear the number to pick from your calls again.")
        return int(typed)
    if not analysed:
        st.info(
            "No analysed calls to review yet. Calls appear here once a coach analyses them "
            "on the Analyse calls page."
        )
        return wanted
    index = ids.index(wanted) if wanted in ids else 0
    chosen = pick.selectbox("Call", ids, index=index, format_func=labels.get, key=key)
    if chosen != wanted:
        st.query_params["call"] = str(chosen)
    return chosen


def show_call(view: CallView, user: SignedInUser, *, with_charts: bool = True) -> None:
    """Everything about one opened call that the review page shows."""
    report = view.report
    summary = view.summary
    if report is None:
        st.warning("This call has no report to show.")
        return
    columns = st.columns(4)
    overall = overall_with_overrides(view)
    columns[0].metric("Overall score", "n/a" if overall is None else f"{overall:.0f}")
    card = report.scorecard
    if card is not None and card.basis:
        st.caption(card.basis + (f" · would help: {card.advice}" if card.advice else ""))
    columns[1].metric("Duration", clock(summary.duration_s))
    columns[2].metric("Operator", summary.operator)
    columns[3].metric("Abuse flags", len(report.abuse))
    for warning in report.warnings:
        st.caption(f"⚠ {warning}")
    player_with_jumps(get_store(), user, view)
    tabs = st.tabs(
        ["Scorecard and notes", "Transcript", "Charts"]
        if with_charts
        else ["Scorecard and notes", "Transcript"]
    )
    with tabs[0]:
        scorecard_section(view)
    with tabs[1]:
        reveal = st.toggle(
            "Show flagged words unmasked",
            key=f"reveal_{summary.id}",
            help="Abusive words are masked; click one to reveal only that word.",
        )
        transcript(
            summary.id,
            report.utterances,
            language=report.language,
            flags=report.abuse,
            reveal=reveal,
        )
    if with_charts:
        with tabs[2]:
            call_charts(report)


def scorecard_section(view: CallView) -> None:
    """The scorecard table and the coaching notes with their times."""
    report = view.report
    rows = scorecard_rows(view)
    if not rows:
        st.info("This call has no scorecard yet.")
    else:
        st.dataframe(
            scorecard_table(rows),
            hide_index=True,
            width="stretch",
            column_config={
                "criterion": None,
                "score": st.column_config.ProgressColumn(
                    "score", min_value=0, max_value=100, format="%d"
                ),
            },
        )
    strengths = [n for n in report.notes if n.kind == "strength"]
    improve = [n for n in report.notes if n.kind == "improve"]
    left, right = st.columns(2)
    with left:
        st.markdown("**What went well**")
        for note in strengths:
            st.success(note.text, icon=":material/thumb_up:")
        if not strengths:
            st.caption("No strengths noted for this call.")
    with right:
        st.markdown("**What to try next time**")
        for note in improve:
            st.warning(note.text, icon=":material/lightbulb:")
        if not improve:
            st.caption("Nothing to improve was noted: keep it up.")
    if view.annotations:
        st.markdown("**Coach's notes**")
        for note in view.annotations:
            at = f"{clock(note.at_s)} · " if note.at_s is not None else ""
            text = plain_markdown(f"{note.text} — {note.author or 'a coach'}")
            st.info(f"{at}{text}", icon=":material/edit_note:")
