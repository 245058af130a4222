"""What decides whether a stored call can be reused: the settings hash and the version.

A call is skipped when the store holds it under the same audio hash, the same
settings hash and the same package version. The settings are the analysis
options plus the identity of the ASR model weights. The device is not part of
them: a call analysed on a GPU is not analysed again on a CPU (provenance still
says which device ran it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from coaching.options import AnalysisOptions
from coaching.serial import Serializable
from coaching.store.calls import settings_hash
from coaching.transcript.model_files import EMBEDDED_SHA256, EMBEDDED_WHISPER, local_whisper


@dataclass(frozen=True)
class AsrIdentity(Serializable):
    """The ASR model as the report's provenance names it (``whisper-<name>``)."""

    name: str
    sha256: str | None = None  # None for a hub id, whose weights are named by the id


@dataclass(frozen=True)
class RunSettings(Serializable):
    """Everything that decides a call's report, apart from the audio itself."""

    options: AnalysisOptions
    asr: AsrIdentity

    def digest(self) -> str:
        """The settings hash the store files the call under."""
        return settings_hash(self)

    def for_options(self, options: AnalysisOptions) -> RunSettings:
        return replace(self, options=options)


def expected_asr(model: str) -> AsrIdentity:
    """The ASR model a run asks for, identified without loading it."""
    if model in (EMBEDDED_WHISPER, "embedded"):
        return AsrIdentity(f"whisper-{EMBEDDED_WHISPER}", EMBEDDED_SHA256)
    path = Path(model).expanduser()
    if path.is_dir():
        files = local_whisper(path)
        return AsrIdentity(f"whisper-{files.name}", files.sha256)
    return AsrIdentity(f"whisper-{model}")


def used_asr(report: Mapping[str, Any]) -> AsrIdentity | None:
    """The ASR model a report's provenance says was used."""
    for model in report.get("provenance", {}).get("models", ()):
        if model.get("role") == "asr":
            return AsrIdentity(model["name"], model.get("sha256"))
    return None


def settings_of_report(settings: RunSettings, report: Mapping[str, Any]) -> RunSettings:
    """The settings a report was really made with.

    When the asked-for model could not be loaded and the embedded one stood in,
    the report is filed under the stand-in, so a later run with the real model
    analyses the call again instead of skipping it.
    """
    used = used_asr(report)
    if used is None or used.name == settings.asr.name:
        return settings
    return replace(settings, asr=used)
