"""``coaching batch SOURCE``: analyse a folder or a CSV manifest of calls into the store."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import click

from coaching.batch.manifest import DEFAULT_OPERATOR
from coaching.cli.options import analysis_options
from coaching.errors import ConfigError


@click.command(
    "batch",
    short_help="analyse a folder or CSV manifest of calls into the store (resumable)",
    help="Analyse every call of a folder (by file extension) or of a CSV manifest "
    "(columns path, operator, call_time, optional channel_map left|right and language) "
    "into the store. Calls already stored with the same settings and version are skipped, "
    "so an interrupted run resumes where it stopped. Failed calls are recorded and listed "
    "at the end; the run goes on. SOURCE: a folder or a .csv manifest.",
)
@click.argument("source", type=click.Path(path_type=Path), metavar="SOURCE")
@click.option(
    "--backend",
    type=click.Choice(("local", "ray")),
    help="local process pool (default) or a Ray cluster (default when --ray-address is given)",
)
@click.option(
    "--workers",
    type=int,
    help="local: worker processes, each holding its own models (default 1); "
    "ray: calls in flight at once (default: the cluster's CPUs)",
)
@click.option(
    "--ray-address",
    metavar="ADDR",
    help="Ray cluster to join: auto, or host:port of the head (default: a local Ray)",
)
@click.option(
    "--db",
    metavar="URL",
    help="store URL (default: $COACHING_DB_URL, else a SQLite file in $COACHING_DATA_DIR)",
)
@click.option(
    "--operator",
    default=DEFAULT_OPERATOR,
    help=f"operator of the calls of a folder (a manifest names its own; default "
    f"{DEFAULT_OPERATOR!r})",
)
@click.option("--quiet", is_flag=True, help="no progress bar")
@analysis_options
def batch(**params) -> int:
    return _batch(SimpleNamespace(**params))


def _batch(args: SimpleNamespace) -> int:
    from coaching.batch.lifeline import exit_on_sigterm
    from coaching.batch.manifest import read_source
    from coaching.batch.run import format_result, run_batch
    from coaching.cli.options import options_from_args
    from coaching.store.db import open_store

    if args.ray_address and args.backend == "local":
        raise ConfigError("--ray-address needs --backend ray (or leave --backend out)")
    exit_on_sigterm()
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
