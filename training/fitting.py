"""The fits behind train_text_heads.py: members, calibration, thresholds (seeded, single-threaded).

A head is the mean of its members (coaching.text.heads): a logistic regression over
the encoder vector and character n-grams, for sentiment and abuse a one-hidden-layer
ReLU network over the vector alone, and for abuse a vote of the nearest training lines.
Each fit returns the member's parameters and its out-of-fold probabilities on the
training rows; calibration
(Platt scaling) and thresholds are chosen on those out-of-fold figures only.
"""

from __future__ import annotations

import warnings
from collections import Counter

import numpy as np

from coaching.text.heads import (
    WEIGHTS_DTYPE,
    Member,
    decode_array,
    encode_array,
    sigmoid,
    softmax,
)
from coaching.text.heads.neighbours import Neighbours, dequantize, quantize, unit_rows

C_GRID = (4.0, 16.0, 64.0)
FALSE_ALARM_RATE = 0.02
FOLDS = 5
HIDDEN_UNITS = 64
HIDDEN_ALPHA = 1e-2
HIDDEN_ITERATIONS = 400
NEIGHBOUR_DIMS = 64
NEIGHBOURS = 10
NEIGHBOUR_TEMPERATURE = 0.05


def folds(labels: np.ndarray, seed: int):
    from sklearn.model_selection import StratifiedKFold

    smallest = min(Counter(labels.tolist()).values())
    return StratifiedKFold(n_splits=max(2, min(FOLDS, smallest)), shuffle=True, random_state=seed)


def _linear(c: float, seed: int, *, balanced: bool = False):
    from sklearn.linear_model import LogisticRegression

    weight = "balanced" if balanced else None
    return LogisticRegression(C=c, max_iter=5000, random_state=seed, class_weight=weight)


def _network(seed: int):
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(
        (HIDDEN_UNITS,), alpha=HIDDEN_ALPHA, max_iter=HIDDEN_ITERATIONS, random_state=seed
    )


def _best_c(x: np.ndarray, y: np.ndarray, seed: int, scoring: str, balanced: bool) -> float:
    from sklearn.model_selection import cross_val_score

    split = folds(y, seed)
    scores = [
        cross_val_score(_linear(c, seed, balanced=balanced), x, y, cv=split, scoring=scoring).mean()
        for c in C_GRID
    ]
    return C_GRID[int(np.argmax(scores))]


def platt(scores: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, float]:
    model = _linear(1e6, seed).fit(scores[:, None], y)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def linear_softmax(x: np.ndarray, y: np.ndarray, seed: int) -> dict:
    """Multinomial logistic regression; out-of-fold class probabilities beside it."""
    from sklearn.model_selection import cross_val_predict

    c = _best_c(x, y, seed, "accuracy", balanced=False)
    oof = cross_val_predict(_linear(c, seed), x, y, cv=folds(y, seed), method="predict_proba")
    model = _linear(c, seed).fit(x, y)
    return {"C": c, "weights": model.coef_, "bias": model.intercept_, "oof": oof}


def linear_sigmoid(x: np.ndarray, y: np.ndarray, seed: int, *, balanced: bool) -> dict:
    """One label: C by CV, Platt scaling on out-of-fold scores."""
    from sklearn.model_selection import cross_val_predict

    if min(int(y.sum()), int(len(y) - y.sum())) < 2:
        print(f"warning: too few examples for a label ({int(y.sum())} of {len(y)}); it never fires")
        zeros = np.zeros(x.shape[1])
        return {"C": 0.0, "weights": zeros, "bias": -30.0, "slope": 1.0, "intercept": 0.0,
                "oof": np.zeros(len(y))}  # fmt: skip
    c = _best_c(x, y, seed, "average_precision", balanced)
    model = _linear(c, seed, balanced=balanced)
    scores = cross_val_predict(model, x, y, cv=folds(y, seed), method="decision_function")
    slope, intercept = platt(scores, y, seed)
    model.fit(x, y)
    return {
        "C": c,
        "weights": model.coef_[0],
        "bias": float(model.intercept_[0]),
        "slope": slope,
        "intercept": intercept,
        "oof": sigmoid(slope * scores + intercept),
    }


def network_logits(parts: dict, x: np.ndarray) -> np.ndarray:
    """The network's output logits, computed by the package's own :class:`Member`."""
    ones = np.ones(len(parts["bias"]))
    member = Member(
        weights=parts["weights"],
        bias=parts["bias"],
        slope=ones,
        intercept=ones * 0.0,
        hidden_weights=parts["hidden_weights"],
        hidden_bias=parts["hidden_bias"],
    )
    return member.logits(x)


