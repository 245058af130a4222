"""Named pipeline steps with timings and a progress hook (pyannote style), and the
progress display of the commands: a bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO, TypeVar, Union

from coaching.device import release_freed_memory

if TYPE_CHECKING:
    from tqdm import tqdm

T = TypeVar("T")
ProgressHook = Callable[[str, int, int], None]
"""Called as ``hook(step_name, steps_done, steps_total)`` before each step and at the end."""
StepHook = Callable[[str, object], None]
"""Called as ``hook(step_name, result)`` after each step, with what the step made
(pyannote style), so a caller can show partial results as they come."""


class StepRunner:
    """Runs named steps, times each, and tells an optional hook where it is."""

    def __init__(
        self,
        hook: ProgressHook | None,
        steps: tuple[str, ...],
        *,
        on_result: StepHook | None = None,
    ) -> None:
        self._hook = hook
        self._on_result = on_result
        self._steps = steps
        self._done = 0
        self.timings: dict[str, float] = {}

    def __call__(self, name: str, work: Callable[[], T]) -> T:
        self._notify(name)
        started = time.perf_counter()
        try:
            result = work()
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started
            if name in self._steps:
                self._done += 1
            release_freed_memory()  # what the step's native libraries freed
        if self._on_result is not None:
            self._on_result(name, result)
        return result

    def skip(self, name: str) -> None:
        """Leave a step this call will not take out of the total (stereo calls are not
        diarized, mono calls have no per-channel activity step)."""
        self._steps = tuple(step for step in self._steps if step != name)

    def finish(self) -> None:
        self._notify("done")

    def _notify(self, name: str) -> None:
        if self._hook is not None:
            self._hook(name, self._done, len(self._steps))


class ProgressLines:
    """The part of tqdm's interface the commands use, printed as plain lines.

    For logs and pipes, where a bar's carriage returns would pile up. A refresh
    prints ``[i/N] description: postfix`` for the item in hand (``i`` = done + 1);
    an :meth:`update` prints ``[done/N] ...`` once the caller moves on, so a postfix
    set right after it without a refresh lands on the same line. A line equal to
    the one before is left out.
    """

    def __init__(self, *, total: int | None, disable: bool = False, file: TextIO | None = None):
        self.total = total
        self.n = 0
        self.disable = disable
        self._file = file
        self._description = ""
        self._postfix = ""
        self._owed = False  # an update not printed yet
        self._last = ""

    def set_description(self, desc: str | None = None, refresh: bool = True) -> None:
        self._flush()
        self._description = desc or ""
        if refresh:
            self._print(self.n + 1)

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        if refresh:
            self._flush()
        self._postfix = s
        if refresh:
            self._print(self.n + 1)

    def update(self, n: int = 1) -> None:
        self._flush()
        self.n += n
        self._owed = True

    def close(self) -> None:
        self._flush()

    def __enter__(self) -> ProgressLines:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _flush(self) -> None:
        if self._owed:
            self._owed = False
            self._print(self.n)

    def _print(self, position: int) -> None:
        if self.total is not None:
            position = min(position, self.total)
        where = f"[{position}/{self.total}]" if self.total is not None else f"[{position}]"
        line = " ".join(part for part in (where, self._description) if part)
        if self._postfix:
            line += f": {self._postfix}"
        if self.disable or line == self._last:
            return
        self._last = line
        print(line, file=self._file or sys.stderr, flush=True)


ProgressBar = Union["tqdm", ProgressLines]


def progress_bar(*, total: int | None, disable: bool = False, unit: str = "call") -> ProgressBar:
    """A tqdm bar on stderr when stderr is a terminal, else :class:`ProgressLines` there."""
    if disable or not _is_terminal(sys.stderr):
        return ProgressLines(total=total, disable=disable)
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, dynamic_ncols=True)


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or closed
        return False
