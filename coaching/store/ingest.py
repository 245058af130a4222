"""Analyse a call and store its report: the one service batch runs, the app and the demo share.

Every path into the store goes through here, so they agree on when a call is
already stored (:mod:`coaching.store.identity`): a report is filed under the
identity its own provenance gives (audio, options, models actually used,
version), and a call is looked up by the options asked for and the models an
:class:`Analyser` would use now. Role checks stay with the caller's ``save``
(the app stores through :func:`coaching.store.review.store_analysed_call`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coaching.options import AnalysisOptions
from coaching.progress import ProgressHook
from coaching.serial import Serializable
from coaching.store.calls import save_report
from coaching.store.db import Store
from coaching.store.identity import (
    AnalysisIdentity,
    ModelUse,
    already_analysed,
    identity_for,
    identity_of_report,
)
from coaching.store.schema import Call
from coaching.transcript.model_files import EMBEDDED_SHA256, EMBEDDED_WHISPER, local_whisper
from coaching.types import CallReport, ModelInfo
from coaching.version import __version__

Analyze = Callable[..., CallReport]  # (source, *, name, progress) -> CallReport
ModelsNow = Callable[[], Iterable[ModelInfo | ModelUse]]
Find = Callable[[str], tuple[int | None, bool]]  # audio hash -> (call id or None, stored)


@dataclass(frozen=True)
class Analyser:
    """What analyses calls, and what can be said of its reports before analysing.

    ``models_now`` gives the models its reports will list (it may load them; it
    is called only when a stored call used a stand-in); None when it cannot be
    known beforehand (an opaque function such as the demo's quick reports).
    """

    analyze: Analyze
    options: AnalysisOptions
    models_now: ModelsNow | None = None

    @classmethod
    def pipeline(cls, options: AnalysisOptions, *, models: Callable[[], Any] | None = None):
        """The full pipeline with ``options``; ``models`` gives the loaded models (default:
        the registry's, loaded on first use and cached per process)."""
        from coaching.pipeline import analyze_call, models_used
        from coaching.registry import models_for

        load = models or (lambda: models_for(options))

        def analyze(source, *, name=None, progress=None) -> CallReport:
            return analyze_call(
                source, models=load(), options=options, progress=progress, name=name
            )

        return cls(analyze, options, cache(lambda: models_used(load(), options)))


@dataclass(frozen=True)
class Ingested(Serializable):
    """Where a call went: its id (None: stored where the caller may not see it), and
    whether it was in the store already."""

    call_id: int | None
    already_stored: bool


def asked_models(options: AnalysisOptions) -> tuple[ModelUse, ...]:
    """The models ``options`` name, identified without loading them (hashes where cheap)."""
    from coaching.text.lexicon_sentiment import builtin_sentiment
    from coaching.text.sentiment import BUILTIN

    asked = [asked_asr(options.transcript.model)]
    if options.text.sentiment_model == BUILTIN:
        asked.append(ModelUse.of(builtin_sentiment().info))
    else:
        asked.append(ModelUse("sentiment", options.text.sentiment_model))
    if options.text.toxicity_model != "none":
        asked.append(ModelUse("toxicity", options.text.toxicity_model))
    return tuple(asked)


def asked_asr(model: str) -> ModelUse:
    """The Whisper model ``model`` names, as provenance will call it (``whisper-<name>``)."""
    if model in (EMBEDDED_WHISPER, "embedded"):
        return ModelUse("asr", f"whisper-{EMBEDDED_WHISPER}", EMBEDDED_SHA256)
    path = Path(model).expanduser()
    if path.is_dir():
        files = local_whisper(path)
        return ModelUse("asr", f"whisper-{files.name}", files.sha256)
    return ModelUse("asr", f"whisper-{model}")


def find_stored_analysis(
    session: Session,
    audio_sha256: str,
    *,
    options: AnalysisOptions,
    models_now: ModelsNow | None,
    asked: Iterable[ModelUse] | None = None,
    package_version: str = __version__,
) -> int | None:
    """The id of a stored call that already is this analysis (the identity rule), or None."""
    wanted = identity_for(audio_sha256, options=options, package_version=package_version)
    asked = tuple(asked_models(options) if asked is None else asked)
    rows = session.scalars(
        select(Call)
        .where(
            Call.audio_sha256 == audio_sha256,
            Call.package_version == package_version,
            Call.status == "analysed",
        )
        .order_by(Call.id.desc())
    )
    for call in rows:
        stored = identity_of_report(call.report)
        if already_analysed(stored, wanted, asked=asked, models_now=models_now):
            return call.id
    return None


def store_report(
    session: Session,
    report: CallReport,
    *,
    audio_ref: str,
    operator: str,
    call_time: datetime,
    team: str | None = None,
) -> Ingested:
    """File ``report`` under its own identity (no role check); a stored twin is kept as is."""
    identity = identity_of_report(report)
    twin = session.scalars(
        select(Call.id).where(
            Call.audio_sha256 == identity.audio_sha256,
            Call.settings_hash == identity.settings_hash,
            Call.package_version == identity.package_version,
            Call.status == "analysed",
        )
    ).first()
    if twin is not None:
        return Ingested(twin, already_stored=True)
    _clear_failures(session, identity)
    _take_over_earlier_models(session, identity)
    call_id = save_report(
        session,
        report,
        audio_ref=audio_ref,
        operator=operator,
        call_time=call_time,
        settings_hash=identity.settings_hash,
        team=team,
    )
    return Ingested(call_id, already_stored=False)


def _take_over_earlier_models(session: Session, identity: AnalysisIdentity) -> None:
    """A redo of the same audio, options and version with other models (the real model
    where a stand-in was used) refills that call: one row, its notes and overrides kept."""
    rows = session.scalars(
        select(Call).where(
            Call.audio_sha256 == identity.audio_sha256,
            Call.package_version == identity.package_version,
            Call.status == "analysed",
            Call.settings_hash != identity.settings_hash,
        )
    )
    for call in rows:
        if identity_of_report(call.report).request_hash == identity.request_hash:
            call.status, call.settings_hash = "superseded", identity.settings_hash
            session.flush()
            return


def _clear_failures(session: Session, identity: AnalysisIdentity) -> None:
    """A success replaces the failures recorded for the same audio, options and version."""
    session.execute(
        delete(Call).where(
            Call.audio_sha256 == identity.audio_sha256,
            Call.settings_hash == identity.request_hash,
            Call.package_version == identity.package_version,
            Call.status == "failed",
        )
    )


def failure_settings_hash(options: AnalysisOptions) -> str:
    """The settings hash a failed analysis is filed under (no report: the options alone)."""
    return identity_for("", options=options, package_version=__version__).request_hash


def analyse_and_store(
    store: Store,
    audio: Path,
    analyser: Analyser,
    *,
    save: Callable[[CallReport], int],
    find: Find | None = None,
    name: str | None = None,
    progress: ProgressHook | None = None,
) -> Ingested:
    """Analyse ``audio`` unless the store holds it already; ``save`` stores a new report.

    ``save`` is the caller's write (role-checked in the app, :func:`save_in_session`
    elsewhere); ``find`` looks the audio's hash up by the identity rule (the app's
    checks who may see the call; default: :func:`find_stored_analysis`) and
    answers (call id or None when hidden, whether stored). Nothing is stored when
    the analysis fails.
    """
    from coaching.transcript.model_files import file_sha256

    call_id, stored = (find or _finder(store, analyser))(file_sha256(audio))
    if stored:
        return Ingested(call_id, already_stored=True)
    report = analyser.analyze(audio, name=name or audio.name, progress=progress)
    return Ingested(save(report), already_stored=False)


def _finder(store: Store, analyser: Analyser) -> Find:
    def find(audio_sha256: str) -> tuple[int | None, bool]:
        with store.session() as session:
            found = find_stored_analysis(
                session, audio_sha256, options=analyser.options, models_now=analyser.models_now
            )
        return found, found is not None

    return find


def save_in_session(
    store: Store, *, audio_ref: str, operator: str, call_time: datetime, team: str | None = None
) -> Callable[[CallReport], int]:
    """A ``save`` for :func:`analyse_and_store` that files the report without role checks."""

    def save(report: CallReport) -> int:
        with store.session() as session:
            return store_report(
                session,
                report,
                audio_ref=audio_ref,
                operator=operator,
                call_time=call_time,
                team=team,
            ).call_id

    return save
