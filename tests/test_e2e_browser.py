"""End to end in headless Chromium: the real app server, a seeded store, operator and coach.

Debian's /usr/bin/chromium is driven by Playwright (no browser download). The
test waits on text and on the audio element's state, never on fixed sleeps.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from playwright.sync_api import expect

from coaching.app.demo import demo_password, seed_demo
from coaching.app.quick_reports import quick_report
from coaching.app.screens.shell import SESSION_CHECK_ENV
from coaching.store.access import list_calls
from coaching.store.auth import sign_in as store_sign_in

pytestmark = pytest.mark.browser
CALLS = ["en_calm", "en_abusive_profanity", "en_abusive_threat"]
CHROMIUM = Path("/usr/bin/chromium")
WAIT_MS = 45_000


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app served from a freshly seeded data directory; yields (url, call ids)."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium (see .ci/run)")
    from scripts.screenshots import app_server

    folder = tmp_path_factory.mktemp("e2e-data")
    cheap = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    store = seed_demo(folder, analyze=quick_report, names=CALLS, hasher=cheap)
    admin = store_sign_in(store, "adam", demo_password("adam"))
    listed = list_calls(store, admin)

    def call_of(operator: str, category: str | None) -> int:
        """The call of ``operator`` flagged for ``category`` (None: the unflagged one)."""
        (call,) = [
            c
            for c in listed
            if c.operator == operator
            and (category in c.abuse_categories if category else not c.abuse_categories)
        ]
        return call.id

    ids = {
        "olivia_profanity": call_of("olivia", "profanity"),
        "oscar_threat": call_of("oscar", "threat"),
        "olivia_calm": call_of("olivia", None),  # opened only by the media test
    }
    flags = {
        name: [f.start for f in _report(store, admin, call_id).abuse]
        for name, call_id in ids.items()
    }
    database = store.url
    store.close()
    os.environ[SESSION_CHECK_ENV] = "2"  # the app re-checks its session every 2 s, not 60
    try:
        with app_server(folder) as url:
            yield url, ids, flags, database
    finally:
        os.environ.pop(SESSION_CHECK_ENV, None)


def _report(store, user, call_id):
    from coaching.store.access import open_call

    return open_call(store, user, call_id).report


@pytest.fixture(scope="module")
def chromium():
    from scripts.screenshots import browser

    with browser() as launched:
        yield launched


@pytest.fixture()
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(WAIT_MS)
    yield context.new_page()
    context.close()


def sign_in(page, url: str, name: str) -> None:
    from scripts.screenshots import sign_in as browser_sign_in

    browser_sign_in(page, url, name, demo_password(name))


def open_call_number(page, key: str, call_id: int) -> None:
    box = page.get_by_role("spinbutton", name="Or open call number")
    box.fill(str(call_id))
    box.press("Enter")


def jump_to_first_flag(page, flag_start: float) -> None:
    """Click the call's first flag button and wait for the player to stand there."""
    audio = page.locator("audio").first
    audio.wait_for(state="attached")
    page.wait_for_function("() => document.querySelector('audio').readyState >= 1")
    assert audio.evaluate("a => a.currentTime") < flag_start - 1.0
    label = re.compile(r"^\d\d:\d\d · (profanity|threat|insult)$")
    page.get_by_role("button", name=label).first.click()
    target = max(0.0, flag_start - 0.5)
    page.wait_for_function(
        f"() => Math.abs(document.querySelector('audio').currentTime - {target}) < 1.5"
    )


def test_operator_reviews_own_call_jumps_to_a_flag_and_is_refused_another(app, page):
    url, ids, flags, _ = app
    sign_in(page, url, "olivia")
    page.get_by_role("heading", name="My calls").wait_for()
    page.get_by_test_id("stSidebarNav").get_by_text("Call review", exact=True).click()
    page.get_by_role("heading", name="Call review").wait_for()
    open_call_number(page, "review_pick", ids["olivia_profanity"])
    page.get_by_text("What went well").wait_for()
    jump_to_first_flag(page, flags["olivia_profanity"][0])
    page.get_by_role("tab", name="Transcript").click()
    masked = page.locator("label.tx-mask").first
    masked.wait_for()
    hidden = masked.locator(".tx-hidden")
    assert "*" in hidden.inner_text() and not masked.locator(".tx-word").is_visible()
    masked.click()
    assert masked.locator(".tx-word").is_visible() and not hidden.is_visible()
    assert "*" not in masked.locator(".tx-word").inner_text()

    open_call_number(page, "review_pick", ids["oscar_threat"])
    page.get_by_text(f"You cannot open call {ids['oscar_threat']}").wait_for()
    # Streamlit keeps the previous call's elements on screen until the rerun ends: wait for it.
    expect(page.locator("audio")).to_have_count(0)


def test_coach_jumps_to_a_flag_and_annotates(app, page):
    url, ids, flags, _ = app
    sign_in(page, url, "carla")
    page.get_by_role("heading", name="Coach workspace").wait_for()
    open_call_number(page, "coach_pick", ids["oscar_threat"])
    page.get_by_role("tab", name="Annotate").wait_for()
    jump_to_first_flag(page, flags["oscar_threat"][0])
    page.get_by_role("textbox", name="At (mm:ss, empty for the whole call)").fill("00:21")
    page.get_by_role("textbox", name="Note for the operator").fill("You kept calm here: well done.")
    page.get_by_role("button", name="Add annotation").click()
    page.get_by_text("You kept calm here: well done.").first.wait_for()
    page.get_by_role("button", name=re.compile(r"^00:21 · coach: You kept calm")).wait_for()


def test_a_recordings_media_url_stops_answering_when_its_session_ends(app, page):
    """Issue 9, item 4: the /media URL of a played recording dies with the session, both
    on sign-out and when the session ends elsewhere (expiry, deactivation) with the page open."""
    url, ids, _, database = app
    for end in ("sign out", "ended elsewhere"):
        sign_in(page, url, "olivia")
        page.get_by_test_id("stSidebarNav").get_by_text("Call review", exact=True).click()
        open_call_number(page, "review_pick", ids["olivia_calm"])
        page.get_by_text(f"Showing call #{ids['olivia_calm']}").wait_for()
        media = _live_media_url(page, url)
        if end == "sign out":
            page.get_by_role("button", name="Sign out").click()
        else:
            _end_sessions_of("olivia", database)  # as an idle expiry or a deactivation would
        page.get_by_role("button", name="Sign in").wait_for()
        assert page.request.get(media).status == 404


def _end_sessions_of(name: str, database: str) -> None:
    from sqlalchemy import select, update

    from coaching.store.db import open_store
    from coaching.store.schema import SignInSession, User, utc_now

    store = open_store(database)
    with store.session() as session:
        user_id = session.scalar(select(User.id).where(User.name == name))
        session.execute(update(SignInSession).where(SignInSession.user_id == user_id)
                        .values(ended_at=utc_now()))  # fmt: skip
    store.close()


def _live_media_url(page, url: str) -> str:
    """The player's /media URL once the rerun settled (an earlier player's URL is dropped)."""
    for _ in range(100):
        audio = page.locator("audio").first
        audio.wait_for(state="attached")
        media = url + (audio.get_attribute("src") or "").removeprefix(url)
        if page.request.get(media).status == 200:
            return media
        page.wait_for_timeout(200)
    raise AssertionError("the player's recording was never served")
