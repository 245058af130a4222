"""Storing report files written by ``coaching analyze`` (``coaching import``).

Each file is checked to be a call report before anything is stored, and is
filed through :func:`coaching.store.ingest.store_report`, so the identity rule
is the same as for batch runs and the app: a report already stored is not
stored twice. The recording may lie beside the report (same file name as the
report's ``source``); then its hash must match and it becomes the call's audio.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from coaching.errors import CoachingError, StoreError
from coaching.serial import Serializable
from coaching.store.db import Store
from coaching.store.ingest import store_report
from coaching.transcript.model_files import file_sha256
from coaching.types import SCHEMA, CallReport

SHA256 = re.compile(r"[0-9a-f]{64}")


class ReportFileError(CoachingError):
    """A file given to ``coaching import`` is not a call report."""


@dataclass(frozen=True)
class ImportedReport(Serializable):
    """What happened to one report file: stored (with the call id) or why not."""

    path: Path
    call_id: int | None = None
    already_stored: bool = False
    error: str | None = None

    @property
    def message(self) -> str:
        if self.error:
            return f"{self.path}: {self.error}"
        if self.already_stored:
            return f"{self.path}: already stored as call #{self.call_id}"
        return f"{self.path}: stored as call #{self.call_id}"


def read_call_report(path: Path) -> CallReport:
    """The :class:`CallReport` in ``path``; :class:`ReportFileError` says why it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReportFileError(f"cannot read it ({error.strerror or error})") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportFileError(f"not a JSON file ({error})") from error
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema != SCHEMA:
        raise ReportFileError(
            f"not a call report (schema {schema!r}, expected {SCHEMA!r}); "
            "give the JSON files `coaching analyze` writes"
        )
    try:
        report = CallReport.from_dict(data)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise ReportFileError(
            f"an incomplete call report ({error}); analyse the call again"
        ) from error
    if not SHA256.fullmatch(str(report.audio_sha256)):
        raise ReportFileError("the report has no audio hash; analyse the call again")
    return report


def import_report_file(
    store: Store, path: Path, *, operator: str, call_time: datetime | None = None
) -> ImportedReport:
    """Store one report file; every problem becomes the outcome's error, nothing half-stored.

    ``call_time`` defaults to the recording's modification time (beside the
    report), else the report file's.
    """
    try:
        report = read_call_report(path)
        audio = _audio_beside(path, report)
        when = call_time or _modified(audio or path)
        with store.session() as session:
            done = store_report(
                session,
                report,
                audio_ref=str(audio.resolve()) if audio else report.source,
                operator=operator,
                call_time=when,
            )
    except (CoachingError, OSError) as error:
        return ImportedReport(path, error=str(error))
    return ImportedReport(path, call_id=done.call_id, already_stored=done.already_stored)


def _audio_beside(path: Path, report: CallReport) -> Path | None:
    """The analysed recording beside the report, if it is there; a different one is an error."""
    audio = path.parent / Path(report.source).name
    if not report.source or not audio.is_file() or audio.resolve() == path.resolve():
        return None
    if file_sha256(audio) != report.audio_sha256:
        raise StoreError(
            f"{audio.name} beside the report is not the recording it was made from "
            "(its SHA-256 differs); move it away or analyse it again"
        )
    return audio


def _modified(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
