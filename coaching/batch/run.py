"""The batch coordinator: plan, skip what is stored, analyse the rest, file every outcome.

A run is resumable: a call the store already holds (its one identity rule,
:mod:`coaching.store.identity`: audio, options, models used, version) is skipped,
so an interrupted run simply starts again. Hashing a file needs only its bytes;
anything but a regular file (a FIFO, a device, a folder, a broken link) is refused
before it is opened. The backend starts only when a call needs analysing or was
stored while a model fell back (then the backend's models decide). A call that
fails is recorded in the store with its reason and listed at the end; the run goes
on. A second copy of the same audio in one run waits for the first: skipped if that
is stored, failed (with its own record, naming the first) if that failed. Only this
coordinator writes to the store; workers hand back :class:`CallReport` outcomes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tqdm import tqdm

from coaching.audio.files import require_regular_file
from coaching.batch.manifest import CallJob
from coaching.batch.settings import RunSettings, expected_asr
from coaching.batch.tasks import Backend, CallOutcome, CallTask
from coaching.errors import AudioError, CoachingError, StoreError
from coaching.options import AnalysisOptions
from coaching.progress import ProgressBar, progress_bar
from coaching.serial import Serializable
from coaching.store.calls import package_version, record_failure
from coaching.store.db import Store
from coaching.store.identity import options_digest
from coaching.store.ingest import failure_settings_hash, find_stored_analysis, store_report
from coaching.transcript.model_files import file_sha256


@dataclass(frozen=True)
class FailedCall(Serializable):
    path: str
    reason: str


@dataclass(frozen=True)
class BatchResult(Serializable):
    """What a run did: counts, the failures with their reasons, and its throughput."""

    total: int
    analysed: int
    skipped: int
    failed: tuple[FailedCall, ...]
    audio_s: float  # audio analysed in this run
    wall_s: float  # time spent analysing (planning and skipping left out)

    @property
    def calls_per_minute(self) -> float:
        return 60.0 * self.analysed / self.wall_s if self.wall_s else 0.0

    @property
    def audio_hours_per_hour(self) -> float:
        return self.audio_s / self.wall_s if self.wall_s else 0.0


@dataclass(frozen=True)
class _Planned:
    job: CallJob
    settings: RunSettings
    audio_sha256: str


def run_batch(
    jobs: Sequence[CallJob],
    *,
    store: Store,
    backend: Backend,
    options: AnalysisOptions,
    echo: bool = True,
) -> BatchResult:
    """Analyse ``jobs`` on ``backend`` into ``store``; the backend starts only if needed."""
    coordinator = _Coordinator(store, RunSettings(options, expected_asr(options.transcript.model)))
    with ExitStack() as stack:
        bar = stack.enter_context(progress_bar(total=len(jobs), disable=not echo))

        @cache
        def started() -> Backend:
            stack.enter_context(backend)
            for notice in getattr(backend, "notices", ()):
                tqdm.write(f"note: {notice}")
            return backend

        @cache
        def models_now():
            return started().models_used()

        has_models = callable(getattr(backend, "models_used", None))
        pending = coordinator.plan(jobs, bar, models_now if has_models else None)
        if pending:
            coordinator.analyse(pending, started(), bar)
    return coordinator.result(len(jobs))


class _Coordinator:
    def __init__(self, store: Store, settings: RunSettings) -> None:
        self.store = store
        self.settings = settings
        self.version = package_version()
        self.failed: list[FailedCall] = []
        self.duplicates: dict[int, list[_Planned]] = {}  # index of the first copy -> the others
        self.skipped = 0
        self.analysed = 0
        self.audio_s = 0.0
        self.wall_s = 0.0

    def plan(self, jobs: Sequence[CallJob], bar: ProgressBar, models_now) -> list[_Planned]:
        """Hash every file and keep the calls the store does not hold yet."""
        bar.set_description("checking the store")
        pending, first_of, unreadable = [], {}, []
        asked = self.settings.asked_models()
        with self.store.session() as session:
            for job in jobs:
                settings = self.settings.for_options(job.options_for(self.settings.options))
                try:
                    digest = _hash_regular_file(job.path)
                except CoachingError as error:
                    unreadable.append((_Planned(job, settings, ""), str(error)))
                    bar.update(1)
                    continue
                planned = _Planned(job, settings, digest)
                key = (digest, options_digest(settings.options))
                found = find_stored_analysis(
                    session,
                    digest,
                    options=settings.options,
                    models_now=models_now,
                    asked=asked,
                    package_version=self.version,
                )
                if found is not None:
                    self.skipped += 1
                    bar.update(1)
                elif key in first_of:
                    self.duplicates.setdefault(first_of[key], []).append(planned)
                else:
                    first_of[key] = len(pending)
                    pending.append(planned)
        for planned, reason in unreadable:
            self._fail(planned, reason)
        return pending

    def analyse(self, pending: list[_Planned], backend: Backend, bar: ProgressBar) -> None:
        bar.set_description(f"analysing ({backend.name})")
        tasks = [
            CallTask(index, str(planned.job.path), planned.settings.options)
            for index, planned in enumerate(pending)
        ]
        started = time.perf_counter()
        for outcome in backend.run(tasks):
            failure = self._file(pending[outcome.index], outcome)
            copies = self.duplicates.pop(outcome.index, [])
            self._file_copies(pending[outcome.index], copies, failure)
            self.wall_s = time.perf_counter() - started
            bar.update(1 + len(copies))
            bar.set_postfix_str(self._rates(), refresh=False)

    def _file_copies(self, first: _Planned, copies: list[_Planned], failure: str | None) -> None:
        """Copies of a call's audio share its fate: skipped if it was stored, else failed."""
        if failure is None:
            self.skipped += len(copies)
            return
        for copy in copies:
            # No hash: the store keys the record by this copy's own path, so the first
            # file's failure record is not overwritten.
            self._fail(
                _Planned(copy.job, copy.settings, ""),
                f"{copy.job.path}: the same audio as {first.job.path} (a duplicate in this "
                f"run), which failed: {failure}",
            )

    def _file(self, planned: _Planned, outcome: CallOutcome) -> str | None:
        """Store the outcome; the reason it failed, or None once it is stored."""
        if outcome.report is None:
            reason = outcome.error or "no report and no reason"
            self._fail(planned, reason)
            return reason
        try:
            with self.store.session() as session:
                store_report(
                    session,
                    outcome.report,
                    audio_ref=str(planned.job.path),
                    operator=planned.job.operator,
                    call_time=planned.job.call_time,
                )
        except StoreError as error:
            self.failed.append(FailedCall(str(planned.job.path), str(error)))
            tqdm.write(f"FAILED {error}")
            return str(error)
        self.analysed += 1
        self.audio_s += outcome.audio_s
        return None

    def _fail(self, planned: _Planned, reason: str) -> None:
        self.failed.append(FailedCall(str(planned.job.path), reason))
        tqdm.write(f"FAILED {reason}")
        try:
            with self.store.session() as session:
                record_failure(
                    session,
                    audio_ref=str(planned.job.path),
                    operator=planned.job.operator,
                    call_time=planned.job.call_time,
                    settings_hash=failure_settings_hash(planned.settings.options),
                    error=reason,
                    audio_sha256=planned.audio_sha256 or None,
                    package_version=self.version,
                )
        except StoreError as error:
            tqdm.write(f"  (and the failure could not be recorded: {error})")

    def _rates(self) -> str:
        now = self.result(0)
        return (
            f"{now.calls_per_minute:.1f} calls/min, {now.audio_hours_per_hour:.2f} audio h/h, "
            f"{len(self.failed)} failed"
        )

    def result(self, total: int) -> BatchResult:
        return BatchResult(
            total=total,
            analysed=self.analysed,
            skipped=self.skipped,
            failed=tuple(self.failed),
            audio_s=self.audio_s,
            wall_s=self.wall_s,
        )


def _hash_regular_file(path: Path) -> str:
    """The file's SHA-256; a refusal or a read error as a :class:`CoachingError` naming it."""
    require_regular_file(path)
    try:
        return file_sha256(path)
    except OSError as error:
        raise AudioError(
            str(path), f"cannot be read ({error.strerror or error})", hint="check its permissions"
        ) from None


def format_result(result: BatchResult, *, source: Path | None = None) -> str:
    """A short human summary of a run, listing every failed call with its reason."""
    head = f"{source}: " if source else ""
    lines = [
        f"{head}{result.total} call(s): {result.analysed} analysed, {result.skipped} already "
        f"stored (skipped), {len(result.failed)} failed",
    ]
    if result.analysed:
        lines.append(
            f"throughput: {result.calls_per_minute:.1f} calls/min, "
            f"{result.audio_hours_per_hour:.2f} audio hours per hour"
        )
    if result.failed:
        lines.append("failed calls:")
        lines += [
            f"  {f.reason}" if f.path in f.reason else f"  {f.path}: {f.reason}"
            for f in result.failed
        ]
    return "\n".join(lines)
