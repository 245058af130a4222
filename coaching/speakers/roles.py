"""Deciding which voice of a mono call is the operator.

Three kinds of evidence, each optional, are added up as a log-odds score:
who opens the call (operators answer with a greeting), operator script cues
in each voice's words (greeting with the company, "how can I help", own name),
and similarity to an operator voice profile when one is given. The confidence
is ``2 * sigmoid(|score|) - 1``: 0 when the evidence is balanced, near 1 when
it all points one way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coaching.serial import Serializable

OPENER_WEIGHT = 1.0
CUE_WEIGHT = 1.2
PROFILE_WEIGHT = 12.0
MAX_CUE_LEAD = 3

OPERATOR_CUES: dict[str, tuple[str, ...]] = {
    "en": (
        "thank you for calling",
        "thanks for calling",
        "how can i help",
        "how may i help",
        "my name is",
        "speaking",
        "is there anything else",
        "have a nice day",
        "have a great day",
        "customer service",
        "let me check",
    ),
    "vi": (
        "cảm ơn quý khách",
        "xin chào quý khách",
        "em có thể giúp gì",
        "tôi có thể giúp gì",
        "em tên là",
        "tôi tên là",
        "tổng đài",
        "chăm sóc khách hàng",
        "quý khách",
    ),
    "ru": (
        "спасибо за звонок",
        "чем могу помочь",
        "меня зовут",
        "служба поддержки",
        "здравствуйте",
        "оператор",
        "хорошего дня",
        "что-нибудь ещё",
    ),
    "zh": (
        "您好",
        "很高兴为您服务",
        "有什么可以帮您",
        "请问有什么",
        "我是",
        "客服",
        "感谢您的来电",
        "祝您",
    ),
}


@dataclass(frozen=True)
class RoleDecision(Serializable):
    operator_voice: int  # 0 or 1
    confidence: float
    evidence: tuple[str, ...]


def cue_count(text: str, language: str) -> int:
    """How many operator script phrases ``text`` contains."""
    folded = re.sub(r"[^\w\s-]", " ", text.casefold())
    folded = re.sub(r"\s+", " ", folded)
    cues = OPERATOR_CUES.get(language, ()) + (OPERATOR_CUES["en"] if language != "en" else ())
    return sum(folded.count(cue) for cue in cues)


def decide_operator(
    *,
    first_voice: int,
    texts: Sequence[str],
    language: str,
    centroids: np.ndarray | None = None,
    profile: np.ndarray | None = None,
) -> RoleDecision:
    """Which of two voices is the operator; ``texts`` holds each voice's words."""
    evidence = [f"voice {first_voice + 1} opened the call"]
    score = OPENER_WEIGHT if first_voice == 0 else -OPENER_WEIGHT
    cues = [cue_count(text, language) for text in texts]
    lead = max(-MAX_CUE_LEAD, min(MAX_CUE_LEAD, cues[0] - cues[1]))
    score += CUE_WEIGHT * lead
    evidence.append(f"operator script cues: voice 1 {cues[0]}, voice 2 {cues[1]}")
    if profile is not None and centroids is not None:
        unit = profile / np.linalg.norm(profile)
        similarity = centroids @ unit
        score += PROFILE_WEIGHT * float(similarity[0] - similarity[1])
        evidence.append(
            f"operator voice profile similarity: voice 1 {similarity[0]:.2f}, "
            f"voice 2 {similarity[1]:.2f}"
        )
    confidence = 2 / (1 + math.exp(-abs(score))) - 1
    return RoleDecision(0 if score >= 0 else 1, round(confidence, 3), tuple(evidence))
