"""Kaldi-style log-mel filterbanks at 16 kHz, as speaker-embedding models are trained on.

Matches Kaldi's ``compute-fbank-feats`` defaults that 3D-Speaker uses: 25 ms
frames every 10 ms (edges snipped), DC removed, pre-emphasis 0.97, Povey window,
512-point power spectrum, 80 triangular mel bins from 20 Hz to Nyquist, natural
log. The segment's mean is removed from every frame (cepstral mean normalisation).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

EMBEDDING_RATE = 16_000
FRAME = 400
SHIFT = 160
FFT = 512
MEL_BINS = 80
LOW_HZ = 20.0
PREEMPHASIS = 0.97


def kaldi_fbank(samples: np.ndarray) -> torch.Tensor:
    """``(frames, 80)`` mean-normalised log-mel filterbanks of 16 kHz ``samples``."""
    wave = torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32))
    frames = wave.unfold(0, FRAME, SHIFT)
    frames = frames - frames.mean(dim=1, keepdim=True)
    shifted = torch.cat([frames[:, :1], frames[:, :-1]], dim=1)
    frames = (frames - PREEMPHASIS * shifted) * _povey_window()
    power = torch.fft.rfft(frames, n=FFT).abs().pow(2)
    mel = power[:, : FFT // 2] @ _mel_banks()
    feats = torch.log(torch.clamp(mel, min=torch.finfo(torch.float32).eps))
    return feats - feats.mean(dim=0, keepdim=True)


@lru_cache(maxsize=1)
def _povey_window() -> torch.Tensor:
    n = torch.arange(FRAME, dtype=torch.float64)
    return (0.5 - 0.5 * torch.cos(2 * torch.pi * n / (FRAME - 1))).pow(0.85).float()


def _mel(hz):
    return 1127.0 * np.log(1.0 + np.asarray(hz) / 700.0)


@lru_cache(maxsize=1)
def _mel_banks() -> torch.Tensor:
    """``(256, 80)`` weights of Kaldi's triangular mel filters over the FFT bins."""
    low, high = _mel(LOW_HZ), _mel(EMBEDDING_RATE / 2)
    edges = low + np.arange(MEL_BINS + 2) * (high - low) / (MEL_BINS + 1)
    bins = _mel(np.arange(FFT // 2) * EMBEDDING_RATE / FFT)
    left, centre, right = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    up = (bins[None, :] - left) / (centre - left)
    down = (right - bins[None, :]) / (right - centre)
    weights = np.clip(np.minimum(up, down), 0.0, None)
    return torch.from_numpy(weights.T.astype(np.float32))
