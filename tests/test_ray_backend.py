"""The Ray backend on a local two-CPU Ray instance gives the local backend's reports.

Both Ray layouts run: CPU tasks that hold the whole analysis, and CPU tasks that
send their speech recognition to an ``AsrServer`` actor (the GPU layout, here on
a CPU). CTranslate2's results depend slightly on its thread count, and Ray gives
each one-CPU task one thread, so the local reference runs with one thread too.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coaching.batch.local import LocalBackend
from coaching.batch.manifest import scan_folder
from coaching.batch.ray_backend import RayBackend
from coaching.batch.run import run_batch
from coaching.batch.tasks import CallTask, ModelSpec
from coaching.store.db import open_store
from coaching.store.schema import Call
from testkit.batch_calls import OPTIONS, render_calls

ray = pytest.importorskip("ray", reason="the Ray backend needs ray (pip install '.[ray]')")

pytestmark = pytest.mark.slow
SPEC = ModelSpec.of(OPTIONS)


@pytest.fixture(scope="module")
def ray_instance():
    """A local Ray with two CPUs; a failure to start is a test failure, not a skip."""
    try:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    except Exception as error:
        pytest.fail(f"Ray could not start on this machine: {error}")
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def call_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ray-calls")
    render_calls(folder)
    return folder


@pytest.fixture(scope="module")
def tasks(call_folder) -> list[CallTask]:
    return [
        CallTask(index, str(job.path), OPTIONS)
        for index, job in enumerate(scan_folder(call_folder))
    ]


@pytest.fixture(scope="module")
def local_reports(tasks) -> dict[str, dict]:
    with LocalBackend(SPEC, workers=2, threads=1) as backend:
        return reports_by_source(backend.run(tasks))


def reports_by_source(outcomes) -> dict[str, dict]:
    reports = {}
    for outcome in outcomes:
        assert outcome.error is None
        reports[outcome.report.source] = without_timings(outcome.report.to_dict())
    return reports


def without_timings(report: dict) -> dict:
    return {key: value for key, value in report.items() if key != "timings"}


def differences(left, right, where: str = "") -> list[str]:
    """Where two plain JSON values differ, for a readable failure message."""
    if isinstance(left, dict) and isinstance(right, dict):
        keys = sorted(set(left) | set(right))
        return [d for k in keys for d in differences(left.get(k), right.get(k), f"{where}.{k}")]
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        pairs = enumerate(zip(left, right, strict=True))
        return [d for i, (a, b) in pairs for d in differences(a, b, f"{where}[{i}]")]
    return [] if left == right else [f"{where}: {left!r} != {right!r}"]


def test_ray_tasks_store_the_same_reports_as_the_local_backend(
    ray_instance, call_folder, local_reports, tmp_path
):
    store = open_store(f"sqlite:///{tmp_path / 'ray.sqlite3'}")
    try:
        backend = RayBackend(SPEC)
        result = run_batch(scan_folder(call_folder), store=store, backend=backend, options=OPTIONS)
        with store.session() as session:
            stored = {c.audio_ref: without_timings(c.report) for c in session.scalars(select(Call))}
    finally:
        store.close()
    assert (result.analysed, result.failed) == (2, ())
    assert backend.workers == 2  # the cluster's CPUs
    assert ray.is_initialized()  # the backend leaves a Ray it did not start running
    assert stored == local_reports, differences(stored, local_reports)[:10]
    assert all(report["utterances"] for report in stored.values())


def test_asr_server_actor_gives_the_same_reports(ray_instance, tasks, local_reports):
    with RayBackend(SPEC, asr_servers=1) as backend:
        assert backend.server_count == 1
        remote = reports_by_source(backend.run(tasks))
    assert remote == local_reports, differences(remote, local_reports)[:10]


def test_every_backend_names_the_models_its_reports_list(ray_instance, local_reports):
    """What the batch compares with a stored call made while a model fell back."""
    listed = [report["provenance"]["models"] for report in local_reports.values()]
    backends = [LocalBackend(SPEC, workers=1), RayBackend(SPEC), RayBackend(SPEC, asr_servers=1)]
    for backend in backends:
        with backend:
            named = [model.to_dict() for model in backend.models_used()]
        assert all(models == named for models in listed), (backend, named)
