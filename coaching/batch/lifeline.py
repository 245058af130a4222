"""Worker processes that end when their coordinator ends, however it ends.

A worker holds its models (0.5-1 GB). If the coordinator is killed (SIGKILL,
the OOM killer) nothing tells the pool to stop, and its workers would wait for
work forever. Each worker therefore asks the kernel for SIGKILL when its parent
dies (``prctl(PR_SET_PDEATHSIG)`` on Linux) and, everywhere, runs a thread that
exits the process once its parent process id is no longer the coordinator's
(the orphan has been adopted by init or a subreaper). SIGTERM on the coordinator
itself becomes :class:`SystemExit`, so its ``with`` blocks stop the pool.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1
POLL_S = 0.5


def die_with_parent(parent_pid: int) -> None:
    """Make this (worker) process end as soon as ``parent_pid`` is gone."""
    _ask_kernel()
    if os.getppid() != parent_pid:  # the parent died before the request took hold
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), daemon=True, name="lifeline").start()


def _ask_kernel() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        threading.Event().wait(POLL_S)
    os._exit(1)


def exit_on_sigterm() -> None:
    """In the coordinator: SIGTERM unwinds like Ctrl-C does, running every cleanup."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum, _frame) -> None:
    raise SystemExit(128 + signum)
