"""Who talked when: dead air, overtalk, interruptions, monologues, latency.

All functions take voice-activity intervals ``(start, end)`` in seconds (as
:func:`coaching.audio.activity.speech_intervals` returns them, pauses under 0.3 s
already bridged) and are pure interval arithmetic. Defaults follow MiiTel's
call analytics (dead air = nobody talking for >= 3 s, overtalk = both talking
for >= 1 s) and the usual conversation-analysis cut-off for backchannels
("mm-hm", "yes"): turns shorter than 0.8 s.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from itertools import pairwise

from coaching.types import Interval

Intervals = Sequence[Interval]
TURN_GAP_S = 0.5  # pauses shorter than this do not end a turn


def merge_intervals(
    intervals: Iterable[Interval], *, max_gap_s: float = 0.0
) -> tuple[Interval, ...]:
    """Sorted union of ``intervals``; gaps of at most ``max_gap_s`` are closed too."""
    merged: list[Interval] = []
    for start, end in sorted((float(s), float(e)) for s, e in intervals if e > s):
        if merged and start - merged[-1][1] <= max_gap_s:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def total_duration(intervals: Iterable[Interval]) -> float:
    """Seconds covered by ``intervals`` (overlaps counted once)."""
    return sum(end - start for start, end in merge_intervals(intervals))


def intersect_intervals(first: Intervals, second: Intervals) -> tuple[Interval, ...]:
    """Stretches covered by both ``first`` and ``second``."""
    a, b = merge_intervals(first), merge_intervals(second)
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if end > start:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def subtract_intervals(first: Intervals, second: Intervals) -> tuple[Interval, ...]:
    """Stretches of ``first`` not covered by ``second``."""
    out: list[Interval] = []
    cuts = merge_intervals(second)
    for start, end in merge_intervals(first):
        cursor = start
        for cut_start, cut_end in cuts:
            if cut_end <= cursor or cut_start >= end:
                continue
            if cut_start > cursor:
                out.append((cursor, cut_start))
            cursor = max(cursor, cut_end)
        if cursor < end:
            out.append((cursor, end))
    return tuple(out)


def drop_backchannels(
    intervals: Intervals, *, max_s: float = 0.8, turn_gap_s: float = TURN_GAP_S
) -> tuple[Interval, ...]:
    """``intervals`` without backchannels: turns (speech with pauses under ``turn_gap_s``
    joined) shorter than ``max_s`` are left out."""
    turns = merge_intervals(intervals, max_gap_s=turn_gap_s)
    return intersect_intervals(intervals, [turn for turn in turns if _length(turn) >= max_s])


def find_dead_air(
    operator: Intervals, caller: Intervals, *, min_gap_s: float = 3.0
) -> tuple[Interval, ...]:
    """Silences of at least ``min_gap_s`` with nobody talking, between the call's first and
    last speech (MiiTel: 3 s; Google CCAI uses > 5 s)."""
    speech = merge_intervals([*operator, *caller])
    gaps = ((left[1], right[0]) for left, right in pairwise(speech))
    return tuple(gap for gap in gaps if gap[1] - gap[0] >= min_gap_s)


def find_overtalk(
    operator: Intervals,
    caller: Intervals,
    *,
    min_overlap_s: float = 1.0,
    backchannel_max_s: float = 0.8,
    join_gap_s: float = 0.3,
) -> tuple[Interval, ...]:
    """Stretches where both talk for at least ``min_overlap_s`` (MiiTel: 1 s).

    Turns shorter than ``backchannel_max_s`` are backchannels, not a claim to
    the floor, and never make overtalk; overlap pieces closer than
    ``join_gap_s`` count as one.
    """
    held_operator = drop_backchannels(operator, max_s=backchannel_max_s)
    held_caller = drop_backchannels(caller, max_s=backchannel_max_s)
    both = merge_intervals(intersect_intervals(held_operator, held_caller), max_gap_s=join_gap_s)
    return tuple(piece for piece in both if _length(piece) >= min_overlap_s)


def count_interruptions_by_operator(
    operator: Intervals,
    caller: Intervals,
    *,
    min_overlap_s: float = 0.5,
    yield_within_s: float = 2.0,
    backchannel_max_s: float = 0.8,
) -> int:
    """Times the operator took the floor from a caller in mid-turn.

    Turns are speech with pauses under 0.5 s joined. An interruption: an
    operator turn starts while the caller is talking, the
    two overlap for at least ``min_overlap_s`` (shorter overlaps are the normal
    early start at a turn's end), the caller stops within ``yield_within_s`` of
    the operator's start, and the operator talks on past that point. Operator
    turns shorter than ``backchannel_max_s`` are backchannels and never count.
    Both talking on without yielding is overtalk (:func:`find_overtalk`), not this.
    """
    caller_turns = merge_intervals(caller, max_gap_s=TURN_GAP_S)
    operator_turns = merge_intervals(
        drop_backchannels(operator, max_s=backchannel_max_s), max_gap_s=TURN_GAP_S
    )
    count = 0
    for start, end in operator_turns:
        for caller_start, caller_end in caller_turns:
            if caller_start < start < caller_end:
                overlap = caller_end - start
                if min_overlap_s <= overlap <= yield_within_s and end > caller_end:
                    count += 1
                break
    return count


def longest_monologue(
    intervals: Intervals,
    *,
    other: Intervals,
    max_pause_s: float = 1.0,
    backchannel_max_s: float = 0.8,
) -> float:
    """Longest stretch one speaker holds the floor, in seconds (0.0 if they never speak).

    Own pauses shorter than ``max_pause_s`` are bridged; the other side's
    backchannels (turns under ``backchannel_max_s``) do not end a monologue.
    """
    stretches = merge_intervals(intervals, max_gap_s=max_pause_s)
    other_turns = drop_backchannels(other, max_s=backchannel_max_s)
    pieces = subtract_intervals(stretches, other_turns)
    own = merge_intervals(intervals)
    trimmed = [_trim_to(piece, own) for piece in pieces]
    return max((_length(piece) for piece in trimmed if piece is not None), default=0.0)


def response_latency(
    operator: Intervals, caller: Intervals, *, max_latency_s: float = 10.0
) -> float | None:
    """Median seconds from the end of a caller turn to the operator's next start.

    Counted only where the operator was silent when the caller stopped, the
    caller did not resume first, and the wait was under ``max_latency_s``;
    None when no such hand-over happened.
    """
    operator_turns = merge_intervals(operator)
    caller_turns = merge_intervals(caller)
    waits: list[float] = []
    for index, (_, caller_end) in enumerate(caller_turns):
        if any(start <= caller_end < end for start, end in operator_turns):
            continue
        next_operator = next((start for start, _ in operator_turns if start >= caller_end), None)
        if next_operator is None:
            continue
        next_caller = caller_turns[index + 1][0] if index + 1 < len(caller_turns) else float("inf")
        if next_operator < next_caller and next_operator - caller_end < max_latency_s:
            waits.append(next_operator - caller_end)
    return statistics.median(waits) if waits else None


def _length(interval: Interval) -> float:
    return interval[1] - interval[0]


def _trim_to(piece: Interval, speech: Intervals) -> Interval | None:
    """``piece`` shrunk to start and end on actual speech (bridged pauses at its edges removed)."""
    inside = intersect_intervals([piece], speech)
    return (inside[0][0], inside[-1][1]) if inside else None


def clock(seconds: float | None) -> str:
    """``75.2`` -> ``"01:15"``; ``h:mm:ss`` from an hour on; ``"--:--"`` for no time."""
    if seconds is None:
        return "--:--"
    hours, rest = divmod(max(0, round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
