"""Who is signed in to the app, which pages their role gets, and idle expiry.

State lives in a mutable mapping (``st.session_state`` in the app, a dict in
tests). The token is checked against the store on every run
(:func:`coaching.store.auth.resume`), so an idle or deactivated session ends
on the next click, not only when a page reads data.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime

from coaching.serial import Serializable
from coaching.store.auth import SessionExpired, SignedInUser, is_live, resume, sign_in, sign_out
from coaching.store.db import Store

USER_KEY = "signed_in_user"
NOTICE_KEY = "sign_in_notice"


@dataclass(frozen=True)
class PageSpec(Serializable):
    """One page of the app: its script, title, icon and the roles that get it."""

    script: str
    title: str
    icon: str
    roles: tuple[str, ...]


PAGES = (
    PageSpec("pages/my_calls.py", "My calls", ":material/headset_mic:", ("operator",)),
    PageSpec("pages/coach.py", "Coach workspace", ":material/groups:", ("coach",)),
    PageSpec(
        "pages/call_review.py",
        "Call review",
        ":material/graphic_eq:",
        ("operator", "coach", "admin"),
    ),
    PageSpec("pages/team_view.py", "Team view", ":material/monitoring:", ("coach", "admin")),
    PageSpec("pages/calibration.py", "Calibration", ":material/balance:", ("coach", "admin")),
    PageSpec(
        "pages/feedback.py",
        "Scorecard feedback",
        ":material/rate_review:",
        ("operator", "coach", "admin"),
    ),
    PageSpec(
        "pages/exemplars.py",
        "What worked",
        ":material/emoji_objects:",
        ("operator", "coach", "admin"),
    ),
    PageSpec("pages/analyse.py", "Analyse calls", ":material/upload_file:", ("coach", "admin")),
    PageSpec("pages/wellbeing.py", "Wellbeing", ":material/favorite:", ("wellbeing", "admin")),
    PageSpec(
        "pages/admin_users.py", "Users and retention", ":material/manage_accounts:", ("admin",)
    ),
)


HOME = {
    "operator": "pages/my_calls.py",
    "coach": "pages/coach.py",
    "wellbeing": "pages/wellbeing.py",
    "admin": "pages/admin_users.py",
}


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role sees, its home page first."""
    mine = [page for page in PAGES if role in page.roles]
    return sorted(mine, key=lambda page: page.script != HOME.get(role))


def page_for(script: str) -> PageSpec:
    """The spec of a page script (``"pages/coach.py"``)."""
    for page in PAGES:
        if page.script == script:
            return page
    raise KeyError(script)


def attempt_sign_in(
    state: MutableMapping, store: Store, name: str, password: str, *, client: str | None = None
) -> SignedInUser:
    """Sign in and remember the user in ``state``; raises SignInError on a bad password
    (and SignInThrottled while ``name`` or ``client``, the browser's address, is held back)."""
    user = sign_in(store, name.strip(), password, client=client)
    state[USER_KEY] = user
    state.pop(NOTICE_KEY, None)
    return user


def current_user(
    state: MutableMapping, store: Store, *, now: datetime | None = None
) -> SignedInUser | None:
    """The live signed-in user, refreshed from the store; None (with a notice) when expired."""
    user = state.get(USER_KEY)
    if user is None:
        return None
    try:
        fresh = resume(store, user.token, now=now)
    except SessionExpired as expired:
        state.pop(USER_KEY, None)
        state[NOTICE_KEY] = str(expired)
        return None
    state[USER_KEY] = fresh
    return fresh


def still_signed_in(state: MutableMapping, store: Store) -> bool:
    """Whether the remembered session is live; unlike :func:`current_user` the check
    does not count as activity, so a page left open still goes idle."""
    user = state.get(USER_KEY)
    return user is not None and is_live(store, user.token)


def end_session(state: MutableMapping, store: Store) -> None:
    """Sign out in the store and forget the user (and everything else the session held)."""
    user = state.get(USER_KEY)
    if user is not None:
        sign_out(store, user.token)
    for key in list(state.keys()):
        del state[key]
    state[NOTICE_KEY] = "You are signed out."
