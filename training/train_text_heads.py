"""Train the sentiment, abuse and courtesy heads on the embedded encoder.

    python training/train_text_heads.py [--data training/text] [--out coaching/text/heads]
                                        [--seed 0] [--subset N]

Reads every ``<data>/*.jsonl`` (format: training/text/README.md), keeps only
``split == "train"`` rows (the held-out rows are for bench/bench_text.py and
are never looked at here), embeds each text with the encoder the package ships
(:mod:`coaching.text.encoder`, E5 query vectors), puts hashed character n-grams
beside each vector (:mod:`coaching.text.heads.features`: spelling the encoder's
vocabulary splits, obfuscated swear words) and fits each head as a small ensemble
(the fits are in ``training/fitting.py``):

- sentiment: a multinomial logistic regression (vector + n-grams) and a
  one-hidden-layer ReLU network (vector), averaged; caller and operator rows;
- abuse: per label (``abusive``, insult, profanity, threat, harassment) a logistic
  regression, the categories class-balanced, one multi-label network and a vote of
  the 10 nearest training lines (a 64-dimension PCA of the vectors), averaged;
  ``abusive`` is then pooled with the likeliest category and Platt-scaled again;
- courtesy: one logistic regression per step (acknowledge, apologise, ownership,
  next_step) on operator rows.

The regularisation C is chosen by stratified 5-fold cross-validation on the
training rows; sigmoid outputs get Platt scaling fitted on out-of-fold scores,
and the thresholds are picked on the ensemble's out-of-fold probabilities: each
category and courtesy step the best F1; ``abusive`` the lowest at which "P(abusive)
over it and some category over its own" keeps false alarms at or under
``FALSE_ALARM_RATE`` (2 %, fixed before any figure was seen).
Everything is seeded and single-threaded, and the files are written with fixed
formatting (float16 weights in base64, rounded scalars), so running the script
twice gives byte-identical files. ``MANIFEST.json`` gets each file's sha256; the
package refuses a head that does not match it.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fitting  # noqa: E402  (training/fitting.py, beside this script)

from coaching.registry import available_cores  # noqa: E402
from coaching.text.encoder import load_encoder  # noqa: E402
from coaching.text.heads import (  # noqa: E402
    MANIFEST,
    WEIGHTS_DTYPE,
    encode_array,
    file_digest,
    pooled_any_logit,
    sigmoid,
)
from coaching.text.heads.features import CharNgrams, head_features, without_repeats  # noqa: E402
from coaching.text.heads.neighbours import pack_labels  # noqa: E402

SENTIMENTS = ("negative", "neutral", "positive")
ABUSE_LABELS = ("abusive", "insult", "profanity", "threat", "harassment")
COURTESY_LABELS = ("acknowledge", "apologise", "ownership", "next_step")
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


def fit_sentiment(x: np.ndarray, vectors: np.ndarray, labels: list[str], seed: int) -> dict:
    """Linear softmax and network softmax; the head is their mean."""
    y = np.array([SENTIMENTS.index(label) for label in labels])
    linear = fitting.linear_softmax(x, y, seed)
    net = fitting.network(vectors, y, seed, strata=y)
    accuracy = float(np.mean(((linear["oof"] + net["oof"]) / 2).argmax(axis=1) == y))
    print(f"sentiment: out-of-fold accuracy {accuracy:.3f}")
    return {"kind": "softmax", "classes": list(SENTIMENTS), "members": [linear, net]}


def fit_abuse(x: np.ndarray, vectors: np.ndarray, targets: dict[str, np.ndarray], seed: int):
    """Per label a linear sigmoid (categories class-balanced), one multi-label network and
    the nearest-lines vote; ``abusive`` pooled with the likeliest category and Platt-scaled
    again; thresholds on the ensemble's out-of-fold probabilities."""
    labels = list(targets)
    abusive = targets["abusive"]
    linear = {
        label: fitting.linear_sigmoid(x, y, seed, balanced=label != "abusive")
        for label, y in targets.items()
    }
    y = np.stack(list(targets.values()), axis=1)
    net = fitting.network(vectors, y, seed, strata=abusive)
    near = fitting.neighbours(vectors, y, strata=abusive, seed=seed)
    oof = np.stack([linear[label]["oof"] for label in labels], axis=1) + net["oof"] + near["oof"]
    oof /= 3
    pooled = pooled_any_logit(oof, 0)
    slope, intercept = fitting.platt(pooled, abusive, seed)
    any_oof = sigmoid(slope * pooled + intercept)
    thresholds = {
        label: fitting.choose_threshold(oof[:, j], targets[label])
        for j, label in enumerate(labels)
        if label != "abusive"
    }
    named = np.any([oof[:, labels.index(c)] >= t for c, t in thresholds.items()], axis=0)
    thresholds = {"abusive": fitting.joint_threshold(any_oof, named, abusive), **thresholds}
    flagged = (any_oof >= thresholds["abusive"]) & named
    print(
        f"abuse: out-of-fold {flagged[abusive == 1].mean():.3f} of abusive rows flagged, "
        f"{flagged[abusive == 0].mean():.3f} false alarms"
    )
    return {
        "kind": "sigmoid",
        "classes": labels,
        "members": [_stack_linear(linear, labels), net, near],
        "any_label": {"label": "abusive", "slope": slope, "intercept": intercept},
        "thresholds": thresholds,
    }


