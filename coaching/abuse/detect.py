"""Abuse flags for a call: the words of each utterance, repeated attacks, shouting.

Per utterance, :mod:`coaching.abuse.fusion` turns the embedded abuse head, the
lexicons and an optional transformers toxicity score into category flags, each
with its evidence (which sources fired and how strongly). Then:

- three or more insulting caller utterances within two minutes add a ``harassment``
  flag (repeated personal attacks) spanning them;
- shouting comes from the caller's voice (:mod:`coaching.abuse.shouting`); a word
  flag on a shouted utterance also carries the level, with "voice" among its sources.

Operator utterances give only ``profanity`` and ``insult`` flags from their words, a
coaching matter; nothing is ever inferred from the operator's voice. Flags of one
speaker and category less than ``MERGE_GAP_S`` apart merge into one segment whose
severity is the maximum of its parts (a segment is as bad as its worst moment; its
length shows how long it went on), with the evidence pooled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from coaching.abuse.fusion import noisy_or, text_flags
from coaching.abuse.shouting import find_shouting, speech_baseline_db, utterance_levels_db
from coaching.errors import ConfigError, ModelError
from coaching.options import AbuseOptions
from coaching.types import AbuseEvidence, AbuseFlag, Utterance

__all__ = ["detect_abuse", "merge_flags", "noisy_or", "shouting_flags"]

MERGE_GAP_S = 2.0
REPEATED_INSULTS = 3
REPEAT_WINDOW_S = 120.0
Toxicity = Callable[[list[str]], Sequence[float]]


def detect_abuse(
    utterances: Sequence[Utterance],
    *,
    language: str,
    options: AbuseOptions | None = None,
    toxicity: Toxicity | None = None,
    abuse_head=None,
    caller_samples: np.ndarray | None = None,
    sample_rate: int | None = None,
) -> tuple[AbuseFlag, ...]:
    """Abuse flags for a call, merged into segments and sorted by time.

    ``abuse_head`` is the embedded head (``coaching.text.scorers.EncoderAbuse``, as
    ``Models.text.abuse``); without it the lexicons decide alone. ``toxicity`` maps
    caller texts to probabilities of toxicity; ``caller_samples`` (the caller's
    channel, or the mono mix) with ``sample_rate`` measures shouting from the audio,
    otherwise the utterances' ``delivery.loudness_dbfs`` is used.
    """
    options = options or AbuseOptions()
    if not options.detect_abuse:
        return ()
    spoken = [u for u in utterances if u.text.strip()]
    caller = [u for u in spoken if u.speaker == "caller"]
    scores = dict(zip(map(id, caller), _toxicity_scores(caller, toxicity), strict=True))
    readings = abuse_head.read([u.text for u in spoken]) if abuse_head else [None] * len(spoken)
    flags: list[AbuseFlag] = []
    for utterance, reading in zip(spoken, readings, strict=True):
        flags += text_flags(
            utterance,
            language,
            reading=reading,
            toxicity=scores.get(id(utterance)),
            threshold=options.toxicity_threshold,
        )
    flags += _repeated_attacks(flags)
    shouting = shouting_flags(
        caller, options=options, samples=caller_samples, sample_rate=sample_rate
    )
    flags = _with_shouting(flags, shouting) + shouting
    return merge_flags(flags, gap_s=options.abuse_merge_gap_s)


def _toxicity_scores(caller: list[Utterance], toxicity: Toxicity | None) -> list[float | None]:
    if toxicity is None or not caller:
        return [None] * len(caller)
    scores = list(toxicity([u.text for u in caller]))
    if len(scores) != len(caller):
        raise ModelError(
            f"the toxicity classifier returned {len(scores)} scores for "
            f"{len(caller)} texts; it must return one probability per text"
        )
    if any(not 0.0 <= float(s) <= 1.0 for s in scores):
        raise ModelError(
            "the toxicity classifier returned a score outside 0..1; "
            "it must return the probability that each text is toxic"
        )
    return [float(s) for s in scores]


def _with_shouting(flags: list[AbuseFlag], shouting: list[AbuseFlag]) -> list[AbuseFlag]:
    """Caller word flags on a shouted utterance carry the shouting as evidence too."""
    loud = {(f.start, f.end): f.evidence for f in shouting}
    marked = []
    for flag in flags:
        voice = loud.get((flag.start, flag.end)) if flag.speaker == "caller" else None
        if voice is not None:
            evidence = replace(
                flag.evidence,
                level_over_median_db=voice.level_over_median_db,
                pitch_rise_semitones=voice.pitch_rise_semitones,
                sources=(*flag.evidence.sources, "voice"),
            )
            flag = replace(flag, evidence=evidence)
        marked.append(flag)
    return marked


def _repeated_attacks(flags: list[AbuseFlag]) -> list[AbuseFlag]:
    """A harassment flag over every run of >= 3 insulting caller turns within two minutes."""
    insults = sorted(
        (f for f in flags if f.speaker == "caller" and f.category == "insult"),
        key=lambda f: f.start,
    )
    found, run = [], []
    for flag in [*insults, None]:
        if flag is not None and (not run or flag.start - run[0].start <= REPEAT_WINDOW_S):
            run.append(flag)
            continue
        if len(run) >= REPEATED_INSULTS:
            terms = tuple(dict.fromkeys(t for f in run for t in f.evidence.terms))
            evidence = AbuseEvidence(terms=terms, sources=("repetition",))
            found.append(
                AbuseFlag(
                    run[0].start,
                    run[-1].end,
                    "caller",
                    "harassment",
                    max(f.severity for f in run),
                    evidence,
                )
            )
        run = [flag] if flag is not None else []
    return found


def shouting_flags(
    caller: Sequence[Utterance],
    *,
    options: AbuseOptions,
    samples: np.ndarray | None = None,
    sample_rate: int | None = None,
) -> list[AbuseFlag]:
    """Shouting flags for caller utterances, from samples when given, else from delivery."""
    spans = [(u.start, u.end) for u in caller]
    if samples is not None:
        if not sample_rate:
            raise ConfigError("caller_samples were given without sample_rate; pass both")
        levels = utterance_levels_db(samples, sample_rate, spans)
        baseline = speech_baseline_db(samples, sample_rate, spans)
    else:
        levels = tuple(u.delivery.loudness_dbfs if u.delivery else None for u in caller)
        baseline = None
    pitches = [u.delivery.pitch_median_hz if u.delivery else None for u in caller]
    hits = find_shouting(
        levels,
        pitches,
        db_over_median=options.shouting_db_over_median,
        pitch_rise_semitones=options.shouting_pitch_rise_semitones,
        baseline_db=baseline,
    )
    flags = []
    for hit in hits:
        utterance = caller[hit.index]
        evidence = AbuseEvidence(
            level_over_median_db=hit.level_over_median_db,
            pitch_rise_semitones=hit.pitch_rise_semitones,
            sources=("voice",),
        )
        flags.append(
            AbuseFlag(utterance.start, utterance.end, "caller", "shouting", hit.severity, evidence)
        )
    return flags


def merge_flags(flags: Sequence[AbuseFlag], *, gap_s: float = MERGE_GAP_S):
    """Flags of one speaker and category closer than ``gap_s`` joined; sorted by time."""
    merged: list[AbuseFlag] = []
    for flag in sorted(flags, key=lambda f: (f.speaker, f.category, f.start, f.end)):
        last = merged[-1] if merged else None
        same = last is not None and (last.speaker, last.category) == (flag.speaker, flag.category)
        if same and flag.start - last.end < gap_s:
            merged[-1] = _merged_pair(last, flag)
        else:
            merged.append(flag)
    return tuple(sorted(merged, key=lambda f: (f.start, f.category, f.speaker)))


def _merged_pair(first: AbuseFlag, second: AbuseFlag) -> AbuseFlag:
    """One flag spanning both, with the stronger evidence of each kind."""
    a, b = first.evidence, second.evidence
    evidence = AbuseEvidence(
        terms=tuple(dict.fromkeys((*a.terms, *b.terms))),
        classifier_score=_max_known(a.classifier_score, b.classifier_score),
        level_over_median_db=_max_known(a.level_over_median_db, b.level_over_median_db),
        pitch_rise_semitones=_max_known(a.pitch_rise_semitones, b.pitch_rise_semitones),
        sources=tuple(dict.fromkeys((*a.sources, *b.sources))),
        head_probability=_max_known(a.head_probability, b.head_probability),
        lexicon_severity=_max_known(a.lexicon_severity, b.lexicon_severity),
    )
    return replace(
        first,
        end=max(first.end, second.end),
        severity=max(first.severity, second.severity),
        evidence=evidence,
    )


def _max_known(a: float | None, b: float | None) -> float | None:
    present = [v for v in (a, b) if v is not None]
    return max(present) if present else None
