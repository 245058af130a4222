"""Every knob of an analysis: one frozen record per stage, composed into
:class:`AnalysisOptions`, which provenance keeps.

Each stage reads only its own record (``options.transcript`` for recognition,
``options.abuse`` for the abuse step...). On disk and on the command line the
knobs keep their flat names (``beam_size``, ``dead_air_min_s``): ``to_dict`` writes
one flat mapping, ``from_dict`` and :meth:`AnalysisOptions.with_overrides` route
each name to the stage that owns it, so reports, settings hashes and ``--set``
stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from coaching.errors import ConfigError
from coaching.serial import Serializable, from_plain


@dataclass(frozen=True)
class SpeakerOptions(Serializable):
    """Who is who: the stereo channel map and how sure a mono diarization must be."""

    # stereo: 0 = left is the operator, 1 = right; None = auto (left unless the words
    # clearly say the channels are swapped)
    operator_channel: Literal[0, 1] | None = None
    # Diarization of mono calls: below this confidence, speaker metrics are unreliable
    min_separation_confidence: float = 0.5


@dataclass(frozen=True)
class TranscriptOptions(Serializable):
    """Speech recognition (faster-whisper) and how its words become utterances."""

    language: str | None = None  # None: detect once per call
    languages: tuple[str, ...] = ("en", "vi", "ru", "zh")  # detection picks among these; () = any
    model: str = "base"
    device: str = "auto"
    compute_type: str = "auto"
    beam_size: int = 5
    # Whisper's temperature fallback; (0.0,) decodes once (faster on hard audio, less robust)
    temperatures: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    utterance_max_pause_s: float = 1.0  # a longer pause inside a channel starts a new utterance
    # Chinese transcripts: "simplified" converts Whisper's output with OpenCC (t2s)
    # before any text analysis; "traditional" keeps what Whisper wrote
    chinese_script: Literal["simplified", "traditional"] = "simplified"


@dataclass(frozen=True)
class DeliveryOptions(Serializable):
    """Timing measures (seconds)."""

    dead_air_min_s: float = 3.0
    overtalk_min_s: float = 1.0
    backchannel_max_s: float = 0.8


@dataclass(frozen=True)
class TextOptions(Serializable):
    """Sentiment, the caller's trajectory and redaction."""

    # "embedded" sentiment / "none" toxicity = the embedded encoder's heads; a hub id
    # or local directory names a transformers classifier that takes precedence
    # ("builtin" sentiment = the lexicon); see coaching.text.sentiment
    sentiment_model: str = "embedded"
    toxicity_model: str = "none"
    trend_band: float = 20.0  # sentiment trajectory bands on -100..100 (Genesys-style)
    redact: bool = True


@dataclass(frozen=True)
class AbuseOptions(Serializable):
    """Abusive-caller detection."""

    detect_abuse: bool = True
    shouting_db_over_median: float = 10.0
    shouting_pitch_rise_semitones: float = 3.0
    abuse_merge_gap_s: float = 2.0
    toxicity_threshold: float = 0.7


STAGES = {
    "speakers": SpeakerOptions,
    "transcript": TranscriptOptions,
    "delivery": DeliveryOptions,
    "text": TextOptions,
    "abuse": AbuseOptions,
}
OWNER = {f.name: stage for stage, kind in STAGES.items() for f in fields(kind)}
"""Flat knob name -> the stage record that holds it."""


@dataclass(frozen=True)
class AnalysisOptions(Serializable):
    """How to analyse a call. Defaults follow field practice (see README, "Metrics")."""

    speakers: SpeakerOptions = field(default_factory=SpeakerOptions)
    transcript: TranscriptOptions = field(default_factory=TranscriptOptions)
    delivery: DeliveryOptions = field(default_factory=DeliveryOptions)
    text: TextOptions = field(default_factory=TextOptions)
    abuse: AbuseOptions = field(default_factory=AbuseOptions)

    @classmethod
    def of(cls, **knobs: Any) -> AnalysisOptions:
        """Options with some knobs (flat names) set, the rest at their defaults."""
        return cls().with_knobs(**knobs)

    def with_overrides(self, **overrides: Any) -> AnalysisOptions:
        """A copy with the knobs given a value changed (flat names; None leaves a knob as
        it is, as an option left off the command line does)."""
        return self.with_knobs(**{k: v for k, v in overrides.items() if v is not None})

    def with_knobs(self, **knobs: Any) -> AnalysisOptions:
        """A copy with these knobs (flat names) set, None included; unknown names raise
        :class:`ConfigError`."""
        unknown = sorted(set(knobs) - set(OWNER))
        if unknown:
            raise ConfigError(
                f"unknown analysis option(s): {', '.join(unknown)}; "
                f"known options are: {', '.join(sorted(OWNER))}"
            )
        changes: dict[str, dict[str, Any]] = {}
        for name, value in knobs.items():
            changes.setdefault(OWNER[name], {})[name] = value
        return replace(
            self, **{stage: replace(getattr(self, stage), **kw) for stage, kw in changes.items()}
        )

    def to_dict(self) -> dict[str, Any]:
        """Every knob under its flat name (what reports and settings hashes record)."""
        return {
            name: value
            for stage in STAGES
            for name, value in getattr(self, stage).to_dict().items()
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnalysisOptions:
        """Options from :meth:`to_dict`'s flat mapping (unknown names are ignored)."""
        return cls(
            **{
                stage: from_plain(kind, {k: v for k, v in data.items() if OWNER.get(k) == stage})
                for stage, kind in STAGES.items()
            }
        )
