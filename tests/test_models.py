"""Device resolution, the embedded Whisper model's assembly, and model fallbacks."""

from __future__ import annotations

import time

import pytest

from coaching.device import resolve_device
from coaching.errors import ConfigError, ModelError
from coaching.registry import load_whisper
from coaching.transcript.model_files import (
    EMBEDDED_SHA256,
    embedded_whisper,
    file_sha256,
    local_whisper,
)


def test_auto_device_is_cpu_int8_without_a_gpu():
    choice = resolve_device("auto", "auto")
    if choice.device == "cuda":
        pytest.skip("a GPU is visible here")
    assert (choice.device, choice.compute_type, choice.torch_device) == ("cpu", "int8", "cpu")


def test_explicit_compute_type_is_kept():
    assert resolve_device("cpu", "float32").compute_type == "float32"


def test_unknown_device_and_compute_type_are_config_errors():
    with pytest.raises(ConfigError, match="use one of auto, cpu, cuda"):
        resolve_device("tpu")
    with pytest.raises(ConfigError, match="unknown compute type"):
        resolve_device("cpu", "int3")


def test_cuda_without_gpu_says_what_to_do():
    if resolve_device().device == "cuda":
        pytest.skip("a GPU is visible here")
    with pytest.raises(ConfigError, match="--device auto or cpu"):
        resolve_device("cuda")


def test_embedded_model_is_assembled_and_hash_checked(tmp_path):
    files = embedded_whisper(tmp_path)
    assert files.source == "embedded"
    model_bin = tmp_path / "whisper-base" / "model.bin"
    assert file_sha256(model_bin) == EMBEDDED_SHA256
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        assert (tmp_path / "whisper-base" / name).exists()
    assert "whisper-base" in (tmp_path / "manifest.json").read_text()
    assembled = model_bin.stat().st_mtime_ns
    embedded_whisper(tmp_path)  # second use: the cache, no re-assembly
    assert model_bin.stat().st_mtime_ns == assembled


def test_a_damaged_cache_is_rebuilt(tmp_path):
    embedded_whisper(tmp_path)
    (tmp_path / "whisper-base" / "model.bin.sha256").write_text("0" * 64)
    (tmp_path / "whisper-base" / "model.bin").write_bytes(b"broken")
    embedded_whisper(tmp_path)
    assert file_sha256(tmp_path / "whisper-base" / "model.bin") == EMBEDDED_SHA256


def test_local_directory_without_model_bin_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="no model.bin"):
        local_whisper(tmp_path)


def test_local_directory_model_loads(tmp_path):
    directory = embedded_whisper(tmp_path).path
    asr, notice = load_whisper(directory, resolve_device("cpu"))
    assert notice is None
    assert asr.info.source == "local" and asr.info.sha256 == EMBEDDED_SHA256


def test_unreachable_hub_model_falls_back_fast_with_one_line():
    started = time.perf_counter()
    asr, notice = load_whisper("small", resolve_device("cpu"))
    assert time.perf_counter() - started < 30
    assert asr.info.name == "whisper-base" and asr.info.source == "embedded"
    assert notice and "\n" not in notice and "'small' unavailable" in notice
