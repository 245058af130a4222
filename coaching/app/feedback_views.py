"""View models of the calibration, scorecard-feedback and exemplar pages (no Streamlit here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coaching.app.views import when
from coaching.scoring.agreement import COACH_REVIEW, LEVELS, CriterionAgreement
from coaching.serial import Serializable
from coaching.store.disputes import DisputeView
from coaching.store.exemplars import ExemplarView
from coaching.timing import clock

NOT_APPLICABLE = "n/a"
LEVEL_CHOICES: tuple[int | None, ...] = (None, *LEVELS)


def level_label(level: int | None) -> str:
    """How a calibration level reads in a picker: "4 · good", or "n/a"."""
    return NOT_APPLICABLE if level is None else f"{level} · {LEVELS[level]}"


def _alpha(value: float | None) -> str:
    return NOT_APPLICABLE if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class AgreementRow(Serializable):
    criterion: str
    calls: int
    coaches: int
    alpha_coaches: str
    kappa_coaches: str
    alpha_vs_auto: str
    status: str


def agreement_rows(table: Sequence[CriterionAgreement]) -> list[AgreementRow]:
    """One row per criterion: how far the coaches agree, with each other and with the auto-score."""
    return [
        AgreementRow(
            a.criterion_id,
            a.calls,
            a.coaches,
            _alpha(a.alpha_coaches),
            _alpha(a.kappa_coaches),
            _alpha(a.alpha_auto),
            a.status,
        )
        for a in table
    ]


@dataclass(frozen=True)
class DivergenceRow(Serializable):
    criterion: str
    call: int
    coaches_median: str
    auto_score: str
    coach_spread: float


def divergence_rows(table: Sequence[CriterionAgreement]) -> list[DivergenceRow]:
    """The calls where coaches and the auto-score (or the coaches among themselves) differ most."""
    rows = []
    for a in table:
        for d in a.divergent:
            median = NOT_APPLICABLE if d.consensus is None else f"{d.consensus:g}"
            auto = level_label(d.auto)
            rows.append(DivergenceRow(a.criterion_id, d.call_id, median, auto, d.coach_spread))
    return sorted(rows, key=lambda r: (r.criterion, r.call))


def trust_column(criteria: Sequence[str], marks: Mapping[str, str]) -> list[str]:
    """The "auto-score" column of a scorecard: trusted, or coach review (also when uncalibrated)."""
    return [marks.get(criterion, COACH_REVIEW) for criterion in criteria]


@dataclass(frozen=True)
class DisputeRow(Serializable):
    id: int
    call: int
    operator: str
    criterion: str
    comment: str
    raised: str
    status: str
    reply: str


def dispute_rows(disputes: Sequence[DisputeView]) -> list[DisputeRow]:
    return [
        DisputeRow(
            d.id,
            d.call_id,
            d.operator,
            d.criterion_id,
            d.comment,
            when(d.created_at),
            d.status,
            "" if d.reply is None else f"{d.resolved_by or 'coach'}: {d.reply}",
        )
        for d in disputes
    ]


@dataclass(frozen=True)
class ExemplarRow(Serializable):
    call: int
    at: str
    language: str
    topic: str
    operator_did: str
    caller_mood: str
    pinned: bool


def _mood(before: float | None, after: float | None) -> str:
    def one(value: float | None) -> str:
        return "?" if value is None else f"{value:+.0f}"

    return f"{one(before)} → {one(after)}"


def exemplar_rows(views: Sequence[ExemplarView]) -> list[ExemplarRow]:
    return [
        ExemplarRow(
            v.call_id,
            clock(v.exemplar.turn_at_s),
            v.exemplar.language,
            v.exemplar.topic,
            ", ".join(v.exemplar.actions) or "-",
            _mood(v.exemplar.sentiment_before, v.exemplar.sentiment_after),
            v.pin_id is not None,
        )
        for v in views
    ]


def exemplar_label(view: ExemplarView) -> str:
    """A one-line heading of an exemplar."""
    e = view.exemplar
    did = ", ".join(e.actions) or "kept calm"
    return f"Call {view.call_id} · {clock(e.turn_at_s)} · {e.language} · {e.topic} · {did}"


def exemplar_transcript(view: ExemplarView) -> str:
    """The redacted lines of an exemplar as Markdown."""
    names = {"operator": "Operator", "caller": "Caller"}
    return "\n\n".join(
        f"**{names.get(line.speaker, line.speaker)}** ({clock(line.start)}): {line.text}"
        for line in view.exemplar.lines
    )
