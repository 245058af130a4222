"""Scorecards and notes from real analyses of the sample calls, in each of the four languages."""

from __future__ import annotations

import json
import re

import pytest

from coaching.report.html import render_scorecard_html, render_scorecard_text

pytestmark = pytest.mark.slow

SCRIPT_OF = {
    "en": re.compile(r"[A-Za-z]"),
    "vi": re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]"),
    "ru": re.compile(r"[а-яё]", re.IGNORECASE),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
}


@pytest.mark.parametrize("name", ("en_calm", "vi_calm", "ru_calm", "zh_calm"))
def test_scorecard_and_notes_in_the_calls_language(analysed, name):
    report, truth = analysed(name)
    assert report.language == truth.language
    assert report.scorecard is not None and report.scorecard.overall is not None
    assert {c.id for c in report.scorecard.criteria} >= {"pace", "volume", "pitch_variation"}
    assert report.notes, "every call gets strengths and things to work on"
    for note in report.notes:
        assert SCRIPT_OF[truth.language].search(note.text), note.text
        assert note.start is None or 0 <= note.start <= report.duration_s
    data = json.loads(json.dumps(report.to_dict()))
    assert data["scorecard"]["criteria"] and data["notes"]
    text = render_scorecard_text(report)
    html = render_scorecard_html(report)
    assert report.notes[0].text.split()[0] in text
    assert "<svg" in html
    assert not re.search(r"""(src|href)=["']?https?:""", html), "the page must work offline"
