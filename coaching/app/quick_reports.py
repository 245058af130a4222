"""Call reports of generated sample calls built from their known truth, without speech models.

Used by ``coaching app --demo --quick`` and the UI tests: the transcript,
timings and levels come from the sample generator's truth file instead of
Whisper and Praat; sentiment (built-in lexicon), abuse flags, redaction of card
and phone numbers and the scorecard are computed by the real stages. Provenance and
warnings say so.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from coaching.types import (
    CallMetrics,
    CallReport,
    ModelInfo,
    Provenance,
    ReportMetrics,
    SpeakerMetrics,
    Utterance,
    UtteranceDelivery,
)
from coaching.version import __version__

QUICK_NOTICE = "demo report built from the sample generator's truth (no speech recognition run)"


def quick_report(audio_path: str | Path) -> CallReport:
    """A report for a generated sample call (``<stem>.truth.json`` beside it)."""
    from coaching.abuse import detect_abuse
    from coaching.app.demo_truth import load_truth
    from coaching.scoring import apply_scorecard
    from coaching.text.lexicon_sentiment import builtin_sentiment
    from coaching.text.redact import redact_utterances
    from coaching.text.sentiment import caller_trajectory, classify_sentiment

    truth = load_truth(audio_path)
    utterances = classify_sentiment(_utterances(truth), classifier=builtin_sentiment())
    start, end, trend = caller_trajectory(utterances)
    operator = _speaker(truth.operator, truth.talk_share)
    caller = replace(
        _speaker(truth.caller, 1.0 - truth.talk_share),
        sentiment_start=start,
        sentiment_end=end,
        sentiment_trend=trend,
    )
    report = CallReport(
        source=Path(audio_path).name,
        audio_sha256=hashlib.sha256(Path(audio_path).read_bytes()).hexdigest(),
        duration_s=truth.duration_s,
        language=truth.language,
        separation="stereo",
        separation_confidence=1.0,
        role_confidence=1.0,
        utterances=redact_utterances(utterances, language=truth.language),
        metrics=ReportMetrics(operator=operator, caller=caller, call=_call(truth)),
        abuse=detect_abuse(utterances, language=truth.language),
        timings={},
        provenance=Provenance(
            package_version=__version__,
            device="cpu",
            compute_type="none",
            models=(ModelInfo("asr", "sample-truth", "built-in", quality="demo"),),
            options={},
            separation_method="stereo channels (sample truth)",
        ),
        warnings=(QUICK_NOTICE,),
    )
    return apply_scorecard(report)


def _utterances(truth) -> tuple[Utterance, ...]:
    pitch = {"operator": truth.operator.pitch_median_hz, "caller": truth.caller.pitch_median_hz}
    utterances = []
    for turn in truth.turns:
        seconds = max(turn.end - turn.start, 1e-3)
        delivery = UtteranceDelivery(
            syllables=turn.syllables,
            words_per_minute=60.0 * turn.words / seconds,
            syllables_per_second=turn.syllables / seconds,
            pitch_median_hz=pitch[turn.speaker] * (1.25 if turn.shout else 1.0),
            loudness_dbfs=turn.level_dbfs,
        )
        utterances.append(
            Utterance(turn.speaker, turn.start, turn.end, turn.text, delivery=delivery)
        )
    return tuple(utterances)


def _speaker(truth, share: float) -> SpeakerMetrics:
    return SpeakerMetrics(
        speaking_time_s=truth.speech_s,
        word_count=truth.words,
        syllable_count=truth.syllables,
        words_per_minute=truth.words_per_minute,
        syllables_per_second=truth.syllables_per_second,
        talk_share=share,
        pitch_median_hz=truth.pitch_median_hz,
        pitch_sd_semitones=truth.pitch_sd_semitones,
        pitch_range_semitones=4.0 * truth.pitch_sd_semitones,
        loudness_dbfs=truth.level_dbfs,
        loudness_sd_db=3.0,
        clipped_share=0.0,
    )


def _call(truth) -> CallMetrics:
    operator_turns = [t for t in truth.turns if t.speaker == "operator"]
    return CallMetrics(
        dead_air=tuple(truth.dead_air),
        overtalk=tuple(truth.overtalk),
        interruptions_by_operator=0,
        longest_operator_monologue_s=max((t.end - t.start for t in operator_turns), default=0.0),
        operator_response_latency_s=None,
    )
