"""A wheel built from this checkout, installed outside it, runs what the checkout runs."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtual environment (seeing this Python's dependencies) with only the wheel added."""
    work = tmp_path_factory.mktemp("wheel")
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(work / "dist"), str(ROOT)], **run,
    )  # fmt: skip
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], **run)
    wheel = next((work / "dist").glob("call_coaching-*.whl"))
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-deps", str(wheel)], **run)
    return venv


def coaching(venv: Path, *args: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": ""}
    return subprocess.run(
        [str(venv / "bin" / "coaching"), *args], cwd=cwd, env=env, text=True, **kwargs
    )


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path):
    code = "import coaching; print(coaching.__file__)"
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", code],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert str(installed) in where and str(ROOT) not in where
    version = coaching(installed, "--version", cwd=tmp_path, capture_output=True)
    assert version.returncode == 0 and version.stdout.startswith("coaching ")


def test_the_wheel_analyses_a_shipped_demo_call(installed, tmp_path):
    locate = (
        "from coaching.app.demo_truth import demo_call_paths; print(demo_call_paths()['en_calm'])"
    )
    call = subprocess.run(
        [str(installed / "bin" / "python"), "-c", locate],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert str(installed) in call
    done = coaching(
        installed, "analyze", call, "--out", "out", "--quiet", cwd=tmp_path, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "out" / "en_calm.json").read_text())
    assert report["language"] == "en" and report["utterances"]
    roles = {model["role"]: model for model in report["provenance"]["models"]}
    assert roles["abuse"]["source"] == "embedded"  # the heads (and their members) are in the wheel


def test_the_wheel_serves_the_quick_demo_app(installed, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(installed / "bin" / "coaching"), "app", "--demo", "--quick", "--port", str(port),
         "--data-dir", str(tmp_path / "data")],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": ""},
    )  # fmt: skip
    try:
        assert _healthy(f"http://127.0.0.1:{port}/_stcore/health", server), server.stdout.read()
    finally:
        server.terminate()
        server.wait(timeout=30)


def _healthy(url: str, server: subprocess.Popen, timeout_s: float = 120) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return answer.read().strip() == b"ok"
        except OSError:
            time.sleep(1)
    return False
