"""``coaching app``: start the Streamlit app, optionally on a freshly seeded demo store."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app" / "main.py"
SERVER_FLAGS = {
    "server.headless": "true",
    "browser.gatherUsageStats": "false",
    "client.toolbarMode": "minimal",
}


def register(commands) -> None:
    """Add ``coaching app`` to the ``coaching`` command's sub-parsers."""
    parser = commands.add_parser(
        "app",
        help="start the web app (call review, coaching, wellbeing)",
        description="Start the Streamlit app. With --demo, first seed demo users and "
        "sample calls into the data directory.",
    )
    parser.add_argument("--demo", action="store_true", help="seed demo users and sample calls")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="with --demo: build the demo reports from the samples' known truth instead of "
        "running the speech models (seconds instead of minutes)",
    )
    parser.add_argument("--port", type=int, default=8501, help="port to serve on (default 8501)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="data directory (store and audio); default $COACHING_DATA_DIR or ./data",
    )
    parser.add_argument(
        "--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.set_defaults(handler=run_app)


def run_app(args: argparse.Namespace) -> int:
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
