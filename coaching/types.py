"""The frozen records that flow between stages and end up in the call report.

Times are seconds from the start of the recording. Speakers are ``"operator"``
or ``"caller"``. Every record has ``to_dict()``/``from_dict()`` (see
:mod:`coaching.serial`), and :class:`CallReport` is the one JSON document the
CLI writes, the store keeps and the app reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from coaching.serial import Serializable

SCHEMA = "call-report/1"
Speaker = Literal["operator", "caller"]
SPEAKERS: tuple[Speaker, Speaker] = ("operator", "caller")
Interval = tuple[float, float]


@dataclass(frozen=True)
class Word(Serializable):
    start: float
    end: float
    text: str
    probability: float = 1.0


@dataclass(frozen=True)
class Sentiment(Serializable):
    label: Literal["negative", "neutral", "positive"]
    score: float  # -1 (very negative) .. 1 (very positive)


@dataclass(frozen=True)
class UtteranceDelivery(Serializable):
    """How one utterance was spoken."""

    syllables: int
    words_per_minute: float | None
    syllables_per_second: float | None
    pitch_median_hz: float | None
    loudness_dbfs: float | None
    pitch_sd_semitones: float | None = None


@dataclass(frozen=True)
class Utterance(Serializable):
    speaker: Speaker
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    delivery: UtteranceDelivery | None = None
    sentiment: Sentiment | None = None

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class SpeakerTurns(Serializable):
    """Where one party was speaking, from voice activity (not from text)."""

    speaker: Speaker
    intervals: tuple[Interval, ...]

    @property
    def total_s(self) -> float:
        return sum(end - start for start, end in self.intervals)


@dataclass(frozen=True)
class Transcript(Serializable):
    language: str
    language_probability: float
    utterances: tuple[Utterance, ...]
    turns: tuple[SpeakerTurns, ...]
    separation: Literal["stereo", "diarized"]
    separation_confidence: float
    role_confidence: float
    role_evidence: tuple[str, ...] = ()
    operator_channel: int | None = None  # stereo: the channel found to carry the operator

    def channel_of(self, speaker: Speaker) -> int:
        """The stereo channel that carries ``speaker`` (left is the operator unless found else)."""
        operator = self.operator_channel or 0
        return operator if speaker == "operator" else 1 - operator

    def by_speaker(self, speaker: Speaker) -> tuple[Utterance, ...]:
        return tuple(u for u in self.utterances if u.speaker == speaker)

    def turns_of(self, speaker: Speaker) -> tuple[Interval, ...]:
        for turns in self.turns:
            if turns.speaker == speaker:
                return turns.intervals
        return ()


@dataclass(frozen=True)
class SpeakerMetrics(Serializable):
    speaking_time_s: float
    word_count: int
    syllable_count: int
    words_per_minute: float | None
    syllables_per_second: float | None
    talk_share: float | None
    pitch_median_hz: float | None
    pitch_sd_semitones: float | None
    pitch_range_semitones: float | None
    loudness_dbfs: float | None
    loudness_sd_db: float | None
    clipped_share: float | None
    reliable: bool = True
    sentiment_start: float | None = None
    sentiment_end: float | None = None
    sentiment_trend: Literal["improving", "worsening", "no change"] | None = None


@dataclass(frozen=True)
class CallMetrics(Serializable):
    dead_air: tuple[Interval, ...]
    overtalk: tuple[Interval, ...]
    interruptions_by_operator: int
    longest_operator_monologue_s: float
    operator_response_latency_s: float | None
    overtalk_measured: bool = True  # False on older mono reports (turns could not overlap)
    overtalk_estimated: bool = False  # True on mono calls: overlap estimated by the diarization


@dataclass(frozen=True)
class ReportMetrics(Serializable):
    operator: SpeakerMetrics
    caller: SpeakerMetrics
    call: CallMetrics


@dataclass(frozen=True)
class AbuseEvidence(Serializable):
    terms: tuple[str, ...] = ()
    classifier_score: float | None = None
    level_over_median_db: float | None = None
    pitch_rise_semitones: float | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class AbuseFlag(Serializable):
    start: float
    end: float
    speaker: Speaker
    category: Literal["profanity", "insult", "threat", "harassment", "shouting"]
    severity: float  # 0..1
    evidence: AbuseEvidence = field(default_factory=AbuseEvidence)


@dataclass(frozen=True)
class CriterionScore(Serializable):
    id: str
    label: str
    value: float | None
    target: str
    score: float | None  # 0..100, None when not applicable
    weight: float
    verdict: Literal["good", "watch", "improve", "n/a"]
    reason: str = ""
    metric: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Scorecard(Serializable):
    overall: float | None
    criteria: tuple[CriterionScore, ...]
    rubric: str = "default"
    language: str = "en"
    basis: str = ""  # "based on 7 of 10 criteria", or why there is no overall
    advice: str = ""  # what would let more of the rubric be scored


@dataclass(frozen=True)
class CoachingNote(Serializable):
    start: float | None
    criterion: str
    kind: Literal["strength", "improve"]
    text: str


@dataclass(frozen=True)
class ModelInfo(Serializable):
    role: str  # "asr", "voice-encoder", "sentiment", "toxicity"...
    name: str
    source: str  # "embedded", "hub", "local", "built-in"
    sha256: str | None = None
    quality: str = "standard"


@dataclass(frozen=True)
class Provenance(Serializable):
    package_version: str
    device: str
    compute_type: str
    models: tuple[ModelInfo, ...]
    options: dict[str, object]
    separation_method: str


@dataclass(frozen=True)
class CallReport(Serializable):
    source: str
    audio_sha256: str
    duration_s: float
    language: str
    separation: Literal["stereo", "diarized"]
    separation_confidence: float
    role_confidence: float
    utterances: tuple[Utterance, ...]
    metrics: ReportMetrics
    timings: dict[str, float]
    provenance: Provenance
    abuse: tuple[AbuseFlag, ...] = ()
    scorecard: Scorecard | None = None
    notes: tuple[CoachingNote, ...] = ()
    warnings: tuple[str, ...] = ()
    schema: str = SCHEMA
