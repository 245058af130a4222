"""Redaction cost on a long call: seconds to redact, then to find the spans to bleep.

    python bench/bench_redact.py [--utterances 2000] [--seed 0]

Builds a transcript of short turns full of number words, card and expiry talk (far
denser in numbers than a real call: a worst case) and times
:func:`coaching.text.redact.redact_utterances` and :func:`redacted_spans` on it.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coaching.text.redact import redact_utterances, redacted_spans  # noqa: E402
from coaching.types import Utterance, Word  # noqa: E402

SAID = """I would like to pay my bill the card number is four five three nine forty five
okay thanks and the expiry date um yes sure I called three times at nine thirty
code 4539 сорок пять ноль bốn năm linh 四五三九"""
VOCABULARY = SAID.split()


def transcript(count: int, seed: int) -> list[Utterance]:
    rng = random.Random(seed)
    utterances, cursor = [], 0.0
    for index in range(count):
        texts = [rng.choice(VOCABULARY) for _ in range(rng.randint(3, 25))]
        words = tuple(
            Word(cursor + i * 0.3, cursor + i * 0.3 + 0.25, w) for i, w in enumerate(texts)
        )
        speaker = "caller" if index % 2 else "operator"
        utterances.append(Utterance(speaker, cursor, words[-1].end, " ".join(texts), words))
        cursor = words[-1].end + 0.5
    return utterances


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--utterances", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    utterances = transcript(args.utterances, args.seed)
    minutes = utterances[-1].end / 60
    started = time.perf_counter()
    redacted = redact_utterances(utterances, language="en")
    redacting = time.perf_counter() - started
    started = time.perf_counter()
    spans = redacted_spans(redacted)
    spanning = time.perf_counter() - started
    print(f"{len(utterances)} utterances ({minutes:.0f} min of talk), {len(spans)} spans")
    print(f"redact_utterances {redacting:.2f} s · redacted_spans {spanning:.2f} s")


if __name__ == "__main__":
    main()
