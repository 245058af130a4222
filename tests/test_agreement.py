"""Agreement statistics: Krippendorff's α and Cohen's κ against the reference
libraries and against values computed by hand, and the trusted / coach-review mark."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from coaching.scoring.agreement import (
    COACH_REVIEW,
    TRUSTED,
    alpha_ordinal,
    cohen_kappa,
    consensus,
    criterion_agreement,
    level_of,
    trust_status,
)

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 coders x 12 units
# example with missing values; the paper gives alpha = 0.743 nominal, 0.815 ordinal.
TEXTBOOK = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def _nan(rows):
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


def test_alpha_matches_the_reference_library_on_a_fixed_example():
    rows = [[1, 2, 3, 4, 5, 3, 2], [1, 3, 3, 4, 4, 2, 2], [2, 2, 3, 5, 5, N, 1]]
    expected = krippendorff.alpha(_nan(rows), level_of_measurement="ordinal")
    assert alpha_ordinal(rows) == pytest.approx(expected, abs=1e-12)


def test_alpha_matches_the_textbook_value():
    assert alpha_ordinal(TEXTBOOK) == pytest.approx(0.815, abs=5e-4)


def test_alpha_matches_a_hand_computed_value():
    # Units (1,1), (2,3), (3,3): n1=2, n2=1, n3=3, n=6. Ordinal distances
    # d(2,3) = (1+3 - (1+3)/2)^2 = 4, d(1,2) = 2.25, d(1,3) = 12.25.
    # Do = 2*4/6 = 4/3; De = 2*(2*1*2.25 + 2*3*12.25 + 1*3*4)/(6*5) = 6;
    # alpha = 1 - (4/3)/6 = 7/9.
    assert alpha_ordinal([[1, 2, 3], [1, 3, 3]]) == pytest.approx(7 / 9, abs=1e-12)


def test_alpha_is_undefined_without_variation_or_second_rater():
    assert alpha_ordinal([[3, 3, 3], [3, 3, 3]]) is None
    assert alpha_ordinal([[1, 2, 3]]) is None
    assert alpha_ordinal([[1, N, 3], [N, 2, N]]) is None  # no unit scored twice


def test_kappa_matches_scikit_learn_on_a_fixed_example():
    first = [1, 2, 3, 4, 5, 3, 2, 4]
    second = [1, 3, 3, 4, 4, 2, 2, 5]
    expected = cohen_kappa_score(first, second, weights="quadratic")
    assert cohen_kappa(first, second) == pytest.approx(expected, abs=1e-12)


def test_kappa_matches_hand_computed_values():
    # Quadratic weights w=(i-j)^2/4 on levels 1..3; pairs (1,1), (2,3), (3,3):
    # sum w*O = 1/12, sum w*E = 5/12, kappa = 1 - 1/5 = 0.8.
    assert cohen_kappa([1, 2, 3], [1, 3, 3]) == pytest.approx(0.8, abs=1e-12)
    # Unweighted: Wikipedia's 50 items, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> 0.4.
    first = [1] * 25 + [0] * 25
    second = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert cohen_kappa(first, second, weights=None) == pytest.approx(0.4, abs=1e-12)


def test_kappa_skips_units_one_coach_left_out():
    assert cohen_kappa([1, 2, N, 3], [1, 3, 5, 3]) == pytest.approx(0.8, abs=1e-12)


def test_levels_and_consensus():
    assert [level_of(s) for s in (0, 12, 13, 37, 38, 62, 63, 87, 88, 100)] == [
        1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]  # fmt: skip
    assert level_of(None) is None
    assert consensus([2, 4, None]) == 3.0
    assert consensus([N, N]) is None


def test_trusted_needs_alpha_and_ten_calls():
    assert trust_status(0.67, 10) == TRUSTED
    assert trust_status(0.66, 40) == COACH_REVIEW
    assert trust_status(0.95, 9) == COACH_REVIEW
    assert trust_status(None, 40) == COACH_REVIEW


def test_criterion_agreement_marks_trusted_and_finds_the_divergent_call():
    levels = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 3]
    coaches = {c: {"carla": v, "cody": v} for c, v in enumerate(levels)}
    auto = dict(enumerate(levels))
    auto[10] = 5  # coaches said 3
    coaches[4] = {"carla": 5, "cody": 3}
    result = criterion_agreement("pace", coaches, auto)
    assert result.calls == 11 and result.coaches == 2 and result.auto_calls == 11
    assert result.kappa_coaches == pytest.approx(
        cohen_kappa_score([coaches[c]["carla"] for c in range(11)],
                          [coaches[c]["cody"] for c in range(11)], weights="quadratic")
    )  # fmt: skip
    assert result.alpha_auto is not None and result.alpha_auto >= 0.67
    assert result.status == TRUSTED
    # call 4: coaches 2 apart and 1 from auto (3); call 10: 2 from auto (2)
    assert [d.call_id for d in result.divergent[:2]] == [4, 10]


def test_criterion_agreement_with_too_few_calls_asks_for_coach_review():
    coaches = {1: {"a": 2, "b": 2}, 2: {"a": 4, "b": 4}}
    result = criterion_agreement("pace", coaches, {1: 2, 2: 4})
    assert result.alpha_auto == pytest.approx(1.0)
    assert result.status == COACH_REVIEW
