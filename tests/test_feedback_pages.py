"""The calibration, scorecard-feedback and What-worked pages, run with AppTest on a demo store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from coaching.app.demo import demo_password, seed_demo
from coaching.app.quick_reports import quick_report
from coaching.app.sessions import USER_KEY
from coaching.store.access import list_calls
from coaching.store.auth import sign_in
from coaching.store.calibration import start_round
from coaching.store.disputes import list_disputes

APP_DIR = Path(__file__).resolve().parent.parent / "coaching" / "app"
CALLS = ["en_calm", "en_deescalation", "vi_deescalation", "en_abusive_threat"]
TIMEOUT_S = 120


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The quick demo with four calls, its calibration round, pins and an open dispute."""
    folder = tmp_path_factory.mktemp("feedback-data")
    previous = os.environ.get("COACHING_DATA_DIR")
    os.environ["COACHING_DATA_DIR"] = str(folder)
    cheap = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    store = seed_demo(folder, analyze=quick_report, names=CALLS, hasher=cheap)
    users = {name: sign_in(store, name, demo_password(name)) for name in
             ("olivia", "carla", "cody", "wendy", "adam")}  # fmt: skip
    yield store, users
    store.close()
    if previous is None:
        os.environ.pop("COACHING_DATA_DIR", None)
    else:
        os.environ["COACHING_DATA_DIR"] = previous


def page(script: str, user) -> AppTest:
    test = AppTest.from_file(str(APP_DIR / script), default_timeout=TIMEOUT_S)
    test.session_state[USER_KEY] = user
    return test.run()


def texts(test: AppTest, kind: str) -> str:
    return "\n".join(str(element.value) for element in getattr(test, kind))


def test_pages_refuse_roles_they_are_not_for(seeded):
    _, users = seeded
    assert "for coach and admin" in texts(page("pages/calibration.py", users["olivia"]), "warning")
    for script in ("pages/feedback.py", "pages/exemplars.py"):
        assert "you are signed in as wellbeing" in texts(page(script, users["wendy"]), "warning")


def test_calibration_shows_agreement_after_the_coach_submitted(seeded):
    _, users = seeded
    for name in ("carla", "adam"):
        test = page("pages/calibration.py", users[name])
        assert not test.exception
        table = test.dataframe[0].value
        assert {"pace", "courtesy"} <= set(table["criterion"])
        assert set(table["status"]) <= {"trusted", "coach review"}
        assert "Agreement per criterion" in [h.value for h in test.subheader]


def test_calibration_scoring_is_blind_until_submitted(seeded):
    store, users = seeded
    calls = [c.id for c in list_calls(store, users["carla"])][:2]
    start_round(
        store, users["carla"], title="Blind test", call_ids=calls, coaches=["carla", "cody"]
    )
    test = page("pages/calibration.py", users["cody"])
    assert not test.exception
    assert "stay hidden until you submit" in texts(test, "info")
    assert "Agreement per criterion" not in [h.value for h in test.subheader]
    assert not test.dataframe  # no other coach's levels, no auto-score
    test.selectbox(key=f"calib_{calls[0]}_pace").select(4)
    round_id = test.selectbox(key="calib_round").value
    test.button(key=f"FormSubmitter:calib_{round_id}_{calls[0]}-Save scores").click().run()
    assert "Saved." in texts(test, "success")
    test.button(key="calib_submit").click().run()
    assert "missing: call" in texts(test, "error")


def test_operator_acknowledges_and_disputes_a_scorecard(seeded):
    store, users = seeded
    test = page("pages/feedback.py", users["olivia"])
    assert not test.exception
    scorecard = test.dataframe[0].value
    assert set(scorecard["auto-score"]) <= {"trusted", "coach review"}
    test.button(key="ack").click().run()
    assert "You acknowledged this scorecard" in texts(test, "success")
    test.selectbox(key="dis_c").select("volume")
    test.text_area(key="dis_text").input("The line was noisy, I had to speak up.")
    test.button(key="FormSubmitter:dispute-Send to my coach").click().run()
    assert not test.exception
    mine = list_disputes(store, users["olivia"], status="open")
    assert any(d.criterion_id == "volume" for d in mine)


def test_coach_declines_a_dispute_from_the_inbox(seeded):
    store, users = seeded
    waiting = list_disputes(store, users["carla"], status="open")
    test = page("pages/feedback.py", users["carla"])
    assert not test.exception
    assert f"Open disputes ({len(waiting)})" in [h.value for h in test.subheader]
    first = waiting[-1]
    test.text_input(key=f"answer_{first.id}_reply").input("The recording shows 190 words a minute.")
    test.button(key=f"answer_{first.id}_no").click().run()
    assert not test.exception
    assert len(list_disputes(store, users["carla"], status="open")) == len(waiting) - 1
    admin = page("pages/feedback.py", users["adam"])
    assert "North" in set(admin.dataframe[0].value["team"])


def test_what_worked_for_coach_and_operator(seeded):
    _, users = seeded
    coach = page("pages/exemplars.py", users["carla"])
    assert not coach.exception
    headings = [e.label for e in coach.expander]
    assert any("en · outage" in h for h in headings) and any("vi · outage" in h for h in headings)
    assert "next step" in " ".join(headings)
    operator = page("pages/exemplars.py", users["olivia"])
    assert not operator.exception and not operator.tabs  # operators browse the pinned ones only
    toggle = next(t for t in operator.toggle if t.label == "Play the bleeped snippet")
    toggle.set_value(True).run()
    assert not operator.exception
    assert operator.get("audio")
    assert "***" in texts(operator, "markdown")  # the caller's swearing is masked


def test_team_view_for_coach_and_admin(seeded):
    _, users = seeded
    for name in ("carla", "adam"):
        test = page("pages/team_view.py", users[name])
        assert not test.exception
        table = test.dataframe[0].value
        assert set(table["operator"]) == {"olivia", "oscar"}
        assert {"baseline", "team median", "vs baseline"} <= set(table.columns)
        assert test.get("arrow_vega_lite_chart") or test.get("vega_lite_chart")
    assert "for coach and admin" in texts(page("pages/team_view.py", users["olivia"]), "warning")
