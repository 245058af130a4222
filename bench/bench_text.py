"""Sentiment and abuse on the held-out split, per language; speed, memory; generated calls.

    python bench/bench_text.py [--data training/text] [--end-to-end] [--model base]

Per language on the ``split == "heldout"`` rows of training/text/*.jsonl (never
used in training): sentiment accuracy and macro-F1; abuse recall (abusive rows
with any flag), right-category recall (labelled categories flagged, per label;
"of flagged": the same over the flagged rows' labels alone, what a reader of the
flags sees),
false flags (non-abusive rows with any flag, complaints and hard negatives
included). Each row is scored by :func:`coaching.text.lines.analyze_lines`, the
pipeline's own steps. Then the cost of sentiment + abuse for a call of 70
utterances (first-time texts, so nothing comes from the encoder's cache) and the
resident memory the encoder adds. ``--end-to-end`` also runs bench_abuse's check
over the generated calls (ASR included; minutes).

Then, when ``../shared/realcalls`` is there, the reference transcripts of real
recordings (none of them abusive; no sentiment labels): per file, the lines,
how many get an abuse flag and the sentiment labels given, a check on data
this project did not write.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coaching.abuse import detect_abuse  # noqa: E402
from coaching.registry import available_cores  # noqa: E402
from coaching.text.language import LANGUAGES  # noqa: E402
from coaching.text.sentiment import classify_sentiment  # noqa: E402
from coaching.types import Utterance  # noqa: E402

SENTIMENTS = ("negative", "neutral", "positive")
CALL_UTTERANCES = 70
REALCALLS = ROOT.parent / "shared" / "realcalls"


def heldout(data: Path) -> dict[str, list[dict]]:
    rows = defaultdict(list)
    for path in sorted(data.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("split") == "heldout":
                    rows[row["lang"]].append(row)
    return rows


def macro_f1(truth: list[str], guess: list[str]) -> float:
    scores = []
    for label in SENTIMENTS:
        hits = sum(t == g == label for t, g in zip(truth, guess, strict=True))
        told = sum(g == label for g in guess) + sum(t == label for t in truth)
        if any(t == label for t in truth):
            scores.append(2 * hits / told if told else 0.0)
    return sum(scores) / len(scores) if scores else float("nan")


def evaluate(language: str, rows: list[dict], text) -> dict:
    from coaching.text.lines import analyze_lines

    results = []
    for speaker in ("caller", "operator"):
        mine = [r for r in rows if r.get("speaker", "caller") == speaker]
        scored = analyze_lines(
            [r["text"] for r in mine],
            sentiment=text.sentiment,
            abuse_head=text.abuse,
            language=language,
            speaker=speaker,
        )
        results += list(zip(mine, scored, strict=True))
    truth = [r["sentiment"] for r, _ in results]
    guess = [s.sentiment.label for _, s in results]
    abusive = [(r, s) for r, s in results if r.get("abuse")]
    calm = [(r, s) for r, s in results if not r.get("abuse")]
    pairs = [(label, s) for r, s in abusive for label in r["abuse"]]
    return {
        "rows": len(results),
        "accuracy": sum(t == g for t, g in zip(truth, guess, strict=True)) / len(results),
        "macro_f1": macro_f1(truth, guess),
        "abusive": len(abusive),
        "flagged": sum(bool(s.abuse) for _, s in abusive),
        "pairs": len(pairs),
        "right": sum(any(a.category == label for a in s.abuse) for label, s in pairs),
        "flagged_pairs": sum(bool(s.abuse) for _, s in pairs),
        "calm": len(calm),
        "false": sum(bool(s.abuse) for _, s in calm),
        "missed": [r["text"] for r, s in abusive if not s.abuse][:3],
        "false_texts": [r["text"] for r, s in calm if s.abuse][:3],
    }


def real_transcripts(folder: Path) -> dict[str, list[str]]:
    """The reference transcripts of the real recordings, one utterance a line."""
    found = {}
    for path in sorted(folder.glob("*.diarized.json")):
        phrases = json.loads(path.read_text(encoding="utf-8")).get("phrases", [])
        found[path.name] = [p["text"] for p in phrases if p.get("text", "").strip()]
    for path in sorted(folder.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        found[path.name] = [line.split("\t")[-1].strip() for line in lines if line.strip()]
    return found


def print_real_transcripts(text) -> None:
    from coaching.text.language import detect_language
    from coaching.text.lines import analyze_lines

    print("\nreal transcripts (none abusive):  lines  flagged  negative/neutral/positive")
    for name, lines in real_transcripts(REALCALLS).items():
        language = detect_language(" ".join(lines))
        results = analyze_lines(
            lines, sentiment=text.sentiment, abuse_head=text.abuse, language=language
        )
        labels = [r.sentiment.label for r in results]
        shares = "/".join(str(labels.count(label)) for label in SENTIMENTS)
        flagged = sum(bool(r.abuse) for r in results)
        print(f"  {name:<42}{len(lines):>5}{flagged:>9}  {shares}")


def call_cost(rows: list[dict]) -> tuple[float, float, int]:
    """Wall and CPU seconds for sentiment + abuse over a fresh process's first
    70-utterance call (CPU seconds over the cores used estimate an unshared machine)."""
    texts = [r["text"] for r in rows][:CALL_UTTERANCES]
    code = (
        "import json,sys,time\n"
        "from coaching.registry import text_models\n"
        "from bench.bench_text import score_call\n"
        "text = text_models()\n"
        "text.encoder.embed(['warm up'])\n"
        "texts = json.loads(sys.stdin.read())\n"
        "t, c = time.perf_counter(), time.process_time(); score_call(texts, text)\n"
        "print(time.perf_counter() - t, time.process_time() - c)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    wall, cpu = (float(v) for v in out.stdout.strip().splitlines()[-1].split())
    return wall, cpu, len(texts)


def score_call(texts: list[str], text) -> None:
    utterances = [
        Utterance("caller" if i % 2 else "operator", i * 4.0, i * 4.0 + 3.0, t)
        for i, t in enumerate(texts)
    ]
    utterances = classify_sentiment(utterances, classifier=text.sentiment)
    detect_abuse(utterances, language="en", abuse_head=text.abuse)


def encoder_memory_mb() -> float:
    """Resident memory a fresh process gains by loading the encoder and embedding a call."""
    code = (
        "import re\n"
        "def rss():\n"
        "    return int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read())[1])\n"
        "import numpy, coaching.types\n"
        "before = rss()\n"
        "from coaching.registry import text_models\n"
        "texts = [f'caller sentence number {i}, about a bill and a meter' for i in range(70)]\n"
        "text_models().encoder.embed(texts)\n"
        "print((rss() - before) / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "training" / "text")
    parser.add_argument("--end-to-end", action="store_true", help="also the generated calls")
    parser.add_argument("--model", default="base", help="Whisper for --end-to-end")
    args = parser.parse_args()
    from coaching.registry import text_models

    text = text_models()
    rows = heldout(args.data)
    print(
        f"{'lang':<5}{'rows':>5}{'sent acc':>9}{'macro-F1':>9}{'abuse rec':>10}"
        f"{'right cat':>10}{'of flagged':>11}{'false':>9}"
    )
    for language in LANGUAGES:
        if not rows.get(language):
            print(f"{language:<5}  no held-out rows")
            continue
        r = evaluate(language, rows[language], text)
        print(
            f"{language:<5}{r['rows']:>5}{r['accuracy']:>9.3f}{r['macro_f1']:>9.3f}"
            f"{r['flagged']:>5}/{r['abusive']:<4}{r['right'] / max(1, r['pairs']):>10.3f}"
            f"{r['right'] / max(1, r['flagged_pairs']):>11.3f}"
            f"{r['false']:>4}/{r['calm']:<4}"
        )
        for missed in r["missed"]:
            print(f"      missed: {missed}")
        for false in r["false_texts"]:
            print(f"      false:  {false}")
    every = [row for language in LANGUAGES for row in rows.get(language, [])]
    if every:
        seconds, cpu, count = call_cost(every[::-1])
        cores = available_cores()
        print(
            f"\nsentiment + abuse, one call of {count} utterances (fresh texts): {seconds:.2f} s "
            f"wall ({count / seconds:.0f} utterances/s), {cpu:.2f} s CPU on {cores} cores "
            f"(unshared: about {cpu / cores:.2f} s, {count * cores / cpu:.0f} utterances/s)"
        )
    print(
        f"encoder memory (RSS added by loading it and embedding a call): "
        f"{encoder_memory_mb():.0f} MB"
    )
    if REALCALLS.is_dir():
        print_real_transcripts(text)
    if args.end_to_end:
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "bench_abuse.py"), "--model", args.model],
            check=False,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
