"""Screenshots of the Calibration, Scorecard feedback, What worked and Team view pages, per role.

    python scripts/feedback_screenshots.py [--out docs/screenshots] [--data-dir DIR]

Seeds the quick demo (its calibration round, pinned exemplars and a dispute),
adds a second round nobody has submitted (so a coach's blind view can be shown),
starts the app and saves one PNG per page and role with headless Chromium, using
the helpers of ``scripts/screenshots.py``. Wellbeing staff do not get these pages.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import (
    ROOT,
    app_server,
    browser,
    full_height,
    open_page,
    settle,
    sign_in,
)

SHOTS = (  # (user, sidebar page, round to pick, tab to click, expand the first expander, file)
    ("carla", "Calibration", "Demo calibration", None, False, "coach-calibration-agreement"),
    ("cody", "Calibration", "Next week", None, False, "coach-calibration-blind"),
    ("adam", "Calibration", "Demo calibration", None, False, "admin-calibration"),
    ("olivia", "Scorecard feedback", None, None, False, "operator-scorecard-feedback"),
    ("carla", "Scorecard feedback", None, None, True, "coach-dispute-inbox"),
    ("adam", "Scorecard feedback", None, None, False, "admin-scorecard-feedback"),
    ("olivia", "What worked", None, None, True, "operator-what-worked"),
    ("carla", "What worked", None, None, True, "coach-what-worked-pinned"),
    ("carla", "What worked", None, "Search calls", False, "coach-what-worked-search"),
    ("adam", "What worked", None, "Search calls", False, "admin-what-worked"),
    ("carla", "Team view", None, None, False, "coach-team-view"),
)


def add_blind_round(data_dir: Path) -> None:
    """A second round on olivia's three newest calls that no coach has submitted."""
    from coaching.app.demo import demo_password, store_for
    from coaching.store.access import list_calls
    from coaching.store.auth import sign_in as store_sign_in
    from coaching.store.calibration import list_rounds, start_round

    store = store_for(data_dir)
    carla = store_sign_in(store, "carla", demo_password("carla"))
    if not any(r.title == "Next week" for r in list_rounds(store, carla)):
        calls = [c.id for c in list_calls(store, carla, operator="olivia")][:3]
        start_round(store, carla, title="Next week", call_ids=calls, coaches=["carla", "cody"])
    store.close()


def pick_round(page, title: str) -> None:
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=re.compile(rf"^#\d+ {re.escape(title)} ")).click()
    settle(page)


def take(url: str, out: Path) -> list[Path]:
    from coaching.app.demo import demo_password

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with browser() as chromium:
        for user, title, round_title, tab, expand, name in SHOTS:
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(60_000)
            page = context.new_page()
            sign_in(page, url, user, demo_password(user))
            open_page(page, title)
            settle(page)
            if round_title:
                pick_round(page, round_title)
            if tab:
                page.get_by_role("tab", name=tab).click()
                settle(page)
            if expand:
                page.get_by_test_id("stExpander").first.locator("summary").click()
                settle(page)
            full_height(page)
            page.wait_for_timeout(2000)  # data grids paint their canvas after the resize
            target = out / f"{name}.png"
            page.screenshot(path=str(target))
            saved.append(target)
            context.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--data-dir", type=Path, help="use (and seed) this data directory")
    args = parser.parse_args(argv)
    from coaching.app.demo import seed_demo
    from coaching.app.quick_reports import quick_report

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="coaching-shots-"))
    seed_demo(data_dir, analyze=quick_report, echo=print).close()
    add_blind_round(data_dir)
    with app_server(data_dir) as url:
        for path in take(url, args.out):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
