"""Scoring lines of text (chat, SMS, another recorder's transcript) as the pipeline scores calls.

Each line is one utterance on its own: the same Chinese script conversion,
sentiment scorer, abuse fusion (:func:`coaching.abuse.detect_abuse`, without a
voice) and redaction as :func:`coaching.pipeline.analyze_call`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coaching.abuse import detect_abuse
from coaching.options import AnalysisOptions
from coaching.serial import Serializable
from coaching.text.chinese import simplify_utterance
from coaching.text.language import LANGUAGES, detect_language
from coaching.text.redact import redact_utterances
from coaching.text.sentiment import classify_sentiment
from coaching.types import AbuseEvidence, Sentiment, Speaker, Utterance


@dataclass(frozen=True)
class LineAbuse(Serializable):
    category: str
    probability: float  # the fused severity (noisy-OR of the sources), 0..1
    evidence: AbuseEvidence


@dataclass(frozen=True)
class LineResult(Serializable):
    text: str
    language: str
    sentiment: Sentiment
    abuse: tuple[LineAbuse, ...]
    redacted_text: str


def analyze_lines(
    lines: Sequence[str],
    *,
    sentiment,  # a SentimentScorer (coaching.text.sentiment)
    abuse_head=None,  # coaching.text.scorers.EncoderAbuse
    toxicity=None,
    language: str | None = None,
    speaker: Speaker = "caller",
    options: AnalysisOptions | None = None,
) -> list[LineResult]:
    """One :class:`LineResult` per line; the language is detected per line unless given."""
    options = options or AnalysisOptions()
    languages = [language or detect_language(line) for line in lines]
    utterances = [
        _utterance(line, lang, speaker, options)
        for line, lang in zip(lines, languages, strict=True)
    ]
    scored = classify_sentiment(utterances, classifier=sentiment)
    results = []
    for line, lang, utterance in zip(lines, languages, scored, strict=True):
        flags = detect_abuse(
            [utterance],
            language=lang,
            options=options.abuse,
            toxicity=toxicity,
            abuse_head=abuse_head,
        )
        redacted = (
            redact_utterances([utterance], language=lang)[0].text if options.text.redact else None
        )
        results.append(
            LineResult(
                text=line,
                language=lang,
                sentiment=utterance.sentiment,
                abuse=tuple(LineAbuse(f.category, f.severity, f.evidence) for f in flags),
                redacted_text=redacted if redacted is not None else utterance.text,
            )
        )
    return results


def _utterance(line: str, language: str, speaker: Speaker, options: AnalysisOptions) -> Utterance:
    utterance = Utterance(speaker=speaker, start=0.0, end=max(1.0, len(line) / 15), text=line)
    if language == "zh" and options.transcript.chinese_script == "simplified":
        return simplify_utterance(utterance)
    return utterance


__all__ = ["LANGUAGES", "LineAbuse", "LineResult", "analyze_lines"]
