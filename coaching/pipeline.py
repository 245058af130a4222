"""``analyze_call``: a recorded call in, a :class:`CallReport` out, in named steps."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from coaching.audio.decode import AudioSource, CallAudio, load_audio
from coaching.delivery.measure import is_reliable, measure_delivery, speaker_samples
from coaching.errors import CoachingError, NoSpeechError, SilentAudioError
from coaching.options import AnalysisOptions
from coaching.progress import ProgressHook, StepHook, StepRunner
from coaching.registry import Models, models_for, speaker_models, text_models
from coaching.speakers.model_files import speaker_model_infos
from coaching.speakers.stereo import (
    channel_activity,
    channel_words,
    levelled_channels,
    stereo_roles,
)
from coaching.text.chinese import in_script
from coaching.text.lexicon_sentiment import builtin_sentiment
from coaching.text.sentiment import caller_trajectory, classify_sentiment
from coaching.transcript.whisper import detect_language, transcribe_words
from coaching.types import CallReport, ModelInfo, Provenance, ReportMetrics, Transcript
from coaching.version import __version__

STEPS = (
    "decode",
    "activity",
    "diarize",
    "language",
    "transcribe",
    "roles",
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
    models = _with_text_models(models or models_for(options), options)
    run = StepRunner(progress, STEPS, on_result=on_step)
    audio = (
        source
        if isinstance(source, CallAudio)
        else run("decode", lambda: load_audio(source, name=name))
    )
    run.skip("diarize" if audio.is_stereo else "activity")
    if audio.is_stereo:
        transcript = _stereo_transcript(audio, models, options, run)
    else:
        transcript = _mono_transcript(audio, models, options, run, operator_profile)
    _require_words(audio, transcript)
    transcript = in_script(transcript, options.transcript.chinese_script)
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
        turns=transcript.turns,
        role_evidence=transcript.role_evidence,
    )
    report = run("scorecard", lambda: _scorecard(report))
    run.finish()
    return replace(report, timings=dict(run.timings))


def _stereo_transcript(audio: CallAudio, models: Models, options, run) -> Transcript:
    """One party per channel: activity, language, words per channel, roles from the map."""
    turns = run("activity", lambda: channel_activity(audio))
    _require_speech(audio, turns)
    heard = levelled_channels(audio, turns)
    guess = run("language", lambda: _language(models, heard[0 if turns[0] else 1], options))
    words = run(
        "transcribe",
        lambda: channel_words(models.asr, audio, heard, language=guess.language, options=options),
    )
    return run("roles", lambda: stereo_roles(words, turns, guess, options))


def _mono_transcript(audio: CallAudio, models: Models, options, run, profile) -> Transcript:
    """Both parties on one channel: diarization, language, words, voices to roles."""
    from coaching.speakers.diarize import diarize_call  # torch: only mono calls load it
    from coaching.speakers.mono import mono_hearing, mono_roles

    speakers = models.speakers or speaker_models()
    mix, rate = audio.channels[0], audio.sample_rate
    diarization = run("diarize", lambda: diarize_call(mix, rate, models=speakers))
    _require_speech(audio, diarization.turns)
    heard = mono_hearing(audio, diarization)
    guess = run("language", lambda: _language(models, heard, options))
    words = run(
        "transcribe",
        lambda: transcribe_words(
            models.asr, heard, language=guess.language, options=options.transcript
        ),
    )
    return run(
        "roles",
        lambda: mono_roles(
            diarization,
            words,
            guess,
            options=options,
            text_scorer=models.role_text_scorer,
            operator_profile=profile,
        ),
    )


def _language(models: Models, heard, options: AnalysisOptions):
    return detect_language(
        models.asr,
        heard,
        forced=options.transcript.language,
        candidates=options.transcript.languages,
    )


def _require_speech(audio: CallAudio, turn_sets) -> None:
    if not any(turns for turns in turn_sets):
        raise SilentAudioError(
            audio.source,
            "no speech found on any channel",
            hint="check that the file is a call recording, not hold music",
        )


def _require_words(audio: CallAudio, transcript: Transcript) -> None:
    if not transcript.utterances:
        # Sound the detectors let through (noise, music, an open line) but no words in
        # it: a report would score delivery that never happened.
        raise NoSpeechError(
            audio.source,
            "no words were recognised on any channel; it sounds like noise, music or an "
            "open line rather than a call, so there is nothing to transcribe or score",
            hint="check the recording; if it is a call in a language Whisper missed, "
            "pass --language",
        )


def _with_text_models(models: Models, options: AnalysisOptions) -> Models:
    """Models built by hand get the embedded encoder's heads too; the built-in
    lexicon stands in for sentiment only when the encoder cannot load."""
    text = models.text
    if text is None:
        try:
            text = text_models(options.transcript.device)
        except CoachingError:
            text = None
    sentiment = models.sentiment or (text.sentiment if text else builtin_sentiment())
    return replace(models, text=text, sentiment=sentiment)


def _redact(transcript: Transcript, options: AnalysisOptions) -> Transcript:
    if not options.text.redact:
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
    start, end, trend = caller_trajectory(utterances, band=options.text.trend_band)
    caller = replace(
        metrics.caller, sentiment_start=start, sentiment_end=end, sentiment_trend=trend
    )
    return replace(transcript, utterances=utterances), replace(metrics, caller=caller)


def _abuse(audio, transcript, models, options):
    from coaching.abuse import detect_abuse

    return detect_abuse(
        transcript.utterances,
        language=transcript.language,
        options=options.abuse,
        toxicity=models.toxicity,
        abuse_head=models.text.abuse if models.text else None,
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
    infos = _with_text_models(models, options).model_infos()  # as analyze_call fills them
    return infos + speaker_model_infos() + _lexicon_infos(options)


def _lexicon_infos(options: AnalysisOptions) -> tuple[ModelInfo, ...]:
    if not options.abuse.detect_abuse:
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
    warnings += list(transcript.role_warnings)
    if not is_reliable(transcript, options):
        separation = transcript.separation_confidence
        what = (
            f"the two voices could not be told apart confidently ({separation:.2f})"
            if separation < options.speakers.min_separation_confidence
            else "which voice is the operator could not be told confidently "
            f"({transcript.role_confidence:.2f})"
        )
        warnings.append(
            f"{what}; per-speaker metrics are marked unreliable and left out of the scorecard"
        )
    return tuple(warnings)
