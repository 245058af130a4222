"""Charts for the HTML scorecard, drawn by matplotlib as inline SVG (no files, no JS).

Figures are built with :class:`matplotlib.figure.Figure` (no pyplot, no GUI
backend) and saved as SVG with text kept as text, so the browser renders any
script (Vietnamese, Cyrillic, Han) with its own fonts. Namespace URLs and
metadata are stripped: the HTML parser places ``<svg>`` in the SVG namespace.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from coaching.report.timeline import DeliverySample, TimelineSpan
from coaching.scoring.messages import heading, unit_text
from coaching.timing import clock
from coaching.types import CoachingNote

OPERATOR_COLOR = "#2563eb"
CALLER_COLOR = "#64748b"
DEAD_AIR_COLOR = "#f59e0b"
OVERTALK_COLOR = "#dc2626"
STRENGTH_COLOR = "#16a34a"
IMPROVE_COLOR = "#ea580c"
BAND_COLOR = "#16a34a"
SPEAKER_LANES = {"operator": (1.6, OPERATOR_COLOR), "caller": (0.4, CALLER_COLOR)}
SVG_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "coaching-scorecard",
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def figure_svg(figure: Figure) -> str:
    """The figure as an ``<svg>`` element that can sit inside an HTML page, offline."""
    buffer = io.StringIO()
    with matplotlib.rc_context(SVG_STYLE), warnings.catch_warnings():
        # Text stays text in the SVG, so glyphs missing from matplotlib's own fonts (Han
        # characters) only affect its layout estimate; the browser draws them.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    svg = svg.replace("xlink:href=", "href=")
    return re.sub(r'<svg\s+width="[^"]*"\s+height="[^"]*"', '<svg class="chart"', svg, count=1)


def _time_axis(axes, duration: float) -> None:
    axes.set_xlim(0, max(duration, 1.0))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda seconds, _pos: clock(seconds)))


def _segments(axes, samples: Sequence[DeliverySample]) -> bool:
    for sample in samples:
        (line,) = axes.plot(
            [sample.start, sample.end],
            [sample.value] * 2,
            color=OPERATOR_COLOR,
            linewidth=3,
            alpha=0.8,
        )
        line.set_gid(sample_id(sample))
        axes.plot(
            [(sample.start + sample.end) / 2],
            [sample.value],
            "o",
            color=OPERATOR_COLOR,
            markersize=3,
        )
    if samples:
        values = [sample.value for sample in samples]
        spread = max(values) - min(values)
        margin = max(spread * 0.15, abs(max(values)) * 0.05, 0.5)
        axes.set_ylim(min(values) - margin, max(values) + margin)
    return bool(samples)


def _band(axes, low: float | None, high: float | None) -> None:
    """Shade the target range (open sides run to the edge) and keep it in view."""
    if low is None and high is None:
        return
    bottom, top = axes.get_ylim()
    low = bottom if low is None else low
    high = top if high is None else high
    axes.axhspan(low, high, color=BAND_COLOR, alpha=0.1, linewidth=0)
    axes.set_ylim(min(bottom, low - 0.5), max(top, high + 0.5))


@matplotlib.rc_context(SVG_STYLE)
def delivery_chart(
    samples: Sequence[DeliverySample],
    *,
    duration_s: float,
    pace_metric: str,
    bands: dict[str, tuple[float | None, float | None]],
    language: str,
) -> str | None:
    """Pace, pitch and loudness of each operator utterance over the call, as SVG."""
    operator = [sample for sample in samples if sample.speaker == "operator"]
    panels = [
        (pace_metric, "pace", "wpm" if pace_metric == "words_per_minute" else "syll/s"),
        ("pitch_median_hz", "pitch", "Hz"),
        ("loudness_dbfs", "loudness", "dBFS"),
    ]
    figure = Figure(figsize=(9, 5.2))
    axes_list = figure.subplots(len(panels), 1, sharex=True)
    drawn = False
    for axes, (field, name, unit) in zip(axes_list, panels, strict=True):
        _time_axis(axes, duration_s)
        drawn |= _segments(axes, [sample for sample in operator if sample.metric == field])
        _band(axes, *bands.get(field, (None, None)))
        axes.set_ylabel(f"{heading(name, language)}\n{unit_text(unit, language)}")
        axes.grid(axis="y", alpha=0.3)
    figure.align_ylabels(axes_list)
    return figure_svg(figure) if drawn else None


def _note_markers(axes, notes: Sequence[CoachingNote], duration: float) -> None:
    """Numbered circles where the notes point; close ones are stacked so both stay readable."""
    rows = (2.3, 2.75)
    last_at: dict[float, float] = {}
    for number, note in sorted(enumerate(notes, start=1), key=lambda item: item[1].start or 0):
        if note.start is None:
            continue
        row = next(
            (y for y in rows if note.start - last_at.get(y, -duration) > 0.025 * duration), rows[0]
        )
        last_at[row] = note.start
        color = STRENGTH_COLOR if note.kind == "strength" else IMPROVE_COLOR
        axes.plot([note.start, note.start], [-0.1, row], color=color, linewidth=1, linestyle=":")
        axes.annotate(
            str(number),
            (note.start, row),
            ha="center",
            va="center",
            color="white",
            fontsize=8,
            fontweight="bold",
            bbox={"boxstyle": "circle,pad=0.25", "facecolor": color, "edgecolor": "none"},
        )


@matplotlib.rc_context(SVG_STYLE)
def timeline_chart(
    spans: Sequence[TimelineSpan],
    *,
    duration_s: float,
    notes: Sequence[CoachingNote],
    language: str,
) -> str:
    """Who spoke when, dead air and overtalk, and where each note points, as SVG."""
    figure = Figure(figsize=(9, 2.4))
    axes = figure.subplots()
    _time_axis(axes, duration_s)
    for index, span in enumerate(spans):
        _draw_span(axes, span).set_gid(span_id(index, span))
    _note_markers(axes, notes, duration_s)
    axes.set_ylim(-0.1, 3.0)
    axes.set_yticks(
        [SPEAKER_LANES["operator"][0], SPEAKER_LANES["caller"][0]],
        [heading("operator", language), heading("caller", language)],
    )
    axes.tick_params(axis="y", length=0)
    axes.spines["left"].set_visible(False)
    legend = [
        Patch(color=DEAD_AIR_COLOR, alpha=0.35, label=heading("dead_air", language)),
        Patch(color=OVERTALK_COLOR, alpha=0.35, label=heading("overtalk", language)),
    ]
    axes.legend(
        handles=legend, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False
    )
    return figure_svg(figure)


def _draw_span(axes, span: TimelineSpan):
    """Speech as a bar on its speaker's lane, silences and overtalk across both, flags as ▼."""
    if span.lane in SPEAKER_LANES:
        y, color = SPEAKER_LANES[span.lane]
        return axes.broken_barh(
            [(span.start, span.end - span.start)], (y - 0.3, 0.6), color=color, alpha=0.85
        )
    if span.lane == "abuse flag":
        y = SPEAKER_LANES[span.speaker][0] + 0.45
        (marker,) = axes.plot([span.start], [y], "v", color=OVERTALK_COLOR, markersize=7)
        return marker
    color = DEAD_AIR_COLOR if span.lane == "dead air" else OVERTALK_COLOR
    return axes.axvspan(span.start, span.end, color=color, alpha=0.35, linewidth=0)


def span_id(index: int, span: TimelineSpan) -> str:
    """The SVG id of a drawn span: says what was drawn, so a test can read it back."""
    return f"tl{index}_{span.lane.replace(' ', '-')}_{span.start:.2f}_{span.end:.2f}"


def sample_id(sample: DeliverySample) -> str:
    """The SVG id of a drawn delivery segment."""
    return f"dv_{sample.metric}_{sample.start:.2f}_{sample.end:.2f}_{sample.value:.2f}"
