"""Batch analysis: folders and CSV manifests of calls into the store, locally or on Ray.

from coaching.batch import read_source, run_batch, LocalBackend, ModelSpec
from coaching.store.db import open_store

options = AnalysisOptions()
result = run_batch(
    read_source(Path("calls/")),
    store=open_store(),
    backend=LocalBackend(ModelSpec.of(options), workers=2),
    options=options,
)
"""

from coaching.batch.local import LocalBackend
from coaching.batch.manifest import CallJob, read_manifest, read_source, scan_folder
from coaching.batch.run import BatchResult, FailedCall, format_result, run_batch
from coaching.batch.settings import RunSettings, expected_asr
from coaching.batch.tasks import CallOutcome, CallTask, ModelSpec

__all__ = [
    "BatchResult",
    "CallJob",
    "CallOutcome",
    "CallTask",
    "FailedCall",
    "LocalBackend",
    "ModelSpec",
    "RunSettings",
    "expected_asr",
    "format_result",
    "read_manifest",
    "read_source",
    "run_batch",
    "scan_folder",
]
