"""Every page of the Streamlit app, run with AppTest against a seeded SQLite store."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from coaching.app.demo import demo_password, seed_demo
from coaching.app.quick_reports import quick_report
from coaching.app.sessions import USER_KEY
from coaching.store.access import list_calls, open_call
from coaching.store.audit import read_audit
from coaching.store.auth import sign_in

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT / "coaching" / "app"
CALLS = ["en_calm", "en_fast_monotone", "en_abusive_profanity", "en_abusive_threat"]
TIMEOUT_S = 120


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A demo store with four calls (olivia: three, oscar: one threat call today)."""
    folder = tmp_path_factory.mktemp("app-data")
    previous = os.environ.get("COACHING_DATA_DIR")
    os.environ["COACHING_DATA_DIR"] = str(folder)
    cheap = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    store = seed_demo(folder, analyze=quick_report, names=CALLS, hasher=cheap)
    users = {name: sign_in(store, name, demo_password(name)) for name in
             ("olivia", "oscar", "carla", "wendy", "adam")}  # fmt: skip
    yield store, users, folder
    store.close()
    if previous is None:
        os.environ.pop("COACHING_DATA_DIR", None)
    else:
        os.environ["COACHING_DATA_DIR"] = previous


def page(script: str, user=None) -> AppTest:
    """A page script run once, signed in as ``user``."""
    test = AppTest.from_file(str(APP_DIR / script), default_timeout=TIMEOUT_S)
    if user is not None:
        test.session_state[USER_KEY] = user
    return test.run()


def texts(test: AppTest, kind: str) -> str:
    return "\n".join(str(element.value) for element in getattr(test, kind))


def call_of(store, users, operator: str, category: str | None = None) -> int:
    calls = list_calls(store, users["adam"], operator=operator)
    return next(c.id for c in calls if category is None or category in c.abuse_categories)


def test_sign_in_form_refuses_a_wrong_password_and_opens_the_role_home(seeded):
    app = AppTest.from_file(str(APP_DIR / "main.py"), default_timeout=TIMEOUT_S).run()
    assert not app.exception
    assert app.title[0].value == "Call coaching"
    app.text_input(key="sign_in_name").input("olivia")
    app.text_input(key="sign_in_password").input("wrong-password")
    app.button[0].click().run()
    assert "Sign-in failed" in texts(app, "error")
    app.text_input(key="sign_in_password").input(demo_password("olivia"))
    app.button[0].click().run()
    assert not app.exception
    assert [t.value for t in app.title] == ["My calls"]
    assert any(b.label == "Sign out" for b in app.sidebar.button)


def test_pages_refuse_a_visitor_who_is_not_signed_in_or_has_another_role(seeded):
    _, users, _ = seeded
    assert "sign in" in texts(page("pages/my_calls.py"), "info").lower()
    assert "for coach" in texts(page("pages/coach.py", users["olivia"]), "warning")
    assert "for admin" in texts(page("pages/admin_users.py", users["wendy"]), "warning")


def test_my_calls_lists_only_the_operators_calls_with_charts(seeded):
    _, users, _ = seeded
    test = page("pages/my_calls.py", users["olivia"])
    assert not test.exception
    table = test.dataframe[0].value
    assert set(table["operator"]) == {"olivia"} and len(table) == 3
    assert len(test.get("vega_lite_chart")) >= 3
    assert "your own median" in texts(test, "caption")


def test_call_review_jumps_the_player_and_masks_abuse(seeded):
    store, users, _ = seeded
    call_id = call_of(store, users, "olivia", "profanity")
    test = page("pages/call_review.py", users["olivia"])
    test.selectbox(key="review_pick").select(call_id).run()
    assert not test.exception
    assert test.get("audio")[0].proto.start_time == 0
    flag = next(b for b in test.button if b.label.endswith("profanity"))
    flag.click().run()
    start = open_call(store, users["adam"], call_id).report.abuse[0].start
    assert test.get("audio")[0].proto.start_time == int(max(0.0, start - 0.5))
    with store.session() as session:
        opened = read_audit(session, call_id=call_id, action="open-call")
    assert [entry.actor for entry in opened].count("olivia") == 1  # opened once, not per click
    transcript = "".join(h.proto.body for h in test.get("html"))
    assert 'class="tx-mask"' in transcript and "f******" in transcript.lower()
    assert len(test.get("vega_lite_chart")) == 2
    assert "What to try next time" in texts(test, "markdown")
    assert "based on" in texts(test, "caption")  # what the overall rests on


def test_an_operator_cannot_open_another_operators_call(seeded):
    store, users, _ = seeded
    others = call_of(store, users, "oscar")
    test = page("pages/call_review.py", users["olivia"])
    test.number_input(key="review_pick_number").set_value(others).run()
    assert not test.exception
    assert f"You cannot open call {others}" in texts(test, "error")
    assert not test.get("audio")


def test_coach_annotates_overrides_and_reviews_flags(seeded):
    store, users, _ = seeded
    call_id = call_of(store, users, "oscar", "threat")
    test = page("pages/coach.py", users["carla"])
    test.selectbox(key="coach_pick").select(call_id).run()
    test.text_input(key="annotation_at").input("00:17")
    test.text_area(key="annotation_text").input("Calm and clear under pressure here.")
    test.button(key=f"FormSubmitter:annotate_{call_id}-Add annotation").click().run()
    assert not test.exception
    assert "Calm and clear under pressure" in texts(test, "markdown")
    assert any(b.label.startswith("00:17 · coach") for b in test.button)
    test.button(key=f"flag_{call_id}_0_rejected").click().run()
    view = open_call(store, users["carla"], call_id)
    assert view.segments[0].verdict == "rejected" and view.annotations[0].at_s == 17.0
    assert len(test.get("download_button")) == 2


