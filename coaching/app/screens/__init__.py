"""Streamlit drawing of each page; the page scripts in ``pages/`` call one ``render()`` each."""
