"""Wellbeing exposure arithmetic (no store): counts per day and week, decay, alerts, time zones;
and how passwords are hashed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher

from coaching.errors import StoreError
from coaching.store.auth import hash_password
from coaching.store.wellbeing import (
    AlertRule,
    ExposureEvent,
    ExposurePolicy,
    exposure_load,
    operator_exposure,
)
from testkit.store_fixtures import PASSWORD

NOW = datetime(2024, 5, 8, 15, 0, tzinfo=timezone.utc)  # a Wednesday


def test_passwords_are_hashed_with_argon2id():
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and "m=65536" in hashed and PASSWORD not in hashed
    assert PasswordHasher().verify(hashed, PASSWORD)
    with pytest.raises(StoreError, match="at least 8"):
        hash_password("short")


def _event(
    call_id,
    hours_ago,
    category="insult",
    severity=0.5,
    *,
    start=0.0,
    end=30.0,
    speaker="caller",
    verdict=None,
    operator="op",
):
    return ExposureEvent(
        operator=operator,
        team="t",
        call_id=call_id,
        call_time=NOW - timedelta(hours=hours_ago),
        start_s=start,
        end_s=end,
        speaker=speaker,
        category=category,
        severity=severity,
        verdict=verdict,
    )


def test_daily_and_weekly_exposure_counts():
    events = [
        _event(1, 1, "threat", 0.9, start=0, end=30),
        _event(1, 1, "insult", start=20, end=60),  # overlaps: call 1 has 60 s of abuse
        _event(2, 2, verdict="rejected"),  # a coach rejected it
        _event(3, 3, speaker="operator"),  # the operator's own words
        _event(4, 26, "shouting", verdict="confirmed"),  # yesterday
        _event(5, 24 * 8, end=90),  # the Tuesday of the week before
    ]
    (op,) = operator_exposure(events, now=NOW)
    assert (op.today.period, op.today.abusive_calls, op.today.threat_calls) == ("2024-05-08", 1, 1)
    assert op.today.abusive_minutes == pytest.approx(1.0)
    assert op.days[-2].abusive_calls == 1 and sum(d.abusive_calls for d in op.days) == 3
    weeks = {w.period: w for w in op.weeks}
    assert weeks["2024-W19"].abusive_calls == 2 and weeks["2024-W18"].abusive_calls == 1
    assert weeks["2024-W18"].abusive_minutes == pytest.approx(1.5)
    assert len(op.days) == 14 and len(op.weeks) == 8


def test_exposure_load_halves_every_half_life():
    threat = [_event(1, 0, "threat", 1.0)]
    policy = ExposurePolicy(half_life_hours=24)
    assert exposure_load(threat, now=NOW, policy=policy) == pytest.approx(3.0)
    for days, expected in ((1, 1.5), (2, 0.75), (10, 3.0 / 1024)):
        later = NOW + timedelta(days=days)
        assert exposure_load(threat, now=later, policy=policy) == pytest.approx(expected)
    assert exposure_load(threat, now=NOW - timedelta(hours=1), policy=policy) == 0
    rejected = [_event(1, 0, "threat", 1.0, verdict="rejected")]
    assert exposure_load(rejected, now=NOW, policy=policy) == 0


def test_alerts_fire_at_their_thresholds():
    two = [_event(n, n, "threat", 0.3) for n in (1, 2)]
    (op,) = operator_exposure(two, now=NOW)
    assert op.alerts == ()
    (op,) = operator_exposure([*two, _event(3, 3, "threat", 0.3)], now=NOW)
    assert [(a.rule, a.level, a.message) for a in op.alerts] == [
        ("threats-today", "urgent", "3 threatening calls today: suggest a break")
    ]
    strict = ExposurePolicy(rules=(AlertRule("load", "load", 0.5, "load {value:.2f}"),))
    (op,) = operator_exposure(two, now=NOW, policy=strict)
    assert [a.message for a in op.alerts] == [f"load {op.load:.2f}"] and op.load >= 0.5


def test_days_are_counted_in_the_policy_time_zone():
    late = ExposureEvent(
        operator="op",
        team=None,
        call_id=1,
        start_s=0,
        end_s=60,
        call_time=datetime(2024, 5, 7, 20, 0, tzinfo=timezone.utc),
        speaker="caller",
        category="insult",
        severity=0.5,
    )
    (utc,) = operator_exposure([late], now=NOW)
    (hanoi,) = operator_exposure(
        [late], now=NOW, policy=ExposurePolicy(time_zone="Asia/Ho_Chi_Minh")
    )
    assert utc.days[-2].abusive_calls == 1 and utc.today.abusive_calls == 0
    assert hanoi.today.abusive_calls == 1
    (quiet,) = operator_exposure([], now=NOW, operators=[("nobody", "t")])
    assert quiet.load == 0 and quiet.today.abusive_calls == 0
