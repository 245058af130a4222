"""The Streamlit entry script of the app (``coaching app`` runs it; so may ``streamlit run``)."""

from pathlib import Path

from coaching.app.screens.shell import run_app

run_app(Path(__file__).resolve().parent)
