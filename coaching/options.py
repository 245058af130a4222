"""Every knob of an analysis, in one frozen record that provenance keeps."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from coaching.errors import ConfigError
from coaching.serial import Serializable


@dataclass(frozen=True)
class AnalysisOptions(Serializable):
    """How to analyse a call. Defaults follow field practice (see README, "Metrics")."""

    # Speakers
    # stereo: 0 = left is the operator, 1 = right; None = auto (left unless the words
    # clearly say the channels are swapped)
    operator_channel: Literal[0, 1] | None = None
    language: str | None = None  # None: detect once per call
    languages: tuple[str, ...] = ("en", "vi", "ru", "zh")  # detection picks among these; () = any
    # Speech recognition
    model: str = "base"
    device: str = "auto"
    compute_type: str = "auto"
    beam_size: int = 5
    # Whisper's temperature fallback; (0.0,) decodes once (faster on hard audio, less robust)
    temperatures: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    # Text classifiers: hub ids or local directories ("builtin" sentiment = the lexicon,
    # "none" toxicity = lexicons and voice only); see coaching.text.sentiment
    sentiment_model: str = "cardiffnlp/twitter-xlm-roberta-base-sentiment"
    toxicity_model: str = "textdetox/xlmr-large-toxicity-classifier"
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    utterance_max_pause_s: float = 1.0  # a longer pause inside a channel starts a new utterance
    # Timing (seconds)
    dead_air_min_s: float = 3.0
    overtalk_min_s: float = 1.0
    backchannel_max_s: float = 0.8
    # Diarization of mono calls: below this confidence, speaker metrics are unreliable
    min_separation_confidence: float = 0.5
    # Sentiment trajectory bands on -100..100 (Genesys-style)
    trend_band: float = 20.0
    # Abuse detection
    detect_abuse: bool = True
    shouting_db_over_median: float = 10.0
    shouting_pitch_rise_semitones: float = 3.0
    abuse_merge_gap_s: float = 2.0
    toxicity_threshold: float = 0.7
    # Privacy
    redact: bool = True

    def with_overrides(self, **overrides: Any) -> AnalysisOptions:
        """A copy with some options changed; unknown names raise :class:`ConfigError`."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ConfigError(
                f"unknown analysis option(s): {', '.join(unknown)}; "
                f"known options are: {', '.join(sorted(known))}"
            )
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})
