"""Analysing a list of files from the command line: progress, reports, summaries.

Each call is analysed on its own: a bad file, or a report that cannot be written,
is reported by name with the reason and the others go on. A report is written to
a temporary file and renamed into place, so a half-written JSON never appears.
Reports are named after the recording (``call.wav`` -> ``call.json``); inputs that
share a name (``a/call.wav``, ``b/call.wav``) get their folder's name in front
(``a_call.json``, ``b_call.json``), or a short hash of their path if that clashes too.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from coaching.errors import CoachingError, OutputError
from coaching.options import AnalysisOptions
from coaching.progress import ProgressBar, progress_bar
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
    """Analyse each file into ``out_dir/<name>.json`` (and ``<name>.redacted.wav`` if asked);
    ``<name>`` is the file's stem, made distinct by :func:`report_names`."""
    from coaching.registry import models_for

    models = models_for(options)
    profile = load_profile(operator_profile) if operator_profile else None
    names = report_names(paths)
    results = []
    with progress_bar(total=len(paths), disable=not echo) as bar:
        for path in paths:
            bar.set_description(path.name, refresh=False)  # the step lines name it
            try:
                report_path = _analyze_one(
                    path,
                    models,
                    options,
                    out_dir / names[path],
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


def report_names(paths: Sequence[Path]) -> dict[Path, str]:
    """A distinct report name (no suffix) for every input path.

    The stem where it is unique (case ignored, for case-blind file systems);
    ``<folder>_<stem>`` where stems clash; ``<stem>-<hash of the path>`` where
    even that clashes. The same file named twice keeps one name.
    """
    files = {path: path.resolve() for path in paths}
    distinct = set(files.values())
    stems = Counter(file.stem.casefold() for file in distinct)
    names = {
        file: file.stem if stems[file.stem.casefold()] == 1 else f"{file.parent.name}_{file.stem}"
        for file in distinct
    }
    clashes = Counter(name.casefold() for name in names.values())
    for file, name in names.items():
        if clashes[name.casefold()] > 1:
            names[file] = f"{file.stem}-{hashlib.sha1(str(file).encode()).hexdigest()[:8]}"
    return {path: names[file] for path, file in files.items()}


def _analyze_one(path, models, options, target, hook, *, profile, echo, redacted_audio) -> Path:
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
    report_path = _writing(target.with_name(f"{target.name}.json"), write_report, report)
    lines = [format_summary(report, omit_warnings=models.notices), f"  report: {report_path}"]
    if redacted_audio:
        bleeped = _writing(
            target.with_name(f"{target.name}.redacted.wav"), write_redacted_audio, audio, report
        )
        lines.append(f"  audio with numbers bleeped: {bleeped}")
    if echo:
        tqdm.write("\n".join(lines) + "\n")
    return report_path


def _writing(target: Path, write, *data) -> Path:
    """``write(*data, target)``, with a file-system failure turned into an :class:`OutputError`."""
    import soundfile

    try:
        return write(*data, target)
    except (OSError, soundfile.SoundFileError) as error:
        reason = getattr(error, "strerror", None) or error
        raise OutputError(
            f"{target}: cannot write ({reason}); the call was analysed but "
            "its output was not saved: free that name or pass another --out folder"
        ) from None


def _step_hook(bar: ProgressBar):
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