def _network_parts(model) -> dict:
    return {
        "hidden_weights": model.coefs_[0].T,
        "hidden_bias": model.intercepts_[0],
        "weights": model.coefs_[1].T,
        "bias": model.intercepts_[1],
    }


def _fit_network(x: np.ndarray, y: np.ndarray, seed: int) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: the iteration cap is the design
        return _network_parts(_network(seed).fit(x, y))


def network(x: np.ndarray, y: np.ndarray, seed: int, *, strata: np.ndarray) -> dict:
    """A ReLU network: softmax for a label vector, one sigmoid per column of a 0/1 matrix
    (Platt-scaled on out-of-fold logits); out-of-fold probabilities beside it."""
    logits = np.zeros((len(x), len(np.unique(y)) if y.ndim == 1 else y.shape[1]))
    for train, test in folds(strata, seed).split(x, strata):
        logits[test] = network_logits(_fit_network(x[train], y[train], seed), x[test])
    parts = _fit_network(x, y, seed)
    if y.ndim == 1:
        return {**parts, "oof": softmax(logits)}
    scaling = [platt(logits[:, j], y[:, j], seed) for j in range(y.shape[1])]
    slope = np.array([s for s, _ in scaling])
    intercept = np.array([i for _, i in scaling])
    return {**parts, "slope": slope, "intercept": intercept,
            "oof": sigmoid(slope * logits + intercept)}  # fmt: skip


def choose_threshold(probabilities: np.ndarray, y: np.ndarray) -> float:
    """The threshold with the best F1 (ties: the lower)."""
    best, best_f1 = 0.5, -1.0
    for threshold in np.unique(np.round(probabilities, 4)):
        flagged = probabilities >= threshold
        hits = int(np.sum(flagged & (y == 1)))
        f1 = 2 * hits / max(1, int(flagged.sum()) + int(y.sum()))
        if f1 > best_f1:
            best, best_f1 = float(threshold), f1
    return best


def joint_threshold(any_oof: np.ndarray, named: np.ndarray, abusive: np.ndarray) -> float:
    """The lowest any-label threshold at which flagging (P(any) over it *and* some
    category over its own threshold, the rule of coaching.text.scorers) keeps
    out-of-fold false alarms at or under FALSE_ALARM_RATE."""
    for threshold in np.round(np.arange(0.05, 1.0, 0.005), 4):
        flagged = (any_oof >= threshold) & named
        if flagged[abusive == 0].mean() <= FALSE_ALARM_RATE:
            return float(threshold)
    return 1.0


def neighbours(x: np.ndarray, y: np.ndarray, *, strata: np.ndarray, seed: int) -> dict:
    """The nearest-lines vote over a 0/1 label matrix: the memory of every training line,
    and out-of-fold votes (each fold's PCA and memory from its training part alone)."""
    oof = np.zeros(y.shape)
    for train, test in folds(strata, seed).split(x, strata):
        oof[test] = _neighbour_member(_memory(x[train], y[train]), y[train]).probabilities(
            "sigmoid", x[test]
        )
    return {**_memory(x, y), "labels": y, "oof": oof}


def _memory(x: np.ndarray, y: np.ndarray) -> dict:
    from sklearn.decomposition import PCA

    pca = PCA(NEIGHBOUR_DIMS, svd_solver="full").fit(x)
    mean, projection = (_as_stored(a) for a in (pca.mean_, pca.components_))
    codes = quantize(unit_rows((x - mean) @ projection.T))
    return {"mean": mean, "projection": projection, "codes": codes}


def _as_stored(values: np.ndarray) -> np.ndarray:
    """The values as the head file will give them back (float16 weights)."""
    return decode_array(encode_array(values), values.shape, WEIGHTS_DTYPE).astype(np.float64)


def _neighbour_member(memory: dict, labels: np.ndarray) -> Neighbours:
    """The package's own member over a memory, so training and inference vote alike."""
    return Neighbours(
        mean=memory["mean"],
        projection=memory["projection"],
        memory=dequantize(memory["codes"]),
        labels=np.asarray(labels, dtype=np.float64),
        k=NEIGHBOURS,
        temperature=NEIGHBOUR_TEMPERATURE,
    )
