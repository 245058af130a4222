"""Shared fixtures: the real embedded Whisper model and generated sample calls."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CACHE = ROOT / "samples" / ".cache"


@pytest.fixture(autouse=True)
def _restore_main_module():
    """Streamlit's AppTest runs page scripts as ``__main__`` and leaves them there; a
    later test that spawns worker processes would then re-run that page in each worker."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(scope="session")
def models():
    """The embedded multilingual Whisper base on CPU, loaded once for the session."""
    from coaching.registry import load_models

    return load_models(device="cpu")


@pytest.fixture(scope="session")
def sample_calls():
    """Rendered sample calls (audio + truth JSON), cached under samples/.cache."""
    from samples.generate import ensure_calls

    def get(*names: str) -> dict[str, Path]:
        return ensure_calls(names, SAMPLE_CACHE)

    return get


def sample_options(name: str):
    """Analysis options for a generated sample call.

    Whisper base hears espeak-ng's Vietnamese, Russian and Chinese poorly (see
    samples/README.md): there the temperature fallback only burns minutes on
    unintelligible audio, so those calls decode once, greedily; and espeak-ng's Russian is
    not even recognised as Russian, so its language is given, as ``--language``
    would.
    """
    from coaching.options import AnalysisOptions

    if name.startswith("en_"):
        return AnalysisOptions()
    forced = "ru" if name.startswith("ru_") else None
    return AnalysisOptions.of(language=forced, temperatures=(0.0,), beam_size=1)


@pytest.fixture(scope="session")
def analysed(models, sample_calls):
    """``analysed(name) -> (report, truth)``: each sample call analysed at most once a session.

    The real pipeline (embedded Whisper base on CPU, Praat, built-in sentiment) runs on
    the generated call; the truth is what the generator put into it.
    """
    from coaching.pipeline import analyze_call
    from samples.generate import load_truth

    done: dict[str, tuple] = {}

    def get(name: str):
        if name not in done:
            path = sample_calls(name)[name]
            report = analyze_call(path, models=models, options=sample_options(name))
            done[name] = (report, load_truth(path))
        return done[name]

    return get
