"""View models: the rows and labels the pages show, built from the store's records."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from coaching.scoring import score
from coaching.serial import Serializable
from coaching.store.views import CallSummary, CallView
from coaching.timing import clock

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'/^@%])")


def plain_markdown(text: str) -> str:
    """``text`` for a Streamlit markdown element, shown exactly as typed: every ASCII
    punctuation character backslash-escaped (CommonMark allows that for all of them),
    so no link, image, HTML, LaTeX or emphasis comes of it; line breaks kept."""
    return "  \n".join(MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in text.splitlines())


VERDICTS = {"good": "good", "watch": "watch", "improve": "improve", "n/a": "not applicable"}
FLAG_VERDICTS = {None: "not reviewed", "confirmed": "confirmed", "rejected": "rejected"}


def when(moment: datetime) -> str:
    """A call time as the pages show it (UTC, to the minute)."""
    return moment.strftime("%Y-%m-%d %H:%M")


def call_label(summary: CallSummary) -> str:
    """One line naming a call in pickers: id, operator, time, duration."""
    return (
        f"#{summary.id} · {summary.operator} · {when(summary.call_time)} · "
        f"{clock(summary.duration_s)}"
    )


@dataclass(frozen=True)
class CallRow(Serializable):
    """One line of a call table."""

    call: int
    date: str
    operator: str
    duration: str
    score: float | None
    abuse_flags: int
    categories: str
    status: str


def call_rows(summaries: Sequence[CallSummary]) -> list[CallRow]:
    """Table rows for calls, in the order given (the store gives newest first)."""
    return [
        CallRow(
            call=s.id,
            date=when(s.call_time),
            operator=s.operator,
            duration=clock(s.duration_s),
            score=None if s.overall_score is None else round(s.overall_score),
            abuse_flags=s.abusive_flag_count,
            categories=", ".join(s.abuse_categories),
            status=s.status if not s.error else f"{s.status}: {s.error}",
        )
        for s in summaries
    ]


@dataclass(frozen=True)
class ScoreRow(Serializable):
    """One criterion of a scorecard, with a coach's override where there is one."""

    criterion: str
    label: str
    value: str
    target: str
    score: float | None
    verdict: str
    override: str


def scorecard_rows(view: CallView) -> list[ScoreRow]:
    """The scorecard's criteria with the latest overrides applied and explained."""
    report = view.report
    if report is None or report.scorecard is None:
        return []
    overrides = {o.criterion_id: o for o in view.overrides}
    rows = []
    for criterion in report.scorecard.criteria:
        override = overrides.get(criterion.id)
        score = override.score if override else criterion.score
        rows.append(
            ScoreRow(
                criterion=criterion.id,
                label=criterion.label,
                value="" if criterion.value is None else f"{criterion.value:.3g}",
                target=criterion.target,
                score=None if score is None else round(score),
                verdict=VERDICTS.get(criterion.verdict, criterion.verdict),
                override=(
                    f"{override.author}: was {_score_text(criterion.score)} ({override.reason})"
                    if override
                    else criterion.reason
                ),
            )
        )
    return rows


def _score_text(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.0f}"


def overall_with_overrides(view: CallView) -> float | None:
    """The overall after the coaches' overrides, as the store keeps it for lists and trends."""
    report = view.report
    if report is None or report.scorecard is None:
        return None
    overrides = {o.criterion_id: o.score for o in view.overrides}
    return score.overall_with_overrides(report.scorecard, overrides)


@dataclass(frozen=True)
class FlagRow(Serializable):
    """One abuse flag as a reviewer sees it."""

    index: int
    at: str
    speaker: str
    category: str
    severity: float
    verdict: str
    reviewer: str


def flag_rows(view: CallView) -> list[FlagRow]:
    """The call's abuse flags with their latest review."""
    return [
        FlagRow(
            index=segment.index,
            at=f"{clock(segment.flag.start)}–{clock(segment.flag.end)}",
            speaker=segment.flag.speaker,
            category=segment.flag.category,
            severity=round(segment.flag.severity, 2),
            verdict=FLAG_VERDICTS.get(segment.verdict, segment.verdict or ""),
            reviewer=segment.reviewer or "",
        )
        for segment in view.segments
    ]


def parse_clock(text: str) -> float:
    """ "01:42" or "102" or "1:02:03" as seconds; ValueError with a plain message otherwise."""
    parts = text.strip().split(":")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise ValueError(
            f"{text!r} is not a time in the call; write it as mm:ss, e.g. 01:42"
        ) from None
    if not 1 <= len(numbers) <= 3 or any(n < 0 for n in numbers):
        raise ValueError(f"{text!r} is not a time in the call; write it as mm:ss, e.g. 01:42")
    seconds = 0.0
    for number in numbers:
        seconds = seconds * 60 + number
    return seconds


def titled(rows: Sequence[Serializable]) -> list[dict]:
    """Rows as dicts with readable column names ("abuse_flags" → "abuse flags")."""
    return [{key.replace("_", " "): value for key, value in row.to_dict().items()} for row in rows]


@dataclass(frozen=True)
class UserRow(Serializable):
    name: str
    role: str
    team: str
    active: bool
    operator: str
    added: str


def user_rows(people: Sequence) -> list[UserRow]:
    """The users table of the admin page (``UserInfo`` records)."""
    return [
        UserRow(p.name, p.role, p.team or "", p.active, p.operator or "", when(p.created_at))
        for p in people
    ]
