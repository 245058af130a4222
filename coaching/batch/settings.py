"""What a batch run asks for: the analysis options and the models they name.

Whether a call is already stored is decided by the store's one identity rule
(:mod:`coaching.store.identity`): audio, options (device left out), the models
a report actually used and the package version. A run asks for models by name;
a call stored with exactly those is skipped without loading anything, and one
stored while a model fell back is analysed again once the real model loads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from coaching.options import AnalysisOptions
from coaching.serial import Serializable
from coaching.store.identity import ModelUse, options_digest, settings_hash
from coaching.store.ingest import asked_asr, asked_models


@dataclass(frozen=True)
class AsrIdentity(Serializable):
    """The ASR model as the report's provenance names it (``whisper-<name>``)."""

    name: str
    sha256: str | None = None  # None for a hub id, whose weights are named by the id


@dataclass(frozen=True)
class RunSettings(Serializable):
    """Everything a run asks for, apart from the audio itself."""

    options: AnalysisOptions
    asr: AsrIdentity

    def asked_models(self) -> tuple[ModelUse, ...]:
        """The models the run asks for, its ASR model as identified up front."""
        others = [m for m in asked_models(self.options) if m.role != "asr"]
        return (ModelUse("asr", self.asr.name, self.asr.sha256), *others)

    def digest(self) -> str:
        """The settings hash of a call analysed with exactly the models asked for."""
        return settings_hash(
            {"options": options_digest(self.options), "models": self.asked_models()}
        )

    def for_options(self, options: AnalysisOptions) -> RunSettings:
        return replace(self, options=options)


def expected_asr(model: str) -> AsrIdentity:
    """The ASR model a run asks for, identified without loading it."""
    asked = asked_asr(model)
    return AsrIdentity(asked.name, asked.sha256)
