"""Team view: each criterion per operator per week, against their own baseline and the team."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from coaching.app.screens.common import attempt, get_store, page_header, require_user
from coaching.app.views import titled
from coaching.store.team_view import team_weeks

ROLES = ("coach", "admin")


def render() -> None:
    """The Team view page."""
    user = require_user(*ROLES)
    page_header(
        "Team view",
        "Each criterion per operator per week (median of the week's calls, coaches' overrides "
        "applied), against the operator's own baseline and the team's median that week.",
    )
    store = get_store()
    rows = attempt(lambda: team_weeks(store, user), what="see the team view")
    if rows is None:
        return
    if not rows:
        st.info("No scored calls for the team yet.")
        return
    criteria = sorted({r.criterion for r in rows})
    spread = {c: max(r.score for r in rows if r.criterion == c) - min(
        r.score for r in rows if r.criterion == c) for c in criteria}  # fmt: skip
    start = criteria.index(max(criteria, key=spread.get))  # open on the one that moves most
    criterion = st.selectbox("Criterion", criteria, index=start, key="team_criterion")
    chosen = [r for r in rows if r.criterion == criterion]
    table = pd.DataFrame(titled(chosen)).drop(columns=["criterion"])
    chart = table.pivot_table(index="week", columns="operator", values="score")
    chart["team median"] = table.groupby("week")["team median"].first()
    st.line_chart(chart, y_label=f"{criterion} score (0-100)")
    st.dataframe(
        table.round(1),
        hide_index=True,
        width="stretch",
        column_config={
            "vs baseline": st.column_config.NumberColumn(format="%+.0f"),
            "vs team": st.column_config.NumberColumn(format="%+.0f"),
        },
    )
    st.caption("Baseline: the operator's median over every week shown. Negative: below it.")
