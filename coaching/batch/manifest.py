"""What a batch analyses: every audio file of a folder, or the rows of a CSV manifest.

A manifest is a CSV file with the columns ``path``, ``operator`` and ``call_time``
and, optionally, ``channel_map`` (``left`` or ``right``: the operator's side of a
stereo recording) and ``language``. Relative paths resolve against the folder the
manifest lies in. A folder scan finds audio files by extension; their operator is
the one given on the command line and their call time the file's modification time.
Nothing is opened here: the run refuses what is not a regular file, by name.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from coaching.errors import ConfigError
from coaching.options import AnalysisOptions
from coaching.serial import Serializable

AUDIO_EXTENSIONS = frozenset(
    {".wav", ".mp3", ".flac", ".ogg", ".opus", ".oga", ".m4a", ".mp4", ".aac", ".wma", ".webm"}
)
REQUIRED_COLUMNS = ("path", "operator", "call_time")
OPTIONAL_COLUMNS = ("channel_map", "language")
CHANNEL_SIDES = {"left": 0, "right": 1}
DEFAULT_OPERATOR = "unassigned"


@dataclass(frozen=True)
class CallJob(Serializable):
    """One call to analyse, with what the store needs to file it."""

    path: Path
    operator: str
    call_time: datetime
    channel_map: Literal["left", "right"] | None = None  # the operator's side; None: default
    language: str | None = None  # None: detect
    origin: str = ""  # where the job came from, for messages ("calls.csv row 4")

    def options_for(self, base: AnalysisOptions) -> AnalysisOptions:
        """``base`` with this call's channel map and language applied."""
        channel = CHANNEL_SIDES[self.channel_map] if self.channel_map else None
        return base.with_overrides(operator_channel=channel, language=self.language)


def read_source(source: Path, *, operator: str = DEFAULT_OPERATOR) -> tuple[CallJob, ...]:
    """The calls of ``source``: a folder (scanned recursively) or a ``.csv`` manifest."""
    if source.is_dir():
        return scan_folder(source, operator=operator)
    if source.is_file() and source.suffix.lower() == ".csv":
        return read_manifest(source)
    if source.is_file():
        raise ConfigError(
            f"{source} is neither a folder nor a .csv manifest; pass a folder of recordings "
            "or a CSV with the columns path, operator, call_time"
        )
    raise ConfigError(f"{source} does not exist; pass a folder of recordings or a CSV manifest")


def scan_folder(folder: Path, *, operator: str = DEFAULT_OPERATOR) -> tuple[CallJob, ...]:
    """Every entry under ``folder`` named like audio (by extension, hidden ones left out), sorted.

    Entries that are not recordings though named like one (a broken symbolic link, a
    FIFO, a folder ``x.wav/``) are kept as jobs, so the run reports each as a failed
    call instead of passing over it in silence; a folder's own contents are scanned too.
    """
    paths = sorted(
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in AUDIO_EXTENSIONS
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )
    return tuple(
        CallJob(
            path=path.resolve() if path.is_file() else path.absolute(),
            operator=operator,
            call_time=_modified(path),
            origin=str(path.relative_to(folder)),
        )
        for path in paths
    )


def _modified(path: Path) -> datetime:
    """The file's modification time; for a broken link, the link's own."""
    try:
        info = path.stat()
    except OSError:
        info = path.lstat()
    return datetime.fromtimestamp(info.st_mtime, tz=timezone.utc)


def read_manifest(manifest: Path) -> tuple[CallJob, ...]:
    """The rows of a CSV manifest as jobs; a bad row raises :class:`ConfigError` naming it."""
    try:
        with open(manifest, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = _check_header(manifest, reader.fieldnames)
            rows = [
                {column: (row.get(name) or "").strip() for column, name in columns.items()}
                for row in reader
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ConfigError(f"cannot read the manifest {manifest}: {error}") from error
    # Line 1 is the header, so the first data row is line 2, as a spreadsheet shows it.
    return tuple(_job(manifest, line, row) for line, row in enumerate(rows, start=2))


def _check_header(manifest: Path, fieldnames) -> dict[str, str]:
    """Map canonical column names to the header's own spelling (case and spaces ignored)."""
    found = {name.strip().lower(): name for name in fieldnames or () if name}
    missing = [column for column in REQUIRED_COLUMNS if column not in found]
    if missing:
        raise ConfigError(
            f"manifest {manifest}: missing column(s) {', '.join(missing)}; the header must "
            f"name {', '.join(REQUIRED_COLUMNS)} (optional: {', '.join(OPTIONAL_COLUMNS)})"
        )
    return {c: found[c] for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in found}


def _job(manifest: Path, line: int, row: dict[str, str]) -> CallJob:
    where = f"manifest {manifest.name}, row {line}"

    def bad(column: str, problem: str) -> ConfigError:
        return ConfigError(f"{where}, column {column}: {problem}")

    if not row["path"]:
        raise bad("path", "empty; give the recording's path (relative to the manifest)")
    if not row["operator"]:
        raise bad("operator", "empty; give the name of the operator who took the call")
    side = row.get("channel_map", "").lower() or None
    if side is not None and side not in CHANNEL_SIDES:
        raise bad("channel_map", f"{row['channel_map']!r}; use left or right (the operator's side)")
    path = Path(row["path"]).expanduser()
    return CallJob(
        path=(path if path.is_absolute() else manifest.parent / path).resolve(),
        operator=row["operator"],
        call_time=_parse_time(row["call_time"], bad),
        channel_map=side,
        language=row.get("language", "").lower() or None,
        origin=f"{manifest.name} row {line}",
    )


def _parse_time(value: str, bad) -> datetime:
    if not value:
        raise bad("call_time", "empty; give when the call took place, e.g. 2024-05-01T09:30:00Z")
    try:
        # Python 3.10's fromisoformat does not read a trailing "Z".
        parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        raise bad(
            "call_time",
            f"{value!r} is not an ISO 8601 time; write e.g. 2024-05-01T09:30:00Z or "
            "2024-05-01 09:30 (no zone: UTC)",
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
