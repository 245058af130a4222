"""``coaching text``: sentiment, abuse and redaction for lines of text, one utterance a line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coaching.errors import ConfigError
from coaching.text.language import LANGUAGES

TEXT_WIDTH = 60


def register(commands) -> None:
    parser = commands.add_parser(
        "text",
        help="score lines of text (chat, SMS, transcripts): sentiment, abuse, redaction",
        description="Score each line of FILE (or standard input) as one utterance, with the "
        "same sentiment, abuse and redaction steps as a call analysis.",
    )
    parser.add_argument("file", nargs="?", default="-", metavar="FILE", help="default: - (stdin)")
    parser.add_argument("--language", choices=LANGUAGES, help="default: detected per line")
    parser.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    parser.add_argument(
        "--speaker",
        choices=("caller", "operator"),
        default="caller",
        help="whose lines these are (operators get only profanity and insult flags)",
    )
    parser.add_argument(
        "--chinese-script", choices=("simplified", "traditional"), default="simplified"
    )
    parser.add_argument(
        "--sentiment-model", help="transformers sentiment model instead of the head"
    )
    parser.add_argument("--toxicity-model", help="transformers toxicity model added to the head")
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--no-redact", action="store_true", help="keep card and phone numbers")
    parser.set_defaults(handler=_text)


def _read_lines(name: str) -> list[str]:
    if name == "-":
        text = sys.stdin.read()
    else:
        path = Path(name)
        if not path.is_file():
            raise ConfigError(f"no such file: {path}; give a text file or - for standard input")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path} is not UTF-8 text; convert it to UTF-8 first") from exc
    return [line.strip() for line in text.splitlines() if line.strip()]


def _text(args: argparse.Namespace) -> int:
    from coaching.device import resolve_device
    from coaching.options import AnalysisOptions
    from coaching.registry import text_scorers
    from coaching.text.lexicon_sentiment import builtin_sentiment
    from coaching.text.lines import analyze_lines

    options = AnalysisOptions().with_overrides(
        chinese_script=args.chinese_script, redact=not args.no_redact
    )
    sentiment, toxicity, text, notices = text_scorers(
        resolve_device(args.device), args.sentiment_model, args.toxicity_model
    )
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)
    results = analyze_lines(
        _read_lines(args.file),
        sentiment=sentiment or builtin_sentiment(),
        abuse_head=text.abuse if text else None,
        toxicity=toxicity,
        language=args.language,
        speaker=args.speaker,
        options=options,
    )
    for result in results:
        if args.json:
            print(json.dumps(_json_row(result), ensure_ascii=False))
        else:
            print(_table_row(result))
    return 0


def _json_row(result) -> dict:
    row = result.to_dict()
    for flag in row["abuse"]:
        flag["evidence"] = {k: v for k, v in flag["evidence"].items() if v not in (None, [], ())}
    return row


def _table_row(result) -> str:
    abuse = ", ".join(
        f"{a.category} {a.probability:.2f} ({'+'.join(a.evidence.sources)})" for a in result.abuse
    )
    text = result.redacted_text
    text = text if len(text) <= TEXT_WIDTH else text[: TEXT_WIDTH - 1] + "…"
    sentiment = f"{result.sentiment.label:<8} {result.sentiment.score:+.2f}"
    return f"{result.language:<3} {sentiment}  {abuse or '-':<34} {text}"
