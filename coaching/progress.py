"""Named pipeline steps with timings and a progress hook (pyannote style)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
ProgressHook = Callable[[str, int, int], None]
"""Called as ``hook(step_name, steps_done, steps_total)`` before each step and at the end."""


class StepRunner:
    """Runs named steps, times each, and tells an optional hook where it is."""

    def __init__(self, hook: ProgressHook | None, steps: tuple[str, ...]) -> None:
        self._hook = hook
        self._steps = steps
        self._done = 0
        self.timings: dict[str, float] = {}

    def __call__(self, name: str, work: Callable[[], T]) -> T:
        self._notify(name)
        started = time.perf_counter()
        try:
            return work()
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started
            if name in self._steps:
                self._done += 1

    def finish(self) -> None:
        self._notify("done")

    def _notify(self, name: str) -> None:
        if self._hook is not None:
            self._hook(name, self._done, len(self._steps))
