"""``coaching text``: sentiment, abuse and redaction for lines of text, one utterance a line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import click

from coaching.errors import ConfigError
from coaching.store.names import bounded
from coaching.text.language import LANGUAGES

TEXT_WIDTH = 60


@click.command(
    "text",
    short_help="score lines of text (chat, SMS, transcripts): sentiment, abuse, redaction",
    help="Score each line of FILE (default: - for standard input) as one utterance, with "
    "the same sentiment, abuse and redaction steps as a call analysis.",
)
@click.argument("file", default="-", metavar="[FILE|-]")
@click.option("--language", type=click.Choice(LANGUAGES), help="default: detected per line")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table")
@click.option(
    "--speaker",
    type=click.Choice(("caller", "operator")),
    default="caller",
    help="whose lines these are (operators get only profanity and insult flags)",
)
@click.option(
    "--chinese-script", type=click.Choice(("simplified", "traditional")), default="simplified"
)
@click.option("--sentiment-model", help="transformers sentiment model instead of the head")
@click.option("--toxicity-model", help="transformers toxicity model added to the head")
@click.option("--device", default="auto", type=click.Choice(("auto", "cpu", "cuda")))
@click.option("--no-redact", is_flag=True, help="keep card and phone numbers")
def text(**params) -> int:
    return run_text(SimpleNamespace(**params))


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


LINES_PER_BLOCK = 256  # a long file is scored a block at a time: bounded memory, steady output


def run_text(args: SimpleNamespace) -> int:
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
    lines = _read_lines(args.file)
    sentiment = sentiment or builtin_sentiment()
    abuse_head = text.abuse if text else None
    for start in range(0, len(lines), LINES_PER_BLOCK):  # rows appear as they are scored
        results = analyze_lines(
            lines[start : start + LINES_PER_BLOCK],
            sentiment=sentiment,
            abuse_head=abuse_head,
            toxicity=toxicity,
            language=args.language,
            speaker=args.speaker,
            options=options,
        )
        for result in results:
            if args.as_json:
                print(json.dumps(_json_row(result), ensure_ascii=False), flush=True)
            else:
                print(_table_row(result), flush=True)
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
    text = bounded(result.redacted_text, TEXT_WIDTH)  # no control characters on a terminal
    sentiment = f"{result.sentiment.label:<8} {result.sentiment.score:+.2f}"
    return f"{result.language:<3} {sentiment}  {abuse or '-':<34} {text}"
