"""Call-coaching toolkit: recorded customer-service calls into reports and coaching.

The short public API::

    from coaching import analyze_call, load_models, AnalysisOptions

    report = analyze_call("call.wav", models=load_models(), options=AnalysisOptions())
    report.to_dict()  # the call-report/1 JSON
"""

from coaching.audio.decode import CallAudio, load_audio
from coaching.errors import AudioError, CoachingError, ConfigError, ModelError
from coaching.options import AnalysisOptions
from coaching.registry import Models, load_models
from coaching.types import CallReport, Transcript, Utterance, Word
from coaching.version import __version__


def analyze_call(source, **kwargs) -> CallReport:
    """See :func:`coaching.pipeline.analyze_call`."""
    from coaching.pipeline import analyze_call as run

    return run(source, **kwargs)


__all__ = [
    "AnalysisOptions",
    "AudioError",
    "CallAudio",
    "CallReport",
    "CoachingError",
    "ConfigError",
    "ModelError",
    "Models",
    "Transcript",
    "Utterance",
    "Word",
    "__version__",
    "analyze_call",
    "load_audio",
    "load_models",
]
