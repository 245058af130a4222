"""The delivery step of the pipeline: per-utterance and per-speaker metrics from audio.

Speech rate bridges a speaker's own pauses shorter than
``options.transcript.utterance_max_pause_s`` (1 s): a breath between two sentences is part
of speaking, so it is a speaking rate (pauses included, as call-centre wpm
figures are). Pitch, loudness and timing use the unbridged voice activity.

Each speaker's pitch track is computed once over their own speech and shared by
the speaker and utterance measures. On a stereo call a speaker's samples are
their channel; on a diarized mono call they are the mix, read only inside that
speaker's turns.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from coaching.audio.decode import CallAudio
from coaching.delivery.metrics import measure_call, measure_speaker, measure_utterance
from coaching.delivery.prosody import pitch_track
from coaching.options import AnalysisOptions
from coaching.timing import total_duration
from coaching.types import SPEAKERS, ReportMetrics, Speaker, Transcript, Utterance


def speaker_samples(
    audio: CallAudio, transcript: Transcript, speaker: Speaker, options: AnalysisOptions
) -> np.ndarray:
    if transcript.separation == "diarized" or not audio.is_stereo:
        return audio.channels[0]
    return audio.channels[transcript.channel_of(speaker)]


def _clipping(audio: CallAudio, speaker: Speaker, transcript: Transcript) -> float | None:
    if not audio.is_stereo:
        return None  # measured inside the speaker's turns instead
    return audio.clipped_share[transcript.channel_of(speaker)]


def is_reliable(transcript: Transcript, options: AnalysisOptions) -> bool:
    weakest = min(transcript.separation_confidence, transcript.role_confidence)
    return weakest >= options.speakers.min_separation_confidence


def measure_delivery(
    audio: CallAudio, transcript: Transcript, options: AnalysisOptions
) -> tuple[Transcript, ReportMetrics]:
    """Utterances with their delivery filled in, and the report's metrics."""
    utterances = list(transcript.utterances)
    measured = {
        speaker: _measure_speaker(audio, transcript, speaker, options, utterances)
        for speaker in SPEAKERS
    }
    call = measure_call(
        transcript.turns_of("operator"),
        transcript.turns_of("caller"),
        options=options.delivery,
        overtalk_estimated=transcript.separation == "diarized",
    )
    metrics = ReportMetrics(operator=measured["operator"], caller=measured["caller"], call=call)
    return replace(transcript, utterances=tuple(utterances)), metrics


def _measure_speaker(audio, transcript, speaker, options, utterances: list[Utterance]):
    """One speaker's metrics; fills their utterances' delivery in ``utterances``."""
    samples = speaker_samples(audio, transcript, speaker, options)
    turns = transcript.turns_of(speaker)
    track = pitch_track(samples, audio.sample_rate, intervals=turns)
    own = [i for i, u in enumerate(utterances) if u.speaker == speaker]
    for index in own:
        delivery = measure_utterance(
            samples,
            audio.sample_rate,
            utterances[index],
            transcript.language,
            pitch=track,
            turns=turns,
            max_pause_s=options.transcript.utterance_max_pause_s,
        )
        utterances[index] = replace(utterances[index], delivery=delivery)
    return measure_speaker(
        samples,
        audio.sample_rate,
        turns=turns,
        utterances=[utterances[i] for i in own],
        language=transcript.language,
        other_speech_s=total_duration(transcript.turns_of(_other(speaker))),
        clipped_share=_clipping(audio, speaker, transcript),
        reliable=is_reliable(transcript, options),
        pitch=track,
        max_pause_s=options.transcript.utterance_max_pause_s,
    )


def _other(speaker: Speaker) -> Speaker:
    return "caller" if speaker == "operator" else "operator"
