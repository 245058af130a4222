"""Deciding which voice of a mono call is the operator, with a calibrated confidence.

The evidence is added up as log-odds that voice 1 (the first to speak) is the
operator: who opens the call; what each voice says (greets with the company's
name, offers help, asks for account or identity details, closes as an operator,
against giving one's own details and saying why one calls; see
:mod:`coaching.speakers.cues`); how close each voice is to the operator's voice
profile when one is given; and, when a text model is plugged in, its own
log-odds (``text_scorer``, the hook for the text encoder).

The confidence is ``2 * sigmoid(score / TEMPERATURE) - 1``, then capped by how
well the voices were told apart: roles can be no surer than the words they rest on.
``TEMPERATURE`` was set on the real and generated calls so that no wrong role
reaches 0.5 (tests/test_roles_real.py, bench/bench_speakers.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from coaching.serial import Serializable
from coaching.speakers.cues import operator_cue_count, role_score

OPENER_WEIGHT = 0.5
PROFILE_WEIGHT = 8.0
MAX_TEXT_LEAD = 6.0
TEMPERATURE = 1.0
LONE_VOICE_PRIOR = 1.0  # a call with one voice is most often an operator alone or an IVR

TextScorer = Callable[[str, str], float]
"""``scorer(text, language)``: log-odds that whoever said ``text`` is the operator."""


@dataclass(frozen=True)
class RoleDecision(Serializable):
    operator_voice: int  # 0 or 1
    confidence: float
    evidence: tuple[str, ...]


def cue_count(text: str, language: str) -> int:
    """How many operator script phrases ``text`` contains."""
    return operator_cue_count(text, language)


def decide_operator(
    *,
    texts: Sequence[str],
    language: str,
    first_voice: int = 0,
    centroids: np.ndarray | None = None,
    profile: np.ndarray | None = None,
    separation_confidence: float = 1.0,
    text_scorer: TextScorer | None = None,
) -> RoleDecision:
    """Which of two voices is the operator; ``texts`` holds each voice's words."""
    evidence = [f"voice {first_voice + 1} opened the call"]
    score = OPENER_WEIGHT if first_voice == 0 else -OPENER_WEIGHT
    score += _text_evidence(texts, language, evidence)
    if text_scorer is not None:
        lead = text_scorer(texts[0], language) - text_scorer(texts[1], language)
        score += lead
        evidence.append(f"text model: voice 1 leads by {lead:+.2f} log-odds")
    if profile is not None and centroids is not None:
        similarity = _profile_similarity(centroids, profile)
        score += PROFILE_WEIGHT * float(similarity[0] - similarity[1])
        evidence.append(
            f"operator voice profile similarity: voice 1 {similarity[0]:.2f}, "
            f"voice 2 {similarity[1]:.2f}"
        )
    return _decision(score, separation_confidence, evidence)


def decide_lone_voice(
    *,
    text: str,
    language: str,
    centroid: np.ndarray | None = None,
    profile: np.ndarray | None = None,
    separation_confidence: float = 1.0,
) -> RoleDecision:
    """The one voice of a call: the operator (alone, or an IVR) unless its words say caller."""
    evidence = ["one voice on the recording"]
    own, counted = role_score(text, language)
    score = LONE_VOICE_PRIOR + own
    evidence.append(f"script phrases: {_hits_text(counted)}")
    if profile is not None and centroid is not None:
        similarity = float(_profile_similarity(centroid[None, :], profile)[0])
        score += PROFILE_WEIGHT * (similarity - 0.5)
        evidence.append(f"operator voice profile similarity {similarity:.2f}")
    return _decision(score, separation_confidence, evidence)


def _text_evidence(texts: Sequence[str], language: str, evidence: list[str]) -> float:
    scores = []
    for voice, text in enumerate(texts):
        score, counted = role_score(text, language)
        scores.append(score)
        evidence.append(f"voice {voice + 1} {_hits_text(counted)}")
    return max(-MAX_TEXT_LEAD, min(MAX_TEXT_LEAD, scores[0] - scores[1]))


def _hits_text(counted: dict[str, int]) -> str:
    if not counted:
        return "uses no script phrase"
    return "; ".join(f"{name} ×{count}" for name, count in counted.items())


def _profile_similarity(centroids: np.ndarray, profile: np.ndarray) -> np.ndarray:
    unit = profile / max(float(np.linalg.norm(profile)), 1e-9)
    return centroids @ unit


def _decision(score: float, separation_confidence: float, evidence: list[str]) -> RoleDecision:
    confidence = 2 / (1 + math.exp(-abs(score) / TEMPERATURE)) - 1
    confidence = min(confidence, separation_confidence)
    evidence.append(f"role score {score:+.2f} log-odds")
    return RoleDecision(0 if score >= 0 else 1, round(confidence, 3), tuple(evidence))
