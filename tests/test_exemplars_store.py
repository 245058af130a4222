"""Exemplars in the store: coaches search and pin for their team, operators browse."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta
from hashlib import sha256

import numpy as np
import pytest
import soundfile as sf

from coaching.errors import StoreError
from coaching.store import save_report
from coaching.store.exemplars import (
    exemplars_in,
    pin_exemplar,
    pinned_exemplars,
    pinned_snippet,
    search_exemplars,
    unpin_exemplar,
)
from coaching.store.recordings import AudioUnavailable
from coaching.types import Sentiment, Utterance
from testkit import feedback_fixtures
from testkit.feedback_fixtures import (
    ADMIN,
    NOW,
    OPERATOR,
    OTHER_COACH,
    TEAM_COACH,
    WELLBEING,
    as_user,
    denied,
)
from testkit.store_samples import synthetic_report

store = feedback_fixtures.store
calls = feedback_fixtures.calls
LINES = [
    ("operator", "Sunrise Telecom, how can I help?", 0.0),
    ("caller", "My bill is wrong again, this is a disgrace.", -0.8),
    ("caller", "You always overcharge me.", -0.6),
    ("operator", "I am sorry, I understand. I will refund the charge today.", 0.0),
    ("caller", "Oh good, thank you.", 0.6),
    ("caller", "That is great, thanks.", 0.7),
]
TURN_AT = 15.0  # the operator's turn before the caller calmed


def _calming(name, language):
    turns = tuple(
        Utterance(who, 5.0 * n, 5.0 * n + 4, text, sentiment=Sentiment("neutral", score))
        for n, (who, text, score) in enumerate(LINES)
    )
    return replace(synthetic_report(name, language=language), utterances=turns)


@pytest.fixture
def moments(store, calls):
    """A de-escalation in an English call of alice (north) and a Vietnamese one of bob (south)."""
    ids = {}
    with store.session() as session:
        for key, operator, language in (("north", "alice", "en"), ("south", "bob", "vi")):
            ids[key] = save_report(
                session,
                _calming(f"calm-{key}", language),
                audio_ref=f"/audio/{key}.wav",
                operator=operator,
                call_time=NOW - timedelta(minutes=5),
                settings_hash="s",
            )
    return ids


def test_search_by_role(store, moments):
    found = search_exemplars(store, as_user(store, TEAM_COACH))
    assert [(v.call_id, v.exemplar.turn_at_s) for v in found] == [(moments["north"], TURN_AT)]
    assert found[0].exemplar.topic == "billing" and found[0].pin_id is None
    everyone = search_exemplars(store, as_user(store, ADMIN))
    assert {v.call_id for v in everyone} == set(moments.values())
    only_vi = search_exemplars(store, as_user(store, ADMIN), language="vi")
    assert [v.call_id for v in only_vi] == [moments["south"]]
    assert search_exemplars(store, as_user(store, ADMIN), topic="meter") == []
    for name in (OPERATOR, WELLBEING):
        denied(lambda name=name: search_exemplars(store, as_user(store, name)))


def test_pin_by_role(store, moments):
    carla = as_user(store, TEAM_COACH)
    pin = pin_exemplar(store, carla, moments["north"], at_s=TURN_AT)
    assert pin_exemplar(store, carla, moments["north"], at_s=TURN_AT) == pin  # once per team
    assert search_exemplars(store, carla)[0].pin_id == pin
    with pytest.raises(StoreError, match="no de-escalation moment"):
        pin_exemplar(store, carla, moments["north"], at_s=3.0)
    denied(lambda: pin_exemplar(store, carla, moments["south"], at_s=TURN_AT))  # other team
    for name in (OPERATOR, OTHER_COACH, WELLBEING, ADMIN):
        denied(
            lambda name=name: pin_exemplar(
                store, as_user(store, name), moments["north"], at_s=TURN_AT
            )
        )


def test_browse_pinned_by_role(store, moments):
    pin = pin_exemplar(store, as_user(store, TEAM_COACH), moments["north"], at_s=TURN_AT)
    pin_exemplar(store, as_user(store, OTHER_COACH), moments["south"], at_s=TURN_AT)
    mine = pinned_exemplars(store, as_user(store, OPERATOR))
    assert [(v.pin_id, v.pinned_by, v.operator) for v in mine] == [(pin, "carla", "alice")]
    assert mine[0].exemplar.lines[1].text.startswith("I am sorry")
    assert [v.pin_id for v in pinned_exemplars(store, as_user(store, TEAM_COACH))] == [pin]
    assert len(pinned_exemplars(store, as_user(store, ADMIN))) == 2
    assert pinned_exemplars(store, as_user(store, ADMIN), language="vi")[0].team == "south"
    south = pinned_exemplars(store, as_user(store, OTHER_COACH))
    assert [v.call_id for v in south] == [moments["south"]]
    denied(lambda: pinned_exemplars(store, as_user(store, WELLBEING)))


def test_an_operator_sees_no_colleague_name(store, moments, calls):
    with store.session() as session:
        other = save_report(
            session,
            _calming("calm-north-2", "en"),
            audio_ref="/audio/n2.wav",
            operator="olga",
            call_time=NOW,
            settings_hash="s",
            team="north",
        )
    pin_exemplar(store, as_user(store, TEAM_COACH), other, at_s=TURN_AT)
    (seen,) = pinned_exemplars(store, as_user(store, OPERATOR))
    assert seen.operator is None and seen.team == "north"


def test_snippet_by_role(store, calls, tmp_path):
    rate, tone = 16000, np.sin(2 * np.pi * 220 * np.arange(40 * 16000) / 16000)
    path = tmp_path / "north.wav"
    sf.write(path, 0.3 * tone, rate)
    audio = path.read_bytes()
    report = replace(_calming("calm-audio", "en"), audio_sha256=sha256(audio).hexdigest())
    with store.session() as session:
        call_id = save_report(session, report, audio_ref=str(path), operator="alice",
                              call_time=NOW, settings_hash="s")  # fmt: skip
    pin = pin_exemplar(store, as_user(store, TEAM_COACH), call_id, at_s=TURN_AT)
    for name in (OPERATOR, TEAM_COACH, ADMIN):
        clip = pinned_snippet(store, as_user(store, name), pin)
        assert (clip.start_s, clip.end_s) == pytest.approx((9.7, 24.3))  # 10..24 s, 0.3 s lead
        samples, clip_rate = sf.read(io.BytesIO(clip.data))
        assert clip_rate == rate and len(samples) == pytest.approx(14.6 * rate, abs=2)
    for name in (OTHER_COACH, WELLBEING):
        denied(lambda name=name: pinned_snippet(store, as_user(store, name), pin))
    path.write_bytes(audio[:-2000])  # the recording changed: never played
    with pytest.raises(AudioUnavailable):
        pinned_snippet(store, as_user(store, OPERATOR), pin)


def test_unpin_by_role(store, moments):
    pin = pin_exemplar(store, as_user(store, TEAM_COACH), moments["north"], at_s=TURN_AT)
    for name in (OPERATOR, OTHER_COACH, WELLBEING, ADMIN):
        denied(lambda name=name: unpin_exemplar(store, as_user(store, name), pin))
    unpin_exemplar(store, as_user(store, "cody"), pin)  # any coach of the team
    assert pinned_exemplars(store, as_user(store, OPERATOR)) == []


def test_exemplars_for_the_cli_list_every_call_with_pins_marked(store, moments):
    pin = pin_exemplar(store, as_user(store, OTHER_COACH), moments["south"], at_s=TURN_AT)
    with store.session() as session:
        listed = exemplars_in(session)
        assert {v.call_id: v.pin_id for v in listed} == {moments["north"]: None,
                                                         moments["south"]: pin}  # fmt: skip
        assert [v.call_id for v in exemplars_in(session, language="en")] == [moments["north"]]


def test_erasing_a_call_removes_its_pins_disputes_and_calibration_rows(store, moments, calls):
    from sqlalchemy import func, select

    from coaching.store import feedback_schema as tables
    from coaching.store.calibration import score_call, start_round
    from coaching.store.disputes import dispute_criterion
    from coaching.store.retention import erase_call

    call_id = moments["north"]
    carla = as_user(store, TEAM_COACH)
    pin_exemplar(store, carla, call_id, at_s=TURN_AT)
    dispute_criterion(store, as_user(store, OPERATOR), call_id, criterion_id="pace", comment="x")
    round_id = start_round(store, carla, title="r", call_ids=[call_id], coaches=["carla", "cody"])
    score_call(store, carla, round_id, call_id, levels={"pace": 3})
    erase_call(store, call_id)
    kinds = (tables.ExemplarPin, tables.ScoreDispute, tables.CalibrationCall,
             tables.CalibrationScore)  # fmt: skip
    with store.session() as session:
        left = {k.__tablename__: session.scalar(select(func.count()).select_from(k)) for k in kinds}
    assert left == dict.fromkeys(left, 0)
