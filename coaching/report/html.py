"""Showing a scored report: a terminal view with bars, and a self-contained HTML page.

The HTML page carries its CSS and its charts (inline SVG) inside, references
nothing outside itself and works offline, so it can be mailed or archived. Its
markup is the Jinja2 template ``templates/scorecard.html.jinja`` (autoescaped);
this module only gathers the values it shows.
"""

from __future__ import annotations

import html
import unicodedata
from pathlib import PurePath

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from coaching.errors import ConfigError
from coaching.report.timeline import delivery_samples, timeline_spans
from coaching.scoring.messages import heading, resolve_language, verdict_text
from coaching.scoring.rubric import Rubric, load_rubric
from coaching.scoring.score import measure_of, value_text, verdict_for
from coaching.timing import clock
from coaching.types import CallReport, CoachingNote, CriterionScore, Scorecard

BAR_CELLS = 20
TEXT_WIDTH = 96
ANSI = {"good": "\033[32m", "watch": "\033[33m", "improve": "\033[31m", "n/a": "\033[90m"}
ANSI_RESET = "\033[0m"
NOTE_MARKS = {"strength": "✓", "improve": "→"}
TABLE_COLUMNS = ("criterion", "value", "target", "score", "verdict")


def _scored(report: CallReport) -> Scorecard:
    if report.scorecard is None:
        raise ConfigError(
            f"{report.source}: the report has no scorecard; score it first "
            "(coaching.scoring.apply_scorecard or `coaching scorecard REPORT.json`)"
        )
    return report.scorecard


