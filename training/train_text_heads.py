"""Train the sentiment, abuse and courtesy heads on the embedded encoder.

    python training/train_text_heads.py [--data training/text] [--out coaching/text/heads]
                                        [--seed 0] [--subset N]

Reads every ``<data>/*.jsonl`` (format: training/text/README.md), keeps only
``split == "train"`` rows (the held-out rows are for bench/bench_text.py and
are never looked at here), embeds each text with the encoder the package ships
(:mod:`coaching.text.encoder`, E5 query vectors), puts hashed character n-grams
beside each vector (:mod:`coaching.text.heads.features`: spelling the encoder's
vocabulary splits, obfuscated swear words) and fits scikit-learn logistic
regressions:

- sentiment: multinomial over negative/neutral/positive, caller and operator rows;
- abuse: one binary model per label, ``abusive`` (any label) and insult, profanity,
  threat, harassment, on every row;
- courtesy: one binary model per step (acknowledge, apologise, ownership,
  next_step) on operator rows.

The regularisation C is chosen by stratified 5-fold cross-validation on the
training rows; the binary heads get Platt scaling fitted on out-of-fold scores,
and their thresholds are picked on those out-of-fold probabilities: each category
and courtesy step the best F1; ``abusive`` the lowest at which "P(abusive) over it
and some category over its own" keeps false alarms at or under ``FALSE_ALARM_RATE``.
Everything is seeded and single-threaded, and the files are written with fixed
formatting (float16 weights in base64, rounded scalars), so running the script
twice gives byte-identical files. ``MANIFEST.json`` gets each file's sha256; the
package refuses a head that does not match it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coaching.registry import available_cores  # noqa: E402
from coaching.text.encoder import load_encoder  # noqa: E402
from coaching.text.heads import MANIFEST, WEIGHTS_DTYPE, encode_array, file_digest  # noqa: E402
from coaching.text.heads.features import CharNgrams, head_features  # noqa: E402

SENTIMENTS = ("negative", "neutral", "positive")
ABUSE_LABELS = ("abusive", "insult", "profanity", "threat", "harassment")
COURTESY_LABELS = ("acknowledge", "apologise", "ownership", "next_step")
C_GRID = (4.0, 16.0, 64.0)
FALSE_ALARM_RATE = 0.02
FOLDS = 5
NGRAMS = CharNgrams(low=2, high=4, buckets=4096, scale=0.5)


def read_rows(data: Path, *, subset: int | None = None) -> list[dict]:
    """The training rows of every language file, in a fixed order."""
    rows = []
    for path in sorted(data.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("split") == "train" and row.get("text", "").strip():
                    rows.append(row)
    if subset and len(rows) > subset:
        step = len(rows) / subset
        rows = [rows[int(i * step)] for i in range(subset)]
    return rows


def _folds(labels: np.ndarray, seed: int):
    from sklearn.model_selection import StratifiedKFold

    smallest = min(Counter(labels.tolist()).values())
    return StratifiedKFold(n_splits=max(2, min(FOLDS, smallest)), shuffle=True, random_state=seed)


def _model(c: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000, random_state=seed)


def _best_c(x: np.ndarray, y: np.ndarray, seed: int, scoring: str) -> float:
    from sklearn.model_selection import cross_val_score

    folds = _folds(y, seed)
    scores = [
        cross_val_score(_model(c, seed), x, y, cv=folds, scoring=scoring).mean() for c in C_GRID
    ]
    return C_GRID[int(np.argmax(scores))]


def fit_sentiment(x: np.ndarray, labels: list[str], seed: int) -> dict:
    y = np.array([SENTIMENTS.index(label) for label in labels])
    c = _best_c(x, y, seed, "accuracy")
    model = _model(c, seed).fit(x, y)
    return {
        "kind": "softmax",
        "classes": list(SENTIMENTS),
        "C": c,
        "weights": model.coef_,
        "bias": model.intercept_,
    }


def fit_binary(x: np.ndarray, y: np.ndarray, seed: int, *, rule: str) -> dict:
    """One label: C by CV, Platt scaling and a threshold on out-of-fold scores."""
    from sklearn.model_selection import cross_val_predict

    if min(int(y.sum()), int(len(y) - y.sum())) < 2:
        print(f"warning: too few examples for a label ({int(y.sum())} of {len(y)}); it never fires")
        return {
            "oof": np.zeros(len(y)),
            "C": 0.0,
            "weights": np.zeros(x.shape[1]),
            "bias": -30.0,
            "slope": 1.0,
            "intercept": 0.0,
            "threshold": 1.0,
        }
    c = _best_c(x, y, seed, "average_precision")
    folds = _folds(y, seed)
    scores = cross_val_predict(_model(c, seed), x, y, cv=folds, method="decision_function")
    platt = _model(1e6, seed).fit(scores[:, None], y)
    slope, intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    probabilities = 1.0 / (1.0 + np.exp(-(slope * scores + intercept)))
    model = _model(c, seed).fit(x, y)
    return {
        "oof": probabilities,
        "C": c,
        "weights": model.coef_[0],
        "bias": float(model.intercept_[0]),
        "slope": slope,
        "intercept": intercept,
        "threshold": choose_threshold(probabilities, y, rule=rule),
    }


def choose_threshold(probabilities: np.ndarray, y: np.ndarray, *, rule: str) -> float:
    """``"false-alarms"``: lowest threshold with at most FALSE_ALARM_RATE of negatives
    above it; ``"f1"``: the threshold with the best F1 (ties: the lower)."""
    candidates = np.unique(np.round(probabilities, 4))
    if rule == "false-alarms":
        negatives = np.sort(probabilities[y == 0])[::-1]
        allowed = int(np.floor(FALSE_ALARM_RATE * len(negatives)))
        return float(np.round(negatives[allowed] + 1e-4, 4)) if len(negatives) else 0.5
    best, best_f1 = 0.5, -1.0
    for threshold in candidates:
        flagged = probabilities >= threshold
        hits = int(np.sum(flagged & (y == 1)))
        f1 = 2 * hits / max(1, int(flagged.sum()) + int(y.sum()))
        if f1 > best_f1:
            best, best_f1 = float(threshold), f1
    return best


def joint_threshold(fits: dict, abusive: np.ndarray) -> float:
    """The lowest ``abusive`` threshold at which flagging (P(abusive) over it *and* some
    category over its own threshold, the rule of coaching.text.scorers) keeps out-of-fold
    false alarms at or under FALSE_ALARM_RATE."""
    categories = [label for label in fits if label != "abusive"]
    named = np.zeros(len(abusive), dtype=bool)
    for label in categories:
        named |= fits[label]["oof"] >= fits[label]["threshold"]
    scores = fits["abusive"]["oof"]
    for threshold in np.round(np.arange(0.05, 1.0, 0.005), 4):
        flagged = (scores >= threshold) & named
        if flagged[abusive == 0].mean() <= FALSE_ALARM_RATE:
            return float(threshold)
    return 1.0


def fit_multilabel(x: np.ndarray, targets: dict[str, np.ndarray], seed: int, rules: dict) -> dict:
    fits = {
        label: fit_binary(x, y, seed, rule=rules.get(label, "f1")) for label, y in targets.items()
    }
    labels = list(targets)
    if "abusive" in fits:
        fits["abusive"]["threshold"] = joint_threshold(fits, targets["abusive"])
    return {
        "kind": "sigmoid",
        "classes": labels,
        "C": {label: fits[label]["C"] for label in labels},
        "weights": np.stack([fits[label]["weights"] for label in labels]),
        "bias": np.array([fits[label]["bias"] for label in labels]),
        "slope": [fits[label]["slope"] for label in labels],
        "intercept": [fits[label]["intercept"] for label in labels],
        "thresholds": {label: fits[label]["threshold"] for label in labels},
    }


def head_document(name: str, fit: dict, *, encoder: str, rows: list[dict], seed: int) -> str:
    weights = np.asarray(fit["weights"], dtype=np.float32)
    document = {
        "name": name,
        "kind": fit["kind"],
        "classes": fit["classes"],
        "dims": int(weights.shape[1]),
        "encoder": encoder,
        "seed": seed,
        "C": fit["C"],
        "trained_on": dict(sorted(Counter(r["lang"] for r in rows).items())),
        "ngrams": NGRAMS.to_dict(),
        "bias": [round(float(b), 6) for b in np.ravel(fit["bias"])],
        "weights_dtype": WEIGHTS_DTYPE,
        "weights": encode_array(weights),
    }
    if fit["kind"] == "sigmoid":
        document["slope"] = [round(float(v), 6) for v in fit["slope"]]
        document["intercept"] = [round(float(v), 6) for v in fit["intercept"]]
        document["thresholds"] = {k: round(float(v), 4) for k, v in fit["thresholds"].items()}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def embed(encoder, texts: list[str], *, cache: Path | None) -> np.ndarray:
    """Encoder vectors, reusing a cache file of earlier runs (the encoder is deterministic)."""
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.is_file():
        stored = np.load(cache, allow_pickle=False)
        known = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
    missing = [text for text in dict.fromkeys(texts) if text not in known]
    if missing:
        known.update(zip(missing, encoder.embed(missing), strict=True))
        if cache is not None:
            names = sorted(known)
            np.savez(cache, texts=np.array(names), vectors=np.stack([known[t] for t in names]))
    return np.stack([known[text] for text in texts])


def train(
    data: Path, out: Path, *, seed: int = 0, subset: int | None = None, cache: Path | None = None
) -> dict[str, str]:
    """Fit the three heads and write them with their manifest; returns file -> sha256."""
    rows = read_rows(data, subset=subset)
    if not rows:
        raise SystemExit(f"no training rows in {data}/*.jsonl")
    encoder = load_encoder(threads=available_cores())
    texts = [row["text"] for row in rows]
    vectors = head_features(embed(encoder, texts, cache=cache), texts, NGRAMS)
    operator = [i for i, row in enumerate(rows) if row.get("speaker") == "operator"]
    abuse = {label: np.array([int(_has(row, label)) for row in rows]) for label in ABUSE_LABELS}
    courtesy = {
        label: np.array([int(label in rows[i].get("courtesy", [])) for i in operator])
        for label in COURTESY_LABELS
    }
    fits = {
        "sentiment": (fit_sentiment(vectors, [r["sentiment"] for r in rows], seed), rows),
        "abuse": (fit_multilabel(vectors, abuse, seed, {"abusive": "false-alarms"}), rows),
        "courtesy": (
            fit_multilabel(vectors[operator], courtesy, seed, {}),
            [rows[i] for i in operator],
        ),
    }
    out.mkdir(parents=True, exist_ok=True)
    digests = {}
    for name, (fit, used) in fits.items():
        path = out / f"{name}.json"
        path.write_text(
            head_document(name, fit, encoder=encoder.info.name, rows=used, seed=seed),
            encoding="utf-8",
        )
        digests[path.name] = file_digest(path)
    (out / MANIFEST).write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", "utf-8")
    return digests


def _has(row: dict, label: str) -> bool:
    labels = row.get("abuse") or []
    return bool(labels) if label == "abusive" else label in labels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "training" / "text")
    parser.add_argument("--out", type=Path, default=ROOT / "coaching" / "text" / "heads")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--subset", type=int, help="train on N evenly spaced rows (tests)")
    parser.add_argument("--cache", type=Path, help="an .npz of encoder vectors to reuse")
    args = parser.parse_args()
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # one BLAS thread: the same sums in the same order
        digests = train(args.data, args.out, seed=args.seed, subset=args.subset, cache=args.cache)
    for name, digest in digests.items():
        print(f"{name}  {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
