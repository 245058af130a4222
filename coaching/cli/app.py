"""``coaching app``: start the Streamlit app, optionally on a freshly seeded demo store."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace

import click

APP = Path(__file__).resolve().parents[1] / "app" / "main.py"
SERVER_FLAGS = {
    "server.headless": "true",
    "browser.gatherUsageStats": "false",
    "client.toolbarMode": "minimal",
    # A closed tab's session (and the /media files only it shows) goes after 30 s, not 120.
    "server.disconnectedSessionTTL": "30",
}


@click.command(
    "app",
    short_help="start the web app (call review, coaching, wellbeing)",
    help="Start the Streamlit app. With --demo, first seed demo users and "
    "sample calls into the data directory.",
)
@click.option("--demo", is_flag=True, help="seed demo users and sample calls")
@click.option(
    "--quick",
    is_flag=True,
    help="with --demo: build the demo reports from the samples' known truth instead of "
    "running the speech models (seconds instead of minutes)",
)
@click.option("--port", type=int, default=8501, help="port to serve on (default 8501)")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="data directory (store and audio); default $COACHING_DATA_DIR or ./data",
)
@click.option("--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
def app(**params) -> int:
    return run_app(SimpleNamespace(**params))


def run_app(args: SimpleNamespace) -> int:
    """Seed if asked, then become ``streamlit run app.py`` (the data dir in the environment)."""
    from coaching.store.db import DATA_DIR_ENV, data_dir

    folder = (args.data_dir or data_dir()).resolve()
    os.environ[DATA_DIR_ENV] = str(folder)
    if args.demo:
        from coaching.app.demo import DEMO_USERS, demo_password, seed_demo

        analyze = None
        if args.quick:
            from coaching.app.quick_reports import quick_report

            analyze = quick_report
        seed_demo(folder, analyze=analyze, echo=print).close()
        print(
            "demo users: " + ", ".join(f"{n} / {demo_password(n)} ({r})" for n, r, _ in DEMO_USERS)
        )
    command = [sys.executable, "-m", "streamlit", "run", str(APP)]
    command += [f"--{key}={value}" for key, value in SERVER_FLAGS.items()]
    command += [f"--server.port={args.port}", f"--server.address={args.address}"]
    print(f"the app is at http://{args.address}:{args.port} (data in {folder}); Ctrl+C stops it")
    sys.stdout.flush()
    os.execv(sys.executable, command)  # streamlit takes over this process (and its signals)
    return 0