def display_width(text: str) -> int:
    """Terminal columns the text takes (Han characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def wrap_text(text: str, width: int) -> list[str]:
    """Wrap at spaces, or between characters in scripts written without spaces."""
    lines, line = [], ""
    units = []
    for word in text.split(" "):
        units.extend(word if display_width(word) > len(word) else [word])
        units.append(" ")
    for unit in units[:-1]:
        if display_width(line + unit) > width and line.strip():
            lines.append(line.rstrip())
            line = "" if unit == " " else unit
        else:
            line += unit
    return [*lines, line.rstrip()] if line.strip() else lines


def score_bar(score: float | None, cells: int = BAR_CELLS) -> str:
    """A 0..100 score as a bar of ``cells`` block characters (blank when not scored)."""
    if score is None:
        return " " * cells
    filled = round(cells * max(0.0, min(score, 100.0)) / 100)
    return "█" * filled + "░" * (cells - filled)


def _paint(text: str, verdict: str, color: bool) -> str:
    return f"{ANSI[verdict]}{text}{ANSI_RESET}" if color else text


def _criterion_line(score: CriterionScore, language: str, widths: list[int], color: bool) -> str:
    cells = [score.label, value_text(score, language), score.target]
    left = "  ".join(_pad(cell, width) for cell, width in zip(cells, widths, strict=True))
    if score.score is None:
        reason = f": {score.reason}" if score.reason else ""
        return left + "  " + _paint(f"{verdict_text('n/a', language)}{reason}", "n/a", color)
    verdict = verdict_text(score.verdict, language)
    return f"{left}  {score_bar(score.score)} {score.score:5.0f}  " + _paint(
        verdict, score.verdict, color
    )


def _notes_text(notes: tuple[CoachingNote, ...], language: str) -> list[str]:
    lines = []
    for kind, title in (("strength", "strengths"), ("improve", "improvements")):
        chosen = [note for note in notes if note.kind == kind]
        if not chosen:
            continue
        lines += ["", heading(title, language)]
        for note in chosen:
            when = clock(note.start) if note.start is not None else "  —  "
            body = wrap_text(note.text, TEXT_WIDTH - 12)
            lines.append(f"  {NOTE_MARKS[kind]} {when}  {body[0]}")
            lines += [" " * 12 + line for line in body[1:]]
    return lines


def render_scorecard_text(
    report: CallReport, *, rubric: Rubric | None = None, color: bool = False
) -> str:
    """The scorecard and notes for a terminal: a table with bars, then the notes."""
    card = _scored(report)
    language = resolve_language(None, fallback=card.language)
    title = f"{heading('title', language)} · {PurePath(report.source).name} · "
    title += f"{clock(report.duration_s)} · {report.language}"
    lines = [title, "=" * min(display_width(title), TEXT_WIDTH)]
    if card.overall is not None:
        verdict = verdict_for(card.overall, rubric or load_rubric())
        overall = (
            f"{heading('overall', language)}  {score_bar(card.overall)} {card.overall:.0f}/100  "
        )
        lines.append(overall + _paint(verdict_text(verdict, language), verdict, color))
    lines += [line for line in (card.basis, card.advice and f"would help: {card.advice}") if line]
    rows = [(c.label, value_text(c, language), c.target) for c in card.criteria]
    header = (
        heading("criterion", language),
        heading("value", language),
        heading("target", language),
    )
    widths = [max(display_width(row[i]) for row in [*rows, header]) for i in range(3)]
    lines += [
        "",
        "  ".join(_pad(cell, w) for cell, w in zip(header, widths, strict=True))
        + "  "
        + heading("score", language),
    ]
    lines += [_criterion_line(c, language, widths, color) for c in card.criteria]
    lines += _notes_text(report.notes, language) or ["", heading("no_notes", language)]
    return "\n".join(lines) + "\n"


def _bands(report: CallReport, card: Scorecard, rubric: Rubric) -> dict[str, tuple]:
    """Target ranges to shade in the delivery chart, when the card came from this rubric."""
    if card.rubric != rubric.name:
        return {}
    bands = {}
    for criterion_id in ("pace", "volume"):
        criterion = rubric.criterion(criterion_id)
        target = criterion.target_for(report.language) if criterion else None
        if target is not None:
            bands[target.metric] = (target.low, target.high)
    return bands


def _rows(card: Scorecard, language: str) -> list[dict]:
    return [
        {
            "css": "na" if c.score is None else c.verdict,
            "label": c.label,
            "value": value_text(c, language),
            "target": c.target,
            "score": None if c.score is None else f"{c.score:.0f}",
            "reason": c.reason,
            "verdict": c.verdict,
            "verdict_text": verdict_text("n/a" if c.score is None else c.verdict, language),
        }
        for c in card.criteria
    ]


def _note_columns(notes: tuple[CoachingNote, ...], language: str) -> list[dict]:
    columns = []
    for kind, title in (("strength", "strengths"), ("improve", "improvements")):
        chosen = [
            {
                "number": number,
                "time": clock(note.start) if note.start is not None else "—",
                "text": note.text,
            }
            for number, note in enumerate(notes, start=1)
            if note.kind == kind
        ]
        columns.append({"kind": kind, "title": heading(title, language), "notes": chosen})
    return columns


def _facts(report: CallReport, card: Scorecard, language: str) -> list[tuple[str, str]]:
    separation = f"{report.separation} ({report.separation_confidence:.2f})"
    return [
        (heading("duration", language), clock(report.duration_s)),
        (heading("language", language), report.language),
        (heading("separation", language), separation),
        (heading("rubric", language), card.rubric),
    ]


def _overall(card: Scorecard, rubric: Rubric, language: str) -> dict:
    verdict = verdict_for(card.overall, rubric)
    lines = [card.basis] + ([f"would help: {card.advice}"] if card.advice else [])
    return {
        "verdict": verdict,
        "verdict_text": verdict_text(verdict, language),
        "number": "—" if card.overall is None else f"{card.overall:.0f}",
        "basis": [line for line in lines if line],
    }


def _charts(report: CallReport, card: Scorecard, rubric: Rubric, language: str) -> list[dict]:
    from coaching.report.charts import delivery_chart, timeline_chart  # matplotlib: slow import

    pace = next((c for c in card.criteria if c.id == "pace"), None)
    pace_metric = (
        measure_of(pace, language) if pace and pace.target else None
    ) or "syllables_per_second"
    timeline = timeline_chart(
        timeline_spans(report), duration_s=report.duration_s, notes=report.notes, language=language
    )
    delivery = delivery_chart(
        delivery_samples(report),
        duration_s=report.duration_s,
        pace_metric=pace_metric,
        bands=_bands(report, card, rubric),
        language=language,
    )
    drawn = (("timeline_chart", timeline), ("delivery_chart", delivery))
    # The SVG is matplotlib's output with its text already escaped; it goes in as markup.
    return [{"title": heading(key, language), "svg": Markup(svg)} for key, svg in drawn if svg]


def _escaped(value: object) -> Markup:
    # html.escape's entities (&#x27;, &quot;) rather than markupsafe's (&#39;, &#34;): the
    # page stays byte-for-byte what it was, and html.escape(text) finds a text in it.
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


_TEMPLATES = Environment(
    loader=PackageLoader("coaching.report", "templates"),
    autoescape=True,
    finalize=_escaped,
    keep_trailing_newline=True,
    undefined=StrictUndefined,
)


def render_scorecard_html(report: CallReport, *, rubric: Rubric | None = None) -> str:
    """One self-contained HTML page: scorecard, notes with times, and inline SVG charts."""
    card = _scored(report)
    rubric = rubric or load_rubric()
    language = resolve_language(None, fallback=card.language)
    source = PurePath(report.source).name
    return _TEMPLATES.get_template("scorecard.html.jinja").render(
        language=language,
        title=f"{heading('title', language)} · {source}",
        source=source,
        t={key: heading(key, language) for key in ("title", "overall", "no_notes", "footer")},
        facts=_facts(report, card, language),
        overall=_overall(card, rubric, language),
        warnings=report.warnings,
        note_columns=_note_columns(report.notes, language),
        columns=[heading(key, language) for key in TABLE_COLUMNS],
        rows=_rows(card, language),
        charts=_charts(report, card, rubric, language),
        version=report.provenance.package_version,
    )
