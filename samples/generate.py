"""Render scripted two-voice calls to audio files with their truth JSON beside them.

    python -m samples.generate --out DIR [--only NAME ...] [--mono] [--format flac]

Library use: :func:`render_call` (arrays), :func:`write_call` (files) and
:func:`ensure_calls` (a cache that renders only what is missing, for test fixtures).
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from coaching.serial import Serializable
from samples import render
from samples import truth as truth_module
from samples.render import espeak_version, render_turn
from samples.scripts import SCRIPTS, CallScript, SampleError
from samples.truth import CallTruth, build_truth

GENERATOR_VERSION = "1"
SAMPLE_RATE = 16_000
LEAD_IN_S = 0.5
TAIL_S = 0.6
CLIP_LEVEL = 0.999
MONO_SUFFIX = "_mono"
ESPEAK_WORKERS = 4
FORMATS = {"wav": ("WAV", "PCM_16"), "flac": ("FLAC", "PCM_16"), "ogg": ("OGG", "OPUS")}
COMPRESSION = {"flac": 1.0}  # smallest FLAC files; still lossless


@dataclass(frozen=True, eq=False)
class RenderedCall(Serializable):
    """A rendered call: ``stereo`` is (2, samples) float32, row 0 the operator."""

    stereo: np.ndarray = field(repr=False, metadata={"serialize": False})
    sample_rate: int
    truth: CallTruth

    @property
    def mono(self) -> np.ndarray:
        """Both parties summed into one channel."""
        return self.stereo.sum(axis=0).astype(np.float32)


@functools.cache
def _generator_code_sha256() -> str:
    """A hash of the code that renders and measures, so any change to it renders afresh."""
    digest = hashlib.sha256()
    for module in (render, truth_module, sys.modules[__name__]):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def script_sha256(script: CallScript, *, sample_rate: int = SAMPLE_RATE) -> str:
    """A hash of everything that decides the rendered audio: the script, the generator's
    code and espeak-ng's version."""
    payload = json.dumps(
        {
            "script": script.to_dict(),
            "generator": [GENERATOR_VERSION, _generator_code_sha256()],
            "espeak": espeak_version(),
            "sample_rate": sample_rate,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def render_call(script: CallScript, *, sample_rate: int = SAMPLE_RATE) -> RenderedCall:
    """Speak every turn of ``script`` and lay the turns out on a stereo timeline."""
    with ThreadPoolExecutor(max_workers=ESPEAK_WORKERS) as pool:  # espeak-ng runs as a process
        audio = list(
            pool.map(lambda turn: render_turn(script, turn, sample_rate=sample_rate), script.turns)
        )
    placed = _place_turns(script, [len(samples) / sample_rate for samples in audio])
    total = round((max(end for _, end in placed) + TAIL_S) * sample_rate)
    stereo = np.zeros((2, total), dtype=np.float32)
    for turn, samples, (start, _) in zip(script.turns, audio, placed, strict=True):
        row = 0 if turn.speaker == "operator" else 1
        first = round(start * sample_rate)
        stereo[row, first : first + len(samples)] += samples
    peak = float(np.max(np.abs(stereo.sum(axis=0))))
    if peak >= CLIP_LEVEL:
        raise SampleError(f"call script {script.name!r} clips (peak {peak:.2f}); lower its levels")
    truth = build_truth(
        script,
        stereo,
        placed,
        sample_rate=sample_rate,
        generator_version=GENERATOR_VERSION,
        script_sha256=script_sha256(script, sample_rate=sample_rate),
    )
    return RenderedCall(stereo=stereo, sample_rate=sample_rate, truth=truth)


def _place_turns(script: CallScript, durations: Sequence[float]) -> list[tuple[float, float]]:
    """Start and end of each turn: each starts ``gap_before_s`` after all speech so far."""
    placed: list[tuple[float, float]] = []
    latest = {"operator": 0.0, "caller": 0.0}
    for index, (turn, duration) in enumerate(zip(script.turns, durations, strict=True)):
        start = LEAD_IN_S if not placed else max(latest.values()) + turn.gap_before_s
        if start < latest[turn.speaker]:
            raise SampleError(
                f"call script {script.name!r}: turn {index} starts before the same speaker's "
                "previous turn ends; make its gap_before_s less negative"
            )
        placed.append((start, start + duration))
        latest[turn.speaker] = start + duration
    return placed


def truth_path(audio_path: str | os.PathLike) -> Path:
    """Where the truth JSON of an audio file lies: ``<stem>.truth.json`` beside it."""
    path = Path(audio_path)
    return path.with_name(f"{path.stem}.truth.json")


def load_truth(audio_path: str | os.PathLike) -> CallTruth:
    """The :class:`CallTruth` written beside ``audio_path``."""
    source = truth_path(audio_path)
    if not source.exists():
        raise SampleError(f"{audio_path}: no truth file {source.name} beside it; regenerate it")
    return CallTruth.from_dict(json.loads(source.read_text(encoding="utf-8")))


def load_rendered(audio_path: str | os.PathLike) -> RenderedCall:
    """A stereo sample call read back from its file and truth (e.g. from :func:`ensure_calls`)."""
    truth = load_truth(audio_path)
    samples, rate = sf.read(str(audio_path), dtype="float32", always_2d=True)
    if truth.layout != "stereo" or samples.shape[1] != 2:
        raise SampleError(f"{audio_path}: not a stereo sample call; load mono mixes as audio")
    return RenderedCall(stereo=np.ascontiguousarray(samples.T), sample_rate=rate, truth=truth)


def write_call(
    script: CallScript,
    out_dir: str | os.PathLike,
    *,
    fmt: str = "wav",
    mono: bool = False,
    sample_rate: int = SAMPLE_RATE,
) -> Path:
    """Render ``script`` into ``out_dir`` as ``<name>.<fmt>`` (``<name>_mono`` when mono)
    with ``<stem>.truth.json`` beside it; returns the audio path."""
    if fmt not in FORMATS:
        raise SampleError(f"unknown sample format {fmt!r}; use one of {', '.join(FORMATS)}")
    return write_rendered(render_call(script, sample_rate=sample_rate), out_dir, fmt=fmt, mono=mono)


def write_rendered(
    rendered: RenderedCall, out_dir: str | os.PathLike, *, fmt: str = "wav", mono: bool = False
) -> Path:
    """Write an already rendered call and its truth, as :func:`write_call` does."""
    if fmt not in FORMATS:
        raise SampleError(f"unknown sample format {fmt!r}; use one of {', '.join(FORMATS)}")
    truth, audio, stem = rendered.truth, rendered.stereo.T, rendered.truth.name
    if mono:
        truth = dataclasses.replace(truth, layout="mono")
        audio, stem = rendered.mono, stem + MONO_SUFFIX
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{stem}.{fmt}"
    container, subtype = FORMATS[fmt]
    rate = rendered.sample_rate
    extra = {"compression_level": COMPRESSION[fmt]} if fmt in COMPRESSION else {}
    _atomic_write(
        target, lambda tmp: sf.write(tmp, audio, rate, subtype, format=container, **extra)
    )
    text = json.dumps(truth.to_dict(), ensure_ascii=False, indent=1) + "\n"
    _atomic_write(truth_path(target), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return target


def _atomic_write(target: Path, write) -> None:
    """Write through a temporary file so readers never see half a file."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    write(temporary)
    os.replace(temporary, target)


def ensure_calls(
    names: Iterable[str], cache_dir: str | os.PathLike, *, fmt: str = "wav"
) -> dict[str, Path]:
    """Paths of the named calls in ``cache_dir``, rendering only those not cached yet.

    A name ending in ``_mono`` gives the mono mix of that script. Entries are keyed by
    :func:`script_sha256`, so a changed script or generator renders afresh.
    """
    paths = {}
    for name in names:
        script, mono = resolve_name(name)
        folder = Path(cache_dir) / f"{script.name}-{script_sha256(script)[:12]}"
        target = folder / f"{name}.{fmt}"
        if not (target.exists() and truth_path(target).exists()):
            target = write_call(script, folder, fmt=fmt, mono=mono)
        paths[name] = target
    return paths


def resolve_name(name: str) -> tuple[CallScript, bool]:
    """The script behind a sample name and whether the name asks for the mono mix."""
    mono = name.endswith(MONO_SUFFIX) and name[: -len(MONO_SUFFIX)] in SCRIPTS
    base = name[: -len(MONO_SUFFIX)] if mono else name
    if base not in SCRIPTS:
        raise SampleError(f"no sample call named {name!r}; known: {', '.join(SCRIPTS)}")
    return SCRIPTS[base], mono


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write sample calls and their truth into a folder."""
    parser = argparse.ArgumentParser(prog="python -m samples.generate", description=__doc__)
    parser.add_argument("--out", required=True, type=Path, help="folder to write into")
    parser.add_argument("--only", nargs="+", metavar="NAME", help=f"some of: {', '.join(SCRIPTS)}")
    parser.add_argument("--mono", action="store_true", help="also write <name>_mono mixes")
    parser.add_argument("--format", default="wav", choices=sorted(FORMATS))
    args = parser.parse_args(argv)
    try:
        scripts = [resolve_name(name)[0] for name in args.only or SCRIPTS]
        for script in scripts:
            rendered = render_call(script)
            for mono in (False, True) if args.mono else (False,):
                _print_summary(write_rendered(rendered, args.out, fmt=args.format, mono=mono))
    except SampleError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def _print_summary(path: Path) -> None:
    truth = load_truth(path)
    print(
        f"{path}  {truth.duration_s:5.1f} s  operator {truth.operator.words_per_minute:5.0f} wpm "
        f"{truth.operator.level_dbfs:6.1f} dBFS  talk share {truth.talk_share:.2f}  "
        f"expect {', '.join(truth.expect)}"
    )


if __name__ == "__main__":
    sys.exit(main())
