"""Showing a scored report: a terminal view with bars, and a self-contained HTML page.

The HTML page carries its CSS and its charts (inline SVG) inside, references
nothing outside itself and works offline, so it can be mailed or archived.
"""

from __future__ import annotations

import html
import unicodedata
from importlib import resources
from pathlib import PurePath

from coaching.errors import ConfigError
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


def _css() -> str:
    return resources.files("coaching.scoring").joinpath("scorecard.css").read_text("utf-8")


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


def _table_html(card: Scorecard, language: str) -> str:
    head = "".join(
        f"<th>{html.escape(heading(key, language))}</th>"
        for key in ("criterion", "value", "target", "score", "verdict")
    )
    rows = []
    for c in card.criteria:
        if c.score is None:
            score_cell = (
                f'<td class="na-reason">{html.escape(c.reason)}</td>'
                f'<td><span class="badge">{html.escape(verdict_text("n/a", language))}</span></td>'
            )
        else:
            score_cell = (
                f'<td><div class="bar"><span style="width:{c.score:.0f}%"></span></div>'
                f'<span class="num">{c.score:.0f}</span></td>'
                f'<td><span class="badge {c.verdict}">'
                f"{html.escape(verdict_text(c.verdict, language))}</span></td>"
            )
        rows.append(
            f'<tr class="{"na" if c.score is None else c.verdict}"><td>{html.escape(c.label)}</td>'
            f"<td>{html.escape(value_text(c, language))}</td><td>{html.escape(c.target)}</td>"
            f"{score_cell}</tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _notes_html(notes: tuple[CoachingNote, ...], language: str) -> str:
    columns = []
    for kind, title in (("strength", "strengths"), ("improve", "improvements")):
        items = [
            f'<li><span class="marker {kind}">{number}</span>'
            f"<time>{clock(note.start) if note.start is not None else '—'}</time>"
            f"<p>{html.escape(note.text)}</p></li>"
            for number, note in enumerate(notes, start=1)
            if note.kind == kind
        ]
        empty = f'<li class="empty">{html.escape(heading("no_notes", language))}</li>'
        columns.append(
            f'<div class="notes {kind}"><h2>{html.escape(heading(title, language))}</h2>'
            f"<ul>{''.join(items) or empty}</ul></div>"
        )
    return f'<section class="note-columns">{"".join(columns)}</section>'


def _meta_html(report: CallReport, card: Scorecard, language: str) -> str:
    facts = [
        (heading("duration", language), clock(report.duration_s)),
        (heading("language", language), report.language),
        (
            heading("separation", language),
            f"{report.separation} ({report.separation_confidence:.2f})",
        ),
        (heading("rubric", language), card.rubric),
    ]
    return "".join(
        f"<span><b>{html.escape(name)}</b> {html.escape(value)}</span>" for name, value in facts
    )


def _overall_html(card: Scorecard, rubric: Rubric, language: str) -> str:
    verdict = verdict_for(card.overall, rubric)
    number = "—" if card.overall is None else f"{card.overall:.0f}"
    return (
        f'<div class="overall {verdict}">'
        f'<span class="label">{html.escape(heading("overall", language))}</span>'
        f'<span class="big">{number}</span><span class="of">/100</span>'
        f'<span class="badge {verdict}">{html.escape(verdict_text(verdict, language))}</span>'
        f"{_basis_html(card)}</div>"
    )


def _basis_html(card: Scorecard) -> str:
    lines = [card.basis] + ([f"would help: {card.advice}"] if card.advice else [])
    return "".join(f'<p class="basis">{html.escape(line)}</p>' for line in lines if line)


def _chart_html(title: str, svg: str | None) -> str:
    if svg is None:
        return ""
    return f'<section class="chart-box"><h2>{html.escape(title)}</h2>{svg}</section>'


def render_scorecard_html(report: CallReport, *, rubric: Rubric | None = None) -> str:
    """One self-contained HTML page: scorecard, notes with times, and inline SVG charts."""
    from coaching.report.charts import delivery_chart, timeline_chart  # matplotlib: slow import

    card = _scored(report)
    rubric = rubric or load_rubric()
    language = resolve_language(None, fallback=card.language)
    pace = next((c for c in card.criteria if c.id == "pace"), None)
    pace_metric = (
        measure_of(pace, language) if pace and pace.target else None
    ) or "syllables_per_second"
    delivery = delivery_chart(
        report, pace_metric=pace_metric, bands=_bands(report, card, rubric), language=language
    )
    timeline = timeline_chart(report, report.notes, language=language)
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in report.warnings)
    title = f"{heading('title', language)} · {PurePath(report.source).name}"
    return f"""<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_css()}</style>
</head>
<body>
<main>
<header>
<div><h1>{html.escape(heading("title", language))}</h1>
<p class="source">{html.escape(PurePath(report.source).name)}</p>
<p class="meta">{_meta_html(report, card, language)}</p></div>
{_overall_html(card, rubric, language)}
</header>
{f'<ul class="warnings">{warnings}</ul>' if warnings else ""}
{_notes_html(report.notes, language)}
<section class="table-box">{_table_html(card, language)}</section>
{_chart_html(heading("timeline_chart", language), timeline)}
{_chart_html(heading("delivery_chart", language), delivery)}
<footer>{html.escape(heading("footer", language))}
 · call-coaching {html.escape(report.provenance.package_version)}</footer>
</main>
</body>
</html>
"""
