"""Silero VAD probabilities for a whole channel, a block at a time.

faster-whisper's ``SileroVADModel.__call__`` pads the channel, then builds a
second copy with 64 samples of context in front of every 512-sample window, and
only then feeds it to the model in batches of 10,000 windows: two extra copies of
the channel, about 500 MB for an hour. This builds each batch's input on its own,
with the same windows, context, batches and carried state, so the probabilities
are the very same numbers.
"""

from __future__ import annotations

import numpy as np

WINDOW = 512  # samples at 16 kHz, Silero's fixed window
CONTEXT = 64  # samples of the previous window the model sees before each window
BATCH = 10_000  # windows per model call, as faster-whisper runs it
STATE_SHAPE = (1, 1, 128)


def speech_probabilities(audio: np.ndarray) -> np.ndarray:
    """Silero's speech probability for each 512-sample window of 16 kHz ``audio``.

    Equal to ``get_vad_model()(np.pad(audio, (0, WINDOW - len(audio) % WINDOW)))``.
    """
    from faster_whisper.vad import get_vad_model

    model = get_vad_model()
    session = getattr(model, "session", None)
    padded = len(audio) + WINDOW - len(audio) % WINDOW
    if session is None:  # a faster-whisper whose model we do not know: its own way
        return np.asarray(model(np.pad(audio, (0, padded - len(audio))))).reshape(-1)
    windows = padded // WINDOW
    h = c = np.zeros(STATE_SHAPE, dtype=np.float32)
    previous_tail = np.zeros(CONTEXT, dtype=np.float32)
    outputs = []
    for first in range(0, windows, BATCH):
        block = _windows(audio, first, min(first + BATCH, windows))
        if first + len(block) == windows:
            block[-1, -CONTEXT:] = 0  # faster-whisper zeroes the last window's tail
        context = np.empty((len(block), CONTEXT), dtype=np.float32)
        context[0] = previous_tail
        context[1:] = block[:-1, -CONTEXT:]
        previous_tail = block[-1, -CONTEXT:].copy()
        batch = np.concatenate([context, block], axis=1)
        output, h, c = session.run(None, {"input": batch, "h": h, "c": c})
        outputs.append(output)
    return np.concatenate(outputs, axis=0).reshape(-1)


def _windows(audio: np.ndarray, first: int, last: int) -> np.ndarray:
    """Windows ``first``..``last`` of the zero-padded audio, as a fresh (n, 512) array."""
    block = np.zeros((last - first, WINDOW), dtype=np.float32)
    part = audio[first * WINDOW : last * WINDOW]
    block.reshape(-1)[: len(part)] = part
    return block
