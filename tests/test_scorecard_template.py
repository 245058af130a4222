"""The HTML scorecard's Jinja2 template: escaping, packaging, and one chart data source
(the app's Altair charts and the page's SVG draw the same timeline spans and delivery
samples)."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import replace
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
import tomllib

from coaching.app import charts as app_charts
from coaching.report.html import render_scorecard_html
from coaching.report.timeline import delivery_samples, timeline_spans
from coaching.scoring import apply_scorecard
from coaching.scoring.score import measure_of
from coaching.types import CoachingNote
from testkit.synthetic import OperatorStyle, synthetic_report

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert('x')</script>"
ONLOAD = "<svg onload=alert('x')>"  # a file name cannot hold the "/" of "</script>"
SPAN_ID = re.compile(r'id="tl\d+_([a-z-]+)_([\d.]+)_([\d.]+)"')
SAMPLE_ID = re.compile(r'id="dv_([a-z_]+)_([\d.]+)_([\d.]+)_(-?[\d.]+)"')
APP_SERIES = dict(app_charts.DELIVERY_SERIES)


@pytest.fixture(scope="module")
def busy():
    """A call with speech on both lanes, a long hold, overtalk and flags from both sides."""
    report = synthetic_report(
        style=OperatorStyle(rate=185),
        hold_s=9.0,
        overtalk_s=1.2,
        caller_flags=("threat",),
        operator_flags=("profanity",),
    )
    return apply_scorecard(report)


@pytest.fixture(scope="module")
def busy_page(busy):
    return render_scorecard_html(busy)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_text_from_the_call_comes_out_escaped(busy):
    utterances = tuple(replace(u, text=f"{u.text} {SCRIPT}") for u in busy.utterances)
    report = replace(
        busy,
        source=f"calls/{ONLOAD}.wav",
        utterances=utterances,
        notes=(*busy.notes, CoachingNote(3.0, "pace", "improve", f"say {SCRIPT} & more")),
        warnings=(f"warning {SCRIPT}",),
    )
    page = render_scorecard_html(report)
    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "<script" not in page
    assert "say &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page
    assert "<li>warning &lt;script&gt;" in page
    assert '<p class="source">&lt;svg onload=alert(&#x27;x&#x27;)&gt;.wav</p>' in page
    assert "onload" not in "".join(re.findall(r"<svg[^>]*>", page))


def test_the_template_ships_as_package_data():
    template = resources.files("coaching.report").joinpath("templates/scorecard.html.jinja")
    assert template.is_file()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["coaching"]
    for name in ("templates/scorecard.html.jinja", "templates/scorecard.css"):
        assert any(fnmatch.fnmatch(f"report/{name}", glob) for glob in globs), name
    assert any(dep.lower().startswith("jinja2") for dep in config["project"]["dependencies"])


def test_app_and_html_timelines_draw_the_same_spans(busy, busy_page):
    spans = timeline_spans(busy)
    assert {span.lane for span in spans} == {
        "operator",
        "caller",
        "dead air",
        "overtalk",
        "abuse flag",
    }
    assert {span.speaker for span in spans if span.lane == "abuse flag"} == {"operator", "caller"}
    app_spec = app_charts.timeline_chart(
        app_charts.timeline_spans(busy), duration_s=busy.duration_s
    ).to_dict()
    assert app_spec["data"]["values"] == [span.to_dict() for span in spans]
    drawn = sorted(SPAN_ID.findall(busy_page))
    expected = sorted(
        (span.lane.replace(" ", "-"), f"{span.start:.2f}", f"{span.end:.2f}") for span in spans
    )
    assert drawn == expected


def test_app_and_html_delivery_charts_draw_the_same_samples(busy, busy_page):
    samples = delivery_samples(busy)
    operator = [s for s in samples if s.speaker == "operator"]
    app_points = {(p.series, p.speaker, p.x, p.value) for p in app_charts.delivery_points(busy)}
    assert app_points == {
        (APP_SERIES[s.metric], s.speaker, s.middle, s.value)
        for s in samples
        if s.metric in APP_SERIES
    }
    drawn = sorted(SAMPLE_ID.findall(busy_page))
    pace = next(c for c in busy.scorecard.criteria if c.id == "pace")
    metrics = {"pitch_median_hz", "loudness_dbfs", measure_of(pace, busy.language)}
    expected = sorted(
        (s.metric, f"{s.start:.2f}", f"{s.end:.2f}", f"{s.value:.2f}")
        for s in operator
        if s.metric in metrics
    )
    assert drawn and drawn == expected
