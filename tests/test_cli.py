"""The ``coaching`` command line: analyse, summaries, reports, failures that do not stop a run."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from coaching.cli.main import main


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for command in ("analyze", "scorecard", "users", "erase", "purge"):
        assert command in out


def test_unknown_option_value_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["analyze", str(tmp_path / "x.wav"), "--device", "tpu"])
    assert "'tpu' is not one of 'auto', 'cpu', 'cuda'" in capsys.readouterr().err


def test_no_command_prints_the_help_and_returns_2(capsys):
    assert main([]) == 2
    assert "analyze" in capsys.readouterr().out


def test_sub_command_help_and_usage_errors_exit_as_before(capsys):
    with pytest.raises(SystemExit) as done:
        main(["users", "add", "-h"])
    assert done.value.code == 0 and "--password-stdin" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        main(["erase", "--call", "1", "--operator", "olga"])
    assert done.value.code == 2 and "exactly one" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        main(["purge"])
    assert done.value.code == 2 and "--older-than" in capsys.readouterr().err


def test_an_interrupt_returns_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr("coaching.cli.store.run_purge", interrupted)
    assert main(["purge", "--older-than", "30"]) == 130
    assert "interrupted" in capsys.readouterr().err


@pytest.mark.slow
def test_analyze_writes_reports_and_goes_on_past_a_bad_file(sample_calls, tmp_path, capsys):
    good = sample_calls("en_calm")["en_calm"]
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk")
    out_dir = tmp_path / "reports"
    code = main(["analyze", str(bad), str(good), "--out", str(out_dir)])
    captured = capsys.readouterr()
    assert code == 1
    assert "broken.wav" in captured.err and "1 of 2 call(s) failed" in captured.err
    assert "operator" in captured.out and "wpm" in captured.out and "score:" in captured.out
    assert "\r" not in captured.err  # not a terminal: progress as plain lines, one per step
    steps = [line for line in captured.err.splitlines() if line.startswith("[2/2] en_calm.wav: ")]
    assert len(steps) == len(set(steps)) > 3
    assert sorted(p.name for p in out_dir.iterdir()) == ["en_calm.json"]  # nothing half-written
    report = json.loads((out_dir / "en_calm.json").read_text())
    assert report["schema"] == "call-report/1" and report["utterances"]

    assert (
        main(["scorecard", str(out_dir / "en_calm.json"), "--html", str(tmp_path / "card.html")])
        == 0
    )
    assert "Pace" in capsys.readouterr().out
    assert "<svg" in (tmp_path / "card.html").read_text()


def test_scorecard_of_a_file_that_is_not_a_report(tmp_path, capsys):
    path = tmp_path / "notes.json"
    path.write_text('{"hello": 1}')
    assert main(["scorecard", str(path)]) == 1
    assert "not a call report" in capsys.readouterr().err


def test_installed_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "coaching", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("coaching ")
