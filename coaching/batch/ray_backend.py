"""The Ray backend: the same analysis spread over a Ray cluster.

Two layouts, chosen from the cluster's resources:

- **GPU cluster** (or ``asr_servers`` asked for): :class:`AsrServer` actors hold the
  Whisper model, one per GPU, and transcribe with faster-whisper's
  ``BatchedInferencePipeline``; CPU tasks run every other step (decoding, voice
  activity, diarization, prosody, text) and send their audio to a server for the
  speech recognition.
- **CPU cluster**: each CPU task runs the whole analysis; Ray reuses its worker
  processes, so each one loads the models once (the registry caches them).

The coordinator reads each file and ships its bytes with the task, so the
nodes need no shared file system; only the coordinator writes to the store, and
tasks return :class:`~coaching.types.CallReport` objects.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from coaching.batch.tasks import CallOutcome, CallTask, ModelSpec, analyze_task, failed_outcome
from coaching.errors import ConfigError, ModelError
from coaching.registry import AsrModel, Models
from coaching.types import ModelInfo

IN_FLIGHT_PER_CPU = 2
GPU_BATCH_SIZE = 8


class AsrServer:
    """Holds one Whisper model (as a Ray actor) and transcribes for the CPU tasks."""

    def __init__(self, spec: ModelSpec, batch_size: int = GPU_BATCH_SIZE) -> None:
        models = spec.load()
        self._asr = models.asr
        self._notices = models.notices
        self._batch_size = batch_size
        self._batched = None
        if self._asr.device.device == "cuda":
            from faster_whisper import BatchedInferencePipeline

            self._batched = BatchedInferencePipeline(self._asr.whisper)

    def identity(self) -> tuple[ModelInfo, Any, tuple[str, ...]]:
        """The model's provenance, its device choice and any loading notices."""
        return self._asr.info, self._asr.device, self._notices

    def transcribe(self, audio, **options) -> tuple[list, Any]:
        if self._batched is not None:
            segments, info = self._batched.transcribe(audio, batch_size=self._batch_size, **options)
        else:
            segments, info = self._asr.whisper.transcribe(audio, **options)
        return list(segments), info

    def detect_language(self, audio, **options):
        return self._asr.whisper.detect_language(audio, **options)


class RemoteWhisper:
    """Stands in for a ``WhisperModel`` inside a task: the work runs on an :class:`AsrServer`."""

    def __init__(self, server) -> None:
        self._server = server

    def transcribe(self, audio, **options):
        import ray

        return ray.get(self._server.transcribe.remote(audio, **options))

    def detect_language(self, audio, **options):
        import ray

        return ray.get(self._server.detect_language.remote(audio, **options))


def analyze_whole(task: CallTask, spec: ModelSpec) -> CallOutcome:
    """A CPU task that runs the whole analysis with this worker's cached models."""
    return analyze_task(task, spec.load())


def analyze_with_server(task: CallTask, server, identity) -> CallOutcome:
    """A CPU task whose speech recognition runs on ``server``."""
    info, device, notices = identity
    asr = AsrModel(whisper=RemoteWhisper(server), info=info, device=device)
    text, text_notices = _cpu_text_models(task.options)
    return analyze_task(task, Models(asr=asr, notices=notices + text_notices, **text))


def _cpu_text_models(options) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The text side of the models (encoder heads, or the classifiers asked for) on this
    worker's CPU, as a local worker loads them, so every layout lists the same models."""
    from coaching.device import resolve_device
    from coaching.registry import text_scorers

    sentiment, toxicity, text, notices = text_scorers(
        resolve_device("cpu"), options.text.sentiment_model, options.text.toxicity_model
    )
    return {"sentiment": sentiment, "toxicity": toxicity, "text": text}, notices


