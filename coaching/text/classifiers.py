"""Transformers text classifiers (sentiment, toxicity): loading and inference.

A model is named by a local directory or a hub id. With no hub in reach the
loader never waits on the network: it probes the endpoint once (a few seconds
at most), then loads from the local cache only, and when the model is not there
it raises :class:`TextModelError` with a one-line reason so that the caller can
fall back (see :mod:`coaching.text.sentiment`). What the model's labels mean is
decided by :mod:`coaching.text.labels`.

Long texts are split into overlapping windows of the model's maximum length and
the windows' probabilities are averaged, weighted by their token counts.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from coaching.device import resolve_device
from coaching.errors import ConfigError, ModelError
from coaching.text.labels import LabelScheme, label_scheme
from coaching.types import ModelInfo, Sentiment

logger = logging.getLogger("coaching")

WEIGHT_FILES = (
    "model.safetensors",
    "pytorch_model.bin",
    "model.safetensors.index.json",
    "pytorch_model.bin.index.json",
)
HUB_PROBE_TIMEOUT_S = 3.0
_ANNOUNCED: set[str] = set()


class TextModelError(ModelError):
    """A text classifier could not be had; ``reason`` is one line fit for a notice."""

    def __init__(self, role: str, name: str, reason: str) -> None:
        self.role, self.name, self.reason = role, name, reason
        super().__init__(f"{role} model {name!r}: {reason}")


def announce_once(message: str) -> None:
    """Log ``message`` as a warning the first time it comes up in this process."""
    if message not in _ANNOUNCED:
        _ANNOUNCED.add(message)
        logger.warning(message)


@dataclass(frozen=True, eq=False)
class TextClassifier:
    """A loaded sequence-classification model with its tokenizer (a model handle,
    not a pipeline record: its provenance is :attr:`info`)."""

    model: Any
    tokenizer: Any
    scheme: LabelScheme
    info: ModelInfo
    device: str
    max_length: int
    batch_size: int = 16

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Per text, the probability of each model output (rows follow ``texts``)."""
        import torch

        if not texts:
            return np.zeros((0, len(self.scheme.classes)))
        windows = self.tokenizer(
            list(texts),
            truncation=True,
            max_length=self.max_length,
            stride=self.max_length // 4,
            return_overflowing_tokens=True,
        )
        owners = windows.get("overflow_to_sample_mapping")
        if owners is None:  # only fast tokenizers split into windows
            owners = list(range(len(texts)))
        feature_names = [
            k for k in ("input_ids", "attention_mask", "token_type_ids") if k in windows
        ]
        rows = [{k: windows[k][i] for k in feature_names} for i in range(len(owners))]
        sums = np.zeros((len(texts), len(self.scheme.classes)))
        weights = np.zeros(len(texts))
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]["input_ids"]))
        with torch.inference_mode():
            for begin in range(0, len(order), self.batch_size):
                chunk = order[begin : begin + self.batch_size]
                batch = self._pad([rows[i] for i in chunk])
                logits = self.model(**batch).logits.float().cpu().numpy()
                probs = self.scheme.activate(logits)
                for index, prob in zip(chunk, probs, strict=True):
                    size = len(rows[index]["input_ids"])
                    sums[owners[index]] += prob * size
                    weights[owners[index]] += size
        return sums / np.maximum(weights, 1)[:, None]

    def _pad(self, rows: list[dict[str, list[int]]]) -> dict[str, Any]:
        import torch

        width = max(len(row["input_ids"]) for row in rows)
        pad_id = self.tokenizer.pad_token_id or 0
        batch = {}
        for name in rows[0]:
            fill = pad_id if name == "input_ids" else 0
            padded = [row[name] + [fill] * (width - len(row[name])) for row in rows]
            batch[name] = torch.tensor(padded, dtype=torch.long, device=self.device)
        if "attention_mask" not in batch:
            lengths = torch.tensor([len(row["input_ids"]) for row in rows], device=self.device)
            batch["attention_mask"] = (
                torch.arange(width, device=self.device)[None, :] < lengths[:, None]
            ).long()
        return batch

    @property
    def notice(self) -> str | None:
        """A model is never a stand-in, so it has nothing to announce."""
        return None

    def sentiment(self, texts: Sequence[str]) -> list[Sentiment]:
        """Label and score (P(positive) - P(negative), in -1..1) of each text."""
        return [self.scheme.sentiment(row) for row in self.probabilities(texts)]

    def toxicity(self, texts: Sequence[str]) -> list[float]:
        """Probability that each text is toxic."""
        return [self.scheme.toxic_probability(row) for row in self.probabilities(texts)]


@dataclass(frozen=True)
class ModelLocation:
    """Where a model is to be loaded from, decided before anything is loaded."""

    reference: str  # a directory, or a hub id
    source: str  # "local" or "hub"
    local_files_only: bool
    cache_dir: str | None = None  # the hub cache; None: huggingface_hub's default


