"""The transformers code path, on tiny real models trained inside the tests."""

from __future__ import annotations

import hashlib
import shutil
import socket
import time

import numpy as np
import pytest

from coaching.errors import ConfigError, ModelError
from coaching.text.classifiers import TextModelError, hub_reachable, load_text_classifier
from coaching.text.labels import label_scheme
from testkit.tiny_models import (
    SENTIMENT_DATA,
    build_classifier,
    one_torch_thread,
    point_hub_at_nothing,
)

LONG_WORDS = 5000


@pytest.fixture(scope="module", autouse=True)
def torch_on_one_thread():
    with one_torch_thread():
        yield


@pytest.fixture(scope="module")
def bert_dir(tmp_path_factory):
    return build_classifier(tmp_path_factory.mktemp("bert"), data=SENTIMENT_DATA, kind="bert")


@pytest.fixture(scope="module")
def bert(bert_dir):
    return load_text_classifier(str(bert_dir), role="sentiment", device="cpu")


@pytest.fixture(scope="module")
def xlmr_dir(tmp_path_factory):
    """XLM-R architecture with generic LABEL_0..2 names (the cardiffnlp convention)."""
    return build_classifier(
        tmp_path_factory.mktemp("xlmr"),
        data=SENTIMENT_DATA,
        kind="xlm-roberta",
        label_names=["LABEL_0", "LABEL_1", "LABEL_2"],
    )


@pytest.mark.parametrize(
    ("labels", "task", "classes", "valence"),
    [
        (
            ["negative", "neutral", "positive"],
            "sentiment",
            ("negative", "neutral", "positive"),
            (-1, 0, 1),
        ),
        (["POSITIVE", "Negative"], "sentiment", ("positive", "negative"), (1, -1)),
        (
            ["LABEL_0", "LABEL_1", "LABEL_2"],
            "sentiment",
            ("negative", "neutral", "positive"),
            (-1, 0, 1),
        ),
        (["LABEL_0", "LABEL_1"], "sentiment", ("negative", "positive"), (-1, 1)),
        (
            ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"],
            "sentiment",
            ("negative", "negative", "neutral", "positive", "positive"),
            (-1, -0.5, 0, 0.5, 1),
        ),
        (
            ["Very Negative", "Negative", "Neutral", "Positive", "Very Positive"],
            "sentiment",
            ("negative", "negative", "neutral", "positive", "positive"),
            (-1, -0.5, 0, 0.5, 1),
        ),
        (["non-toxic", "toxic"], "toxicity", ("non-toxic", "toxic"), (0, 0)),
        (["neutral", "toxic"], "toxicity", ("neutral", "toxic"), (0, 0)),
        (["LABEL_0", "LABEL_1"], "toxicity", ("non-toxic", "toxic"), (0, 0)),
        (["toxic", "severe_toxic", "insult"], "toxicity", ("toxic", "toxic", "toxic"), (0, 0, 0)),
    ],
)
def test_label_schemes(labels, task, classes, valence):
    scheme = label_scheme(dict(enumerate(labels)), task=task)
    assert scheme.classes == classes
    assert scheme.valence == pytest.approx(valence)


def test_unknown_labels_are_refused():
    with pytest.raises(ModelError, match="do not look like sentiment labels"):
        label_scheme({0: "sports", 1: "politics"}, task="sentiment")


def test_star_scores_are_expected_valence():
    scheme = label_scheme(
        dict(enumerate(["1 star", "2 stars", "3 stars", "4 stars", "5 stars"])), task="sentiment"
    )
    result = scheme.sentiment(np.array([0.0, 0.0, 0.2, 0.0, 0.8]))
    assert result.label == "positive"
    assert result.score == pytest.approx(0.8)


def test_local_model_loads_with_provenance(bert, bert_dir):
    assert bert.device == "cpu"
    assert next(bert.model.parameters()).device.type == "cpu"
    assert bert.info.source == "local" and bert.info.role == "sentiment"
    expected = hashlib.sha256((bert_dir / "model.safetensors").read_bytes()).hexdigest()
    assert bert.info.sha256 == expected
    assert bert.max_length == 40  # the tiny model's position limit, not the tokenizer's 512


def test_trained_classes_map_to_labels(bert):
    texts = [text for group in SENTIMENT_DATA.values() for text in group]
    expected = [label for label, group in SENTIMENT_DATA.items() for _ in group]
    results = bert.sentiment(texts)
    assert [r.label for r in results] == expected
    for result in results:
        assert -1.0 <= result.score <= 1.0
        sign = {"negative": -1, "neutral": 0, "positive": 1}[result.label]
        assert (
            (result.score > 0.5)
            if sign > 0
            else (result.score < -0.5)
            if sign < 0
            else abs(result.score) < 0.5
        )


