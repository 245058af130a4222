"""``analyze_call``: a recorded call in, a :class:`CallReport` out, in named steps."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from coaching.audio.decode import AudioSource, CallAudio, load_audio
from coaching.delivery.measure import is_reliable, measure_delivery, speaker_samples
from coaching.options import AnalysisOptions
from coaching.progress import ProgressHook, StepHook, StepRunner
from coaching.registry import Models, models_for
from coaching.speakers.model_files import speaker_model_infos
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
    on_step: StepHook | None = None,
) -> CallReport:
    """Analyse one call. ``source`` is a path, bytes, a file object or decoded audio.

    ``models`` defaults to :func:`~coaching.registry.load_models` for ``options``;
    ``progress`` is called as ``progress(step, done, total)`` before each step, and
    ``on_step`` as ``on_step(step, result)`` after it, with what the step made.
    """
    options = options or AnalysisOptions()
    models = models or models_for(options)
    if models.sentiment is None:
        models = replace(models, sentiment=builtin_sentiment())
    run = StepRunner(progress, STEPS, on_result=on_step)
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
    if transcript.separation == "stereo":
        method = "stereo channels (channel map; bleed dropped; swapped channels found from words)"
    else:
        method = (
            "pyannote segmentation-3.0 (overlap-aware) + CAM++ embeddings, two voices or one; "
            "roles from script phrases, opener and voice profile"
        )
    return Provenance(
        package_version=__version__,
        device=models.asr.device.device,
        compute_type=models.asr.device.compute_type,
        models=models_used(models, options),
        options=options.to_dict(),
        separation_method=method,
    )


def models_used(models: Models, options: AnalysisOptions) -> tuple[ModelInfo, ...]:
    """The models a report made with ``models`` and ``options`` lists in its provenance."""
    sentiment = models.sentiment or builtin_sentiment()  # as analyze_call defaults it
    infos = replace(models, sentiment=sentiment).model_infos()
    return infos + speaker_model_infos() + _lexicon_infos(options)


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
        separation = transcript.separation_confidence
        what = (
            f"the two voices could not be told apart confidently ({separation:.2f})"
            if separation < options.min_separation_confidence
            else "which voice is the operator could not be told confidently "
            f"({transcript.role_confidence:.2f})"
        )
        warnings.append(
            f"{what}; per-speaker metrics are marked unreliable and left out of the scorecard"
        )
    return tuple(warnings)
