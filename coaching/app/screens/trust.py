"""The "auto-score" mark on scorecards: trusted, or coach review (from calibration rounds)."""

from __future__ import annotations

import time
from collections.abc import Sequence

import streamlit as st

from coaching.app.feedback_views import trust_column
from coaching.app.screens.common import attempt, get_store
from coaching.app.sessions import current_user
from coaching.app.views import ScoreRow
from coaching.store.calibration import trust_marks

MARKS_KEY = "trust_marks"
KEEP_S = 60.0


def current_marks() -> dict[str, str]:
    """The calibration marks per criterion, re-read at most once a minute per session."""
    kept = st.session_state.get(MARKS_KEY)
    if kept is None or time.monotonic() - kept[0] > KEEP_S:
        store = get_store()
        user = current_user(st.session_state, store)
        marks = (
            attempt(lambda: trust_marks(store, user), what="read the trust marks") if user else None
        )
        kept = st.session_state[MARKS_KEY] = (time.monotonic(), marks or {})
    return kept[1]


def scorecard_table(rows: Sequence[ScoreRow]) -> list[dict]:
    """Scorecard rows as table rows with the "auto-score" mark of each criterion."""
    marks = trust_column([r.criterion for r in rows], current_marks())
    return [{**row.to_dict(), "auto-score": mark} for row, mark in zip(rows, marks, strict=True)]
