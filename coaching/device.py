"""One resolver for the device and numeric precision every model runs on."""

from __future__ import annotations

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
