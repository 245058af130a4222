"""A demo store: six users, one team, and sample calls analysed over the past two weeks.

``seed_demo(data_dir)`` is what ``coaching app --demo`` runs. It is safe to run
again: existing users are kept and calls already stored are not analysed twice.

Demo users (password = ``demo-`` + name): operators ``olivia`` and ``oscar``
(team "North"), coaches ``carla`` and ``cody`` (North), wellbeing ``wendy``, admin
``adam``. The two coaches have scored a calibration round (see
:mod:`coaching.app.demo_feedback`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from argon2 import PasswordHasher

from coaching.app.analyse import keep_audio
from coaching.app.demo_feedback import seed_feedback
from coaching.app.demo_truth import DEMO_CALLS_DIR, demo_call_paths
from coaching.errors import CoachingError
from coaching.options import AnalysisOptions
from coaching.serial import Serializable
from coaching.store.auth import DEFAULT_HASHER, create_user, list_users
from coaching.store.db import SQLITE_FILE, Store, open_store
from coaching.store.ingest import Analyser, analyse_and_store, save_in_session
from coaching.types import CallReport

TEAM = "North"
DEMO_USERS = (
    ("olivia", "operator", TEAM),
    ("oscar", "operator", TEAM),
    ("carla", "coach", TEAM),
    ("cody", "coach", TEAM),
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
    ("en_deescalation", "olivia", 2, 12),
    ("en_abusive_profanity", "olivia", 1, 10),
    ("vi_calm", "olivia", 0, 8),
    ("en_overtalk", "oscar", 12, 9),
    ("zh_calm", "oscar", 8, 16),
    ("en_abusive_insult", "oscar", 4, 13),
    ("ru_abusive", "oscar", 2, 9),
    ("vi_deescalation", "oscar", 2, 14),
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
    pass a cheaper one). Calls are stored through :mod:`coaching.store.ingest`,
    so one already stored is not analysed again. Returns the open store.
    """
    data_dir = Path(data_dir)
    store = store_for(data_dir)
    add_demo_users(store, hasher=hasher)
    now = now or datetime.now(timezone.utc)
    analyser = _analyser(analyze)
    for call in demo_calls(now=now, names=names):
        if call.call_time > now:
            call = DemoCall(call.name, call.audio, call.operator, now - timedelta(minutes=30))
        audio, _ = keep_audio(
            call.audio.read_bytes(), call.audio.name, audio_dir=data_dir / "audio"
        )
        save = save_in_session(
            store,
            audio_ref=str(audio.resolve()),
            operator=call.operator,
            call_time=call.call_time,
            team=TEAM,
        )
        announced = _announced(analyser, f"analysing {call.name} for {call.operator} ...", echo)
        # The shipped file, not the copy: quick reports read the truth file beside it.
        analyse_and_store(store, call.audio, announced, save=save)
    seed_feedback(store, demo_password)
    return store


def _analyser(analyze: Analyze | None) -> Analyser:
    """``analyze`` (an opaque function of the path), else the full pipeline."""
    options = AnalysisOptions()
    if analyze is None:
        return Analyser.pipeline(options)
    return Analyser(lambda path, *, name=None, progress=None: analyze(path), options)


def _announced(analyser: Analyser, line: str, echo: Callable[[str], None]) -> Analyser:
    """``analyser`` saying ``line`` before it analyses (not when the call is stored)."""

    def analyze(path: Path, **kwargs) -> CallReport:
        echo(line)
        return analyser.analyze(path, **kwargs)

    return replace(analyser, analyze=analyze)


def add_demo_users(store: Store, *, hasher: PasswordHasher = DEFAULT_HASHER) -> None:
    """The demo users, each added unless a user of that name exists."""
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
