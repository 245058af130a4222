"""Analysing a list of files from the command line: progress, reports, summaries.

Each call is analysed on its own: a bad file is reported by name with the
reason and the others go on. A report is written to a temporary file and
renamed into place, so a half-written JSON never appears.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from coaching.errors import CoachingError
from coaching.options import AnalysisOptions
from coaching.types import CallReport


@dataclass(frozen=True)
class CallResult:
    path: Path
    report_path: Path | None = None
    error: str | None = None


def analyze_paths(
    paths: Sequence[Path],
    *,
    out_dir: Path,
    options: AnalysisOptions,
    operator_profile: Path | None = None,
    echo: bool = True,
    redacted_audio: bool = False,
) -> list[CallResult]:
    """Analyse each file into ``out_dir/<stem>.json`` (and ``<stem>.redacted.wav`` if asked)."""
    from coaching.registry import models_for

    models = models_for(options)
    profile = load_profile(operator_profile) if operator_profile else None
    results = []
    with tqdm(total=len(paths), unit="call", disable=not echo, dynamic_ncols=True) as bar:
        for path in paths:
            bar.set_description(path.name)
            try:
                report_path = _analyze_one(
                    path,
                    models,
                    options,
                    out_dir,
                    _step_hook(bar),
                    profile=profile,
                    echo=echo,
                    redacted_audio=redacted_audio,
                )
                results.append(CallResult(path, report_path=report_path))
            except CoachingError as exc:
                results.append(CallResult(path, error=str(exc)))
                tqdm.write(f"FAILED {exc}")
            bar.update(1)
    return results


def _analyze_one(path, models, options, out_dir, hook, *, profile, echo, redacted_audio) -> Path:
    from coaching.audio.decode import load_audio
    from coaching.audio.export import write_redacted_audio
    from coaching.pipeline import analyze_call
    from coaching.report.summary import format_summary

    # Decoded here only when the bleeped copy needs the samples too; otherwise the
    # pipeline decodes (and times) it as its first step.
    audio = load_audio(path) if redacted_audio else None
    report = analyze_call(
        audio or path, models=models, options=options, progress=hook, operator_profile=profile
    )
    target = write_report(report, out_dir / f"{path.stem}.json")
    lines = [format_summary(report, omit_warnings=models.notices), f"  report: {target}"]
    if redacted_audio:
        bleeped = write_redacted_audio(audio, report, out_dir / f"{path.stem}.redacted.wav")
        lines.append(f"  audio with numbers bleeped: {bleeped}")
    if echo:
        tqdm.write("\n".join(lines) + "\n")
    return target


def _step_hook(bar: tqdm):
    def hook(step: str, done: int, total: int) -> None:
        bar.set_postfix_str(f"{step} ({done}/{total})", refresh=True)

    return hook


def write_report(report: CallReport, target: Path) -> Path:
    """Write the report JSON atomically (temporary file, then rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=".json", dir=target.parent
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(report.to_dict(), out, ensure_ascii=False, indent=1)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def load_profile(path: Path) -> np.ndarray:
    """An operator voice profile: a ``.npy`` embedding or a recording of the operator alone."""
    from coaching.speakers.profile import load_operator_profile

    return load_operator_profile(path)
