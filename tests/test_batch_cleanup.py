"""Batch cleanup (issue 9, item 9): no orphaned workers, no silent skips.

The worker tests start a real ``coaching batch`` in a child process, wait for its
worker processes, kill or terminate the coordinator and watch the workers' pids.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from coaching.batch import LocalBackend, ModelSpec, run_batch, scan_folder
from coaching.store.db import open_store
from coaching.store.schema import Call
from testkit.batch_calls import OPTIONS, render_calls

ROOT = Path(__file__).resolve().parent.parent
PROC = Path("/proc")
LOADED_MB = 250  # a worker past its imports, loading or holding Whisper
linux_only = pytest.mark.skipif(not PROC.is_dir(), reason="reads processes from /proc")


def workers_of(coordinator: int) -> list[int]:
    """Live multiprocessing workers whose parent is ``coordinator``."""
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit() and _parent(int(entry.name)) == coordinator:
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in command:
                found.append(int(entry.name))
    return found


def _parent(pid: int) -> int | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def alive(pid: int) -> bool:
    """Running, not gone and not a zombie waiting to be reaped."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def resident_mb(pid: int) -> int:
    try:
        status = (PROC / str(pid) / "status").read_text()
    except OSError:
        return 0
    line = next((row for row in status.splitlines() if row.startswith("VmRSS:")), "VmRSS: 0")
    return int(line.split()[1]) // 1024


def wait_for(predicate, *, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@pytest.fixture(scope="module")
def calls(tmp_path_factory) -> list[Path]:
    return render_calls(tmp_path_factory.mktemp("calls"))


def start_batch(calls: list[Path], tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    """A real two-worker batch over a few copies of the short calls; returns it and its workers."""
    folder = tmp_path / "calls"
    folder.mkdir()
    for copy in range(3):  # distinct bytes per copy, so none is skipped as a duplicate
        for call in calls:
            target = folder / f"{call.stem}_{copy}.wav"
            shutil.copy(call, target)
            with open(target, "ab") as out:
                out.write(bytes([copy]))
    command = [sys.executable, "-m", "coaching", "batch", str(folder), "--workers", "2"]
    command += ["--db", f"sqlite:///{tmp_path / 'store.sqlite3'}", "--device", "cpu", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    coordinator = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)

    def two_loaded_workers() -> bool:  # as in the issue: workers that hold their models
        workers = workers_of(coordinator.pid)
        return len(workers) == 2 and all(resident_mb(pid) > LOADED_MB for pid in workers)

    if not wait_for(two_loaded_workers, timeout=240, step=0.5):
        coordinator.kill()
        pytest.fail("the batch never had two workers with their models loaded")
    return coordinator, workers_of(coordinator.pid)


def stop(coordinator: subprocess.Popen, workers: list[int]) -> None:
    coordinator.kill()
    coordinator.wait()
    for pid in workers:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
@linux_only
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_when_the_coordinator_is_killed(calls, tmp_path, how):
    coordinator, workers = start_batch(calls, tmp_path)
    try:
        os.kill(coordinator.pid, how)
        assert coordinator.wait(timeout=30) != 0
        gone = wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)
        assert gone, f"workers {[p for p in workers if alive(p)]} outlived their coordinator"
    finally:
        stop(coordinator, workers)


@pytest.fixture
def odd_folder(calls, tmp_path) -> Path:
    """One good call, a broken file and its copy, and entries only named like audio."""
    folder = tmp_path / "odd"
    folder.mkdir()
    shutil.copy(calls[0], folder / "good.wav")
    junk = b"RIFF\x10\x00\x00\x00WAVEjunk" + bytes(range(256)) * 8
    (folder / "broken.wav").write_bytes(junk)
    (folder / "broken_copy.wav").write_bytes(junk)
    (folder / "gone.wav").symlink_to(folder / "deleted.wav")
    (folder / "folder.wav").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.wav")
    return folder


@pytest.mark.slow
def test_duplicates_of_a_failed_file_and_odd_entries_are_reported(odd_folder, tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'odd.sqlite3'}")
    try:
        result = run_batch(
            scan_folder(odd_folder),
            store=store,
            backend=LocalBackend(ModelSpec.of(OPTIONS), workers=1),
            options=OPTIONS,
            echo=False,
        )
        with store.session() as session:
            stored = {Path(c.audio_ref).name: c for c in session.scalars(select(Call))}
    finally:
        store.close()
    reasons = {Path(f.path).name: f.reason for f in result.failed}
    odd = {"gone.wav", "folder.wav"} | ({"pipe.wav"} if hasattr(os, "mkfifo") else set())
    assert set(reasons) == {"broken.wav", "broken_copy.wav"} | odd
    assert (result.analysed, result.skipped) == (1, 0)
    assert result.total == result.analysed + result.skipped + len(result.failed)
    assert "duplicate" in reasons["broken_copy.wav"] and "broken.wav" in reasons["broken_copy.wav"]
    assert "broken symbolic link" in reasons["gone.wav"]
    assert "a folder" in reasons["folder.wav"]
    if "pipe.wav" in odd:
        assert "FIFO" in reasons["pipe.wav"]
    for name in reasons:
        assert stored[name].status == "failed" and stored[name].error == reasons[name]
    assert stored["good.wav"].status == "analysed"
