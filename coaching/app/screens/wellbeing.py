"""Wellbeing: exposure to abusive callers per operator, alerts, and a protective drill-down."""

from __future__ import annotations

import streamlit as st

from coaching.app.exposure_view import exposure_rows, period_chart, period_points, sorted_alerts
from coaching.app.screens.common import (
    attempt,
    get_store,
    heard_call,
    opened_call,
    page_header,
    require_user,
)
from coaching.app.screens.player import transcript
from coaching.app.views import call_label, titled
from coaching.store.access import list_calls
from coaching.store.exposure import exposure
from coaching.timing import clock

WELLBEING_ROLES = ("wellbeing", "admin")


def render() -> None:
    """The Wellbeing page."""
    user = require_user(*WELLBEING_ROLES)
    page_header(
        "Wellbeing",
        "Who has been exposed to abusive callers, how much and how "
        "recently. Rejected flags do not count; unreviewed ones do.",
    )
    store = get_store()
    exposures = attempt(lambda: exposure(store, user), what="see exposure")
    if exposures is None:
        return
    if not exposures:
        st.info("No operators yet. Exposure appears here once calls are analysed.")
        return
    alerts = sorted_alerts(exposures)
    for alert in alerts:
        show = st.error if alert.level == "urgent" else st.warning
        show(f"**{alert.operator}**: {alert.message}", icon=":material/notifications_active:")
    if not alerts:
        st.success("No alerts: nobody is past a threshold today.", icon=":material/check_circle:")
    rows = exposure_rows(exposures)
    st.dataframe(titled(rows), hide_index=True, width="stretch")
    st.caption("Exposure load adds category weight × severity per flag, halving every 72 hours.")
    daily, weekly = st.tabs(["Per day", "Per week"])
    with daily:
        st.altair_chart(
            period_chart(period_points(exposures), measure="abusive_calls", title="abusive calls"),
            width="stretch",
        )
    with weekly:
        st.altair_chart(
            period_chart(
                period_points(exposures, weekly=True),
                measure="abusive_minutes",
                title="abusive minutes",
            ),
            width="stretch",
        )
    drill_down(store, user, [r.operator for r in rows])


def drill_down(store, user, operators: list[str]) -> None:
    """One operator's abusive calls, flagged parts only, masked and bleeped unless revealed."""
    st.subheader("What they heard")
    operator = st.selectbox("Operator", operators, key="wb_operator")
    calls = attempt(lambda: list_calls(store, user, operator=operator), what="list the calls") or []
    if not calls:
        st.info(f"No abusive calls for {operator}.")
        return
    chosen = st.selectbox(
        "Call",
        [c.id for c in calls],
        key="wb_call",
        format_func={c.id: call_label(c) for c in calls}.get,
    )
    protective = st.toggle(
        "Protective mode (mask words, bleep flagged audio)", value=True, key=f"wb_protect_{chosen}"
    )
    view = opened_call(store, user, chosen, unmasked=not protective)
    clips = heard_call(store, user, chosen, unmasked=not protective) or ()
    if view is None:
        return
    st.caption(
        "Only the flagged parts, with a second either side; the rest of the call, its "
        "scores and its transcript are not shown to wellbeing staff."
    )
    for segment in view.segments:
        flag = segment.flag
        st.markdown(
            f"**{clock(flag.start)}–{clock(flag.end)}** · {flag.category} · severity "
            f"{flag.severity:.2f} · {segment.verdict or 'not reviewed'}"
        )
        clip = next((c for c in clips if c.start_s <= flag.start < (c.end_s or 1e12)), None)
        if clip is not None:
            st.audio(clip.data, format=clip.mime)
            bleeped = " · flagged words bleeped" if clip.bleeped else ""
            st.caption(f"clip {clock(clip.start_s)}–{clock(clip.end_s or 0)}{bleeped}")
        transcript(
            chosen,
            segment.utterances,
            language=view.summary.language or "en",
            flags=(flag,),
            reveal=not protective,
            show_sentiment=False,
            with_play=False,
            key=f"wb_tx_{segment.index}",
        )
