"""Command-line options shared by every command that runs an analysis."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any, TypeVar

import click

from coaching.options import AnalysisOptions

F = TypeVar("F", bound=Callable[..., Any])

ANALYSIS_OPTIONS = (
    click.option(
        "--model",
        default="base",
        help="Whisper size (tiny, small, large-v3...), hub id or local CTranslate2 "
        "directory; default: the embedded multilingual base",
    ),
    click.option("--device", default="auto", type=click.Choice(("auto", "cpu", "cuda"))),
    click.option(
        "--compute-type",
        default="auto",
        help="CTranslate2 compute type (auto: float16 on GPU, int8 on CPU)",
    ),
    click.option("--language", help="force the call language (en, vi, ru, zh...)"),
    click.option(
        "--channel-map",
        type=click.Choice(["auto", "left", "right"]),
        default="auto",
        show_default=True,
        help="stereo calls: the operator's channel; auto takes the left unless the words "
        "clearly say the channels are swapped, and says so",
    ),
    click.option(
        "--swap-channels",
        is_flag=True,
        help="stereo calls: the operator is on the right channel (same as --channel-map right)",
    ),
    click.option(
        "--sentiment-model",
        help="transformers sentiment model: hub id or local directory ('builtin' = lexicon)",
    ),
    click.option(
        "--toxicity-model",
        help="transformers toxicity model: hub id or local directory ('none' = off)",
    ),
    click.option("--no-redact", is_flag=True, help="keep card and phone numbers in the transcript"),
)


def analysis_options(command: F) -> F:
    """Decorator: add the analysis options; the command gets them as keyword arguments
    (``model``, ``device``, ``compute_type``...) for :func:`options_from`."""
    for option in reversed(ANALYSIS_OPTIONS):
        command = option(command)
    return command


def options_from(values: Mapping[str, Any]) -> AnalysisOptions:
    """The :class:`AnalysisOptions` the analysis options' values ask for."""
    return AnalysisOptions().with_overrides(
        model=values["model"],
        device=values["device"],
        compute_type=values["compute_type"],
        language=values["language"],
        operator_channel=_operator_channel(values),
        redact=not values["no_redact"],
        sentiment_model=values["sentiment_model"],
        toxicity_model=values["toxicity_model"],
    )


def _operator_channel(values: Mapping[str, Any]) -> int | None:
    if values.get("swap_channels"):
        return 1
    return {"left": 0, "right": 1}.get(values.get("channel_map") or "auto")


def options_from_args(args: SimpleNamespace) -> AnalysisOptions:
    """:func:`options_from` for a handler that reads its parameters as ``args.name``."""
    return options_from(vars(args))
