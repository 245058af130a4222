"""Agreement between coaches, and between coaches and the automatic score (pure functions).

Scores are on the calibration scale: ordinal levels 1..5 (see :data:`LEVELS`);
automatic 0..100 criterion scores are mapped onto it with :func:`level_of`.
Krippendorff's α (ordinal) comes from the ``krippendorff`` package and works
for any number of coaches and missing scores; Cohen's κ for two coaches comes
from scikit-learn with *quadratic* weights (near misses on an ordinal scale
count as partial agreement). α needs at least two distinct values; when the
data has fewer, agreement is undefined and reported as ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from coaching.serial import Serializable

LEVELS = {1: "poor", 2: "weak", 3: "fair", 4: "good", 5: "excellent"}
TRUST_ALPHA = 0.67  # Krippendorff's lowest level for tentative conclusions
TRUST_MIN_CALLS = 10
TRUSTED = "trusted"
COACH_REVIEW = "coach review"
KAPPA_WEIGHTS = "quadratic"

# Scores per call: {call id: {rater: level or None}}
Ratings = Mapping[int, Mapping[str, float | None]]


def level_of(score: float | None) -> int | None:
    """The 1..5 calibration level of a 0..100 score (0-12 -> 1, 13-37 -> 2, ... 88-100 -> 5)."""
    if score is None or math.isnan(score):
        return None
    return 1 + int(math.floor(min(max(score, 0.0), 100.0) / 25.0 + 0.5))


def alpha_ordinal(reliability: Sequence[Sequence[float | None]]) -> float | None:
    """Krippendorff's α (ordinal) over rows = raters, columns = units; None/NaN are missing."""
    data = np.array(
        [[np.nan if v is None else float(v) for v in row] for row in reliability], dtype=float
    )
    if data.ndim != 2 or data.shape[0] < 2:
        return None
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = np.unique(data[:, pairable][~np.isnan(data[:, pairable])])
    if values.size < 2:
        return None
    import krippendorff  # lazy: the command line and app import this module at start-up

    return float(krippendorff.alpha(data[:, pairable], level_of_measurement="ordinal"))


def cohen_kappa(
    first: Sequence[float | None],
    second: Sequence[float | None],
    *,
    weights: str | None = KAPPA_WEIGHTS,
) -> float | None:
    """Cohen's κ of two raters over the units both scored (quadratic weights by default)."""
    pairs = [(a, b) for a, b in zip(first, second, strict=True) if a is not None and b is not None]
    if len(pairs) < 2 or len({v for pair in pairs for v in pair}) < 2:
        return None
    left = [a for a, _ in pairs]
    right = [b for _, b in pairs]
    from sklearn.metrics import cohen_kappa_score  # lazy: scikit-learn takes seconds to import

    value = cohen_kappa_score(left, right, weights=weights)
    return None if math.isnan(value) else float(value)


def consensus(levels: Sequence[float | None]) -> float | None:
    """The coaches' consensus on one unit: the median of the levels given."""
    given = [v for v in levels if v is not None]
    return float(np.median(given)) if given else None


@dataclass(frozen=True)
class Divergence(Serializable):
    call_id: int
    consensus: float | None
    auto: int | None
    coach_spread: float  # highest minus lowest coach level

    @property
    def gap(self) -> float:
        if self.consensus is None or self.auto is None:
            return 0.0
        return abs(self.consensus - self.auto)


@dataclass(frozen=True)
class CriterionAgreement(Serializable):
    criterion_id: str
    calls: int  # calls scored by at least one coach
    coaches: int
    alpha_coaches: float | None
    kappa_coaches: float | None  # only with exactly two coaches
    alpha_auto: float | None  # coaches' consensus vs the auto-score
    auto_calls: int  # calls with both a consensus and an auto-score
    status: str  # TRUSTED or COACH_REVIEW
    divergent: tuple[Divergence, ...]


def trust_status(alpha_auto: float | None, auto_calls: int) -> str:
    """ "trusted" when auto-vs-coaches α ≥ 0.67 over at least 10 calls, else "coach review"."""
    if alpha_auto is not None and alpha_auto >= TRUST_ALPHA and auto_calls >= TRUST_MIN_CALLS:
        return TRUSTED
    return COACH_REVIEW


def criterion_agreement(
    criterion_id: str,
    coach_levels: Ratings,
    auto_levels: Mapping[int, int | None],
    *,
    top: int = 3,
) -> CriterionAgreement:
    """Agreement on one criterion from each call's coach levels and auto level."""
    calls = sorted(c for c, by in coach_levels.items() if any(v is not None for v in by.values()))
    coaches = sorted({name for c in calls for name in coach_levels[c]})
    matrix = [[coach_levels[c].get(name) for c in calls] for name in coaches]
    agreed = {c: consensus(list(coach_levels[c].values())) for c in calls}
    auto = [auto_levels.get(c) for c in calls]
    both = sum(1 for c in calls if auto_levels.get(c) is not None and agreed[c] is not None)
    alpha_auto = alpha_ordinal([[agreed[c] for c in calls], auto])
    return CriterionAgreement(
        criterion_id=criterion_id,
        calls=len(calls),
        coaches=len(coaches),
        alpha_coaches=alpha_ordinal(matrix),
        kappa_coaches=cohen_kappa(matrix[0], matrix[1]) if len(coaches) == 2 else None,
        alpha_auto=alpha_auto,
        auto_calls=both,
        status=trust_status(alpha_auto, both),
        divergent=_most_divergent(calls, coach_levels, agreed, auto_levels, top=top),
    )


def _most_divergent(
    calls: Sequence[int],
    coach_levels: Ratings,
    agreed: Mapping[int, float | None],
    auto_levels: Mapping[int, int | None],
    *,
    top: int,
) -> tuple[Divergence, ...]:
    rows = []
    for call in calls:
        given = [v for v in coach_levels[call].values() if v is not None]
        spread = float(max(given) - min(given)) if given else 0.0
        rows.append(Divergence(call, agreed[call], auto_levels.get(call), spread))
    rows.sort(key=lambda d: (-(d.gap + d.coach_spread), d.call_id))
    return tuple(d for d in rows[:top] if d.gap + d.coach_spread > 0)