class RayBackend:
    """Runs calls as Ray tasks on the cluster at ``address`` (None: a local Ray)."""

    name = "ray"

    def __init__(
        self,
        spec: ModelSpec,
        *,
        address: str | None = None,
        workers: int | None = None,
        asr_servers: int | None = None,
        init_options: dict[str, Any] | None = None,
    ) -> None:
        self.spec = spec
        self.address = address
        self.workers = workers
        self.asr_servers = asr_servers
        self.init_options = dict(init_options or {})
        self.notices: tuple[str, ...] = ()
        self._servers: list = []
        self._identity = None
        self._started_ray = False

    def __enter__(self) -> RayBackend:
        ray = _import_ray()
        if not ray.is_initialized():
            self._start(ray)
        try:
            self._start_servers(ray)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        import ray

        for server in self._servers:
            ray.kill(server)
        self._servers = []
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False

    def _start(self, ray) -> None:
        options = {"include_dashboard": False, "log_to_driver": False, **self.init_options}
        if self.address:
            options["address"] = self.address
        elif self.workers:
            options.setdefault("num_cpus", self.workers)
        try:
            ray.init(**options)
        except (ConnectionError, RuntimeError, ValueError) as error:
            where = self.address or "a local Ray instance"
            raise ConfigError(
                f"cannot start Ray ({where}): {str(error).rstrip('.')}; check --ray-address "
                "(auto joins this machine's cluster; start one with `ray start --head`)"
            ) from error
        self._started_ray = True

    def _start_servers(self, ray) -> None:
        resources = ray.cluster_resources()
        gpus = int(resources.get("GPU", 0)) if self.spec.device != "cpu" else 0
        count = self.asr_servers if self.asr_servers is not None else gpus
        if self.workers is None:
            self.workers = max(1, int(resources.get("CPU", 1)))
        try:
            if not count:
                self.notices = ray.get(ray.remote(_notices).remote(self.spec))
                return
            actor = ray.remote(AsrServer).options(
                num_gpus=1 if gpus else 0, num_cpus=0 if gpus else 1
            )
            self._servers = [actor.remote(self.spec) for _ in range(count)]
            self._identity = ray.get(self._servers[0].identity.remote())
        except ray.exceptions.RayError as error:
            raise ModelError(
                f"the Ray workers could not load the models: {_last_line(error)}"
            ) from error
        self.notices = self._identity[2]

    def models_used(self) -> tuple[ModelInfo, ...]:
        """The models the tasks' reports list (with servers: their Whisper and CPU text models)."""
        import ray

        from coaching.pipeline import models_used

        if not self._servers:
            return ray.get(ray.remote(_models_used).remote(self.spec))
        info, device, notices = self._identity
        asr = AsrModel(whisper=None, info=info, device=device)
        text, _ = _cpu_text_models(self.spec.options)
        return models_used(Models(asr=asr, notices=notices, **text), self.spec.options)

    @property
    def server_count(self) -> int:
        """How many :class:`AsrServer` actors hold the Whisper model (0: whole tasks)."""
        return len(self._servers)

    def run(self, tasks: list[CallTask]) -> Iterator[CallOutcome]:
        """Outcomes in the order calls finish, a couple of calls in flight per CPU."""
        import ray

        submit = self._submitter(ray)
        queue = list(reversed(tasks))
        in_flight: dict[Any, CallTask] = {}
        while queue or in_flight:
            while queue and len(in_flight) < self.workers * IN_FLIGHT_PER_CPU:
                task = queue.pop()
                try:
                    in_flight[submit(task.with_audio())] = task
                except OSError as error:
                    yield failed_outcome(task, f"cannot read: {error}")
            if not in_flight:
                continue
            done, _ = ray.wait(list(in_flight), num_returns=1)
            task = in_flight.pop(done[0])
            try:
                yield ray.get(done[0])
            except (ray.exceptions.RayError, OSError) as error:
                yield failed_outcome(task, f"the Ray task failed: {_last_line(error)}")

    def _submitter(self, ray):
        if not self._servers:
            whole = ray.remote(num_cpus=1)(analyze_whole)
            return lambda task: whole.remote(task, self.spec)
        split = ray.remote(num_cpus=1)(analyze_with_server)
        servers = itertools.cycle(self._servers)
        return lambda task: split.remote(task, next(servers), self._identity)


def _notices(spec: ModelSpec) -> tuple[str, ...]:
    return spec.load().notices


def _models_used(spec: ModelSpec) -> tuple[ModelInfo, ...]:
    from coaching.pipeline import models_used

    return models_used(spec.load(), spec.options)


def _last_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[-1] if text else error.__class__.__name__


def _import_ray():
    try:
        import ray
    except ImportError as error:
        raise ConfigError("the Ray backend needs Ray: pip install 'call-coaching[ray]'") from error
    return ray
