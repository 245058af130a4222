"""The mono path's roles: which of the diarization's voices is the operator.

The turns come from the diarization and may overlap: overtalk on a mono call is
then estimated, not measured. Roles come from script phrases, the opener and,
when one is given, the operator's voice profile (:mod:`coaching.speakers.roles`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coaching.speakers.diarize import Diarization
from coaching.speakers.roles import RoleDecision, decide_lone_voice, decide_operator
from coaching.speakers.stereo import working_level
from coaching.transcript.whisper import group_utterances
from coaching.types import SPEAKERS, SpeakerTurns, Transcript, Word


def mono_hearing(audio, diarization: Diarization) -> np.ndarray:
    """What recognition hears of a mono call: the mix, at a working level over its speech."""
    speech = tuple(sorted(diarization.turns[0] + diarization.turns[1]))
    return working_level(audio.channels[0], audio.sample_rate, speech)


def mono_roles(
    diarization: Diarization,
    words: Sequence[Word],
    guess,
    *,
    options,
    text_scorer=None,
    operator_profile: np.ndarray | None = None,
) -> Transcript:
    """The transcript with roles: each word under the voice speaking then, voices to roles."""
    voices = [diarization.voice_at(w.start, w.end) for w in words]
    texts = [" ".join(w.text for w, v in zip(words, voices, strict=True) if v == k) for k in (0, 1)]
    decision = _roles(diarization, texts, guess.language, operator_profile, text_scorer)
    role_of = {decision.operator_voice: "operator", 1 - decision.operator_voice: "caller"}
    utterances = group_utterances(
        words, [role_of[v] for v in voices], max_pause_s=options.transcript.utterance_max_pause_s
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


def _roles(diarization: Diarization, texts, language, profile, text_scorer) -> RoleDecision:
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
        text_scorer=text_scorer,
    )


def _diarization_evidence(diarization: Diarization) -> tuple[str, ...]:
    overlap = sum(end - start for start, end in diarization.overlap)
    return (
        f"diarization: {diarization.voices} voice(s), confidence {diarization.confidence:.2f}, "
        f"voice similarity {diarization.centroid_similarity:.2f}, "
        f"{overlap:.1f} s of overlapped speech (estimated)",
    )
