"""One exception root for the toolkit.

Every error a user can cause is a :class:`CoachingError`; its message names the
input at fault and says what to do about it.
"""

from __future__ import annotations


class CoachingError(Exception):
    """Root of every error the toolkit raises on purpose."""


class AudioError(CoachingError):
    """An audio file could not be used for analysis."""

    def __init__(self, source: str, reason: str, *, hint: str = "") -> None:
        self.source = source
        self.reason = reason
        self.hint = hint
        message = f"{source}: {reason}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class EmptyAudioError(AudioError):
    """The file is empty or holds no samples."""


class CorruptAudioError(AudioError):
    """The file is damaged, truncated or not audio at all."""


class TruncatedAudioError(CorruptAudioError):
    """The file holds less audio than its header declares (a copy cut short)."""


class UnsupportedAudioError(AudioError):
    """The file is readable but its layout is not one the toolkit handles."""


class NotRegularFileError(UnsupportedAudioError):
    """The path names a folder, a FIFO, a device or a socket, not a file; never opened."""


class TooShortAudioError(AudioError):
    """The recording is shorter than anything worth analysing."""


class SilentAudioError(AudioError):
    """The recording holds no speech on any channel."""


class NoSpeechError(SilentAudioError):
    """Sound was found, but no words were recognised in it (noise, music, an open line)."""


class ModelError(CoachingError):
    """A model could not be found, assembled or loaded."""


class ConfigError(CoachingError):
    """An option, rubric or settings file has a wrong key or value."""


class ReportError(CoachingError):
    """A call-report file is missing, not JSON, or not a call report."""


class OutputError(CoachingError):
    """A report or an audio copy could not be written where it was asked for."""


class AccessDenied(CoachingError):
    """The signed-in user may not see or change this record."""


class StoreError(CoachingError):
    """The call store could not be opened, migrated or written."""
