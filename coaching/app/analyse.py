"""Analysing calls from the app: keep the audio, run the pipeline, store the report.

Each file is handled on its own: a failure (bad audio, a refusal) is reported
for that file and the rest go on. Nothing is half-stored: the report is stored
in one transaction only after the analysis succeeded, and a copy of the audio
made for a failed analysis (or for audio already stored) is removed again.
Every recording, uploaded or read from an allowed import folder, is analysed
from the app's own content-addressed copy, so what is played later is what
was analysed (see :mod:`coaching.store.recordings`).
"""

from __future__ import annotations

import hashlib
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


def settings_digest(options: AnalysisOptions, report: CallReport | None = None) -> str:
    """The settings hash the batch runner files calls under, so it skips app-analysed calls."""
    from coaching.batch.settings import RunSettings, expected_asr, settings_of_report

    settings = RunSettings(options=options, asr=expected_asr(options.model))
    if report is not None:
        settings = settings_of_report(settings, report.to_dict())
    return settings.digest()


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
) -> AnalysisOutcome:
    """Analyse one stored audio file and store its report as ``user`` (role-checked)."""
    try:
        _may_add_calls(store, user)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        stored, exists = stored_call_for(store, user, digest)
        if exists:
            if remove_on_failure:  # the copy made for this upload: the stored call has its own
                path.unlink(missing_ok=True)
            return AnalysisOutcome(display_name, call_id=stored, already_stored=True)
        report = analyze(path, name=display_name, progress=progress)
        call_id = store_analysed_call(
            store,
            user,
            report,
            audio_ref=str(path),
            operator=operator.strip(),
            call_time=call_time,
            settings_hash=settings_digest(options, report),
        )
    except CoachingError as error:
        if remove_on_failure:
            path.unlink(missing_ok=True)
        return AnalysisOutcome(display_name, error=_plain(error, display_name))
    return AnalysisOutcome(display_name, call_id=call_id)


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
