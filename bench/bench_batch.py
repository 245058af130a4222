"""Batch throughput: audio seconds analysed per wall-clock second, per backend and worker count.

    python bench/bench_batch.py [--calls N] [--workers 1 2] [--model base] [--json FILE]

Renders ``--calls`` generated sample calls (English and other languages), then
runs ``coaching batch`` over them into a fresh SQLite store once per setting:
the local process pool on the CPU with each worker count, and, when a CUDA GPU
is visible, the local pool on the GPU and the Ray backend whose ``AsrServer``
actor uses faster-whisper's batched pipeline. Start-up (spawning workers,
loading models, starting Ray) is timed apart from the analysis itself.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coaching.batch.local import LocalBackend  # noqa: E402
from coaching.batch.manifest import scan_folder  # noqa: E402
from coaching.batch.run import run_batch  # noqa: E402
from coaching.batch.settings import expected_asr  # noqa: E402
from coaching.batch.tasks import ModelSpec  # noqa: E402
from coaching.device import cuda_device_count  # noqa: E402
from coaching.options import AnalysisOptions  # noqa: E402
from coaching.store.db import open_store  # noqa: E402
from samples.generate import ensure_calls  # noqa: E402
from samples.scripts import SCRIPTS  # noqa: E402

CACHE = ROOT / "samples" / ".cache"
CALL_ORDER = ("en_calm", "vi_calm", "ru_calm", "zh_calm", "en_quiet", "en_overtalk")


@dataclass(frozen=True)
class Figure:
    backend: str
    device: str
    workers: int
    calls: int
    audio_s: float
    startup_s: float
    wall_s: float

    @property
    def speed(self) -> float:
        """Audio seconds per wall-clock second of analysis (start-up left out)."""
        return self.audio_s / self.wall_s if self.wall_s else 0.0


def sample_folder(count: int) -> Path:
    """A folder of links to ``count`` rendered sample calls."""
    names = [*CALL_ORDER, *(n for n in SCRIPTS if n not in CALL_ORDER)][:count]
    folder = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    for name, path in ensure_calls(names, CACHE).items():
        (folder / f"{name}{path.suffix}").symlink_to(path.resolve())
    return folder


def measure(label: str, backend, folder: Path, options: AnalysisOptions) -> Figure:
    """One run of the batch into a fresh store, timed."""
    with tempfile.TemporaryDirectory() as data:
        store = open_store(f"sqlite:///{data}/bench.sqlite3")
        started = time.perf_counter()
        try:
            result = run_batch(scan_folder(folder), store=store, backend=backend, options=options)
        finally:
            store.close()
        total = time.perf_counter() - started
    if result.failed:
        raise SystemExit(f"{label}: {len(result.failed)} call(s) failed: {result.failed[0].reason}")
    return Figure(
        backend=label,
        device=options.transcript.device,
        workers=getattr(backend, "workers", 1) or 1,
        calls=result.analysed,
        audio_s=result.audio_s,
        startup_s=total - result.wall_s,
        wall_s=result.wall_s,
    )


def gpu_figures(folder: Path, options: AnalysisOptions) -> list[Figure]:
    from coaching.batch.ray_backend import RayBackend

    gpu = AnalysisOptions.of(model=options.transcript.model, device="cuda")
    figures = [measure("local", LocalBackend(ModelSpec.of(gpu), workers=1), folder, gpu)]
    ray = RayBackend(ModelSpec.of(gpu), workers=os.cpu_count(), asr_servers=1)
    figures.append(measure("ray (batched ASR server)", ray, folder, gpu))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=4, help="how many sample calls (default 4)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--model", default="base", help="Whisper model (default: embedded base)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    folder = sample_folder(args.calls)
    cpu = AnalysisOptions.of(model=args.model, device="cpu")
    model = expected_asr(args.model).name
    print(f"model {model}; {args.calls} calls; {os.cpu_count()} CPU cores", flush=True)
    figures = [
        measure("local", LocalBackend(ModelSpec.of(cpu), workers=n), folder, cpu)
        for n in args.workers
    ]
    if cuda_device_count():
        figures += gpu_figures(folder, cpu)
    else:
        print("no CUDA GPU visible: GPU figures left out")
    print(
        f"{'backend':<26}{'device':<7}{'workers':>8}{'audio s':>9}{'start s':>9}"
        f"{'wall s':>9}{'audio s/s':>11}"
    )
    for f in figures:
        print(
            f"{f.backend:<26}{f.device:<7}{f.workers:>8}{f.audio_s:>9.1f}{f.startup_s:>9.1f}"
            f"{f.wall_s:>9.1f}{f.speed:>11.2f}"
        )
    if args.json:
        rows = [{**asdict(f), "audio_s_per_wall_s": f.speed, "model": model} for f in figures]
        args.json.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
