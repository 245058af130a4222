"""The call-coaching web app: ``streamlit run app.py`` (or ``coaching app --demo``)."""

from pathlib import Path

from coaching.ui.screens.shell import run_app

run_app(Path(__file__).resolve().parent)
