"""Scorecard feedback: operators acknowledge or dispute, coaches answer disputes."""

from __future__ import annotations

import streamlit as st

from coaching.app.feedback_views import dispute_rows
from coaching.app.screens.common import (
    attempt,
    forget_call,
    get_store,
    opened_call,
    page_header,
    require_user,
    succeeded,
)
from coaching.app.screens.review import pick_call
from coaching.app.screens.trust import scorecard_table
from coaching.app.views import scorecard_rows, titled
from coaching.store.access import list_calls
from coaching.store.auth import SignedInUser
from coaching.store.db import Store
from coaching.store.disputes import (
    DisputeView,
    acknowledge_scorecard,
    call_feedback,
    dispute_criterion,
    list_disputes,
    resolve_dispute,
    team_feedback,
)

ROLES = ("operator", "coach", "admin")


def render() -> None:
    """The Scorecard feedback page."""
    user = require_user(*ROLES)
    page_header(
        "Scorecard feedback",
        "Operators acknowledge their scorecards or dispute a criterion; coaches accept "
        "(with a new score) or decline with a reply. Every step is in the audit log.",
    )
    store = get_store()
    if user.role == "operator":
        operator_view(store, user)
    else:
        inbox(store, user)


def operator_view(store: Store, user: SignedInUser) -> None:
    calls = attempt(lambda: list_calls(store, user), what="list your calls")
    if not calls:
        st.info("No calls of yours yet.")
        return
    call_id = pick_call(calls, key="feedback_pick")
    view = opened_call(store, user, call_id) if call_id else None
    if view is None or view.report is None:
        return
    rows = scorecard_rows(view)
    st.dataframe(
        scorecard_table(rows), hide_index=True, width="stretch", column_config={"criterion": None}
    )
    feedback = attempt(lambda: call_feedback(store, user, call_id), what="read the feedback")
    if feedback is None:
        return
    if feedback.acknowledged_at:
        st.success(f"You acknowledged this scorecard on {feedback.acknowledged_at:%Y-%m-%d}.")
    elif st.button("Acknowledge scorecard", type="primary", key="ack") and succeeded(
        lambda: acknowledge_scorecard(store, user, call_id), what="acknowledge"
    ):
        st.rerun()
    with st.form("dispute"):
        st.markdown("**Dispute a criterion**")
        labels = {r.criterion: r.label for r in rows}
        criterion = st.selectbox("Criterion", list(labels), format_func=labels.get, key="dis_c")
        comment = st.text_area("Why is the score wrong?", key="dis_text")
        if st.form_submit_button("Send to my coach") and succeeded(
            lambda: dispute_criterion(
                store, user, call_id, criterion_id=criterion, comment=comment
            ),
            what="dispute",
        ):
            st.rerun()
    if feedback.disputes:
        st.markdown("**Your disputes on this call**")
        st.dataframe(titled(dispute_rows(feedback.disputes)), hide_index=True, width="stretch")


def inbox(store: Store, user: SignedInUser) -> None:
    counts = attempt(lambda: team_feedback(store, user), what="count feedback")
    if counts:
        st.dataframe(titled(counts), hide_index=True, width="stretch")
    disputes = attempt(lambda: list_disputes(store, user), what="list disputes") or []
    waiting = [d for d in disputes if d.status == "open"]
    st.subheader(f"Open disputes ({len(waiting)})")
    if not waiting:
        st.caption("Nothing waiting for an answer.")
    for dispute in waiting:
        with st.expander(f"Call {dispute.call_id} · {dispute.operator} · {dispute.criterion_id}"):
            st.markdown(f"> {dispute.comment}")
            if user.role == "coach":
                answer(store, user, dispute)
    done = [d for d in disputes if d.status != "open"]
    if done:
        st.subheader("Answered")
        st.dataframe(titled(dispute_rows(done)), hide_index=True, width="stretch")


def answer(store: Store, user: SignedInUser, dispute: DisputeView) -> None:
    key = f"answer_{dispute.id}"
    reply = st.text_input("Reply to the operator", key=f"{key}_reply")
    score = st.number_input("New score (when accepting)", 0, 100, 70, key=f"{key}_score")
    accept, decline = st.columns(2)
    if accept.button("Accept and override", key=f"{key}_yes", type="primary") and succeeded(
        lambda: resolve_dispute(
            store, user, dispute.id, accept=True, reply=reply, score=float(score)
        ),
        what="accept the dispute",
    ):
        forget_call(dispute.call_id)
        st.rerun()
    if decline.button("Decline", key=f"{key}_no") and succeeded(
        lambda: resolve_dispute(store, user, dispute.id, accept=False, reply=reply),
        what="decline the dispute",
    ):
        st.rerun()
