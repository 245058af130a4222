"""``coaching batch SOURCE``: analyse a folder or a CSV manifest of calls into the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coaching.batch.manifest import DEFAULT_OPERATOR
from coaching.errors import ConfigError


def register(commands) -> None:
    """Add the ``batch`` sub-command to the ``coaching`` parser."""
    from coaching.cli.options import add_model_arguments

    parser = commands.add_parser(
        "batch",
        help="analyse a folder or CSV manifest of calls into the store (resumable)",
        description="Analyse every call of a folder (by file extension) or of a CSV manifest "
        "(columns path, operator, call_time, optional channel_map left|right and language) "
        "into the store. Calls already stored with the same settings and version are skipped, "
        "so an interrupted run resumes where it stopped. Failed calls are recorded and listed "
        "at the end; the run goes on.",
    )
    parser.add_argument("source", type=Path, metavar="SOURCE", help="a folder or a .csv manifest")
    run = parser.add_argument_group("batch")
    run.add_argument(
        "--backend",
        choices=("local", "ray"),
        help="local process pool (default) or a Ray cluster (default when --ray-address is given)",
    )
    run.add_argument(
        "--workers",
        type=int,
        help="local: worker processes, each holding its own models (default 1); "
        "ray: calls in flight at once (default: the cluster's CPUs)",
    )
    run.add_argument(
        "--ray-address",
        metavar="ADDR",
        help="Ray cluster to join: auto, or host:port of the head (default: a local Ray)",
    )
    run.add_argument(
        "--db",
        metavar="URL",
        help="store URL (default: $COACHING_DB_URL, else a SQLite file in $COACHING_DATA_DIR)",
    )
    run.add_argument(
        "--operator",
        default=DEFAULT_OPERATOR,
        help=f"operator of the calls of a folder (a manifest names its own; default "
        f"{DEFAULT_OPERATOR!r})",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    add_model_arguments(parser)
    parser.set_defaults(handler=_batch)


def _batch(args: argparse.Namespace) -> int:
    from coaching.batch.manifest import read_source
    from coaching.batch.run import format_result, run_batch
    from coaching.cli.options import options_from_args
    from coaching.store.db import open_store

    if args.ray_address and args.backend == "local":
        raise ConfigError("--ray-address needs --backend ray (or leave --backend out)")
    options = options_from_args(args)
    jobs = read_source(args.source, operator=args.operator)
    backend = make_backend(
        args.backend or ("ray" if args.ray_address else "local"),
        options=options,
        workers=args.workers,
        ray_address=args.ray_address,
    )
    store = open_store(args.db)
    try:
        result = run_batch(jobs, store=store, backend=backend, options=options, echo=not args.quiet)
    finally:
        store.close()
    print(format_result(result, source=args.source), file=sys.stderr if result.failed else None)
    return 1 if result.failed else 0


def make_backend(kind: str, *, options, workers: int | None = None, ray_address=None):
    """The backend called ``kind`` ("local" or "ray") for ``options``' models."""
    from coaching.batch.tasks import ModelSpec

    spec = ModelSpec.of(options)
    if kind == "ray":
        from coaching.batch.ray_backend import RayBackend

        return RayBackend(spec, address=ray_address, workers=workers)
    from coaching.batch.local import LocalBackend

    return LocalBackend(spec, workers=workers or 1)
