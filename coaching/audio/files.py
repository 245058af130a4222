"""Opening a recording safely: regular files only, and WAV headers checked against the bytes.

A FIFO blocks the reader until a writer comes, ``/dev/zero`` never ends, and a
folder or a socket is not a recording, so anything but a regular file is refused
from its ``stat`` before it is opened (and again from the open descriptor, in
case the path was swapped in between). A WAV's header says exactly how many
bytes of audio follow; FFmpeg quietly decodes what is there, so a copy cut short
would pass as a shorter call unless the header is compared with the file.
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path
from typing import BinaryIO

from coaching.errors import EmptyAudioError, NotRegularFileError, TruncatedAudioError

TRUNCATION_SLACK_S = 0.05  # a writer's rounding, never a cut copy
UNKNOWN_WAV_SIZES = (0, 0xFFFFFFFF)  # what live recorders write before they finish

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def require_regular_file(path: Path, label: str | None = None) -> os.stat_result:
    """``path``'s stat (symlinks followed) if it is a regular file; raises otherwise."""
    label = label or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise EmptyAudioError(
                label,
                f"is a broken symbolic link (to {os.readlink(path)}, which does not exist)",
                hint="point it at the recording or remove it",
            ) from None
        raise EmptyAudioError(label, "no such file", hint="check the path") from None
    except OSError as error:
        raise EmptyAudioError(
            label, f"cannot be read ({error.strerror})", hint="check its permissions"
        ) from None
    _check_mode(info.st_mode, label)
    return info


def open_regular_file(path: Path, label: str | None = None) -> BinaryIO:
    """``path`` opened for reading, refused unless it is a regular file (never blocks)."""
    label = label or str(path)
    require_regular_file(path, label)
    try:
        # O_NONBLOCK: a FIFO swapped in after the stat must not hang the open.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise EmptyAudioError(
            label, f"cannot be opened ({error.strerror})", hint="check its permissions"
        ) from None
    try:
        _check_mode(os.fstat(descriptor).st_mode, label)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def _check_mode(mode: int, label: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise NotRegularFileError(
        label,
        f"is {kind}, not an audio file",
        hint="pass the path of a recording saved as a file",
    )


def check_wav_length(label: str, stream: BinaryIO) -> None:
    """Raise :class:`TruncatedAudioError` when a WAV holds less audio than its header says."""
    lengths = wav_lengths_s(stream)
    if lengths is None:
        return
    declared, held = lengths
    if declared - held > TRUNCATION_SLACK_S:
        raise TruncatedAudioError(
            label,
            f"truncated: the WAV header declares {declared:.1f} s of audio but the file "
            f"holds only {held:.1f} s",
            hint="the copy was cut short or its header is damaged; copy or export the "
            "recording again from its source",
        )


def wav_lengths_s(stream: BinaryIO) -> tuple[float, float] | None:
    """(declared, held) seconds of a RIFF/RIFX WAV's data chunk; None if not known."""
    stream.seek(0)
    head = stream.read(12)
    if len(head) < 12 or head[:4] not in (b"RIFF", b"RIFX") or head[8:12] != b"WAVE":
        return None
    order = "<" if head[:4] == b"RIFF" else ">"
    byte_rate = 0
    while True:
        chunk = stream.read(8)
        if len(chunk) < 8:
            return None
        kind, size = chunk[:4], struct.unpack(f"{order}I", chunk[4:])[0]
        if kind == b"data":
            if size in UNKNOWN_WAV_SIZES or not byte_rate:
                return None
            start = stream.tell()
            held = stream.seek(0, os.SEEK_END) - start
            return size / byte_rate, min(held, size) / byte_rate
        if kind == b"fmt " and size >= 12:
            fields = stream.read(12)
            if len(fields) < 12:
                return None
            byte_rate = struct.unpack(f"{order}I", fields[8:12])[0]
            stream.seek(size - 12 + (size & 1), os.SEEK_CUR)
        else:
            stream.seek(size + (size & 1), os.SEEK_CUR)
