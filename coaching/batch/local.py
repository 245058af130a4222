"""The default backend: a pool of local worker processes, each holding the models once.

Each worker loads the models in its initializer and keeps them for every call
it analyses. Workers share the machine's cores evenly (``OMP_NUM_THREADS``
is set before CTranslate2 or torch start), so two workers on two cores use one
thread each instead of fighting over eight. The thread count also decides the
last digits of CTranslate2's and OpenBLAS's sums, so reports match those of a
Ray task (one thread per one-CPU task) only at one thread per worker.
Processes are spawned, not forked:
a fork of a process whose model libraries already run threads can deadlock.
Workers end with the coordinator (:mod:`coaching.batch.lifeline`): when it is
killed they exit on their own; when it stops on an error, SIGTERM or Ctrl-C it
terminates them instead of waiting for the calls in flight.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from threadpoolctl import threadpool_limits

from coaching.batch.lifeline import die_with_parent
from coaching.batch.tasks import CallOutcome, CallTask, ModelSpec, analyze_task, failed_outcome
from coaching.errors import CoachingError, ConfigError, ModelError
from coaching.options import AnalysisOptions
from coaching.types import ModelInfo

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
IN_FLIGHT_PER_WORKER = 2

_worker_models = None  # set in each worker process by _start_worker
_worker_error: str | None = None


def threads_per_worker(workers: int, cpus: int | None = None) -> int:
    """An even share of the cores for each of ``workers`` processes (at least one)."""
    return max(1, (cpus or os.cpu_count() or 1) // workers)


class LocalBackend:
    """A :class:`concurrent.futures.ProcessPoolExecutor` of ``workers`` analysis processes."""

    name = "local"

    def __init__(self, spec: ModelSpec, *, workers: int = 1, threads: int | None = None) -> None:
        if workers < 1:
            raise ConfigError(f"--workers must be at least 1, not {workers}")
        self.spec = spec
        self.workers = workers
        self.threads = threads or threads_per_worker(workers)
        self._pool: ProcessPoolExecutor | None = None
        self.notices: tuple[str, ...] = ()

    def __enter__(self) -> LocalBackend:
        self._pool = self._new_pool()
        try:
            self.notices = self._pool.submit(_worker_notices).result()
        except BrokenProcessPool as error:
            self.__exit__(None, None, None)
            raise CoachingError(
                f"the worker processes could not start ({error}); a script that calls "
                "run_batch must guard its top level with if __name__ == '__main__':"
            ) from error
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, exc_type=None, *exc_info: object) -> None:
        if self._pool is None:
            return
        if exc_type is not None:  # interrupted or failed: the calls in flight are lost anyway
            self.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

    def terminate(self) -> None:
        """Stop every worker now (SIGTERM), without waiting for its call to finish."""
        if self._pool is None:
            return
        public = getattr(self._pool, "terminate_workers", None)  # Python 3.14+
        if public is not None:
            public()
            return
        # Before 3.14 the executor has no public way to stop a running call.
        for process in list((self._pool._processes or {}).values()):
            if process.is_alive():
                process.terminate()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.spec, self.threads, os.getpid()),
        )

    def models_used(self) -> tuple[ModelInfo, ...]:
        """The models the workers' reports list (asked of one worker)."""
        if self._pool is None:
            raise RuntimeError("use the backend in a with block")
        return self._pool.submit(_worker_models_used, self.spec.options).result()

    def run(self, tasks: list[CallTask]) -> Iterator[CallOutcome]:
        """Outcomes in the order calls finish; a few calls in flight per worker."""
        if self._pool is None:
            raise RuntimeError("use the backend in a with block")
        queue = list(reversed(tasks))
        in_flight: dict[Future, CallTask] = {}
        while queue or in_flight:
            while queue and len(in_flight) < self.workers * IN_FLIGHT_PER_WORKER:
                task = queue.pop()
                in_flight[self._pool.submit(_analyze_in_worker, task)] = task
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                task = in_flight.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    yield failed_outcome(task, _DIED)
            if broken:
                yield from self._restart(in_flight)

    def _restart(self, in_flight: dict[Future, CallTask]) -> Iterator[CallOutcome]:
        """A worker died (out of memory, a crash in native code): fail what it may have
        held and go on with a fresh pool; a later run retries those calls."""
        for task in in_flight.values():
            yield failed_outcome(task, _DIED)
        in_flight.clear()
        if self._pool is not None:
            self.terminate()
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()


_DIED = (
    "the worker process died while this call was in flight (out of memory or a crash in "
    "native code); run the batch again to retry, with fewer --workers if memory is short"
)


def _start_worker(spec: ModelSpec, threads: int, coordinator_pid: int) -> None:
    global _worker_models, _worker_error
    die_with_parent(coordinator_pid)
    # Libraries loaded from here on read the variables; those already loaded (numpy's
    # OpenBLAS came in with this module) and CTranslate2's OpenMP are capped directly.
    for variable in THREAD_VARIABLES:
        os.environ[variable] = str(threads)
    try:
        _worker_models = spec.load()
    except CoachingError as error:  # reported by _worker_notices; a raise would break the pool
        _worker_error = str(error)
    threadpool_limits(limits=threads)


def _worker_notices() -> tuple[str, ...]:
    """The loaded models' notices (a fallback, say); raises if they could not load."""
    if _worker_models is None:
        raise ModelError(_worker_error or "the worker could not load the models")
    return _worker_models.notices


def _worker_models_used(options: AnalysisOptions) -> tuple[ModelInfo, ...]:
    from coaching.pipeline import models_used

    return models_used(_worker_models, options) if _worker_models is not None else ()


def _analyze_in_worker(task: CallTask) -> CallOutcome:
    if _worker_models is None:
        return failed_outcome(task, _worker_error or "the worker could not load the models")
    return analyze_task(task, _worker_models)
