"""The coach's workspace: team calls to review, annotations, score overrides, flags, export."""

from __future__ import annotations

import json

import streamlit as st

from coaching.app.screens.common import (
    attempt,
    forget_call,
    get_store,
    opened_call,
    page_header,
    require_user,
    succeeded,
)
from coaching.app.screens.player import player_with_jumps, transcript
from coaching.app.screens.review import pick_call, scorecard_section
from coaching.app.views import (
    call_rows,
    flag_rows,
    overall_with_overrides,
    parse_clock,
    plain_markdown,
    titled,
    when,
)
from coaching.store.access import list_calls
from coaching.store.auth import SignedInUser
from coaching.store.db import Store
from coaching.store.review import add_annotation, override_score, review_flag
from coaching.store.views import CallView
from coaching.timing import clock

COACH_ROLES = ("coach",)


def render() -> None:
    """The Coach workspace page."""
    user = require_user(*COACH_ROLES)
    page_header(
        "Coach workspace",
        f"Calls of team {user.team}: annotate moments, adjust scores "
        "with a reason, confirm or reject abuse flags, and export.",
    )
    store = get_store()
    calls = attempt(lambda: list_calls(store, user), what="list your team's calls")
    if calls is None:
        return
    if not calls:
        st.info("No calls for your team yet. Add some on the Analyse calls page.")
        return
    with st.expander(f"Team calls ({len(calls)})", expanded=False):
        st.dataframe(titled(call_rows(calls)), hide_index=True, width="stretch")
    call_id = pick_call(calls, key="coach_pick")
    if call_id is None:
        return
    view = opened_call(store, user, call_id)
    if view is None or view.report is None:
        return
    report = view.report
    overall = overall_with_overrides(view)
    st.markdown(
        f"**{view.summary.operator}** · {when(view.summary.call_time)} · "
        f"{clock(view.summary.duration_s)} · score "
        f"{'n/a' if overall is None else f'{overall:.0f}'} · {len(report.abuse)} abuse flag(s)"
    )
    player_with_jumps(store, user, view)
    tabs = st.tabs(["Annotate", "Scores", "Abuse flags", "Transcript", "Export"])
    with tabs[0]:
        annotate(store, user, view)
    with tabs[1]:
        scorecard_section(view)
        override(store, user, view)
    with tabs[2]:
        flags(store, user, view)
    with tabs[3]:
        transcript(
            call_id, report.utterances, language=report.language, flags=report.abuse, key="coach_tx"
        )
    with tabs[4]:
        export(view)


def annotate(store: Store, user: SignedInUser, view: CallView) -> None:
    """A note at a time in the call, for the operator to read beside their scorecard."""
    with st.form(f"annotate_{view.summary.id}", clear_on_submit=True):
        at = st.text_input("At (mm:ss, empty for the whole call)", key="annotation_at")
        text = st.text_area(
            "Note for the operator",
            key="annotation_text",
            placeholder="e.g. Lovely recovery here: you acknowledged the delay.",
        )
        sent = st.form_submit_button("Add annotation", type="primary")
    if sent:
        try:
            at_s = parse_clock(at) if at.strip() else None
        except ValueError as error:
            st.error(str(error))
            return
        if succeeded(
            lambda: add_annotation(store, user, view.summary.id, text=text, at_s=at_s),
            what="add the annotation",
        ):
            forget_call(view.summary.id)
            st.rerun()
    for note in view.annotations:
        at = "whole call" if note.at_s is None else clock(note.at_s)
        author = plain_markdown(note.author or "a coach")
        st.markdown(f"- **{at}** {plain_markdown(note.text)} — _{author}_")
    if not view.annotations:
        st.caption("No annotations on this call yet.")


def override(store: Store, user: SignedInUser, view: CallView) -> None:
    """Replace one criterion's score, with the reason the operator will see."""
    criteria = view.report.scorecard.criteria if view.report.scorecard else ()
    if not criteria:
        return
    with st.form(f"override_{view.summary.id}"):
        st.markdown("**Adjust a score**")
        chosen = st.selectbox(
            "Criterion", [c.id for c in criteria], format_func={c.id: c.label for c in criteria}.get
        )
        score = st.slider("New score", 0, 100, 75)
        reason = st.text_input("Reason (shown to the operator)")
        sent = st.form_submit_button("Save score")
    if sent and succeeded(
        lambda: override_score(
            store, user, view.summary.id, criterion_id=chosen, score=float(score), reason=reason
        ),
        what="change the score",
    ):
        forget_call(view.summary.id)
        st.rerun()


def flags(store: Store, user: SignedInUser, view: CallView) -> None:
    """Each abuse flag with confirm and reject buttons; verdicts feed the wellbeing counts."""
    rows = flag_rows(view)
    if not rows:
        st.info("No abuse was flagged in this call.")
        return
    st.caption(
        "Confirmed and unreviewed caller flags count towards the operator's exposure; "
        "rejected ones do not."
    )
    for row in rows:
        left, confirm, reject = st.columns([6, 1, 1], vertical_alignment="center")
        left.markdown(
            f"**{row.at}** {row.category} by {row.speaker}, severity {row.severity:.2f} "
            f"· _{row.verdict}{' by ' + row.reviewer if row.reviewer else ''}_"
        )
        for column, verdict, label in (
            (confirm, "confirmed", "Confirm"),
            (reject, "rejected", "Reject"),
        ):
            if column.button(
                label, key=f"flag_{view.summary.id}_{row.index}_{verdict}"
            ) and succeeded(
                lambda v=verdict, i=row.index: review_flag(
                    store, user, view.summary.id, flag_index=i, verdict=v
                ),
                what="review the flag",
            ):
                forget_call(view.summary.id)
                st.rerun()


def export(view: CallView) -> None:
    """The scorecard as a shareable HTML page and the report as JSON."""
    from coaching.report.html import render_scorecard_html

    report = view.report
    stem = f"call-{view.summary.id}"
    st.download_button(
        "Scorecard (HTML)",
        lambda: render_scorecard_html(report),
        file_name=f"{stem}.html",
        mime="text/html",
        icon=":material/download:",
    )
    st.download_button(
        "Report (JSON)",
        lambda: json.dumps(report.to_dict(), ensure_ascii=False, indent=1),
        file_name=f"{stem}.json",
        mime="application/json",
        icon=":material/data_object:",
    )
    st.caption("The HTML page holds the scorecard, notes and charts; the JSON is the full report.")
