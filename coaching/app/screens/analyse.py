"""Analyse calls: upload recordings or name a server folder, pick the operator and time, run."""

from __future__ import annotations

from datetime import datetime, time, timezone
from pathlib import Path

import streamlit as st

from coaching.app.analyse import (
    AnalysisOutcome,
    analyse_file,
    check_operator,
    import_jobs,
    keep_audio,
)
from coaching.app.screens.common import attempt, get_models, get_store, page_header, require_user
from coaching.errors import CoachingError
from coaching.options import AnalysisOptions
from coaching.store.access import list_calls
from coaching.store.auth import SignedInUser
from coaching.store.db import Store, managed_audio_dir

ANALYSE_ROLES = ("coach", "admin")
NEW_OPERATOR = "➕ another operator..."


def render() -> None:
    """The Analyse calls page."""
    user = require_user(*ANALYSE_ROLES)
    page_header(
        "Analyse calls",
        "Upload recordings (or name a folder on the server), say who "
        "took them and when, and store their reports.",
    )
    store = get_store()
    known = sorted(
        {c.operator for c in attempt(lambda: list_calls(store, user), what="list calls") or []}
    )
    uploads, folder = recordings_input()
    operator = operator_picker(known)
    day, clock_time = st.columns(2)
    date_value = day.date_input("Call date", key="analyse_date")
    time_value = clock_time.time_input("Call time (UTC)", value=time(9, 0), key="analyse_time")
    if not st.button("Analyse", type="primary", icon=":material/play_arrow:", key="analyse_run"):
        st.caption(
            "Each file gets its own progress bar; a file that fails is named with the "
            "reason and the others go on."
        )
        return
    call_time = datetime.combine(date_value, time_value, tzinfo=timezone.utc)
    try:
        operator = check_operator(operator, known)
        jobs = (
            upload_jobs(uploads)
            if folder is None
            else import_jobs(store, user, folder, audio_dir=managed_audio_dir())
        )
    except CoachingError as error:
        st.error(str(error))
        return
    outcomes = [run_job(store, user, job, operator=operator, call_time=call_time) for job in jobs]
    stored = sum(1 for o in outcomes if o.call_id is not None)
    st.info(f"{stored} of {len(outcomes)} file(s) stored for {operator}.")


def recordings_input() -> tuple[list, str | None]:
    """Uploaded files, or (when the folder option is chosen) a folder path on the server."""
    source = st.radio(
        "Recordings",
        ["Upload files", "Folder on the server"],
        horizontal=True,
        key="analyse_source",
    )
    if source == "Upload files":
        uploads = st.file_uploader(
            "Audio files (WAV, MP3, FLAC, OGG/Opus, M4A)",
            accept_multiple_files=True,
            type=["wav", "mp3", "flac", "ogg", "opus", "m4a"],
            key="analyse_files",
        )
        return list(uploads or []), None
    folder = st.text_input(
        "Folder path on the server",
        key="analyse_folder",
        placeholder="an import folder an admin allowed, e.g. data/import/2024-05-02",
        help="Only folders an admin allowed can be read (by default the data directory's "
        "import folder); the app analyses and keeps its own copy of each recording.",
    )
    return [], folder


def operator_picker(known: list[str]) -> str:
    """A known operator, or a new name typed in."""
    choice = st.selectbox(
        "Operator who took the calls", [*known, NEW_OPERATOR], key="analyse_operator"
    )
    if choice == NEW_OPERATOR:
        return st.text_input("Operator name", key="analyse_new_operator")
    return choice


def upload_jobs(uploads) -> list[tuple[str, Path, bool]]:
    """(name, kept path, newly written) per upload, kept in the data directory's audio folder."""
    if not uploads:
        raise CoachingError("choose one or more audio files to upload first")
    jobs = []
    for upload in uploads:
        try:
            path, fresh = keep_audio(upload.getvalue(), upload.name, audio_dir=managed_audio_dir())
        except CoachingError as error:
            st.error(str(error))
            continue
        jobs.append((upload.name, path, fresh))
    return jobs


def run_job(
    store: Store,
    user: SignedInUser,
    job: tuple[str, Path, bool],
    *,
    operator: str,
    call_time: datetime,
) -> AnalysisOutcome:
    """One file with its own progress bar; the outcome is shown under it."""
    name, path, fresh = job
    bar = st.progress(0.0, text=f"{name}: waiting")

    def progress(step: str, done: int, total: int) -> None:
        bar.progress(min(1.0, done / max(total, 1)), text=f"{name}: {step}")

    outcome = analyse_file(
        store,
        user,
        path,
        display_name=name,
        operator=operator,
        call_time=call_time,
        analyze=_analyze,
        options=AnalysisOptions(),
        progress=progress,
        remove_on_failure=fresh,
        models_now=_models_now,
    )
    bar.progress(1.0, text=f"{name}: {'failed' if outcome.error else 'done'}")
    (st.error if outcome.error else st.success)(outcome.message)
    return outcome


def _models_now():
    from coaching.pipeline import models_used

    return models_used(get_models(), AnalysisOptions())


def _analyze(path: Path, *, name: str, progress) -> object:
    from coaching.pipeline import analyze_call

    return analyze_call(
        path, models=get_models(), options=AnalysisOptions(), progress=progress, name=name
    )
