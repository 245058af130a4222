"""The operator's home page: their calls, and their metrics over time against their own usual."""

from __future__ import annotations

import streamlit as st

from coaching.app.charts import metric_trends, trend_chart
from coaching.app.history import report_history
from coaching.app.screens.common import attempt, get_store, page_header, require_user
from coaching.app.views import call_rows
from coaching.store.access import list_calls

REVIEW_PAGE = "pages/call_review.py"


def render() -> None:
    """The My calls page."""
    user = require_user("operator")
    page_header(
        "My calls",
        "Your analysed calls, newest first. Pick one to review it; "
        "below, how your delivery moves against your own usual.",
    )
    store = get_store()
    calls = attempt(lambda: list_calls(store, user), what="list your calls")
    if calls is None:
        return
    if not calls:
        st.info(
            "You have no analysed calls yet. Your coach adds them on the Analyse calls page; "
            "they appear here with a score and notes."
        )
        return
    calls_table(calls)
    st.subheader("My delivery over time")
    history = attempt(lambda: report_history(store, user), what="read your calls")
    if history:
        delivery_over_time(history)


def calls_table(calls) -> None:
    """The operator's calls; selecting a row offers to open its review."""
    rows = [r.to_dict() for r in call_rows(calls)]
    picked = st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="my_calls_table",
        column_config={
            "call": st.column_config.NumberColumn("call", format="#%d"),
            "operator": None,
            "score": st.column_config.ProgressColumn(
                "score", min_value=0, max_value=100, format="%d"
            ),
            "abuse_flags": st.column_config.NumberColumn("abuse flags"),
        },
    )
    selected = picked.selection.rows if picked is not None else []
    if selected:
        call_id = rows[selected[0]]["call"]
        if st.button(f"Review call #{call_id}", type="primary", icon=":material/graphic_eq:"):
            st.switch_page(REVIEW_PAGE, query_params={"call": str(call_id)})
    else:
        st.caption("Select a row to open that call's review.")


def delivery_over_time(history) -> None:
    """Charts of each metric across the operator's calls, and their usual values."""
    trends = metric_trends([(t.isoformat(), report) for t, report in history])
    if len(history) < 2:
        st.caption("Charts of your metrics appear once you have two or more calls.")
        return
    st.caption("Each point is one call, oldest on the left; the dashed line is your own median.")
    columns = st.columns(2)
    for index, trend in enumerate(trends):
        with columns[index % 2]:
            st.altair_chart(trend_chart(trend), width="stretch")
    baseline_table([report for _, report in history])


MEASURE_NAMES = {
    "overall_score": "overall score",
    "words_per_minute": "pace (words per minute)",
    "syllables_per_second": "pace (syllables per second)",
    "loudness_dbfs": "loudness",
    "pitch_sd_semitones": "pitch variation (SD)",
    "pitch_range_semitones": "pitch range (p5-p95)",
    "talk_share_percent": "talk share",
    "longest_dead_air_s": "longest dead air",
    "dead_air_percent": "dead air share",
    "overtalk_percent": "overtalk share",
    "overtalk_count": "overtalk stretches",
    "response_latency_s": "response time",
    "courtesy_percent": "courtesy",
    "caller_sentiment_change": "caller mood change",
    "operator_abuse_flags": "own language flags",
}


def baseline_table(reports) -> None:
    """Each measure's median over the operator's calls and where it is heading."""
    from coaching.scoring import personal_baseline

    baseline = personal_baseline(reports)
    rows = [
        {
            "measure": MEASURE_NAMES.get(m.metric, m.metric.replace("_", " ")),
            "your median": round(m.median, 2),
            "unit": m.unit,
            "trend": m.trend,
            "calls": len(m.values),
        }
        for m in baseline.metrics
        if m.median is not None
    ]
    if rows:
        st.markdown("**Your usual, call by call**")
        st.dataframe(rows, hide_index=True, width="stretch")
