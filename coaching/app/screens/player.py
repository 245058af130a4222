"""Widgets shared by the review pages: the audio player with jumps, transcript, charts."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from coaching.app.audio import ICONS, JumpTarget, jump_targets
from coaching.app.charts import delivery_chart, delivery_points, timeline_chart, timeline_spans
from coaching.app.screens.common import heard_call
from coaching.app.transcript import TRANSCRIPT_CSS, utterance_html
from coaching.app.views import plain_markdown
from coaching.store.auth import SignedInUser
from coaching.store.db import Store
from coaching.store.views import CallView
from coaching.timing import clock
from coaching.types import AbuseFlag, CallReport, Utterance


def _start_key(call_id: int) -> str:
    return f"play_from_{call_id}"


def jump_to(call_id: int, seconds: float) -> None:
    """Make the call's player start at ``seconds`` on the next draw."""
    st.session_state[_start_key(call_id)] = max(0.0, float(seconds))
    st.session_state[f"jumped_{call_id}"] = True


def audio_player(store: Store, user: SignedInUser, call_id: int) -> None:
    """The whole recording (checked by the store), starting where the last jump said."""
    clips = heard_call(store, user, call_id)
    if not clips:
        return
    clip = clips[0]
    start = st.session_state.get(_start_key(call_id), 0.0)
    st.audio(
        clip.data,
        format=clip.mime,
        start_time=start,
        autoplay=bool(st.session_state.get(f"jumped_{call_id}")),
    )
    st.caption(f"Player position: starts at {clock(start)}")


def jump_buttons(call_id: int, targets: Sequence[JumpTarget], *, per_row: int = 4) -> None:
    """One button per note, flag or annotation; a click moves the player there."""
    if not targets:
        st.caption("No notes or flags to jump to in this call.")
        return
    for first in range(0, len(targets), per_row):
        columns = st.columns(per_row)
        row = targets[first : first + per_row]
        for offset, (column, target) in enumerate(zip(columns, row, strict=False)):
            column.button(
                target.button_label,
                key=f"jump_{call_id}_{first + offset}",
                icon=target.icon,
                on_click=jump_to,
                args=(call_id, target.at_s),
                width="stretch",
            )


def player_with_jumps(store: Store, user: SignedInUser, view: CallView) -> None:
    """The call's player and a button per note, flag and timed coach annotation."""
    call_id = view.summary.id
    audio_player(store, user, call_id)
    targets = jump_targets(view.report) if view.report else []
    targets += [
        JumpTarget(
            "annotation", a.at_s, f"coach: {plain_markdown(a.text[:24])}", ICONS["annotation"]
        )
        for a in view.annotations
        if a.at_s is not None
    ]
    jump_buttons(call_id, sorted(targets, key=lambda t: t.at_s))


def transcript(
    call_id: int,
    utterances: Sequence[Utterance],
    *,
    language: str,
    flags: Sequence[AbuseFlag] = (),
    reveal: bool = False,
    show_sentiment: bool = True,
    with_play: bool = True,
    key: str = "tx",
) -> None:
    """The transcript by speaker; ▶ plays from that utterance; masked words reveal on click."""
    if not utterances:
        st.info("No speech was transcribed in this call.")
        return
    st.html(TRANSCRIPT_CSS)
    for index, utterance in enumerate(utterances):
        play, text = st.columns([1, 14], vertical_alignment="center")
        if with_play:
            play.button(
                "",
                icon=":material/play_arrow:",
                key=f"{key}_{call_id}_{index}",
                help=f"Play from {clock(utterance.start)}",
                on_click=jump_to,
                args=(call_id, utterance.start),
            )
        text.html(
            utterance_html(
                utterance,
                language=language,
                flags=flags,
                reveal=reveal,
                show_sentiment=show_sentiment,
            )
        )


def call_charts(report: CallReport) -> None:
    """Pitch, loudness and pace through the call, and the timeline of talk, silence and flags."""
    st.markdown("**Timeline**: who spoke when, dead air, overtalk and abuse flags")
    spans = timeline_spans(report)
    if spans:
        st.altair_chart(timeline_chart(spans, duration_s=report.duration_s), width="stretch")
    points = delivery_points(report)
    st.markdown("**Delivery through the call**: one point per utterance")
    if points:
        st.altair_chart(delivery_chart(points), width="stretch")
    else:
        st.info("No per-utterance delivery was measured in this call.")
