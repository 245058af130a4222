"""A demo store: five users, one team, and sample calls analysed over the past two weeks.

``seed_demo(data_dir)`` is what ``coaching app --demo`` runs. It is safe to run
again: existing users are kept and calls already stored are not analysed twice.

Demo users (password = ``demo-`` + name): operators ``olivia`` and ``oscar``
(team "North"), coach ``carla`` (North), wellbeing ``wendy``, admin ``adam``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from argon2 import PasswordHasher

from coaching.app.analyse import keep_audio, settings_digest
from coaching.app.demo_truth import DEMO_CALLS_DIR, demo_call_paths
from coaching.errors import CoachingError
from coaching.serial import Serializable
from coaching.store.auth import DEFAULT_HASHER, create_user, list_users
from coaching.store.calls import save_report
from coaching.store.db import SQLITE_FILE, Store, open_store
from coaching.types import CallReport

TEAM = "North"
DEMO_USERS = (
    ("olivia", "operator", TEAM),
    ("oscar", "operator", TEAM),
    ("carla", "coach", TEAM),
    ("wendy", "wellbeing", None),
    ("adam", "admin", None),
)
# (sample call, operator, days ago, hour of day UTC): abusive calls cluster on oscar lately.
DEMO_CALLS = (
    ("en_calm", "olivia", 13, 9),
    ("en_fast_monotone", "olivia", 11, 10),
    ("en_quiet", "olivia", 9, 14),
    ("en_hold_silence", "olivia", 6, 11),
    ("en_card_number", "olivia", 3, 15),
    ("en_abusive_profanity", "olivia", 1, 10),
    ("vi_calm", "olivia", 0, 8),
    ("en_overtalk", "oscar", 12, 9),
    ("zh_calm", "oscar", 8, 16),
    ("en_abusive_insult", "oscar", 4, 13),
    ("ru_abusive", "oscar", 2, 9),
    ("en_abusive_harassment", "oscar", 1, 15),
    ("en_abusive_shouting", "oscar", 0, 7),
    ("en_abusive_threat", "oscar", 0, 8),
)
Analyze = Callable[[Path], CallReport]


def demo_password(name: str) -> str:
    """The demo password of a demo user."""
    return f"demo-{name}"


@dataclass(frozen=True)
class DemoCall(Serializable):
    name: str
    audio: Path
    operator: str
    call_time: datetime


def store_for(data_dir: Path) -> Store:
    """The SQLite store inside ``data_dir`` (created if new)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return open_store(f"sqlite:///{(data_dir / SQLITE_FILE).resolve()}")


def demo_calls(*, now: datetime, names: Sequence[str] | None = None) -> list[DemoCall]:
    """The demo's calls, shipped in the package (``coaching/app/demo_calls``)."""
    shipped = demo_call_paths()
    wanted = [row for row in DEMO_CALLS if names is None or row[0] in names]
    missing = [name for name, *_ in wanted if name not in shipped]
    if missing:
        raise CoachingError(
            f"demo call(s) {', '.join(missing)} are not in {DEMO_CALLS_DIR}; reinstall the "
            "package, or render them with `python -m samples.generate --out DIR` from a checkout"
        )
    today = now.replace(minute=0, second=0, microsecond=0)
    return [
        DemoCall(name, shipped[name], operator, today.replace(hour=hour) - timedelta(days=days))
        for name, operator, days, hour in wanted
    ]


def seed_demo(
    data_dir: str | Path,
    *,
    analyze: Analyze | None = None,
    names: Sequence[str] | None = None,
    now: datetime | None = None,
    echo: Callable[[str], None] = lambda _line: None,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> Store:
    """Create the demo users and store the demo calls (analysed by ``analyze``) in ``data_dir``.

    ``analyze`` defaults to the full pipeline with the default models; ``names``
    picks some of :data:`DEMO_CALLS`; ``hasher`` hashes the demo passwords (tests
    pass a cheaper one). Returns the open store.
    """
    data_dir = Path(data_dir)
    store = store_for(data_dir)
    add_demo_users(store, hasher=hasher)
    now = now or datetime.now(timezone.utc)
    analyze = analyze or _pipeline()
    from coaching.options import AnalysisOptions

    digest = settings_digest(AnalysisOptions())
    for call in demo_calls(now=now, names=names):
        if call.call_time > now:
            call = DemoCall(call.name, call.audio, call.operator, now - timedelta(minutes=30))
        audio, _ = keep_audio(
            call.audio.read_bytes(), call.audio.name, audio_dir=data_dir / "audio"
        )
        if _stored(store, audio, digest):
            continue
        echo(f"analysing {call.name} for {call.operator} ...")
        report = analyze(call.audio)
        with store.session() as session:
            save_report(
                session,
                report,
                audio_ref=str(audio.resolve()),
                operator=call.operator,
                call_time=call.call_time,
                settings_hash=digest,
                team=TEAM,
            )
    return store


def _stored(store: Store, audio: Path, digest: str) -> bool:
    import hashlib

    from coaching.store.calls import find_by_hash, package_version

    sha = hashlib.sha256(audio.read_bytes()).hexdigest()
    with store.session() as session:
        return (
            find_by_hash(session, sha, settings_hash=digest, package_version=package_version())
            is not None
        )


def add_demo_users(store: Store, *, hasher: PasswordHasher = DEFAULT_HASHER) -> None:
    """The five demo users, each added unless a user of that name exists."""
    with store.session() as session:
        existing = {user.name for user in list_users(session)}
        for name, role, team in DEMO_USERS:
            if name not in existing:
                create_user(
                    session,
                    name,
                    role=role,
                    password=demo_password(name),
                    team=team,
                    actor="demo-seed",
                    hasher=hasher,
                )


def _pipeline() -> Analyze:
    """The full analysis with the default models, loaded on the first call that needs them."""
    from coaching.options import AnalysisOptions
    from coaching.pipeline import analyze_call
    from coaching.registry import models_for

    options = AnalysisOptions()

    def analyze(path: Path) -> CallReport:
        models = models_for(options)  # cached per process by the registry
        return analyze_call(path, models=models, options=options, name=path.name)

    return analyze