def fit_courtesy(x: np.ndarray, targets: dict[str, np.ndarray], seed: int) -> dict:
    """One linear sigmoid per step, each at its best out-of-fold F1."""
    linear = {
        label: fitting.linear_sigmoid(x, y, seed, balanced=False) for label, y in targets.items()
    }
    thresholds = {
        label: fitting.choose_threshold(linear[label]["oof"], y) for label, y in targets.items()
    }
    labels = list(targets)
    return {
        "kind": "sigmoid",
        "classes": labels,
        "members": [_stack_linear(linear, labels)],
        "thresholds": thresholds,
    }


def _stack_linear(fits: dict, labels: list[str]) -> dict:
    return {
        "C": {label: fits[label]["C"] for label in labels},
        "weights": np.stack([fits[label]["weights"] for label in labels]),
        "bias": np.array([fits[label]["bias"] for label in labels]),
        "slope": np.array([fits[label]["slope"] for label in labels]),
        "intercept": np.array([fits[label]["intercept"] for label in labels]),
    }


def _numbers(values) -> list[float]:
    return [round(float(v), 6) for v in np.ravel(values)]


def member_document(member: dict) -> dict:
    if "codes" in member:
        return neighbours_document(member)
    weights = np.asarray(member["weights"], dtype=np.float32)
    document = {"model": "logistic regression", "C": member.get("C")}
    if "hidden_weights" in member:
        hidden = np.asarray(member["hidden_weights"], dtype=np.float32)
        document = {
            "model": "relu network",
            "alpha": fitting.HIDDEN_ALPHA,
            "hidden": {
                "inputs": int(hidden.shape[1]),
                "weights": encode_array(hidden),
                "bias": _numbers(member["hidden_bias"]),
            },
        }
    else:
        document["ngrams"] = NGRAMS.to_dict()
    document.update(
        dims=int(weights.shape[1]),
        weights_dtype=WEIGHTS_DTYPE,
        weights=encode_array(weights),
        bias=_numbers(member["bias"]),
    )
    if "slope" in member:
        document.update(slope=_numbers(member["slope"]), intercept=_numbers(member["intercept"]))
    return document


def neighbours_document(member: dict) -> dict:
    codes = np.asarray(member["codes"], dtype=np.int8)
    return {
        "model": "nearest neighbours",
        "k": fitting.NEIGHBOURS,
        "temperature": fitting.NEIGHBOUR_TEMPERATURE,
        "lines": int(codes.shape[0]),
        "dims": int(codes.shape[1]),
        "inputs": int(member["projection"].shape[1]),
        "weights_dtype": WEIGHTS_DTYPE,
        "mean": encode_array(member["mean"]),
        "projection": encode_array(member["projection"]),
        "memory": base64.b64encode(codes.tobytes()).decode("ascii"),
        "labels": base64.b64encode(pack_labels(member["labels"]).tobytes()).decode("ascii"),
    }


def head_document(name: str, fit: dict, *, encoder: str, rows: list[dict], seed: int) -> str:
    document = {
        "name": name,
        "kind": fit["kind"],
        "classes": fit["classes"],
        "encoder": encoder,
        "seed": seed,
        "trained_on": dict(sorted(Counter(r["lang"] for r in rows).items())),
        "members": [member_document(member) for member in fit["members"]],
    }
    if "any_label" in fit:
        pooled = fit["any_label"]
        document["any_label"] = {
            "label": pooled["label"],
            "slope": round(float(pooled["slope"]), 6),
            "intercept": round(float(pooled["intercept"]), 6),
        }
    if "thresholds" in fit:
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
    texts = [without_repeats(row["text"]) for row in rows]  # as coaching.text.scorers reads
    vectors = embed(encoder, texts, cache=cache).astype(np.float64)
    x = head_features(vectors, texts, NGRAMS)
    operator = [i for i, row in enumerate(rows) if row.get("speaker") == "operator"]
    abuse = {label: np.array([int(_has(row, label)) for row in rows]) for label in ABUSE_LABELS}
    courtesy = {
        label: np.array([int(label in rows[i].get("courtesy", [])) for i in operator])
        for label in COURTESY_LABELS
    }
    fits = {
        "sentiment": (fit_sentiment(x, vectors, [r["sentiment"] for r in rows], seed), rows),
        "abuse": (fit_abuse(x, vectors, abuse, seed), rows),
        "courtesy": (fit_courtesy(x[operator], courtesy, seed), [rows[i] for i in operator]),
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
