"""The unit of work every backend runs: one call in, a :class:`CallReport` or an error out.

Workers never touch the store; they hand back a :class:`CallOutcome` and the
coordinator files it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from coaching.errors import CoachingError
from coaching.options import AnalysisOptions
from coaching.registry import Models
from coaching.serial import Serializable
from coaching.types import CallReport, ModelInfo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelSpec(Serializable):
    """Which models a worker loads (once) for the whole run: those ``options`` name.

    Per-call options differ from the run's only in channel map and language,
    which choose no model, so one set of models serves every call of a run.
    """

    options: AnalysisOptions

    @classmethod
    def of(cls, options: AnalysisOptions) -> ModelSpec:
        return cls(options)

    @property
    def device(self) -> str:
        return self.options.transcript.device

    def load(self) -> Models:
        """The models, loaded at most once per process (the registry caches them)."""
        from coaching.registry import models_for

        return models_for(self.options)


@dataclass(frozen=True)
class CallTask(Serializable):
    """One call for a worker: its index in the run, its file and its options.

    ``audio`` carries the file's bytes when the worker may not see the file
    (a Ray node without the coordinator's file system); ``path`` still names it.
    """

    index: int
    path: str
    options: AnalysisOptions
    audio: bytes | None = field(default=None, repr=False, metadata={"serialize": False})

    def with_audio(self) -> CallTask:
        """This task carrying its file's bytes (raises ``OSError`` if unreadable)."""
        return replace(self, audio=Path(self.path).read_bytes())


@dataclass(frozen=True)
class CallOutcome(Serializable):
    """What a worker hands back: the report, or why there is none."""

    index: int
    report: CallReport | None = None
    error: str | None = None
    audio_s: float = 0.0
    wall_s: float = 0.0


class Backend(Protocol):
    """Runs tasks somewhere and yields their outcomes as they finish."""

    name: str

    def __enter__(self) -> Backend: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def run(self, tasks: list[CallTask]) -> Iterator[CallOutcome]: ...

    def models_used(self) -> tuple[ModelInfo, ...]: ...  # what its reports list; once entered


def analyze_task(task: CallTask, models: Models) -> CallOutcome:
    """Analyse one call; every failure becomes an error string, never an exception."""
    from coaching.pipeline import analyze_call

    started = time.perf_counter()
    try:
        source = task.audio if task.audio is not None else task.path
        report = analyze_call(source, models=models, options=task.options, name=task.path)
    except CoachingError as error:
        return CallOutcome(task.index, error=str(error), wall_s=time.perf_counter() - started)
    except Exception as error:  # a bug hit by one call must not end a night's run
        log.exception("unexpected error analysing %s", task.path)
        return CallOutcome(
            task.index,
            error=f"{task.path}: unexpected {error.__class__.__name__}: {error} "
            "(a bug in the toolkit; please report it with this message)",
            wall_s=time.perf_counter() - started,
        )
    return CallOutcome(
        task.index,
        report=report,
        audio_s=report.duration_s,
        wall_s=time.perf_counter() - started,
    )


def failed_outcome(task: CallTask, reason: str) -> CallOutcome:
    """An outcome for a task whose worker could not even report back."""
    return CallOutcome(task.index, error=f"{task.path}: {reason}")
