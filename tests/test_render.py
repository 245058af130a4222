"""Terminal and HTML scorecards, the HTML in a real headless browser, and the CLI command."""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from coaching.cli.scorecard import ReportFileError, scorecard_command
from coaching.errors import CoachingError, ConfigError
from coaching.report.html import render_scorecard_html, render_scorecard_text
from coaching.scoring import apply_scorecard
from coaching.scoring.messages import clock
from testkit.synthetic import OperatorStyle, synthetic_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def scored():
    report = synthetic_report(
        style=OperatorStyle(rate=190, pitch_sd_semitones=0.8), hold_s=12.0, overtalk_s=1.5
    )
    return apply_scorecard(report)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_text_scorecard_shows_every_criterion_with_bar_verdict_and_timed_notes(scored):
    text = render_scorecard_text(scored)
    for criterion in scored.scorecard.criteria:
        line = next(line for line in text.splitlines() if line.startswith(criterion.label))
        assert criterion.target in line
        assert ("█" in line or "░" in line) and criterion.verdict in line
    assert f"{scored.scorecard.overall:.0f}/100" in text
    for note in scored.notes:
        assert f"{clock(note.start)}  " in text
    assert "\033[" not in text
    assert "\033[31m" in render_scorecard_text(scored, color=True)


def test_text_scorecard_explains_why_a_criterion_is_not_scored():
    report = apply_scorecard(synthetic_report(reliable=False))
    pace_line = next(line for line in render_scorecard_text(report).splitlines() if "Pace" in line)
    assert "n/a: operator and caller could not be told apart" in pace_line


def test_text_scorecard_aligns_han_labels_by_display_width():
    report = apply_scorecard(synthetic_report(language="zh", style=OperatorStyle(rate=6.9)))
    lines = render_scorecard_text(report).splitlines()
    value_columns = set()
    for criterion in report.scorecard.criteria:
        row = next(line for line in lines if line.startswith(criterion.label + " "))
        rest = row[len(criterion.label) :]
        padding = len(rest) - len(rest.lstrip(" "))
        value_columns.add(2 * len(criterion.label) + padding)  # Han labels: two columns each
    assert len(value_columns) == 1


def test_rendering_an_unscored_report_says_what_to_do():
    with pytest.raises(ConfigError, match="apply_scorecard"):
        render_scorecard_text(synthetic_report())


def test_html_is_one_self_contained_document_with_svg_charts(scored):
    page = render_scorecard_html(scored)
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 2
    assert not re.search(r"https?:", page)
    parser = Tags()
    parser.feed(page)
    tags = {tag for tag, _ in parser.tags}
    assert not tags & {"script", "link", "img", "iframe"}
    assert not [attrs for _, attrs in parser.tags if "src" in attrs]
    for criterion in scored.scorecard.criteria:
        assert criterion.label in page
    for note in scored.notes:
        assert f"<time>{clock(note.start)}</time>" in page
        assert html.escape(note.text) in page


def test_html_follows_the_scorecard_language():
    report = apply_scorecard(synthetic_report(language="zh", style=OperatorStyle(rate=6.9)))
    page = render_scorecard_html(report)
    assert '<html lang="zh">' in page
    assert "通话评分卡" in page
    assert all(c.label in page for c in report.scorecard.criteria)
    assert all(html.escape(note.text) in page for note in report.notes)


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_html_renders_offline_in_a_real_browser(scored, tmp_path):
    from playwright.sync_api import sync_playwright

    path = tmp_path / "scorecard.html"
    path.write_text(render_scorecard_html(scored), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 1600})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        charts = page.eval_on_selector_all(
            "svg.chart", "els => els.map(e => e.getBoundingClientRect().height)"
        )
        rows = page.locator("table tbody tr").count()
        markers = page.locator(".notes li .marker").count()
        browser.close()
    assert requests == [path.as_uri()]
    assert len(charts) == 2 and min(charts) > 100
    assert rows == len(scored.scorecard.criteria)
    assert markers == len(scored.notes)


def _args(path, **overrides):
    return SimpleNamespace(
        report=path, html=overrides.get("html"), language=overrides.get("language"), rubric=None
    )


def test_cli_scores_a_report_file_prints_it_and_writes_html(tmp_path, capsys):
    path = tmp_path / "call.json"
    path.write_text(json.dumps(synthetic_report(hold_s=20.0).to_dict()), encoding="utf-8")
    out = tmp_path / "call.html"
    assert scorecard_command(_args(path, html=out)) == 0
    printed = capsys.readouterr().out
    assert "Dead air" in printed and "00:" in printed
    assert out.read_text(encoding="utf-8").count("<svg") == 2
    assert scorecard_command(_args(path, language="vi")) == 0
    assert "Khoảng lặng" in capsys.readouterr().out


def test_cli_names_the_file_when_it_is_not_a_report(tmp_path):
    with pytest.raises(ReportFileError, match="no such file"):
        scorecard_command(_args(tmp_path / "missing.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ReportFileError, match="not a JSON file"):
        scorecard_command(_args(broken))
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(CoachingError, match="not a call report"):
        scorecard_command(_args(other))
