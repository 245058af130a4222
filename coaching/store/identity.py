"""When is a call already stored? One rule for batch runs, app uploads, the demo and imports.

An analysis is identified by four things: the audio (SHA-256), the analysis
options (the device and compute type left out: which hardware ran it changes
no finding; provenance still says), the models actually used (role, name and
weights hash, as the report's provenance lists them) and the package version.
The store files every report under that identity (its ``settings_hash`` column
holds the digest of options and models).

Before analysing, the models are not always known. A stored call with the same
audio, options and version (a report that records no options, as demo and test
reports, counts as made with any) counts as already stored when

- it used the models the options ask for (no stand-in; nothing better to gain), or
- it used the very models this analysis would use now (the same stand-in is
  still all there is), or
- the caller cannot say which models it would use (an opaque analyse function).

So a call analysed while a model fell back (the built-in lexicon standing in
for a transformers sentiment model, the embedded Whisper for a missing one) is
analysed again once the real model loads, and only then.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from coaching.serial import Serializable, to_plain
from coaching.types import CallReport, ModelInfo

HARDWARE_OPTIONS = ("device", "compute_type")
UNKNOWN_OPTIONS = ""  # a report that records no options (a demo or test report)


@dataclass(frozen=True, order=True)
class ModelUse(Serializable):
    """One model as provenance names it: its role, name and weights hash (None: unknown)."""

    role: str
    name: str
    sha256: str | None = None

    @classmethod
    def of(cls, info: ModelInfo | Mapping[str, Any]) -> ModelUse:
        if isinstance(info, ModelInfo):
            return cls(info.role, info.name, info.sha256)
        return cls(info["role"], info["name"], info.get("sha256"))

    def stands_for(self, asked: ModelUse) -> bool:
        """Whether this is the model ``asked`` names (its hash checked when ``asked`` has one)."""
        return (self.role, self.name) == (asked.role, asked.name) and (
            asked.sha256 is None or self.sha256 == asked.sha256
        )


@dataclass(frozen=True)
class AnalysisIdentity(Serializable):
    """What makes two analyses the same; ``models`` is () when not known yet."""

    audio_sha256: str
    options_digest: str
    package_version: str
    models: tuple[ModelUse, ...] = ()

    @property
    def settings_hash(self) -> str:
        """The digest of options and models the store files the call under."""
        return settings_hash({"options": self.options_digest, "models": list(self.models)})

    @property
    def request_hash(self) -> str:
        """The settings hash of the options alone: a failed analysis is filed under it."""
        return settings_hash({"options": self.options_digest, "models": []})

    def same_request(self, wanted: AnalysisIdentity) -> bool:
        """Same audio, options and version as ``wanted`` (the models aside); options this
        identity does not know (a report that does not record them) are taken as the same."""
        return (
            (self.audio_sha256, self.package_version)
            == (wanted.audio_sha256, wanted.package_version)
        ) and self.options_digest in (wanted.options_digest, UNKNOWN_OPTIONS)


def settings_hash(settings: Any) -> str:
    """SHA-256 of ``settings`` (dataclasses, mappings, scalars) as canonical JSON."""
    canonical = json.dumps(to_plain(settings), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def options_digest(options: Any) -> str:
    """The digest of analysis options (an ``AnalysisOptions`` or provenance's plain copy);
    :data:`UNKNOWN_OPTIONS` for none (demo and test reports record none)."""
    plain = dict(to_plain(options) or {})
    for name in HARDWARE_OPTIONS:
        plain.pop(name, None)
    return settings_hash(plain) if plain else UNKNOWN_OPTIONS


def model_uses(models: Iterable[ModelInfo | Mapping[str, Any] | ModelUse]) -> tuple[ModelUse, ...]:
    """Models in a canonical order, so the same set always hashes the same."""
    return tuple(sorted(m if isinstance(m, ModelUse) else ModelUse.of(m) for m in models))


def identity_for(
    audio_sha256: str,
    *,
    options: Any,
    package_version: str,
    models: Iterable[ModelInfo | Mapping[str, Any] | ModelUse] = (),
) -> AnalysisIdentity:
    """The identity of analysing this audio with ``options`` (and ``models`` when known)."""
    return AnalysisIdentity(
        audio_sha256, options_digest(options), package_version, model_uses(models)
    )


def identity_of_report(report: CallReport | Mapping[str, Any]) -> AnalysisIdentity:
    """The identity a report says it has: its audio, options, models used and version."""
    data = report.to_dict() if isinstance(report, CallReport) else report
    provenance = data["provenance"]
    return identity_for(
        data["audio_sha256"],
        options=provenance.get("options") or {},
        package_version=provenance["package_version"],
        models=provenance.get("models") or (),
    )


def already_analysed(
    stored: AnalysisIdentity,
    wanted: AnalysisIdentity,
    *,
    asked: Iterable[ModelUse],
    models_now: Callable[[], Iterable[ModelInfo | ModelUse]] | None,
) -> bool:
    """Whether ``stored`` already is the analysis ``wanted`` asks for (see the module).

    ``asked``: the models the options name; ``models_now``: the models this
    analysis would use, called only when needed (it may load them), or None
    when the caller cannot know them before analysing.
    """
    if not stored.same_request(wanted):
        return False
    if all(any(used.stands_for(model) for used in stored.models) for model in asked):
        return True
    return models_now is None or stored.models == model_uses(models_now())
