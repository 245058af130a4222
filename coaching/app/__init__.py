"""The Streamlit app's logic, testable without Streamlit.

Pure modules (no Streamlit import): :mod:`~coaching.app.charts`,
:mod:`~coaching.app.transcript`, :mod:`~coaching.app.audio`,
:mod:`~coaching.app.views`, :mod:`~coaching.app.sessions`,
:mod:`~coaching.app.analyse`, :mod:`~coaching.app.demo`.
The ``screens`` package draws them with Streamlit; ``pages/*.py`` only call it.
"""
