"""Jump targets for the review pages' player (the audio itself comes, checked and cut
for the role, from :func:`coaching.store.media.call_audio`)."""

from __future__ import annotations

from dataclasses import dataclass

from coaching.serial import Serializable
from coaching.timing import clock
from coaching.types import CallReport, CoachingNote


@dataclass(frozen=True)
class JumpTarget(Serializable):
    """A moment the audio player can jump to."""

    kind: str  # "note", "flag", "annotation"
    at_s: float
    label: str
    icon: str = ":material/play_arrow:"

    @property
    def button_label(self) -> str:
        return f"{clock(self.at_s)} · {self.label}"


ICONS = {
    "flag": ":material/warning:",
    "strength": ":material/thumb_up:",
    "improve": ":material/lightbulb:",
    "annotation": ":material/edit_note:",
}


def _label(note: CoachingNote) -> str:
    return note.criterion.replace("_", " ")


def jump_targets(report: CallReport, *, lead_in_s: float = 0.5) -> list[JumpTarget]:
    """Notes and abuse flags of a call as jump targets, in time order."""
    targets = [
        JumpTarget("note", max(0.0, n.start - lead_in_s), _label(n), ICONS[n.kind])
        for n in report.notes
        if n.start is not None
    ]
    targets += [
        JumpTarget("flag", max(0.0, f.start - lead_in_s), f.category, ICONS["flag"])
        for f in report.abuse
    ]
    return sorted(targets, key=lambda t: t.at_s)
