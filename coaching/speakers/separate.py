"""Who spoke when: the stereo path (one party per channel) and the mono path (diarized).

Both end in a :class:`~coaching.types.Transcript` whose utterances carry
``"operator"`` or ``"caller"`` and whose turns come from voice activity.
"""

from __future__ import annotations

import numpy as np

from coaching.audio.activity import speech_intervals
from coaching.audio.decode import CallAudio
from coaching.errors import NoSpeechError, SilentAudioError
from coaching.options import AnalysisOptions
from coaching.progress import StepRunner
from coaching.registry import Models, voice_encoder
from coaching.speakers.diarize import diarize_two_speakers
from coaching.speakers.roles import cue_count, decide_operator
from coaching.transcript.whisper import (
    detect_language,
    group_utterances,
    merge_by_time,
    transcribe_words,
)
from coaching.types import SPEAKERS, SpeakerTurns, Transcript, Utterance

SWAP_WARNING_CUES = 2


def build_transcript(
    audio: CallAudio,
    models: Models,
    options: AnalysisOptions,
    run: StepRunner,
    *,
    operator_profile: np.ndarray | None = None,
) -> Transcript:
    if audio.is_stereo:
        transcript = _stereo(audio, models, options, run)
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


def _stereo(audio: CallAudio, models: Models, options: AnalysisOptions, run: StepRunner):
    channels = {speaker: audio.channels[options.channel_of(speaker)] for speaker in SPEAKERS}
    turns = run("activity", lambda: _stereo_activity(channels, audio.sample_rate))
    _require_speech(audio, turns.values())
    guess = run(
        "language",
        lambda: detect_language(
            models.asr,
            _speech_first(channels, turns),
            forced=options.language,
            candidates=options.languages,
        ),
    )
    utterances = run(
        "transcribe",
        lambda: merge_by_time(
            *(
                _channel_utterances(models, channels[speaker], speaker, guess.language, options)
                for speaker in SPEAKERS
            )
        ),
    )
    return Transcript(
        language=guess.language,
        language_probability=guess.probability,
        utterances=utterances,
        turns=tuple(SpeakerTurns(speaker, turns[speaker]) for speaker in SPEAKERS),
        separation="stereo",
        separation_confidence=1.0,
        role_confidence=1.0,
        role_evidence=_channel_map_evidence(utterances, guess.language, options.operator_channel),
    )


def _stereo_activity(channels, sample_rate):
    """Each party's speech, with the other party's echo on their channel left out."""
    operator, caller = channels["operator"], channels["caller"]
    return {
        "operator": speech_intervals(operator, sample_rate, other=caller),
        "caller": speech_intervals(caller, sample_rate, other=operator),
    }


def _channel_utterances(models, samples, speaker, language, options) -> tuple[Utterance, ...]:
    words = transcribe_words(models.asr, samples, language=language, options=options)
    return group_utterances(
        words, [speaker] * len(words), max_pause_s=options.utterance_max_pause_s
    )


def _speech_first(channels, turns) -> np.ndarray:
    """The operator channel, unless it holds no speech at all (then the caller's)."""
    return channels["operator"] if turns["operator"] else channels["caller"]


def _channel_map_evidence(utterances, language, op_index) -> tuple[str, ...]:
    side = "left" if op_index == 0 else "right"
    evidence = [f"stereo channel map: operator on the {side} channel"]
    cues = {
        s: cue_count(" ".join(u.text for u in utterances if u.speaker == s), language)
        for s in SPEAKERS
    }
    if cues["caller"] >= SWAP_WARNING_CUES and cues["caller"] > 2 * cues["operator"]:
        evidence.append(
            f"warning: the caller channel has {cues['caller']} operator script cues and the "
            f"operator channel {cues['operator']}; the channels may be swapped (--swap-channels)"
        )
    return tuple(evidence)


def _mono(audio, models, options, run, operator_profile) -> Transcript:
    mix = audio.channels[0]
    speech = run("activity", lambda: speech_intervals(mix, audio.sample_rate, bleed_margin_db=None))
    _require_speech(audio, [speech])
    encoder = models.voice_encoder or voice_encoder()
    diarization = run(
        "diarize",
        lambda: diarize_two_speakers(mix, audio.sample_rate, speech=speech, encoder=encoder),
    )
    guess = run(
        "language",
        lambda: detect_language(
            models.asr, mix, forced=options.language, candidates=options.languages
        ),
    )
    words = run(
        "transcribe",
        lambda: transcribe_words(models.asr, mix, language=guess.language, options=options),
    )
    voices = [diarization.voice_at(w.start, w.end) for w in words]
    texts = ["".join(w.text for w, v in zip(words, voices, strict=True) if v == k) for k in (0, 1)]
    decision = decide_operator(
        first_voice=0,
        texts=texts,
        language=guess.language,
        centroids=diarization.centroids,
        profile=operator_profile,
    )
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
        role_evidence=decision.evidence,
    )


def _require_speech(audio: CallAudio, turn_sets) -> None:
    if not any(turns for turns in turn_sets):
        raise SilentAudioError(
            audio.source,
            "no speech found on any channel",
            hint="check that the file is a call recording, not hold music",
        )
