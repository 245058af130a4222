"""The delivery step of the pipeline: per-utterance and per-speaker metrics from audio.

A speaker's turns for these measures bridge pauses shorter than
``options.utterance_max_pause_s`` (1 s): a breath between two sentences is part
of speaking, so speech rate is a speaking rate (pauses included, as call-centre
wpm figures are) and talk share counts whole turns. Conversation timing (dead
air, overtalk) uses the unbridged voice activity.

Each speaker's pitch track is computed once over their own speech and shared by
the speaker and utterance measures. On a stereo call a speaker's samples are
their channel; on a diarized mono call they are the mix, read only inside that
speaker's turns.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from coaching.audio import CallAudio
from coaching.delivery import measure_call, measure_speaker, measure_utterance
from coaching.options import AnalysisOptions
from coaching.prosody import pitch_track
from coaching.timing import merge_intervals, total_duration
from coaching.types import SPEAKERS, ReportMetrics, Speaker, Transcript, Utterance


def speaker_samples(
    audio: CallAudio, transcript: Transcript, speaker: Speaker, options: AnalysisOptions
) -> np.ndarray:
    if transcript.separation == "diarized" or not audio.is_stereo:
        return audio.channels[0]
    operator = options.operator_channel
    return audio.channels[operator if speaker == "operator" else 1 - operator]


def _clipping(audio: CallAudio, speaker: Speaker, options: AnalysisOptions) -> float | None:
    if not audio.is_stereo:
        return None  # measured inside the speaker's turns instead
    operator = options.operator_channel
    return audio.clipped_share[operator if speaker == "operator" else 1 - operator]


def is_reliable(transcript: Transcript, options: AnalysisOptions) -> bool:
    weakest = min(transcript.separation_confidence, transcript.role_confidence)
    return weakest >= options.min_separation_confidence


def measure_delivery(
    audio: CallAudio, transcript: Transcript, options: AnalysisOptions
) -> tuple[Transcript, ReportMetrics]:
    """Utterances with their delivery filled in, and the report's metrics."""
    reliable = is_reliable(transcript, options)
    bridged = {
        speaker: merge_intervals(
            transcript.turns_of(speaker), max_gap_s=options.utterance_max_pause_s
        )
        for speaker in SPEAKERS
    }
    speech_s = {speaker: total_duration(bridged[speaker]) for speaker in SPEAKERS}
    measured: dict[str, object] = {}
    delivered: dict[int, Utterance] = {}
    for speaker in SPEAKERS:
        samples = speaker_samples(audio, transcript, speaker, options)
        turns = bridged[speaker]
        track = pitch_track(samples, audio.sample_rate, intervals=turns)
        own = [(i, u) for i, u in enumerate(transcript.utterances) if u.speaker == speaker]
        measured[speaker] = measure_speaker(
            samples,
            audio.sample_rate,
            turns=turns,
            utterances=[u for _, u in own],
            language=transcript.language,
            other_speech_s=speech_s[_other(speaker)],
            clipped_share=_clipping(audio, speaker, options),
            reliable=reliable,
            pitch=track,
        )
        narrow = transcript.turns_of(speaker) if transcript.separation == "diarized" else None
        for index, utterance in own:
            delivery = measure_utterance(
                samples,
                audio.sample_rate,
                utterance,
                transcript.language,
                pitch=track,
                turns=narrow,
            )
            delivered[index] = replace(utterance, delivery=delivery)
    call = measure_call(
        transcript.turns_of("operator"),
        transcript.turns_of("caller"),
        options=options,
        overtalk_measured=transcript.separation == "stereo",
    )
    utterances = tuple(delivered.get(i, u) for i, u in enumerate(transcript.utterances))
    metrics = ReportMetrics(operator=measured["operator"], caller=measured["caller"], call=call)
    return replace(transcript, utterances=utterances), metrics


def _other(speaker: Speaker) -> Speaker:
    return "caller" if speaker == "operator" else "operator"
