"""The store: schema and migrations, atomic writes, hash look-ups, where it lives.

Runs against a SQLite file, and PostgreSQL too (see testkit/store_fixtures.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import MetaData, Table, create_engine, func, inspect, select

from coaching.errors import StoreError
from coaching.options import AnalysisOptions
from coaching.store import (
    find_by_hash,
    open_store,
    package_version,
    record_failure,
    save_report,
    settings_hash,
)
from coaching.store.migrations import LATEST_VERSION, current_version, upgrade
from coaching.store.schema import AbuseFlagRow, Base, Call, Operator, SchemaVersion
from coaching.types import CallReport
from testkit.store import backend_url, clean_store
from testkit.store_fixtures import BACKENDS
from testkit.store_samples import FlagSpec, synthetic_report

WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=timezone.utc)
SETTINGS = settings_hash(AnalysisOptions())


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def store(backend, tmp_path):
    opened = clean_store(backend, tmp_path)
    yield opened
    opened.close()


def _save(store, report: CallReport, *, operator="alice", settings=SETTINGS, when=WHEN) -> int:
    with store.session() as session:
        return save_report(
            session,
            report,
            audio_ref=report.source,
            operator=operator,
            call_time=when,
            settings_hash=settings,
        )


def _count(store, table) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_fresh_store_is_at_latest_version_and_matches_the_orm(store):
    with store.engine.connect() as connection:
        assert current_version(connection) == LATEST_VERSION
        inspector = inspect(connection)
        assert set(inspector.get_table_names()) == set(Base.metadata.tables)
        for name, table in Base.metadata.tables.items():
            found = {c["name"]: c["nullable"] for c in inspector.get_columns(name)}
            expected = {c.name: c.nullable for c in table.columns}
            assert found == expected, name
    assert upgrade(store.engine) == []


def test_a_version_1_database_is_upgraded_and_backfilled(backend, tmp_path):
    url = backend_url(backend, tmp_path)
    old = clean_store(backend, tmp_path, migrate=False)
    assert upgrade(old.engine, target=1) == [1]
    report = synthetic_report(
        "old call",
        flags=[
            FlagSpec(10, 40, "threat", 0.9),
            FlagSpec(30, 50),
            FlagSpec(5, 6, speaker="operator"),
        ],
    )
    with old.engine.begin() as connection:
        tables = MetaData()
        operators = Table("operators", tables, autoload_with=connection)
        calls = Table("calls", tables, autoload_with=connection)
        assert "abusive_flag_count" not in calls.c
        operator_id = connection.execute(
            operators.insert().values(name="olga").returning(operators.c.id)
        ).scalar_one()
        connection.execute(
            calls.insert().values(
                audio_ref="old.wav",
                audio_sha256=report.audio_sha256,
                settings_hash=SETTINGS,
                package_version="0.0.9",
                operator_id=operator_id,
                call_time=WHEN,
                stored_at=WHEN,
                status="analysed",
                report=report.to_dict(),
                duration_s=120.0,
            )
        )
    old.close()

    upgraded = open_store(url)
    try:
        with upgraded.session() as session:
            assert session.scalar(select(func.max(SchemaVersion.version))) == LATEST_VERSION
            call = session.scalars(select(Call)).one()
            assert call.abusive_flag_count == 2  # caller flags only
            assert call.abusive_minutes == pytest.approx(40 / 60)  # 10..50 s, overlap once
            assert call.max_severity == pytest.approx(0.9)
            assert call.abuse_categories == ["insult", "threat"]
            assert session.scalar(select(func.count()).select_from(AbuseFlagRow)) == 3
            assert CallReport.from_dict(call.report) == report
        assert _save(upgraded, synthetic_report("new call")) == call.id + 1
    finally:
        upgraded.close()


def test_a_report_is_stored_whole_with_its_derived_columns(store):
    report = synthetic_report(
        "call 1",
        duration_s=95.0,
        overall=64.5,
        flags=[FlagSpec(20, 35, "insult", 0.4), FlagSpec(60, 72, "threat", 0.8)],
    )
    call_id = _save(store, report)
    with store.session() as session:
        call = session.get(Call, call_id)
        assert CallReport.from_dict(call.report) == report
        assert call.status == "analysed" and call.error is None
        assert (call.duration_s, call.language, call.overall_score) == (95.0, "en", 64.5)
        assert call.package_version == report.provenance.package_version
        assert call.call_time == WHEN and call.call_time.tzinfo is not None
        assert call.abusive_flag_count == 2
        assert call.abusive_minutes == pytest.approx(27 / 60)
        assert call.abuse_categories == ["insult", "threat"]
        assert session.get(Operator, call.operator_id).name == "alice"


def test_call_times_in_any_zone_come_back_in_utc(store):
    plus_seven = timezone(timedelta(hours=7))
    call_id = _save(
        store, synthetic_report("zoned"), when=datetime(2024, 5, 6, 16, 30, tzinfo=plus_seven)
    )
    with store.session() as session:
        assert session.get(Call, call_id).call_time == WHEN


def test_find_by_hash_matches_audio_settings_and_version(store):
    report = synthetic_report("call 2")
    call_id = _save(store, report)
    with store.session() as session:
        found = find_by_hash(session, report.audio_sha256)
        assert found is not None and found.id == call_id and found.status == "analysed"
        same = find_by_hash(
            session,
            report.audio_sha256,
            settings_hash=SETTINGS,
            package_version=report.provenance.package_version,
        )
        assert same is not None and same.id == call_id
        assert find_by_hash(session, report.audio_sha256, settings_hash="other") is None
        assert find_by_hash(session, report.audio_sha256, package_version="9.9") is None
        assert find_by_hash(session, "0" * 64) is None


def test_storing_the_same_call_twice_keeps_one_copy(store):
    report = synthetic_report("call 3")
    first = _save(store, report)
    assert _save(store, report) == first
    assert _count(store, Call) == 1
    other_settings = _save(store, report, settings=settings_hash(AnalysisOptions.of(beam_size=1)))
    assert other_settings != first
    assert _count(store, Call) == 2


def test_a_failure_is_recorded_and_replaced_by_a_later_success(store):
    report = synthetic_report("call 4")
    with store.session() as session:
        failed = record_failure(
            session,
            audio_ref="call 4.wav",
            operator="bob",
            call_time=WHEN,
            settings_hash=SETTINGS,
            error="decoding failed: truncated file",
            audio_sha256=report.audio_sha256,
        )
        unreadable = record_failure(
            session,
            audio_ref="gone.wav",
            operator="bob",
            call_time=WHEN,
            settings_hash=SETTINGS,
            error="permission denied",
        )
    with store.session() as session:
        assert find_by_hash(session, report.audio_sha256) is None  # failures are retried
        again = find_by_hash(session, report.audio_sha256, include_failed=True)
        assert again.id == failed and again.error == "decoding failed: truncated file"
        assert session.get(Call, unreadable).package_version == package_version()
        retried = record_failure(
            session,
            audio_ref="gone.wav",
            operator="bob",
            call_time=WHEN,
            settings_hash=SETTINGS,
            error="permission denied again",
        )
        assert retried == unreadable and session.get(Call, retried).error.endswith("again")
    assert _save(store, report, operator="bob") == failed
    with store.session() as session:
        call = session.get(Call, failed)
        assert call.status == "analysed" and call.error is None and call.report is not None


def test_a_failed_write_leaves_nothing_behind(store):
    kept = synthetic_report("kept")
    broken = synthetic_report("broken", flags=[FlagSpec(1, 2), FlagSpec(3, 4, severity=None)])
    with store.session() as session:
        kept_id = save_report(
            session,
            kept,
            audio_ref="kept.wav",
            operator="carol",
            call_time=WHEN,
            settings_hash=SETTINGS,
        )
        with pytest.raises(StoreError, match=r"broken\.wav"):
            save_report(
                session,
                broken,
                audio_ref="broken.wav",
                operator="dave",
                call_time=WHEN,
                settings_hash=SETTINGS,
            )
    with store.session() as session:
        assert [c.id for c in session.scalars(select(Call))] == [kept_id]
        assert [o.name for o in session.scalars(select(Operator))] == ["carol"]
        assert session.scalar(select(func.count()).select_from(AbuseFlagRow)) == 0
    with pytest.raises(StoreError), store.session() as session:
        save_report(
            session,
            {"source": "x"},
            audio_ref="x.wav",
            operator="e",
            call_time=WHEN,
            settings_hash=SETTINGS,
        )


def test_the_default_store_lives_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("COACHING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COACHING_DB_URL", raising=False)
    store = open_store()
    store.close()
    assert (tmp_path / "data" / "coaching.sqlite3").is_file()
    other = tmp_path / "elsewhere.sqlite3"
    monkeypatch.setenv("COACHING_DB_URL", f"sqlite:///{other}")
    open_store().close()
    assert other.is_file()


def test_a_foreign_or_newer_database_is_refused(tmp_path):
    foreign = tmp_path / "foreign.sqlite3"
    engine = create_engine(f"sqlite:///{foreign}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE calls (id INTEGER PRIMARY KEY)")
    engine.dispose()
    with pytest.raises(StoreError, match="not a call-coaching store"):
        open_store(f"sqlite:///{foreign}")
    newer = open_store(f"sqlite:///{tmp_path / 'newer.sqlite3'}")
    with newer.session() as session:
        session.add(
            SchemaVersion(version=LATEST_VERSION + 1, description="future", applied_at=WHEN)
        )
    newer.close()
    with pytest.raises(StoreError, match="newer than this package"):
        open_store(newer.url)
    with pytest.raises(StoreError, match="not a database URL"):
        open_store("no such scheme")


def test_settings_hash_follows_the_settings():
    assert settings_hash(AnalysisOptions()) == settings_hash(AnalysisOptions())
    assert settings_hash(AnalysisOptions()) != settings_hash(AnalysisOptions.of(dead_air_min_s=5.0))
    assert settings_hash({"b": 1, "a": 2}) == settings_hash({"a": 2, "b": 1})
