"""Demo coaching feedback: a calibration round two coaches scored, a pinned exemplar,
an acknowledged scorecard and an open dispute, all written through the role-checked store.

The coaches' levels are made up but deterministic: on most criteria they follow the
auto-score (one slip on volume), on pitch variation and caller mood they disagree
with it and each other, so the report shows both "trusted" and "coach review".
"""

from __future__ import annotations

from sqlalchemy import func, select

from coaching.store.access import list_calls
from coaching.store.auth import SignedInUser, sign_in
from coaching.store.calibration import score_call, start_round, submit_round
from coaching.store.calibration_read import auto_levels
from coaching.store.db import Store
from coaching.store.disputes import acknowledge_scorecard, dispute_criterion
from coaching.store.exemplars import pin_exemplar, search_exemplars
from coaching.store.feedback_schema import CalibrationRound
from coaching.store.schema import Call

COACHES = ("carla", "cody")
CONTESTED = {"pitch_variation", "caller_sentiment_trend"}


def _clamp(level: int) -> int:
    return min(5, max(1, level))


def coach_level(coach: str, criterion: str, auto: int | None, index: int) -> int | None:
    """The demo level ``coach`` gives ``criterion`` of the ``index``-th call."""
    if auto is None:
        return None
    if criterion in CONTESTED:
        slip = (index % 3) - 1 if coach == "carla" else -(index % 2)
        return _clamp(3 + slip if coach == "carla" else auto + slip)
    slip = 1 if coach == "cody" and criterion == "volume" and index == 4 else 0
    return _clamp(auto - slip)


def seed_feedback(store: Store, password_of) -> None:
    """Seed the demo's feedback once (nothing when a calibration round exists already)."""
    with store.session() as session:
        if session.scalar(select(func.count()).select_from(CalibrationRound)):
            return
    coaches = {name: sign_in(store, name, password_of(name)) for name in COACHES}
    calls = [c for c in list_calls(store, coaches["carla"]) if c.status == "analysed"]
    if not calls:
        return
    _calibrate(store, coaches, [c.id for c in calls])
    abusive = {c.id for c in calls if c.abusive_flag_count}
    for found in reversed(search_exemplars(store, coaches["carla"])):  # newest pinned last
        if found.call_id in abusive:  # the lessons worth pinning: abuse that was defused
            pin_exemplar(store, coaches["carla"], found.call_id, at_s=found.exemplar.turn_at_s)
    _operator_feedback(store, sign_in(store, "olivia", password_of("olivia")))


def _calibrate(store: Store, coaches: dict[str, SignedInUser], call_ids: list[int]) -> None:
    round_id = start_round(
        store, coaches["carla"], title="Demo calibration", call_ids=call_ids, coaches=COACHES
    )
    for index, call_id in enumerate(sorted(call_ids)):
        with store.session() as session:  # the seed reads the auto-score without an audit entry
            autos = auto_levels(session.get(Call, call_id))
        for name, user in coaches.items():
            levels = {c: coach_level(name, c, auto, index) for c, auto in autos.items()}
            score_call(store, user, round_id, call_id, levels=levels)
    for user in coaches.values():
        submit_round(store, user, round_id)


def _operator_feedback(store: Store, olivia: SignedInUser) -> None:
    calls = list_calls(store, olivia)
    if not calls:
        return
    acknowledge_scorecard(store, olivia, calls[-1].id)
    dispute_criterion(
        store, olivia, calls[0].id, criterion_id="pace",
        comment="The caller kept interrupting, so I had to speed up to finish.",
    )  # fmt: skip
