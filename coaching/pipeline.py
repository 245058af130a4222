"""``analyze_call``: a recorded call in, a :class:`CallReport` out, in named steps."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from coaching.audio.decode import AudioSource, CallAudio, load_audio
from coaching.delivery.measure import is_reliable, measure_delivery, speaker_samples
from coaching.options import AnalysisOptions
from coaching.progress import ProgressHook, StepRunner
from coaching.registry import Models, models_for
from coaching.speakers.separate import build_transcript
from coaching.text.lexicon_sentiment import builtin_sentiment
from coaching.text.sentiment import caller_trajectory, classify_sentiment
from coaching.types import CallReport, ModelInfo, Provenance, ReportMetrics, Transcript
from coaching.version import __version__

STEPS = (
    "decode",
    "activity",
    "diarize",
    "language",
    "transcribe",
    "delivery",
    "sentiment",
    "abuse",
    "redact",
    "scorecard",
)


def analyze_call(
    source: AudioSource | CallAudio,
    *,
    models: Models | None = None,
    options: AnalysisOptions | None = None,
    progress: ProgressHook | None = None,
    name: str | None = None,
    operator_profile: np.ndarray | None = None,
) -> CallReport:
    """Analyse one call. ``source`` is a path, bytes, a file object or decoded audio.

    ``models`` defaults to :func:`~coaching.registry.load_models` for ``options``;
    ``progress`` is called as ``progress(step, done, total)``.
    """
    options = options or AnalysisOptions()
    models = models or models_for(options)
    if models.sentiment is None:
        models = replace(models, sentiment=builtin_sentiment())
    run = StepRunner(progress, STEPS)
    audio = (
        source
        if isinstance(source, CallAudio)
        else run("decode", lambda: load_audio(source, name=name))
    )
    transcript = build_transcript(audio, models, options, run, operator_profile=operator_profile)
    transcript, metrics = run("delivery", lambda: measure_delivery(audio, transcript, options))
    transcript, metrics = run("sentiment", lambda: _sentiment(transcript, metrics, models, options))
    abuse = run("abuse", lambda: _abuse(audio, transcript, models, options))
    transcript = run("redact", lambda: _redact(transcript, options))
    report = CallReport(
        source=audio.source,
        audio_sha256=audio.sha256,
        duration_s=audio.duration_s,
        language=transcript.language,
        separation=transcript.separation,
        separation_confidence=transcript.separation_confidence,
        role_confidence=transcript.role_confidence,
        utterances=transcript.utterances,
        metrics=metrics,
        abuse=abuse,
        timings={},
        provenance=_provenance(models, options, transcript),
        warnings=_warnings(models, transcript, options),
    )
    report = run("scorecard", lambda: _scorecard(report))
    run.finish()
    return replace(report, timings=dict(run.timings))


def _redact(transcript: Transcript, options: AnalysisOptions) -> Transcript:
    if not options.redact:
        return transcript
    from coaching.text.redact import redact_utterances

    return replace(
        transcript,
        utterances=redact_utterances(transcript.utterances, language=transcript.language),
    )


def _sentiment(
    transcript: Transcript, metrics: ReportMetrics, models: Models, options: AnalysisOptions
) -> tuple[Transcript, ReportMetrics]:
    utterances = classify_sentiment(transcript.utterances, classifier=models.sentiment)
    start, end, trend = caller_trajectory(utterances, band=options.trend_band)
    caller = replace(
        metrics.caller, sentiment_start=start, sentiment_end=end, sentiment_trend=trend
    )
    return replace(transcript, utterances=utterances), replace(metrics, caller=caller)


def _abuse(audio, transcript, models, options):
    from coaching.abuse import detect_abuse

    return detect_abuse(
        transcript.utterances,
        language=transcript.language,
        options=options,
        toxicity=models.toxicity,
        caller_samples=speaker_samples(audio, transcript, "caller", options),
        sample_rate=audio.sample_rate,
    )


def _scorecard(report: CallReport) -> CallReport:
    from coaching.scoring import apply_scorecard

    return apply_scorecard(report)


def _provenance(models: Models, options: AnalysisOptions, transcript: Transcript) -> Provenance:
    method = (
        "stereo channels (channel map)"
        if transcript.separation == "stereo"
        else "resemblyzer embeddings + k-means (2 voices), role by cues and opener"
    )
    return Provenance(
        package_version=__version__,
        device=models.asr.device.device,
        compute_type=models.asr.device.compute_type,
        models=models.model_infos() + _lexicon_infos(options),
        options=options.to_dict(),
        separation_method=method,
    )


def _lexicon_infos(options: AnalysisOptions) -> tuple[ModelInfo, ...]:
    if not options.detect_abuse:
        return ()
    from coaching.abuse.lexicon_files import lexicon_sha256

    return (
        ModelInfo(
            role="abuse-lexicon",
            name="built-in en/vi/ru/zh",
            source="built-in",
            sha256=lexicon_sha256(),
        ),
    )


def _warnings(models: Models, transcript: Transcript, options: AnalysisOptions):
    warnings = list(models.notices)
    warnings += [
        e.removeprefix("warning: ") for e in transcript.role_evidence if e.startswith("warning:")
    ]
    if not is_reliable(transcript, options):
        weak = min(transcript.separation_confidence, transcript.role_confidence)
        warnings.append(
            f"speaker separation is weak (confidence {weak:.2f}); per-speaker metrics are "
            "marked unreliable and left out of the scorecard"
        )
    return tuple(warnings)