def locate_model(
    name: str,
    *,
    role: str,
    hub_timeout_s: float = HUB_PROBE_TIMEOUT_S,
    cache_dir: str | None = None,
) -> ModelLocation:
    """Decide how to load ``name`` without waiting on an unreachable hub."""
    path = Path(name).expanduser()
    if path.is_dir():
        return ModelLocation(str(path.resolve()), "local", True)
    if name.startswith(("/", ".", "~")) or name.count("/") > 1 or "\\" in name:
        raise TextModelError(role, name, "no such model directory")
    told_offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")
    offline = told_offline or not hub_reachable(timeout_s=hub_timeout_s)
    if offline and _cached_file(name, "config.json", cache_dir) is None:
        where = "offline mode (HF_HUB_OFFLINE)" if told_offline else f"{hub_endpoint()} unreachable"
        raise TextModelError(
            role, name, f"{where} and not in the local cache; pass a local model directory"
        )
    return ModelLocation(name, "hub", offline, cache_dir)


def hub_endpoint() -> str:
    """The hub's address (``HF_ENDPOINT``, as huggingface_hub reads it)."""
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def hub_reachable(*, timeout_s: float = HUB_PROBE_TIMEOUT_S) -> bool:
    """Whether the hub answers at all within ``timeout_s`` (DNS included)."""
    answered = threading.Event()

    def probe() -> None:
        request = urllib.request.Request(hub_endpoint(), method="HEAD")
        try:
            urllib.request.urlopen(request, timeout=timeout_s).close()
            answered.set()
        except urllib.error.HTTPError:  # any HTTP answer means the hub is there
            answered.set()
        except Exception:  # DNS failure, refused, timeout, TLS: unreachable
            pass

    thread = threading.Thread(target=probe, daemon=True)  # DNS ignores socket timeouts
    thread.start()
    thread.join(timeout_s)
    return answered.is_set()


def _cached_file(repo_id: str, filename: str, cache_dir: str | None) -> Path | None:
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(repo_id, filename, cache_dir=cache_dir)
    return Path(found) if isinstance(found, str) else None


def load_text_classifier(
    name: str,
    *,
    role: str,
    device: str = "auto",
    compute_type: str = "auto",
    batch_size: int = 16,
    max_length: int | None = None,
    hub_timeout_s: float = HUB_PROBE_TIMEOUT_S,
    cache_dir: str | None = None,
) -> TextClassifier:
    """Load a sequence classifier (``role``: "sentiment" or "toxicity") from a
    directory or hub id onto the resolved device; raises :class:`TextModelError`."""
    location = locate_model(name, role=role, hub_timeout_s=hub_timeout_s, cache_dir=cache_dir)
    choice = resolve_device(device, compute_type)
    where = {"local_files_only": location.local_files_only, "cache_dir": location.cache_dir}
    try:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(location.reference, **where)
        model = AutoModelForSequenceClassification.from_pretrained(location.reference, **where)
        config = model.config
        scheme = label_scheme(
            dict(config.id2label),
            task=role,
            multi_label=config.problem_type == "multi_label_classification",
        )
    except Exception as exc:  # any failure to load means "unavailable": the caller falls back
        raise TextModelError(role, name, _one_line(exc)) from exc
    model = _place(model, choice.torch_device, choice.compute_type)
    info = ModelInfo(role=role, name=name, source=location.source, sha256=_weights_sha256(location))
    return TextClassifier(
        model=model,
        tokenizer=tokenizer,
        scheme=scheme,
        info=info,
        device=choice.torch_device,
        max_length=_window_length(model.config, tokenizer, max_length),
        batch_size=batch_size,
    )


def _place(model: Any, torch_device: str, compute_type: str) -> Any:
    import torch

    model = model.to(torch_device).eval()
    if torch_device.startswith("cuda") and "float16" in compute_type:
        model = model.to(torch.bfloat16 if compute_type == "bfloat16" else torch.float16)
    return model


def _window_length(config: Any, tokenizer: Any, asked: int | None) -> int:
    """The longest input the model takes, special tokens included."""
    limits = [asked] if asked else []
    positions = getattr(config, "max_position_embeddings", None)
    if positions:
        # RoBERTa-style models number positions from padding_idx + 1
        offset = (config.pad_token_id or 0) + 1 if "roberta" in config.model_type else 0
        limits.append(positions - offset)
    if 0 < tokenizer.model_max_length < 100_000:
        limits.append(tokenizer.model_max_length)
    length = min(limits) if limits else 512
    if length < tokenizer.num_special_tokens_to_add() + 4:
        raise ConfigError(f"max_length {length} leaves no room for text; use at least 16")
    return length


def _weights_sha256(location: ModelLocation) -> str | None:
    path = _weights_file(location)
    if path is None:
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _weights_file(location: ModelLocation) -> Path | None:
    for filename in WEIGHT_FILES:
        if location.source == "local":
            candidate = Path(location.reference) / filename
            if candidate.is_file():
                return candidate
        else:
            found = _cached_file(location.reference, filename, location.cache_dir)
            if found is not None:
                return found
    return None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line if len(line) <= 200 else line[:197] + "..."
