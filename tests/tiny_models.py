"""Tiny real transformers classifiers, built and trained inside the tests.

A tokenizer is trained with the ``tokenizers`` library on a handful of
sentences, a 2-layer model (hidden size 32) gets the labels, trains for a few
deterministic steps so that the classes separate, and is saved with
``save_pretrained`` so the code under test loads it like any local model.
"""

from __future__ import annotations

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


def train_tokenizer(kind: str, sentences: list[str]):
    """A WordPiece (BERT) or BPE (XLM-R) fast tokenizer trained on ``sentences``."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    specials = _SPECIALS[kind]
    bos, pad, eos, unk, mask = (
        (specials[2], specials[0], specials[3], specials[1], specials[4])
        if kind == "bert"
        else tuple(specials)
    )
    if kind == "bert":
        tokenizer = Tokenizer(models.WordPiece(unk_token=unk))
        trainer = trainers.WordPieceTrainer(vocab_size=400, special_tokens=specials)
    else:
        tokenizer = Tokenizer(models.BPE(unk_token=unk))
        trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=specials)
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.train_from_iterator(sentences, trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        special_tokens=[(bos, tokenizer.token_to_id(bos)), (eos, tokenizer.token_to_id(eos))],
    )
    names = {"unk_token": unk, "pad_token": pad, "mask_token": mask}
    names.update(
        {"cls_token": bos, "sep_token": eos}
        if kind == "bert"
        else {"bos_token": bos, "eos_token": eos, "cls_token": bos, "sep_token": eos}
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
    model.train()
    for _ in range(steps):
        optimizer.zero_grad()
        model(**batch, labels=labels).loss.backward()
        optimizer.step()
    model.eval()
