"""Scorecards and coaching notes: rubric, scores, notes, personal baseline.

The pipeline calls :func:`apply_scorecard` on a finished report; the report
package renders them (:mod:`coaching.report.html`).
"""

from __future__ import annotations

from dataclasses import replace

from coaching.scoring.baseline import (
    Baseline,
    MetricBaseline,
    compare_with_baseline,
    personal_baseline,
)
from coaching.scoring.notes import coaching_notes
from coaching.scoring.rubric import Criterion, Rubric, Target, load_rubric
from coaching.scoring.score import score_call
from coaching.types import CallReport

__all__ = [
    "Baseline",
    "Criterion",
    "MetricBaseline",
    "Rubric",
    "Target",
    "apply_scorecard",
    "coaching_notes",
    "compare_with_baseline",
    "load_rubric",
    "personal_baseline",
    "score_call",
]


def apply_scorecard(
    report: CallReport, rubric: Rubric | None = None, *, language: str | None = None
) -> CallReport:
    """The report with its scorecard and coaching notes filled in (default rubric if None)."""
    rubric = rubric or load_rubric()
    scorecard = score_call(report, rubric, language=language)
    notes = coaching_notes(report, scorecard, language=language, rubric=rubric)
    return replace(report, scorecard=scorecard, notes=notes)
