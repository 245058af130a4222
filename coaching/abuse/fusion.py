"""One utterance's words to abuse flags: the abuse head, the lexicons and a toxicity model.

The embedded abuse head (:mod:`coaching.text.scorers`) decides what an utterance
means; the other sources add evidence and strength:

- the head flags an utterance when P(abusive) reaches its threshold and some
  category reaches its own, in every category over its threshold, so a threat
  with a swear word is both ``threat`` and ``profanity``;
- a lexicon hit adds its category when the head leans the same way (P(abusive) at
  least ``LEXICON_SUPPORT`` of its threshold, or the category over its threshold):
  "kill the old reading" names no one and is not a threat. A profanity hit of
  weight ``STRONG_PROFANITY`` or more stands on its own: swearing is swearing;
- a transformers toxicity score at or above ``threshold`` flags the head's named
  categories, or its likeliest one, even when the head alone would not (a model
  asked for takes precedence);
- severity is the noisy-OR of the head's category probability, the lexicon terms'
  weights and a toxic score; the evidence keeps each one and names the sources.

Without the head (encoder unavailable) the lexicons and toxicity score decide alone,
as before the encoder: lexicon categories, raised by a toxic score, or ``insult``.
Operators get only ``profanity`` and ``insult`` flags, a coaching matter.
"""

from __future__ import annotations

from dataclasses import dataclass

from coaching.abuse.lexicon import find_terms
from coaching.types import AbuseEvidence, AbuseFlag, Utterance

LEXICON_SUPPORT = 0.5
STRONG_PROFANITY = 0.5
OPERATOR_CATEGORIES = ("profanity", "insult")


@dataclass(frozen=True)
class LexiconHit:
    terms: tuple[str, ...]
    severity: float


def lexicon_hits(text: str, language: str) -> dict[str, LexiconHit]:
    """Matched terms per category with their noisy-OR severity."""
    by_category: dict[str, dict[str, float]] = {}
    for match in find_terms(text, language):
        terms = by_category.setdefault(match.category, {})
        terms[match.term] = max(terms.get(match.term, 0.0), match.severity)
    return {
        category: LexiconHit(tuple(terms), noisy_or(terms.values()))
        for category, terms in by_category.items()
    }


def text_flags(
    utterance: Utterance,
    language: str,
    *,
    reading=None,  # coaching.text.scorers.AbuseReading, or None without the head
    toxicity: float | None = None,
    threshold: float = 0.7,
) -> list[AbuseFlag]:
    """The abuse flags one utterance's words earn, each with its evidence."""
    lexicon = lexicon_hits(utterance.text, language)
    toxic = toxicity is not None and toxicity >= threshold
    categories = _categories(lexicon, reading, toxic)
    if utterance.speaker == "operator":
        categories = [c for c in categories if c in OPERATOR_CATEGORIES]
    flags = []
    for category in categories:
        hit = lexicon.get(category)
        head = reading.categories[category] if reading is not None else None
        head_fired = reading is not None and category in _head_categories(reading, toxic)
        cues = [v for v in (head if head_fired else None, hit and hit.severity) if v]
        cues += [toxicity] if toxic else []
        sources = ("head",) * head_fired + ("lexicon",) * bool(hit) + ("classifier",) * toxic
        evidence = AbuseEvidence(
            terms=hit.terms if hit else (),
            classifier_score=round(toxicity, 3) if toxicity is not None else None,
            sources=sources,
            head_probability=head,
            lexicon_severity=round(hit.severity, 3) if hit else None,
        )
        severity = round(noisy_or(cues), 3)
        flags.append(
            AbuseFlag(
                utterance.start, utterance.end, utterance.speaker, category, severity, evidence
            )
        )
    return flags


def _head_categories(reading, toxic: bool) -> tuple[str, ...]:
    return reading.likely_categories() if reading.is_abusive or toxic else ()


def _categories(lexicon: dict[str, LexiconHit], reading, toxic: bool) -> list[str]:
    if reading is None:
        found = list(lexicon)
        return found or (["insult"] if toxic else [])
    found = list(_head_categories(reading, toxic))
    leaning = reading.abusive >= LEXICON_SUPPORT * reading.abusive_threshold
    for category, hit in lexicon.items():
        if category not in reading.categories:
            continue
        agrees = leaning or reading.categories[category] >= reading.thresholds[category]
        strong = category == "profanity" and hit.severity >= STRONG_PROFANITY
        if (agrees or strong) and category not in found:
            found.append(category)
    return found


def noisy_or(severities) -> float:
    """Combined severity of independent cues: 1 - Π(1 - s)."""
    remaining = 1.0
    for severity in severities:
        remaining *= 1.0 - min(1.0, max(0.0, float(severity)))
    return 1.0 - remaining