def test_batched_equals_one_by_one(bert):
    texts = [
        "great",
        "this is terrible and awful and slow",
        "my account",
        "thank you so much this is great",
    ]
    together = bert.probabilities(texts)
    alone = np.vstack([bert.probabilities([text]) for text in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    np.testing.assert_allclose(together.sum(axis=1), 1.0, atol=1e-6)


def test_long_text_is_windowed_not_cut(bert):
    """A 5000-word text whose second half is negative must not score like its start."""
    half = LONG_WORDS // 4  # two words per phrase
    positive_only = " ".join(["great thanks"] * (2 * half))
    mixed = " ".join(["great thanks"] * half + ["terrible awful"] * half)
    scores = [s.score for s in bert.sentiment([positive_only, mixed, "great thanks"])]
    assert scores[0] > 0.5
    assert scores[1] < scores[0] - 0.5  # truncation to the first window would keep it positive
    assert scores[0] == pytest.approx(scores[2], abs=0.1)


def test_xlm_roberta_with_generic_labels(xlmr_dir):
    classifier = load_text_classifier(str(xlmr_dir), role="sentiment", device="cpu")
    assert classifier.scheme.classes == ("negative", "neutral", "positive")
    assert classifier.max_length == 40  # 42 positions less RoBERTa's offset of pad_token_id + 1
    labels = [
        s.label
        for s in classifier.sentiment(
            ["horrible slow and rude people", "wonderful help thanks a lot"]
        )
    ]
    assert labels == ["negative", "positive"]
    long_text = " ".join(["wonderful help"] * (LONG_WORDS // 2))
    assert classifier.sentiment([long_text])[0].label == "positive"


def test_cuda_on_a_machine_without_one_is_a_config_error(bert_dir):
    from coaching.device import cuda_device_count

    if cuda_device_count():
        pytest.skip("a GPU is visible")
    with pytest.raises(ConfigError):
        load_text_classifier(str(bert_dir), role="sentiment", device="cuda")


def test_missing_directory_fails_with_reason(tmp_path):
    with pytest.raises(TextModelError, match="no such model directory"):
        load_text_classifier(str(tmp_path / "nowhere" / "model"), role="sentiment")


def test_directory_without_a_model_fails_with_reason(tmp_path):
    with pytest.raises(TextModelError) as caught:
        load_text_classifier(str(tmp_path), role="sentiment")
    assert "\n" not in caught.value.reason


@pytest.fixture
def silent_hub(monkeypatch):
    """A hub endpoint that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.getsockname()[1]}")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    yield
    server.close()


def test_unreachable_hub_fails_fast(silent_hub):
    begun = time.monotonic()
    assert not hub_reachable(timeout_s=1.0)
    with pytest.raises(TextModelError, match="unreachable and not in the local cache"):
        load_text_classifier("coaching-tests/no-such-model", role="sentiment", hub_timeout_s=1.0)
    assert time.monotonic() - begun < 20.0  # a guard against hanging, not a speed test


def test_refused_hub_fails_fast(monkeypatch):
    point_hub_at_nothing(monkeypatch)
    begun = time.monotonic()
    with pytest.raises(TextModelError, match="unreachable"):
        load_text_classifier("coaching-tests/no-such-model", role="toxicity")
    assert time.monotonic() - begun < 20.0  # a guard against hanging, not a speed test


def test_cached_hub_model_loads_with_the_hub_unreachable(bert_dir, tmp_path, monkeypatch):
    """A hub id already in the cache loads offline, without touching the network."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--coaching-tests--tiny-sentiment"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    shutil.copytree(bert_dir, repo / "snapshots" / commit)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: refused at once
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    classifier = load_text_classifier(
        "coaching-tests/tiny-sentiment",
        role="sentiment",
        device="cpu",
        cache_dir=str(tmp_path / "hub"),
    )
    assert classifier.info.source == "hub"
    assert (
        classifier.info.sha256
        == hashlib.sha256((bert_dir / "model.safetensors").read_bytes()).hexdigest()
    )
    assert classifier.sentiment(["wonderful help thanks a lot"])[0].label == "positive"


def test_offline_mode_does_not_probe(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    begun = time.monotonic()
    with pytest.raises(TextModelError, match="offline mode"):
        load_text_classifier("coaching-tests/no-such-model", role="sentiment")
    assert time.monotonic() - begun < 3.0
