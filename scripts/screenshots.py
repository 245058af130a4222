"""Screenshots of every page of the app, per role, with headless Chromium (for the README).

    python scripts/screenshots.py [--out docs/screenshots] [--data-dir DIR] [--full]

Seeds a demo store (reports built from the samples' truth unless ``--full``
runs the speech models), starts ``streamlit run app.py`` on a free port, signs
in as each demo user and saves one PNG per page. The browser helpers here are
also used by ``tests/test_e2e_browser.py``.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = (  # (user, sidebar page or None for home, call to open, tab to click, file name)
    (None, None, None, None, "sign-in"),
    ("olivia", None, None, None, "operator-my-calls"),
    ("olivia", "Call review", "en_abusive_profanity", None, "operator-call-review"),
    ("olivia", "Call review", "en_abusive_profanity", "Transcript", "operator-transcript"),
    ("olivia", "Call review", "en_hold_silence", "Charts", "operator-charts"),
    ("carla", None, "en_abusive_threat", "Abuse flags", "coach-workspace"),
    ("carla", "Analyse calls", None, None, "coach-analyse-calls"),
    ("wendy", None, None, None, "wellbeing-dashboard"),
    ("adam", "Users and retention", None, None, "admin-users-retention"),
)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def app_server(data_dir: Path, *, port: int | None = None, timeout_s: float = 60) -> Iterator[str]:
    """``streamlit run app.py`` on 127.0.0.1 with ``data_dir``; yields the base URL."""
    port = port or free_port()
    env = {**os.environ, "COACHING_DATA_DIR": str(data_dir)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "coaching" / "app" / "main.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--client.toolbarMode", "minimal",
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(url, server, log, timeout_s)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait_healthy(url: str, server: subprocess.Popen, log, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"streamlit exited early:\n{log.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer on {url} within {timeout_s:.0f} s")


@contextmanager
def browser() -> Iterator[object]:
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def sign_in(page, url: str, name: str, password: str) -> None:
    """Open the app and sign in; returns once the signed-in sidebar shows."""
    page.goto(url)
    page.get_by_role("textbox", name="User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def open_page(page, title: str) -> None:
    """Click a page in the sidebar navigation and wait for its title."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title).first.wait_for()


SETTLED = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]')"""


def settle(page, *, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has finished the run and drawn every element."""
    page.wait_for_timeout(300)
    page.wait_for_function(SETTLED, timeout=timeout_ms)
    page.wait_for_timeout(700)  # charts draw just after the run ends


def full_height(page) -> None:
    """Make the viewport as tall as the page (Streamlit scrolls inside its main block)."""
    measure = "() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 900"
    height = 0
    for _ in range(4):  # charts and tables may grow the page after each resize
        wanted = min(max(int(page.evaluate(measure)), 900), 6000)
        if wanted == height:
            return
        height = wanted
        page.set_viewport_size({"width": 1280, "height": height})
        settle(page)


def call_numbers(data_dir: Path) -> dict[str, int]:
    """Sample name (the report's source stem) -> call id in the demo store."""
    from coaching.app.demo import demo_password, store_for
    from coaching.store.access import list_calls, open_call
    from coaching.store.auth import sign_in as store_sign_in

    store = store_for(data_dir)
    admin = store_sign_in(store, "adam", demo_password("adam"))
    found = {}
    for call in list_calls(store, admin):
        report = open_call(store, admin, call.id).report
        if report is not None:
            found[Path(report.source).stem] = call.id
    store.close()
    return found


def pick_call(page, call_id: int) -> None:
    """Choose a call in the page's call picker (its labels start with "#<id> ·")."""
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=re.compile(rf"^#{call_id} ·")).click()
    settle(page)


def take_screenshots(url: str, out: Path, calls: dict[str, int]) -> list[Path]:
    """One PNG per entry of :data:`SHOTS`, as tall as the page."""
    from coaching.app.demo import demo_password

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with browser() as chromium:
        for user, title, call, tab, name in SHOTS:
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(60_000)
            page = context.new_page()
            if user is None:
                page.goto(url)
                page.get_by_role("button", name="Sign in").wait_for()
            else:
                sign_in(page, url, user, demo_password(user))
                if title:
                    open_page(page, title)
                settle(page)
                if call:
                    pick_call(page, calls[call])
                if tab:
                    page.get_by_role("tab", name=tab).click()
            settle(page)
            full_height(page)
            target = out / f"{name}.png"
            page.screenshot(path=str(target))
            saved.append(target)
            context.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--data-dir", type=Path, help="use (and seed) this data directory")
    parser.add_argument("--full", action="store_true", help="analyse the demo calls for real")
    args = parser.parse_args(argv)
    from coaching.app.demo import seed_demo
    from coaching.app.quick_reports import quick_report

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="coaching-shots-"))
    seed_demo(data_dir, analyze=None if args.full else quick_report, echo=print).close()
    calls = call_numbers(data_dir)
    with app_server(data_dir) as url:
        for path in take_screenshots(url, args.out, calls):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
