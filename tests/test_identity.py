"""The one "already stored" rule: audio, options, models actually used, package version."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from coaching.store.calls import record_failure
from coaching.store.db import open_store
from coaching.store.identity import (
    ModelUse,
    already_analysed,
    identity_for,
    identity_of_report,
)
from coaching.store.ingest import (
    asked_models,
    failure_settings_hash,
    find_stored_analysis,
    store_report,
)
from coaching.store.schema import Call
from coaching.version import __version__
from testkit.ingest_reports import OPTIONS, REAL_SENTIMENT, WHISPER, lexicon, report_with

WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path):
    opened = open_store(f"sqlite:///{tmp_path / 'identity.sqlite3'}")
    yield opened
    opened.close()


def never_loaded():
    raise AssertionError("the models were loaded although the stored call used those asked for")


def identity(models=(WHISPER, REAL_SENTIMENT), *, options=OPTIONS, audio="a" * 64):
    return identity_for(audio, options=options, package_version=__version__, models=models)


def test_the_identity_leaves_out_the_hardware_and_the_order_of_the_models():
    base = identity()
    assert identity(options=OPTIONS.with_knobs(device="cuda", compute_type="float16")) == base
    assert identity((REAL_SENTIMENT, WHISPER)).settings_hash == base.settings_hash
    assert identity(options=OPTIONS.with_knobs(beam_size=1)).settings_hash != base.settings_hash
    other_weights = replace(REAL_SENTIMENT, sha256="0" * 64)
    assert identity((WHISPER, other_weights)).settings_hash != base.settings_hash
    assert identity((WHISPER, lexicon())).settings_hash != base.settings_hash


def test_a_report_has_the_identity_of_its_audio_options_models_and_version():
    report = report_with("call")
    got = identity_of_report(report)
    assert got == identity((WHISPER, REAL_SENTIMENT), audio=report.audio_sha256)
    assert identity_of_report(report.to_dict()) == got
    older = replace(report, provenance=replace(report.provenance, package_version="0.0.1"))
    assert not identity_of_report(older).same_request(got)


def test_the_options_ask_for_models_by_name_and_known_weights():
    asked = asked_models(OPTIONS)
    assert ModelUse.of(WHISPER) in asked
    assert ModelUse("sentiment", OPTIONS.text.sentiment_model) in asked
    assert all(m.role != "toxicity" for m in asked)  # toxicity_model="none"
    builtin = asked_models(OPTIONS.with_knobs(sentiment_model="builtin"))
    assert ModelUse.of(lexicon()) in builtin


def test_a_call_made_with_the_models_asked_for_counts_without_loading_any():
    asked = asked_models(OPTIONS)
    stored = identity((WHISPER, REAL_SENTIMENT))
    wanted = identity(())
    assert already_analysed(stored, wanted, asked=asked, models_now=never_loaded)
    for other in (
        identity(options=OPTIONS.with_knobs(language="ru")),
        identity(audio="b" * 64),
        replace(wanted, package_version="0.0.1"),
    ):
        assert not already_analysed(stored, other, asked=asked, models_now=never_loaded)


def test_a_call_made_with_a_stand_in_is_redone_only_once_the_real_model_loads():
    asked = asked_models(OPTIONS)
    fell_back = identity((WHISPER, lexicon()))
    wanted = identity(())
    still_missing = [WHISPER, lexicon()]
    assert already_analysed(fell_back, wanted, asked=asked, models_now=lambda: still_missing)
    now_present = [WHISPER, REAL_SENTIMENT]
    assert not already_analysed(fell_back, wanted, asked=asked, models_now=lambda: now_present)
    # An analyser that cannot say its models before analysing reuses what is stored.
    assert already_analysed(fell_back, wanted, asked=asked, models_now=None)


def test_a_report_is_filed_under_its_identity_and_found_by_the_rule(store):
    fell_back = report_with("call", models=(WHISPER, lexicon()))
    with store.session() as session:
        first = store_report(
            session, fell_back, audio_ref="call.wav", operator="ann", call_time=WHEN
        )
        again = store_report(
            session, fell_back, audio_ref="call.wav", operator="ann", call_time=WHEN
        )
        row = session.get(Call, first.call_id)
        assert row.settings_hash == identity_of_report(fell_back).settings_hash
    assert not first.already_stored and again.already_stored
    assert again.call_id == first.call_id
    digest = fell_back.audio_sha256
    with store.session() as session:
        assert find_stored_analysis(session, digest, options=OPTIONS, models_now=None) == row.id
        missing = find_stored_analysis(
            session, digest, options=OPTIONS, models_now=lambda: [WHISPER, lexicon()]
        )
        present = find_stored_analysis(
            session, digest, options=OPTIONS, models_now=lambda: [WHISPER, REAL_SENTIMENT]
        )
    assert (missing, present) == (row.id, None)
    with store.session() as session:
        redone = store_report(
            session, report_with("call"), audio_ref="call.wav", operator="ann", call_time=WHEN
        )
        found = find_stored_analysis(session, digest, options=OPTIONS, models_now=never_loaded)
    assert not redone.already_stored and found == redone.call_id == first.call_id  # refilled


def test_a_stored_report_replaces_the_failure_of_the_same_request(store):
    report = report_with("call")
    with store.session() as session:
        record_failure(
            session,
            audio_ref="call.wav",
            operator="ann",
            call_time=WHEN,
            settings_hash=failure_settings_hash(OPTIONS),
            error="the model crashed",
            audio_sha256=report.audio_sha256,
        )
        store_report(session, report, audio_ref="call.wav", operator="ann", call_time=WHEN)
    with store.session() as session:
        statuses = session.scalars(select(Call.status)).all()
    assert statuses == ["analysed"]
