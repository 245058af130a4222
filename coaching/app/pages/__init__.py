"""Streamlit page scripts: each calls one ``render()`` from :mod:`coaching.app.screens`."""
