"""The seeded training script reproduces its head files byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "training" / "text"


@pytest.mark.slow
def test_training_twice_on_a_subset_writes_identical_files(tmp_path):
    pytest.importorskip("sklearn")
    if not list(DATA.glob("*.jsonl")):
        pytest.skip("no training data in training/text")
    outputs = []
    for run in ("first", "second"):
        out = tmp_path / run
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "training" / "train_text_heads.py"),
                "--subset",
                "200",
                "--out",
                str(out),
            ],
            check=True,
            cwd=ROOT,
            capture_output=True,
            timeout=900,
        )
        outputs.append(out)
    names = sorted(p.name for p in outputs[0].iterdir())
    assert names == ["MANIFEST.json", "abuse.json", "courtesy.json", "sentiment.json"]
    for name in names:
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name
