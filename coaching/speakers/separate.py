"""Who spoke when: the stereo path (one party per channel) and the mono path (diarized).

Both end in a :class:`~coaching.types.Transcript` whose utterances carry
``"operator"`` or ``"caller"`` and whose turns come from voice activity. On a
mono call the turns come from the diarization and may overlap: overtalk is
then estimated, not measured.
"""

from __future__ import annotations

import numpy as np

from coaching.audio.decode import CallAudio
from coaching.errors import NoSpeechError, SilentAudioError
from coaching.options import AnalysisOptions
from coaching.progress import StepRunner
from coaching.registry import Models, speaker_models
from coaching.speakers.diarize import Diarization, diarize_call
from coaching.speakers.roles import RoleDecision, decide_lone_voice, decide_operator
from coaching.speakers.stereo import stereo_transcript, working_level
from coaching.transcript.whisper import detect_language, group_utterances, transcribe_words
from coaching.types import SPEAKERS, SpeakerTurns, Transcript


def build_transcript(
    audio: CallAudio,
    models: Models,
    options: AnalysisOptions,
    run: StepRunner,
    *,
    operator_profile: np.ndarray | None = None,
) -> Transcript:
    if audio.is_stereo:
        transcript = stereo_transcript(
            audio, models, options, run, lambda turns: _require_speech(audio, turns)
        )
    else:
        transcript = _mono(audio, models, options, run, operator_profile)
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
    return transcript


def _mono(audio, models: Models, options, run, operator_profile) -> Transcript:
    mix = audio.channels[0]
    speakers = models.speakers or speaker_models()
    diarization = run("diarize", lambda: diarize_call(mix, audio.sample_rate, models=speakers))
    _require_speech(audio, diarization.turns)
    speech = tuple(sorted(diarization.turns[0] + diarization.turns[1]))
    levelled = working_level(mix, audio.sample_rate, speech)
    guess = run(
        "language",
        lambda: detect_language(
            models.asr, levelled, forced=options.language, candidates=options.languages
        ),
    )
    words = run(
        "transcribe",
        lambda: transcribe_words(models.asr, levelled, language=guess.language, options=options),
    )
    voices = [diarization.voice_at(w.start, w.end) for w in words]
    texts = [" ".join(w.text for w, v in zip(words, voices, strict=True) if v == k) for k in (0, 1)]
    decision = _roles(diarization, texts, guess.language, operator_profile, models)
    role_of = {decision.operator_voice: "operator", 1 - decision.operator_voice: "caller"}
    utterances = group_utterances(
        words, [role_of[v] for v in voices], max_pause_s=options.utterance_max_pause_s
    )
    turns = {role_of[k]: diarization.turns[k] for k in (0, 1)}
    return Transcript(
        language=guess.language,
        language_probability=guess.probability,
        utterances=utterances,
        turns=tuple(SpeakerTurns(speaker, turns[speaker]) for speaker in SPEAKERS),
        separation="diarized",
        separation_confidence=round(diarization.confidence, 3),
        role_confidence=decision.confidence,
        role_evidence=_diarization_evidence(diarization) + decision.evidence,
    )


def _roles(diarization: Diarization, texts, language, profile, models: Models) -> RoleDecision:
    if diarization.voices < 2:
        return decide_lone_voice(
            text=texts[0],
            language=language,
            centroid=diarization.centroids[0],
            profile=profile,
            separation_confidence=diarization.confidence,
        )
    return decide_operator(
        texts=texts,
        language=language,
        centroids=diarization.centroids,
        profile=profile,
        separation_confidence=diarization.confidence,
        text_scorer=models.role_text_scorer,
    )


def _diarization_evidence(diarization: Diarization) -> tuple[str, ...]:
    overlap = sum(end - start for start, end in diarization.overlap)
    return (
        f"diarization: {diarization.voices} voice(s), confidence {diarization.confidence:.2f}, "
        f"voice similarity {diarization.centroid_similarity:.2f}, "
        f"{overlap:.1f} s of overlapped speech (estimated)",
    )


def _require_speech(audio: CallAudio, turn_sets) -> None:
    if not any(turns for turns in turn_sets):
        raise SilentAudioError(
            audio.source,
            "no speech found on any channel",
            hint="check that the file is a call recording, not hold music",
        )
