"""``coaching calibration report`` and ``coaching exemplars`` on the quick demo store."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from coaching.app.demo import DEMO_CALLS, seed_demo
from coaching.app.quick_reports import quick_report
from coaching.cli.main import main
from coaching.scoring.agreement import COACH_REVIEW, TRUSTED
from coaching.store.calibration_read import agreement_table

CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    store = seed_demo(folder, analyze=quick_report, hasher=CHEAP)
    yield store
    store.close()


def test_the_demo_round_gives_agreement_for_every_criterion(demo_store, capsys):
    with demo_store.session() as session:
        table = agreement_table(session)
    criteria = {a.criterion_id for a in table}
    assert {"pace", "courtesy", "pitch_variation", "caller_sentiment_trend"} <= criteria
    scored = [a for a in table if a.calls]  # response latency: n/a on every quick call
    assert len(scored) >= 8
    assert all(a.coaches == 2 and a.calls == len(DEMO_CALLS) for a in scored)
    assert {a.status for a in table} == {TRUSTED, COACH_REVIEW}
    assert main(["calibration", "report", "--db", demo_store.url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["criterion", "calls", "coaches"]
    assert len(out) == 1 + len(table)
    pace = next(line for line in out if line.startswith("pace "))
    assert pace.split()[1:3] == [str(len(DEMO_CALLS)), "2"]


def test_a_round_id_limits_the_report_and_an_unknown_one_says_so(demo_store, capsys):
    assert main(["calibration", "report", "--round", "1", "--db", demo_store.url]) == 0
    assert "pace" in capsys.readouterr().out
    assert main(["calibration", "report", "--round", "99", "--db", demo_store.url]) != 0
    assert "no calibration round 99" in capsys.readouterr().err


def test_exemplars_list_the_deescalation_moments(demo_store, capsys):
    assert main(["exemplars", "--db", demo_store.url]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split() for line in lines[1:]]
    assert {"en", "vi"} <= {row[2] for row in rows}
    english = next(line for line in lines if " en " in line and "outage" in line)
    assert "next step" in english and "(pinned)" in english and "->" in english
    assert main(["exemplars", "--language", "vi", "--db", demo_store.url]) == 0
    only = capsys.readouterr().out.splitlines()[1:]
    assert only and all(line.split()[2] == "vi" for line in only)