def test_annotations_show_as_plain_text_and_fetch_nothing(seeded):
    """Issue 9, item 8: an image link in a note must not make viewers' browsers fetch it."""
    from markdown_it import MarkdownIt

    from coaching.store.review import add_annotation

    store, users, _ = seeded
    call_id = call_of(store, users, "olivia", "profanity")
    note = "![t](http://127.0.0.1:9/t.png) <img src=http://127.0.0.1:9/i.png> [go](http://x.y)"
    add_annotation(store, users["carla"], call_id, text=note, at_s=1.0)
    render = MarkdownIt("commonmark", {"html": True}).render
    for script, user, key in (("pages/coach.py", "carla", "coach_pick"),
                              ("pages/call_review.py", "olivia", "review_pick")):  # fmt: skip
        test = page(script, users[user])
        test.selectbox(key=key).select(call_id).run()
        assert not test.exception
        shown = [m.value for m in [*test.markdown, *test.info]] + [b.label for b in test.button]
        mentioned = [text for text in shown if "127.0.0.1" in render(text)]
        assert mentioned and all("<img" not in render(t) and "<a " not in render(t)
                                 for t in shown)  # fmt: skip
        assert any("![t](http://127.0.0.1:9/t.png)" in render(t) for t in mentioned)


def test_wellbeing_shows_exposure_and_a_protected_drill_down(seeded):
    _, users, _ = seeded
    test = page("pages/wellbeing.py", users["wendy"])
    assert not test.exception
    table = test.dataframe[0].value
    assert list(table["operator"]) == ["oscar", "olivia"]  # the most exposed first
    assert test.get("audio") and "bleeped" in texts(test, "caption")
    threat = "".join(h.proto.body for h in test.get("html"))
    assert "hurt you" in threat and "tx-flag" in threat  # threats stay readable, outlined
    test.selectbox(key="wb_operator").select("olivia").run()
    masked = "".join(h.proto.body for h in test.get("html"))
    assert "***" in masked and 'class="tx-mood"' not in masked  # masked by the store
    test.toggle[0].set_value(False).run()
    assert "bleeped" not in texts(test, "caption")
    assert "<mark>" in "".join(h.proto.body for h in test.get("html"))


def test_admin_adds_and_deactivates_users_and_purges(seeded):
    _, users, _ = seeded
    test = page("pages/admin_users.py", users["adam"])
    assert set(test.dataframe[0].value["name"]) >= {"olivia", "carla", "adam"}
    test.text_input(key="new_user_name").input("nina")
    test.selectbox(key="new_user_role").select("operator")
    test.text_input(key="new_user_team").input("North")
    test.text_input(key="new_user_password").input("a-long-password")
    test.button(key="FormSubmitter:add_user-Add user").click().run()
    assert "Added nina" in texts(test, "success")
    test.selectbox(key="activation_user").select("nina")
    test.button(key="deactivate").click().run()
    assert "nina is deactivated" in texts(test, "success")
    assert not test.dataframe[0].value.set_index("name").loc["nina", "active"]
    test.number_input(key="retention_days").set_value(3650)
    test.checkbox(key="retention_sure").check().run()
    test.button(key="purge").click().run()
    assert "Removed 0 call(s)" in texts(test, "success")


def test_analyse_page_says_plainly_what_is_missing(seeded):
    _, users, folder = seeded
    test = page("pages/analyse.py", users["carla"])
    test.button(key="analyse_run").click().run()
    assert "choose one or more audio files" in texts(test, "error")
    test.radio(key="analyse_source").set_value("Folder on the server").run()
    test.text_input(key="analyse_folder").input(str(folder / "nowhere"))
    test.button(key="analyse_run").click().run()
    assert "no audio files to import there" in texts(test, "error")


@pytest.mark.slow
def test_analyse_uploads_with_the_real_pipeline_new_known_and_broken(seeded, sample_calls):
    store, users, _ = seeded
    good = sample_calls("en_quiet")["en_quiet"]
    test = page("pages/analyse.py", users["carla"])
    test.selectbox(key="analyse_operator").select("➕ another operator...").run()
    test.text_input(key="analyse_new_operator").input("otto")
    uploader = test.file_uploader(key="analyse_files")
    uploader.upload("good.wav", good.read_bytes(), "audio/wav")
    # The same recording again: stored by the upload before it, so not analysed twice. (A
    # quick demo report of a recording is no analysis by the pipeline's models: not "known".)
    uploader.upload("known.wav", good.read_bytes(), "audio/wav")
    uploader.upload("broken.wav", b"RIFF junk", "audio/wav").run()
    test.date_input(key="analyse_date").set_value(datetime(2024, 5, 2, tzinfo=timezone.utc).date())
    test.button(key="analyse_run").click().run(timeout=300)
    assert not test.exception
    assert "good.wav: analysed and stored as call #" in texts(test, "success")
    assert "known.wav: already stored as call #" in texts(test, "success")
    assert "broken.wav:" in texts(test, "error")
    assert [p.text for p in test.get("progress")] == [
        "good.wav: done",
        "known.wav: done",
        "broken.wav: failed",
    ]
    otto = list_calls(store, users["carla"], operator="otto")
    assert len(otto) == 1 and otto[0].call_time.date().isoformat() == "2024-05-02"
