"""The Streamlit app's logic, testable without Streamlit.

Pure modules (no Streamlit import): :mod:`~coaching.ui.charts`,
:mod:`~coaching.ui.transcript`, :mod:`~coaching.ui.audio`,
:mod:`~coaching.ui.views`, :mod:`~coaching.ui.sessions`,
:mod:`~coaching.ui.analyse`, :mod:`~coaching.ui.demo`.
The ``screens`` package draws them with Streamlit; ``pages/*.py`` only call it.
"""
