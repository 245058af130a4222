"""Conversation timing on hand-made voice-activity intervals."""

from __future__ import annotations

import pytest

from coaching.timing import (
    count_interruptions_by_operator,
    drop_backchannels,
    find_dead_air,
    find_overtalk,
    intersect_intervals,
    longest_monologue,
    merge_intervals,
    response_latency,
    subtract_intervals,
    total_duration,
)


def test_merge_and_total_duration():
    assert merge_intervals([(5, 6), (0, 1), (0.5, 2), (2, 3)]) == ((0, 3), (5, 6))
    assert merge_intervals([(0, 1), (1.2, 2)], max_gap_s=0.2) == ((0, 2),)
    assert merge_intervals([(0, 1), (1.3, 2)], max_gap_s=0.2) == ((0, 1), (1.3, 2))
    assert merge_intervals([(3, 3), (4, 2)]) == ()
    assert total_duration([(0, 2), (1, 3), (10, 11)]) == 4


def test_intersect_and_subtract():
    a, b = [(0, 4), (6, 9)], [(1, 2), (3, 7), (8.5, 12)]
    assert intersect_intervals(a, b) == ((1, 2), (3, 4), (6, 7), (8.5, 9))
    assert subtract_intervals(a, b) == ((0, 1), (2, 3), (7, 8.5))
    assert intersect_intervals(a, []) == ()


def test_dead_air_only_between_first_and_last_speech():
    operator = [(2, 5), (12, 14)]
    caller = [(5.5, 8), (14.2, 20)]
    assert find_dead_air(operator, caller) == ((8, 12),)
    assert find_dead_air(operator, caller, min_gap_s=4.0) == ((8, 12),)
    assert find_dead_air(operator, caller, min_gap_s=4.01) == ()
    assert find_dead_air([(0, 1)], [(4, 5)]) == ((1, 4),)  # exactly 3 s counts
    assert find_dead_air([], []) == ()


def test_overtalk_needs_one_second_of_both():
    operator = [(0, 5), (10, 12)]
    caller = [(4.5, 8), (11.2, 15)]  # 0.5 s and 0.8 s overlaps: normal turn-taking
    assert find_overtalk(operator, caller) == ()
    caller_long = [(3.8, 8), (10.5, 15)]
    assert find_overtalk(operator, caller_long) == ((3.8, 5), (10.5, 12))


def test_backchannels_never_make_overtalk():
    operator = [(0, 10)]
    caller = [(2, 2.5), (5, 5.7)]  # "mm-hm", "right"
    assert find_overtalk(operator, caller, min_overlap_s=0.3) == ()
    assert find_overtalk(operator, caller, min_overlap_s=0.3, backchannel_max_s=0.6) == ((5, 5.7),)
    # a long turn cut by short pauses is not a string of backchannels
    assert drop_backchannels([(0, 0.6), (0.9, 1.5), (5, 5.5)]) == ((0, 0.6), (0.9, 1.5))


def test_overtalk_pieces_split_by_a_short_pause_join():
    operator = [(0, 1.6), (1.8, 4)]
    caller = [(1.0, 3.0)]
    assert find_overtalk(operator, caller) == ((1.0, 3.0),)


def test_interruption_when_caller_yields():
    caller = [(0, 6)]
    assert count_interruptions_by_operator([(5, 9)], caller) == 1  # 1 s overlap, caller stops
    assert count_interruptions_by_operator([(5.8, 9)], caller) == 0  # early start at turn end
    assert count_interruptions_by_operator([(2, 9)], caller) == 0  # caller talks on 4 s
    assert count_interruptions_by_operator([(5, 5.5)], caller) == 0  # backchannel
    assert count_interruptions_by_operator([(5, 5.9)], caller) == 0  # stops before the caller
    assert count_interruptions_by_operator([(7, 9)], caller) == 0  # after the caller
    two = count_interruptions_by_operator([(5, 9), (14, 18)], [(0, 6), (10, 15)])
    assert two == 2


def test_longest_monologue_bridges_own_pauses_and_ignores_backchannels():
    operator = [(0, 10), (10.5, 20), (22, 30)]
    assert longest_monologue(operator, other=[]) == 20.0
    assert longest_monologue(operator, other=[(15, 15.4)]) == 20.0  # "mm-hm"
    assert longest_monologue(operator, other=[(15, 17)]) == 15.0
    assert longest_monologue(operator, other=[], max_pause_s=3.0) == 30.0
    assert longest_monologue([], other=[(0, 5)]) == 0.0


def test_response_latency_median_of_handovers():
    caller = [(0, 4), (6, 9), (12, 15), (30, 32)]
    operator = [(4.5, 5.8), (10, 11.5), (15.3, 20)]
    # hand-overs: 0.5, 1.0, 0.3; the caller's last turn gets no answer
    assert response_latency(operator, caller) == pytest.approx(0.5)
    assert response_latency([(4.5, 5)], [(0, 4), (4.2, 6)]) is None  # caller went on first
    assert response_latency([(20, 21)], [(0, 4)]) is None  # too long to be an answer
    assert response_latency([(0, 10)], [(2, 4)]) is None  # operator was already talking
    assert response_latency([], []) is None
    even = response_latency([(4.4, 5), (7, 8)], [(0, 4), (6, 6.4)])
    assert even == pytest.approx(0.5)


def test_interruption_counts_whole_turns_not_pause_pieces():
    caller = [(0, 3), (3.4, 6)]  # one turn with a short breath
    operator = [(5, 5.7), (6.1, 9)]  # starts 1 s before the caller stops, talks on after
    assert count_interruptions_by_operator(operator, caller) == 1
    assert count_interruptions_by_operator([(2.7, 3.6), (3.9, 8)], caller) == 0  # caller goes on
