"""Handing freed heap memory back to the system between the big steps of an analysis.

glibc keeps memory that native libraries (ONNX Runtime's VAD, CTranslate2) free in
its heaps, one heap per thread that allocated it, so a process's resident size
ratchets up after each large step although nothing holds that memory any more:
about 120 MB after the voice activity of a ten-minute call. ``malloc_trim`` returns
those free pages; on other C libraries and systems this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys


def release_freed_memory() -> None:
    """Return the C heap's free pages to the system (glibc only; cheap: milliseconds)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return None
