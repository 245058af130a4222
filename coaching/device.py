"""One resolver for the device and numeric precision every model runs on, and handing
freed native memory back to the system between the big steps of an analysis."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from dataclasses import dataclass
from functools import cache

from coaching.errors import ConfigError
from coaching.serial import Serializable

DEVICES = ("auto", "cpu", "cuda")
COMPUTE_TYPES = ("auto", "int8", "int8_float16", "int8_float32", "float16", "bfloat16", "float32")


@dataclass(frozen=True)
class DeviceChoice(Serializable):
    device: str  # "cpu" or "cuda"
    compute_type: str  # CTranslate2 compute type for Whisper
    reason: str

    @property
    def torch_device(self) -> str:
        return "cuda:0" if self.device == "cuda" else "cpu"


@cache
def cuda_device_count() -> int:
    """GPUs that CTranslate2 can use (0 on a CPU-only build or machine)."""
    try:
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # a broken CUDA install behaves as no GPU
        return 0


def resolve_device(device: str = "auto", compute_type: str = "auto") -> DeviceChoice:
    """``auto`` is CUDA with float16 when a GPU is visible, else CPU with int8."""
    if device not in DEVICES:
        raise ConfigError(f"unknown device {device!r}; use one of {', '.join(DEVICES)}")
    if compute_type not in COMPUTE_TYPES:
        raise ConfigError(
            f"unknown compute type {compute_type!r}; use one of {', '.join(COMPUTE_TYPES)}"
        )
    gpus = cuda_device_count()
    if device == "cuda" and gpus == 0:
        raise ConfigError(
            "--device cuda was asked for but no CUDA GPU is visible; use --device auto or cpu"
        )
    chosen = device if device != "auto" else ("cuda" if gpus else "cpu")
    reason = f"{gpus} CUDA device(s) visible" if device == "auto" else "asked for"
    if compute_type == "auto":
        compute_type = "float16" if chosen == "cuda" else "int8"
    return DeviceChoice(device=chosen, compute_type=compute_type, reason=reason)


# Handing freed heap memory back to the system between the big steps of an analysis:
# Handing freed heap memory back to the system between the big steps of an analysis.
#
# glibc keeps memory that native libraries (ONNX Runtime's VAD, CTranslate2) free in
# its heaps, one heap per thread that allocated it, so a process's resident size
# ratchets up after each large step although nothing holds that memory any more:
# about 120 MB after the voice activity of a ten-minute call. ``malloc_trim`` returns
# those free pages; on other C libraries and systems this does nothing.
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
