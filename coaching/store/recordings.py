"""Recordings on disk: managed copies, allowed import folders, and checked reads.

The app keeps a copy of every recording it analyses under the managed audio
folder (``$COACHING_DATA_DIR/audio``), named by the SHA-256 of its bytes, and
stores that path. Before any recording is served its bytes are hashed and must
equal the hash of the audio that was analysed, so a file replaced (or a
symlink swapped in) after the analysis is never played. A path that goes
through a symlink is followed only when it ends inside an allowed root (the
managed folder or an import folder). The "folder on the server" option reads
only the import folders an admin allowed (default: ``$COACHING_DATA_DIR/import``).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.errors import CoachingError, StoreError
from coaching.store.db import data_dir, managed_audio_dir
from coaching.store.schema import ImportFolder

AUDIO_SUFFIXES = (".wav", ".mp3", ".flac", ".ogg", ".opus", ".m4a", ".aac", ".webm")
IMPORT_DIR = "import"


class AudioUnavailable(CoachingError):
    """The recording is missing, or is not the audio that was analysed."""


def default_import_dir() -> Path:
    """The import folder every store allows: ``$COACHING_DATA_DIR/import``."""
    return data_dir() / IMPORT_DIR


def import_roots(session: Session) -> list[Path]:
    """The folders "folder on the server" may read: the default one and those an admin added."""
    added = [Path(p) for p in session.scalars(select(ImportFolder.path).order_by(ImportFolder.id))]
    return [default_import_dir().resolve(), *added]


def allowed_roots(session: Session) -> list[Path]:
    """Where a recording may live when its path goes through a symlink."""
    return [managed_audio_dir().resolve(), *import_roots(session)]


def _inside(path: Path, roots: Iterable[Path]) -> bool:
    return any(path.is_relative_to(root) for root in roots)


def safe_path(path: Path, roots: Iterable[Path]) -> Path | None:
    """``path`` resolved, if it is a regular file and any symlink on the way stays
    inside ``roots``; None otherwise (FIFOs, devices and folders are never read)."""
    absolute = Path(os.path.abspath(path))
    resolved = Path(os.path.realpath(absolute))
    if resolved != absolute and not _inside(resolved, roots):
        return None
    try:
        mode = os.stat(resolved).st_mode
    except OSError:
        return None
    return resolved if stat.S_ISREG(mode) else None


def managed_copies(audio_sha256: str, *, audio_dir: Path | None = None) -> list[Path]:
    """The managed copies of the audio with this hash (any suffix)."""
    folder = audio_dir or managed_audio_dir()
    if not re.fullmatch(r"[0-9a-f]{64}", audio_sha256 or "") or not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{audio_sha256[:32]}*") if p.is_file())


def keep_copy(data: bytes, name: str, *, audio_dir: Path | None = None) -> tuple[Path, bool]:
    """Keep ``data`` in the managed folder by content hash; returns (path, newly written)."""
    if not data:
        raise CoachingError(f"{name}: the file is empty; upload the recording itself")
    digest = hashlib.sha256(data).hexdigest()
    suffix = Path(name).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ".audio"
    folder = audio_dir or managed_audio_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest[:32]}{suffix}"
    if target.exists():
        return target, False
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(data)
    partial.replace(target)
    return target, True


def verified_bytes(
    audio_ref: str, audio_sha256: str | None, roots: Iterable[Path]
) -> tuple[bytes, Path]:
    """The bytes of the analysed recording: its stored path or a managed copy, whichever
    hashes to ``audio_sha256``; :class:`AudioUnavailable` when none does."""
    roots = list(roots)
    if audio_sha256:
        for candidate in [Path(audio_ref), *managed_copies(audio_sha256)]:
            path = safe_path(candidate, roots)
            if path is None:
                continue
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() == audio_sha256:
                return data, path
    raise AudioUnavailable(
        "the recording is missing or is not the audio that was analysed (moved, purged or "
        "replaced since); the transcript and scores are still here"
    )


def list_import_folder(session: Session, folder: str) -> list[Path]:
    """The audio files directly in ``folder``, which must lie in an allowed import folder.

    Every refusal (not allowed, no such folder, no audio there) gives the same
    message, so it tells nothing about what exists outside the import folders.
    """
    roots = import_roots(session)
    requested = Path(os.path.realpath(Path(folder.strip()).expanduser()))
    files: list[Path] = []
    if folder.strip() and _inside(requested, roots) and requested.is_dir():
        for entry in sorted(requested.iterdir()):
            if entry.suffix.lower() in AUDIO_SUFFIXES:
                path = safe_path(entry, roots)
                if path is not None and _inside(path, roots):
                    files.append(path)
    if not files:
        raise CoachingError(
            f"{folder}: no audio files to import there; put the recordings in an import "
            f"folder ({', '.join(str(r) for r in roots)}) and name that folder"
        )
    return files


def add_import_folder(session: Session, folder: str, *, actor: str, now: datetime) -> Path:
    """Allow the "folder on the server" option to read ``folder`` (no role check here)."""
    path = Path(os.path.realpath(Path(folder.strip()).expanduser()))
    if not folder.strip() or not path.is_dir():
        raise StoreError(f"{folder}: no such folder on the server; give an existing folder")
    if len(str(path)) > 1000:
        raise StoreError("the folder path is over 1000 characters; choose a shorter one")
    if path not in import_roots(session):
        session.add(ImportFolder(path=str(path), added_by=actor[:160], added_at=now))
        session.flush()
    return path


def remove_import_folder(session: Session, folder: str) -> None:
    """Stop allowing ``folder`` (as listed); the default import folder always stays."""
    row = session.scalars(select(ImportFolder).where(ImportFolder.path == folder)).first()
    if row is None:
        raise StoreError(f"{folder} is not an added import folder; see the list of folders")
    session.delete(row)
