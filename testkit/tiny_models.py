"""Tiny real transformers classifiers, built and trained inside the tests.

A WordPiece tokenizer (``tokenizers`` library) gets its vocabulary from a
handful of sentences, a 2-layer model (hidden size 32) gets the labels, trains for a few
deterministic steps so that the classes separate, and is saved with
``save_pretrained`` so the code under test loads it like any local model.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path

SENTIMENT_DATA = {
    "negative": (
        "this is terrible and awful",
        "i am angry the service is bad",
        "worst experience ever so awful",
        "horrible slow and rude people",
    ),
    "neutral": (
        "my order number is ten",
        "i am calling about my account",
        "the address is main street",
        "please check the invoice date",
    ),
    "positive": (
        "i am very happy with the service",
        "thank you so much this is great",
        "wonderful help thanks a lot",
        "excellent quick and friendly people",
    ),
}
TOXICITY_DATA = {
    "neutral": SENTIMENT_DATA["neutral"] + SENTIMENT_DATA["positive"],
    "toxic": (
        "you stupid idiot shut up",
        "you are a worthless moron",
        "idiot idiot shut up now",
        "go away you stupid fool",
    ),
}
MAX_POSITIONS = 40  # short on purpose: long texts must be windowed
_SPECIALS = {
    "bert": ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
    "xlm-roberta": ["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
}


@contextlib.contextmanager
def one_torch_thread() -> Iterator[None]:
    """Torch on one thread meanwhile: tiny models run faster than fighting over busy cores."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def point_hub_at_nothing(monkeypatch) -> None:
    """Send hub requests to a localhost port where nothing listens (connection refused)."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)


def train_tokenizer(kind: str, sentences: list[str]):
    """A WordPiece fast tokenizer (BERT or XLM-R special tokens) over ``sentences``.

    The vocabulary is every word of ``sentences`` plus every character (alone
    and as a ``##`` continuation), in sorted order: ``WordPieceTrainer`` breaks
    ties differently from run to run, and the tests need the same model each time.
    """
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    specials = _SPECIALS[kind]
    if kind == "bert":
        pad, unk, bos, eos, mask = specials
    else:
        bos, pad, eos, unk, mask = specials
    normalizer = normalizers.Lowercase()
    pre_tokenizer = pre_tokenizers.Whitespace()
    words = {
        word
        for sentence in sentences
        for word, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(sentence))
    }
    chars = {char for word in words for char in word}
    pieces = sorted(words | chars | {f"##{char}" for char in chars})
    vocab = {token: index for index, token in enumerate([*specials, *pieces])}
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token=unk))
    tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", special_tokens=[(bos, vocab[bos]), (eos, vocab[eos])]
    )
    names = {"unk_token": unk, "pad_token": pad, "mask_token": mask, "cls_token": bos}
    names |= (
        {"sep_token": eos}
        if kind == "bert"
        else {"bos_token": bos, "eos_token": eos, "sep_token": eos}
    )
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, model_max_length=512, **names)


def build_classifier(
    directory: Path,
    *,
    data: dict[str, tuple[str, ...]],
    kind: str = "bert",
    label_names: list[str] | None = None,
    steps: int = 60,
    seed: int = 0,
) -> Path:
    """Train a tiny ``kind`` classifier on ``data`` (label -> sentences) and save it.

    ``label_names`` renames the labels in ``config.id2label`` (e.g. LABEL_0..2)
    while keeping the classes in the order of ``data``.
    """
    import torch
    from transformers import (
        BertConfig,
        BertForSequenceClassification,
        XLMRobertaConfig,
        XLMRobertaForSequenceClassification,
    )

    torch.manual_seed(seed)
    sentences = [s for group in data.values() for s in group]
    targets = [i for i, group in enumerate(data.values()) for _ in group]
    tokenizer = train_tokenizer(kind, sentences)
    names = label_names or list(data)
    shape = {
        "vocab_size": len(tokenizer),
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "id2label": dict(enumerate(names)),
        "label2id": {name: i for i, name in enumerate(names)},
        "pad_token_id": tokenizer.pad_token_id,
    }
    if kind == "bert":
        model = BertForSequenceClassification(
            BertConfig(max_position_embeddings=MAX_POSITIONS, **shape)
        )
    else:  # RoBERTa numbers positions from pad_token_id + 1
        config = XLMRobertaConfig(
            max_position_embeddings=MAX_POSITIONS + tokenizer.pad_token_id + 1, **shape
        )
        model = XLMRobertaForSequenceClassification(config)
    _train(model, tokenizer, sentences, targets, steps=steps)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def _train(model, tokenizer, sentences: list[str], targets: list[int], *, steps: int) -> None:
    import torch

    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    labels = torch.tensor(targets)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # same result on any machine, and faster for a model this small
    try:
        model.train()
        for _ in range(steps):
            optimizer.zero_grad()
            model(**batch, labels=labels).loss.backward()
            optimizer.step()
    finally:
        torch.set_num_threads(threads)
    model.eval()
