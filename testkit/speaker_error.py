"""Speaker error of a two-voice diarization against reference speech (for bench and tests).

DER-style, on a 10 ms grid, no collar: missed speech, false alarm and confusion,
each over the reference's speech, with the voices mapped to the references the
way that confuses least.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coaching.audio.activity import mask_intervals
from coaching.types import Interval

RATE = 100  # frames a second


def speaker_error(
    reference: Sequence[Sequence[Interval]],
    hypothesis: Sequence[Sequence[Interval]],
    duration_s: float,
) -> dict[str, float]:
    """Percentages: ``missed``, ``false alarm``, ``confusion`` and their sum ``speaker error``."""
    count = int(duration_s * RATE)
    ref = np.stack([mask_intervals(r, count, rate=RATE) for r in reference]).astype(int)
    hyp = np.stack([mask_intervals(h, count, rate=RATE) for h in hypothesis]).astype(int)
    total = max(int(ref.sum()), 1)
    missed = np.maximum(ref.sum(0) - hyp.sum(0), 0).sum()
    false_alarm = np.maximum(hyp.sum(0) - ref.sum(0), 0).sum()
    matched = np.minimum(ref[:, None], hyp[None]).sum(axis=2)
    best = max(matched[0, 0] + matched[1, 1], matched[0, 1] + matched[1, 0])
    confused = np.minimum(ref.sum(0), hyp.sum(0)).sum() - best
    parts = {"missed": missed, "false alarm": false_alarm, "confusion": confused}
    result = {name: round(100 * float(value) / total, 1) for name, value in parts.items()}
    result["speaker error"] = round(sum(result.values()), 1)
    return result
