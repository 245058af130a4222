"""Analysing calls from the app: keep the audio, run the pipeline, store the report.

Each file is handled on its own: a failure (bad audio, a refusal) is reported
for that file and the rest go on. Nothing is half-stored: the report is stored
in one transaction only after the analysis succeeded, and a copy of the audio
made for a failed analysis (or for audio already stored) is removed again.
Every recording, uploaded or read from an allowed import folder, is analysed
from the app's own content-addressed copy, so what is played later is what
was analysed (see :mod:`coaching.store.recordings`). Whether a recording is
already stored is the store's one rule (:mod:`coaching.store.ingest`), as for
batch runs and the demo.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from coaching.errors import CoachingError
from coaching.options import AnalysisOptions
from coaching.progress import ProgressHook
from coaching.serial import Serializable
from coaching.store.access import require_role, run_as
from coaching.store.auth import SignedInUser
from coaching.store.db import Store
from coaching.store.ingest import Analyser, ModelsNow, analyse_and_store
from coaching.store.recordings import keep_copy
from coaching.store.review import importable_files, store_analysed_call, stored_call_for
from coaching.types import CallReport

ADDING_ROLES = ("coach", "admin")  # as coaching.store.review.store_analysed_call allows
Analyze = Callable[..., CallReport]  # analyze_call's signature: (source, *, name, progress)


@dataclass(frozen=True)
class AnalysisOutcome(Serializable):
    """What happened to one file: stored (with the call id) or why not."""

    name: str
    call_id: int | None = None
    error: str | None = None
    already_stored: bool = False

    @property
    def message(self) -> str:
        if self.error:
            return f"{self.name}: {self.error}"
        if self.already_stored and self.call_id is None:
            return (
                f"{self.name}: this recording is already in the store; not analysed again "
                "(an admin can tell where it is filed)"
            )
        if self.already_stored:
            return f"{self.name}: already stored as call #{self.call_id}; not analysed again"
        return f"{self.name}: analysed and stored as call #{self.call_id}"


def keep_audio(data: bytes, name: str, *, audio_dir: Path) -> tuple[Path, bool]:
    """Save uploaded bytes under ``audio_dir`` by content hash; returns (path, newly written)."""
    return keep_copy(data, name, audio_dir=audio_dir)


def import_jobs(
    store: Store, user: SignedInUser, folder: str, *, audio_dir: Path
) -> list[tuple[str, Path, bool]]:
    """(name, managed copy, newly written) per audio file of an allowed import folder.

    The store decides which folders may be read (and answers alike for every
    refusal); each file is copied into the managed folder and analysed there.
    """
    if not folder.strip():
        raise CoachingError("type the path of a folder on the server first")
    jobs = []
    for path in importable_files(store, user, folder):
        kept, fresh = keep_copy(path.read_bytes(), path.name, audio_dir=audio_dir)
        jobs.append((path.name, kept, fresh))
    return jobs


def analyse_file(
    store: Store,
    user: SignedInUser,
    path: Path,
    *,
    display_name: str,
    operator: str,
    call_time: datetime,
    analyze: Analyze,
    options: AnalysisOptions,
    progress: ProgressHook | None = None,
    remove_on_failure: bool = False,
    models_now: ModelsNow | None = None,
) -> AnalysisOutcome:
    """Analyse one stored audio file and store its report as ``user`` (role-checked).

    ``models_now`` gives the models ``analyze`` uses (see :class:`Analyser`), so a
    call stored while a model fell back is analysed again once the model is there.
    """

    def find(digest: str) -> tuple[int | None, bool]:
        return stored_call_for(store, user, digest, options=options, models_now=models_now)

    def save(report: CallReport) -> int:
        return store_analysed_call(
            store, user, report, audio_ref=str(path), operator=operator.strip(), call_time=call_time
        )

    try:
        _may_add_calls(store, user)
        analyser = Analyser(analyze, options, models_now)
        done = analyse_and_store(
            store, path, analyser, save=save, find=find, name=display_name, progress=progress
        )
    except CoachingError as error:
        if remove_on_failure:
            path.unlink(missing_ok=True)
        return AnalysisOutcome(display_name, error=_plain(error, display_name))
    if done.already_stored and remove_on_failure:
        path.unlink(missing_ok=True)  # the copy made for this upload: the stored call has its own
    return AnalysisOutcome(display_name, call_id=done.call_id, already_stored=done.already_stored)


def _may_add_calls(store: Store, user: SignedInUser) -> None:
    """Refuse early (before any analysis) unless the data layer says the user may add calls."""
    run_as(
        store,
        user,
        lambda _session, actor, _at: require_role(actor, ADDING_ROLES, "add calls"),
        action="store-call",
    )


def _plain(error: CoachingError, name: str) -> str:
    """The error text without a leading path (the page already names the file)."""
    text = str(error).removeprefix(f"{name}: ")
    return re.sub(r"^\S+/(\S+): ", "", text)


def check_operator(name: str, known: Iterable[str]) -> str:
    """The operator name to file calls under; a plain error when it is empty."""
    cleaned = name.strip()
    if not cleaned:
        choices = ", ".join(sorted(known)) or "none yet"
        raise CoachingError(f"choose the operator who took these calls (known: {choices})")
    return cleaned
