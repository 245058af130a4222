"""Analysing calls from the app: keep the audio, run the pipeline, store the report.

Each file is handled on its own: a failure (bad audio, a refusal) is reported
for that file and the rest go on. Nothing is half-stored: the report is stored
in one transaction only after the analysis succeeded, and a copy of the audio
made for a failed analysis is removed again.
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
from coaching.store.calls import find_by_hash
from coaching.store.db import Store
from coaching.store.review import store_analysed_call
from coaching.types import CallReport

AUDIO_SUFFIXES = (".wav", ".mp3", ".flac", ".ogg", ".opus", ".m4a", ".aac", ".webm")
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
        if self.already_stored:
            return f"{self.name}: already stored as call #{self.call_id}; not analysed again"
        return f"{self.name}: analysed and stored as call #{self.call_id}"


def keep_audio(data: bytes, name: str, *, audio_dir: Path) -> tuple[Path, bool]:
    """Save uploaded bytes under ``audio_dir`` by content hash; returns (path, newly written)."""
    if not data:
        raise CoachingError(f"{name}: the file is empty; upload the recording itself")
    digest = hashlib.sha256(data).hexdigest()
    suffix = Path(name).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ".audio"
    audio_dir.mkdir(parents=True, exist_ok=True)
    target = audio_dir / f"{digest[:32]}{suffix}"
    if target.exists():
        return target, False
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(data)
    partial.replace(target)
    return target, True


def audio_files(folder: str | Path) -> list[Path]:
    """The audio files directly inside ``folder``, by name; a plain error if it is no folder."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise CoachingError(f"{folder}: no such folder on the server; give a folder path there")
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file())
    if not files:
        raise CoachingError(
            f"{folder}: no audio files there (looked for {', '.join(AUDIO_SUFFIXES)})"
        )
    return files


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
        stored = _already_stored(store, path)
        if stored is not None:
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


def _already_stored(store: Store, path: Path) -> int | None:
    """The id of an analysed call with the same audio (any settings), if one is stored."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with store.session() as session:
        found = find_by_hash(session, digest)
    return found.id if found else None


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
