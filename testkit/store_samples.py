"""Synthetic call reports with known content, for store tests and demo seeding.

They are built from the real report dataclasses, so what the store keeps is
exactly what a pipeline run would hand it; only the numbers are made up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from coaching.store.calls import package_version
from coaching.types import (
    AbuseEvidence,
    AbuseFlag,
    CallMetrics,
    CallReport,
    CriterionScore,
    ModelInfo,
    Provenance,
    ReportMetrics,
    Scorecard,
    SpeakerMetrics,
    Utterance,
)


@dataclass(frozen=True)
class FlagSpec:
    """An abuse flag to put in a synthetic report (times in seconds)."""

    start: float
    end: float
    category: str = "insult"
    severity: float = 0.6
    speaker: str = "caller"


def synthetic_report(
    name: str,
    *,
    duration_s: float = 120.0,
    overall: float | None = 72.0,
    flags: Sequence[FlagSpec] = (),
    language: str = "en",
    version: str | None = None,
) -> CallReport:
    """A report for a call called ``name`` (its audio hash derives from the name)."""
    return CallReport(
        source=f"{name}.wav",
        audio_sha256=hashlib.sha256(name.encode()).hexdigest(),
        duration_s=duration_s,
        language=language,
        separation="stereo",
        separation_confidence=1.0,
        role_confidence=1.0,
        utterances=_utterances(duration_s),
        metrics=ReportMetrics(operator=_speaker(0.5), caller=_speaker(0.5), call=_call_metrics()),
        timings={"total": 1.0},
        provenance=Provenance(
            package_version=version or package_version(),
            device="cpu",
            compute_type="int8",
            models=(ModelInfo(role="asr", name="synthetic", source="built-in"),),
            options={},
            separation_method="stereo channels",
        ),
        abuse=tuple(
            AbuseFlag(
                start=f.start,
                end=f.end,
                speaker=f.speaker,
                category=f.category,
                severity=f.severity,
                evidence=AbuseEvidence(terms=("***",)),
            )
            for f in flags
        ),
        scorecard=Scorecard(overall=overall, criteria=_criteria(overall), language=language),
    )


def _utterances(duration_s: float, *, turn_s: float = 10.0) -> tuple[Utterance, ...]:
    turns = int(duration_s // turn_s)
    return tuple(
        Utterance(
            speaker="operator" if n % 2 == 0 else "caller",
            start=n * turn_s,
            end=n * turn_s + turn_s - 0.5,
            text=f"utterance {n}",
        )
        for n in range(turns)
    )


def _speaker(share: float) -> SpeakerMetrics:
    return SpeakerMetrics(
        speaking_time_s=50.0,
        word_count=120,
        syllable_count=170,
        words_per_minute=144.0,
        syllables_per_second=3.4,
        talk_share=share,
        pitch_median_hz=180.0,
        pitch_sd_semitones=2.5,
        pitch_range_semitones=9.0,
        loudness_dbfs=-22.0,
        loudness_sd_db=3.0,
        clipped_share=0.0,
    )


def _call_metrics() -> CallMetrics:
    return CallMetrics(
        dead_air=((40.0, 44.0),),
        overtalk=(),
        interruptions_by_operator=0,
        longest_operator_monologue_s=20.0,
        operator_response_latency_s=0.6,
    )


def _criteria(overall: float | None) -> tuple[CriterionScore, ...]:
    score = overall if overall is not None else None
    return (
        CriterionScore(
            id="pace",
            label="Speech rate",
            value=144.0,
            target="120-150 wpm",
            score=score,
            weight=1.0,
            verdict="good",
        ),
        CriterionScore(
            id="dead_air",
            label="Dead air",
            value=4.0,
            target="< 3 s",
            score=score,
            weight=1.0,
            verdict="watch",
        ),
    )
