"""Reports and audio files with a chosen identity, for the ingest and identity tests.

The audio file of call ``name`` holds the bytes of ``name``, so its SHA-256 is the
hash :func:`testkit.store_samples.synthetic_report` gives the report of ``name``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from coaching.options import AnalysisOptions
from coaching.text.lexicon_sentiment import builtin_sentiment
from coaching.transcript.model_files import EMBEDDED_SHA256
from coaching.types import CallReport, ModelInfo
from testkit.store_samples import synthetic_report

OPTIONS = AnalysisOptions.of(toxicity_model="none")
WHISPER = ModelInfo("asr", "whisper-base", "embedded", EMBEDDED_SHA256)
REAL_SENTIMENT = ModelInfo("sentiment", OPTIONS.text.sentiment_model, "hub", "5e" * 32)


def lexicon() -> ModelInfo:
    """The built-in lexicon, the stand-in when the sentiment model is missing."""
    return builtin_sentiment().info


def report_with(
    name: str,
    *,
    options: AnalysisOptions = OPTIONS,
    models: Sequence[ModelInfo] = (WHISPER, REAL_SENTIMENT),
) -> CallReport:
    """The synthetic report of ``name``, made with ``options`` and ``models``."""
    report = synthetic_report(name)
    provenance = replace(report.provenance, options=options.to_dict(), models=tuple(models))
    return replace(report, provenance=provenance)


def audio_of(name: str, folder: Path) -> Path:
    """A file whose SHA-256 is that of the report of ``name``."""
    path = folder / f"{name}.wav"
    path.write_bytes(name.encode())
    return path
