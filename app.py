"""The call-coaching web app from a checkout: ``streamlit run app.py`` (or ``coaching app``)."""

import runpy

runpy.run_module("coaching.app.main", run_name="__main__")
