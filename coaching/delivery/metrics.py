"""How each party spoke: the typed delivery metrics of a speaker, an utterance, a call.

For a stereo call ``samples`` is the speaker's own channel; for a diarized mono
call it is the mix, and ``turns`` (that speaker's intervals) decide which parts
are looked at, so every measure here only looks inside ``turns``.

Speech rate is words (or syllables) over *speaking time*: the speaker's voice
activity with their own pauses under 1 s bridged, counted only inside the
spans of the speaker's utterances. Bridging short pauses makes it a speaking
rate in the sense of call-centre practice (120-150 wpm comfortable for English
support calls), not an articulation rate; keeping to the utterance spans means
speech the recogniser dropped does not slow the rate, and the recogniser's loose
segment edges and long silences do not either.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coaching.audio.activity import samples_in
from coaching.audio.loudness import active_speech_level
from coaching.audio.loudness import clipped_share as share_clipped
from coaching.delivery.prosody import PitchTrack, pitch_stats, pitch_track
from coaching.delivery.syllables import count_syllables, count_words
from coaching.options import DeliveryOptions
from coaching.timing import (
    count_interruptions_by_operator,
    find_dead_air,
    find_overtalk,
    intersect_intervals,
    longest_monologue,
    merge_intervals,
    response_latency,
    total_duration,
)
from coaching.types import CallMetrics, Interval, SpeakerMetrics, Utterance, UtteranceDelivery

WORD_TIME_SLACK_S = 0.5
MIN_RATE_S = 1.0
RATE_MAX_PAUSE_S = 1.0  # own pauses shorter than this count as speaking time


def measure_speaker(
    samples: np.ndarray,
    sample_rate: int,
    *,
    turns: Sequence[Interval],
    utterances: Sequence[Utterance],
    language: str,
    other_speech_s: float,
    clipped_share: float | None = None,
    reliable: bool = True,
    pitch: PitchTrack | None = None,
    max_pause_s: float = RATE_MAX_PAUSE_S,
) -> SpeakerMetrics:
    """Delivery of one speaker over the whole call.

    ``pitch`` reuses a track from :func:`coaching.delivery.prosody.pitch_track` (computed
    over ``turns``); ``clipped_share`` left as None is measured inside ``turns``;
    own pauses shorter than ``max_pause_s`` count as speaking time for the rates.
    """
    own_s = total_duration(turns)
    text = " ".join(utterance.text for utterance in utterances)
    words, syllables = count_words(text, language), count_syllables(text, language)
    rate_s = speaking_time(turns, utterances, max_pause_s=max_pause_s)
    track = pitch if pitch is not None else pitch_track(samples, sample_rate, intervals=turns)
    stats = pitch_stats(_f0_inside(track, turns))
    level = active_speech_level(samples, sample_rate, intervals=turns) if turns else None
    if clipped_share is None and turns:
        clipped_share = share_clipped(samples_in(samples, sample_rate, turns))
    return SpeakerMetrics(
        speaking_time_s=round(own_s, 3),
        word_count=words,
        syllable_count=syllables,
        words_per_minute=_per(words, rate_s, 60.0),
        syllables_per_second=_per(syllables, rate_s, 1.0),
        talk_share=own_s / (own_s + other_speech_s) if own_s + other_speech_s > 0 else None,
        pitch_median_hz=stats.median_hz if stats else None,
        pitch_sd_semitones=stats.sd_semitones if stats else None,
        pitch_range_semitones=stats.range_semitones if stats else None,
        loudness_dbfs=level.level_dbfs if level else None,
        loudness_sd_db=level.sd_db if level else None,
        clipped_share=clipped_share,
        reliable=reliable,
    )


def measure_utterance(
    samples: np.ndarray,
    sample_rate: int,
    utterance: Utterance,
    language: str,
    *,
    pitch: PitchTrack | None = None,
    turns: Sequence[Interval] | None = None,
    max_pause_s: float = RATE_MAX_PAUSE_S,
) -> UtteranceDelivery:
    """Delivery of one utterance; pitch comes only from the precomputed ``pitch`` track.

    With ``turns`` the utterance's span is narrowed to the speaker's voice
    activity (needed on a mono mix, where the other party may talk inside it;
    on a stereo channel it trims the recogniser's loose edges from the rate).
    Against ``turns`` the span is first widened by ``WORD_TIME_SLACK_S`` each side,
    as in :func:`speaking_time`. An utterance with no voice activity of its speaker
    inside gets no pitch or level, and its rate is taken over its own span.
    """
    span = ((utterance.start, utterance.end),)
    speech, talk = span, span
    if turns is not None:
        wide = (_widened(utterance),)
        speech = intersect_intervals(wide, turns)
        talk = intersect_intervals(wide, merge_intervals(turns, max_gap_s=max_pause_s)) or span
    seconds = total_duration(talk)
    syllables = count_syllables(utterance.text, language)
    stats = pitch_stats(_f0_inside(pitch, speech)) if pitch is not None else None
    level = active_speech_level(samples, sample_rate, intervals=speech) if speech else None
    return UtteranceDelivery(
        syllables=syllables,
        words_per_minute=_per(count_words(utterance.text, language), seconds, 60.0),
        syllables_per_second=_per(syllables, seconds, 1.0),
        pitch_median_hz=stats.median_hz if stats else None,
        loudness_dbfs=level.level_dbfs if level else None,
        pitch_sd_semitones=stats.sd_semitones if stats else None,
    )


def measure_call(
    operator_turns: Sequence[Interval],
    caller_turns: Sequence[Interval],
    *,
    options: DeliveryOptions,
    overtalk_measured: bool = True,
    overtalk_estimated: bool = False,
) -> CallMetrics:
    """Timing of the conversation from both parties' voice activity.

    Pass ``overtalk_estimated=True`` for a diarized mono call: its overlapping turns
    come from the diarization's overlap detection, an estimate rather than a measure.
    Pass ``overtalk_measured=False`` where turns cannot overlap at all.
    """
    backchannel = options.backchannel_max_s
    overtalk = find_overtalk(
        operator_turns,
        caller_turns,
        min_overlap_s=options.overtalk_min_s,
        backchannel_max_s=backchannel,
    )
    return CallMetrics(
        dead_air=find_dead_air(operator_turns, caller_turns, min_gap_s=options.dead_air_min_s),
        overtalk=overtalk if overtalk_measured else (),
        interruptions_by_operator=count_interruptions_by_operator(
            operator_turns, caller_turns, backchannel_max_s=backchannel
        ),
        longest_operator_monologue_s=round(
            longest_monologue(operator_turns, other=caller_turns, backchannel_max_s=backchannel), 3
        ),
        operator_response_latency_s=response_latency(operator_turns, caller_turns),
        overtalk_measured=overtalk_measured,
        overtalk_estimated=overtalk_estimated,
    )


def speaking_time(
    turns: Sequence[Interval],
    utterances: Sequence[Utterance],
    *,
    max_pause_s: float = RATE_MAX_PAUSE_S,
) -> float:
    """Seconds of talk that the speaker's voice activity and utterance spans agree on.

    Pauses under ``max_pause_s`` inside the talk count (a speaking rate, not an
    articulation rate). Utterance spans are widened by ``WORD_TIME_SLACK_S`` on
    each side before they are compared: Whisper's word times run a few hundred
    milliseconds inside the real speech, and voice activity has the precise edges.
    Falls back to the utterance spans when voice activity found nothing there.
    """
    spans = merge_intervals(_widened(u) for u in utterances)
    talk = merge_intervals(turns, max_gap_s=max_pause_s)
    agreed = total_duration(intersect_intervals(talk, spans))
    return agreed if agreed > 0 else total_duration(spans)


def _widened(utterance: Utterance) -> Interval:
    """The utterance's span with the slack Whisper's word times need."""
    return (utterance.start - WORD_TIME_SLACK_S, utterance.end + WORD_TIME_SLACK_S)


def _f0_inside(track: PitchTrack, intervals: Sequence[Interval]) -> np.ndarray:
    if not intervals:
        return np.empty(0)
    return np.concatenate([track.between(start, end) for start, end in intervals])


def _per(count: int, seconds: float, unit_s: float) -> float | None:
    if count == 0 or seconds < MIN_RATE_S:
        return None
    return count / seconds * unit_s
