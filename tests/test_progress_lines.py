"""Progress: a bar on a terminal, plain lines (no carriage returns) in a pipe or a log."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
import tty
from pathlib import Path

from coaching.progress import ProgressLines

ROOT = Path(__file__).resolve().parent.parent


def _batch_of_two_missing_calls(tmp_path: Path, **streams) -> subprocess.Popen:
    """`coaching batch` on a manifest of two calls whose files are gone: it plans both,
    fails both without starting a model, and exits 1."""
    manifest = tmp_path / "calls.csv"
    manifest.write_text(
        "path,operator,call_time\n"
        "gone1.wav,Ann,2024-05-01T09:30:00Z\n"
        "gone2.wav,Ann,2024-05-01T10:30:00Z\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "coaching", "batch", str(manifest)]
    command += ["--db", f"sqlite:///{tmp_path / 'store.sqlite3'}"]
    return subprocess.Popen(command, cwd=tmp_path, env=env, **streams)


def test_batch_progress_in_a_pipe_is_one_plain_line_per_call(tmp_path):
    run = _batch_of_two_missing_calls(tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = (stream.decode() for stream in run.communicate(timeout=120))
    assert run.returncode == 1, err
    assert "\r" not in out + err
    progress = [line for line in err.splitlines() if line.startswith("[")]
    assert progress == ["[1/2] checking the store", "[2/2] checking the store"]
    assert out.count("FAILED") == 2 and "2 failed" in err


def test_batch_progress_on_a_terminal_is_a_bar(tmp_path):
    terminal, stderr = pty.openpty()
    tty.setraw(stderr)  # no newline translation: a "\r" seen is one the program wrote
    fcntl.ioctl(stderr, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    run = _batch_of_two_missing_calls(tmp_path, stdout=subprocess.DEVNULL, stderr=stderr)
    os.close(stderr)
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(terminal)
    assert run.wait(timeout=120) == 1
    text = shown.decode(errors="replace")
    assert "\rchecking the store: 100%" in text and "2/2" in text
    assert "[1/2] checking the store" not in text


def _lines(drive) -> list[str]:
    stream = io.StringIO()
    with ProgressLines(total=2, file=stream) as bar:
        drive(bar)
    return stream.getvalue().splitlines()


def test_analyze_steps_are_one_line_each_naming_the_call_in_hand():
    def analyze(bar):  # what coaching.cli.analyze does: a description, steps, an update
        for name in ("a.wav", "b.wav"):
            bar.set_description(name, refresh=False)
            for done, step in enumerate(("decode", "transcribe", "done")):
                bar.set_postfix_str(f"{step} ({done}/2)", refresh=True)
            bar.update(1)

    assert _lines(analyze) == [
        "[1/2] a.wav: decode (0/2)",
        "[1/2] a.wav: transcribe (1/2)",
        "[1/2] a.wav: done (2/2)",
        "[2/2] b.wav: decode (0/2)",
        "[2/2] b.wav: transcribe (1/2)",
        "[2/2] b.wav: done (2/2)",
    ]


def test_a_postfix_set_after_an_update_is_on_that_update_line():
    def batch(bar):  # what coaching.batch.run does once per analysed call
        bar.set_description("analysing (local)")
        for rate in ("1.0", "2.0"):
            bar.update(1)
            bar.set_postfix_str(f"{rate} calls/min", refresh=False)

    assert _lines(batch) == [
        "[1/2] analysing (local)",
        "[1/2] analysing (local): 1.0 calls/min",
        "[2/2] analysing (local): 2.0 calls/min",
    ]


def test_disabled_progress_prints_nothing():
    stream = io.StringIO()
    with ProgressLines(total=1, disable=True, file=stream) as bar:
        bar.set_postfix_str("decode")
        bar.update(1)
    assert stream.getvalue() == ""
