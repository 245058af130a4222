"""Exemplars in the store: coaches search stored calls for de-escalations and pin them.

Roles, checked here like in :mod:`coaching.store.access`:

- coach: searches their team's calls and pins (or unpins) exemplars for their team;
- operator: browses the exemplars pinned for their team (a colleague's name is
  not shown; the text is redacted) and hears the bleeped snippet of a pinned one
  (only that span of the recording, cut here);
- admin: searches every call and reads every team's pins, pins nothing (no team);
- wellbeing: none of it (they look after exposure, not performance).

Searching mines the stored reports with :func:`coaching.scoring.exemplars.find_exemplars`;
a pin keeps the exemplar as it was found. ``coaching exemplars`` reads through
:func:`exemplars_in` as the local system user.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.errors import AccessDenied, StoreError
from coaching.scoring.exemplars import Exemplar, find_exemplars
from coaching.serial import Serializable
from coaching.store.access import call_for, require_role, run_as, visible_calls
from coaching.store.audit import write_audit
from coaching.store.auth import SignedInUser
from coaching.store.db import Store
from coaching.store.feedback_schema import ExemplarPin
from coaching.store.media import BLEEP_PAD_S, AudioClip, decode
from coaching.store.recordings import allowed_roots, verified_bytes
from coaching.store.schema import Call, Operator, Team, User
from coaching.types import CallReport, Interval

AT_TOLERANCE_S = 0.01
LEAD_S = 0.3  # a little before the caller's line, so it does not start mid-word


@dataclass(frozen=True)
class ExemplarView(Serializable):
    call_id: int
    operator: str | None  # None for operators browsing a colleague's call
    team: str | None
    call_time: datetime
    exemplar: Exemplar
    pin_id: int | None = None
    pinned_by: str | None = None


def _mined(rows, *, topic: str | None) -> list[ExemplarView]:
    found = []
    for call, operator, team in rows:
        if call.status != "analysed" or not call.report:
            continue
        for exemplar in find_exemplars(CallReport.from_dict(call.report)):
            if topic is None or exemplar.topic == topic:
                found.append(ExemplarView(call.id, operator, team, call.call_time, exemplar))
    return found


def exemplars_in(
    session: Session, *, language: str | None = None, topic: str | None = None
) -> list[ExemplarView]:
    """Every stored call's exemplar, newest first, pins marked (for the CLI; no role check)."""
    query = select(Call, Operator.name, Team.name).join(Operator, Operator.id == Call.operator_id)
    query = query.outerjoin(Team, Team.id == Operator.team_id)
    return _with_pins(session, _search(session, query, language=language, topic=topic))


def _search(session: Session, query, *, language: str | None, topic: str | None):
    if language is not None:
        query = query.where(Call.language == language)
    rows = session.execute(query.order_by(Call.call_time.desc(), Call.id.desc())).all()
    return _mined(rows, topic=topic)


def _with_pins(session: Session, views: list[ExemplarView]) -> list[ExemplarView]:
    pins = session.scalars(
        select(ExemplarPin).where(ExemplarPin.call_id.in_({v.call_id for v in views}))
    )
    by_key = {(p.call_id, round(p.at_s, 2)): p for p in pins}
    names = dict(session.execute(select(User.id, User.name)).all()) if by_key else {}
    out = []
    for view in views:
        pin = by_key.get((view.call_id, round(view.exemplar.turn_at_s, 2)))
        if pin is not None:
            view = _pinned(view, pin, names)
        out.append(view)
    return out


def _pinned(view: ExemplarView, pin: ExemplarPin, names: dict[int, str]) -> ExemplarView:
    return ExemplarView(
        view.call_id, view.operator, view.team, view.call_time, view.exemplar, pin.id,
        names.get(pin.pinned_by),
    )  # fmt: skip


def search_exemplars(
    store: Store,
    user: SignedInUser,
    *,
    language: str | None = None,
    topic: str | None = None,
    now: datetime | None = None,
) -> list[ExemplarView]:
    """De-escalation moments in the calls the coach (their team) or admin (all) may see."""

    def work(session: Session, actor: User, _at: datetime) -> list[ExemplarView]:
        require_role(actor, ("coach", "admin"), "search exemplars")
        found = _search(session, visible_calls(actor), language=language, topic=topic)
        return _with_pins(session, found)

    return run_as(store, user, work, action="search-exemplars", now=now)


def pin_exemplar(
    store: Store, user: SignedInUser, call_id: int, *, at_s: float, now: datetime | None = None
) -> int:
    """Pin the exemplar of a team call whose turning point is at ``at_s`` for the coach's team."""

    def work(session: Session, actor: User, at: datetime) -> int:
        require_role(actor, ("coach",), "pin exemplars")
        call, _, _ = call_for(session, actor, call_id, what="pin an exemplar of")
        exemplar = _exemplar_at(call, at_s)
        existing = session.scalars(
            select(ExemplarPin).where(
                ExemplarPin.call_id == call_id, ExemplarPin.team_id == actor.team_id
            )
        ).all()
        for pin in existing:
            if abs(pin.at_s - exemplar.turn_at_s) <= AT_TOLERANCE_S:
                return pin.id
        pin = ExemplarPin(
            call_id=call_id, team_id=actor.team_id, at_s=exemplar.turn_at_s,
            exemplar=exemplar.to_dict(), pinned_by=actor.id, pinned_at=at,
        )  # fmt: skip
        session.add(pin)
        session.flush()
        write_audit(
            session, actor=actor.name, action="pin-exemplar", call_id=call_id, now=at,
            detail={"at_s": exemplar.turn_at_s, "pin": pin.id},
        )  # fmt: skip
        return pin.id

    return run_as(store, user, work, action="pin-exemplar", call_id=call_id, now=now)


def _exemplar_at(call: Call, at_s: float) -> Exemplar:
    found = find_exemplars(CallReport.from_dict(call.report)) if call.report else ()
    for exemplar in found:
        if abs(exemplar.turn_at_s - at_s) <= AT_TOLERANCE_S:
            return exemplar
    raise StoreError(
        f"call {call.id} has no de-escalation moment at {at_s:.2f} s; pin one that "
        "the exemplar search lists"
    )


def unpin_exemplar(
    store: Store, user: SignedInUser, pin_id: int, *, now: datetime | None = None
) -> None:
    """Remove a pin of the coach's team."""

    def work(session: Session, actor: User, at: datetime) -> None:
        require_role(actor, ("coach",), "unpin exemplars")
        pin = _pin(session, pin_id)
        if pin.team_id != actor.team_id:
            raise AccessDenied(f"{actor.name} may unpin their own team's exemplars only")
        session.delete(pin)
        write_audit(session, actor=actor.name, action="unpin-exemplar", call_id=pin.call_id, now=at)

    run_as(store, user, work, action="unpin-exemplar", now=now)


def _pin(session: Session, pin_id: int) -> ExemplarPin:
    pin = session.get(ExemplarPin, pin_id)
    if pin is None:
        raise StoreError(f"no pinned exemplar {pin_id}; it may have been unpinned or erased")
    return pin


def pinned_exemplars(
    store: Store,
    user: SignedInUser,
    *,
    language: str | None = None,
    topic: str | None = None,
    now: datetime | None = None,
) -> list[ExemplarView]:
    """Exemplars pinned for the user's team (admin: every team's), newest pin first."""

    def work(session: Session, actor: User, _at: datetime) -> list[ExemplarView]:
        require_role(actor, ("operator", "coach", "admin"), "browse exemplars")
        query = (
            select(ExemplarPin, Call, Operator, Team.name)
            .join(Call, Call.id == ExemplarPin.call_id)
            .join(Operator, Operator.id == Call.operator_id)
            .join(Team, Team.id == ExemplarPin.team_id)
            .order_by(ExemplarPin.id.desc())
        )
        if actor.role != "admin":
            query = query.where(ExemplarPin.team_id == actor.team_id)
        names = dict(session.execute(select(User.id, User.name)).all())
        views = []
        for pin, call, operator, team in session.execute(query):
            exemplar = Exemplar.from_dict(pin.exemplar)
            if (language and exemplar.language != language) or (topic and exemplar.topic != topic):
                continue
            shown = (
                operator.name if actor.role != "operator" or operator.user_id == actor.id else None
            )
            views.append(
                ExemplarView(call.id, shown, team, call.call_time, exemplar, pin.id,
                             names.get(pin.pinned_by))
            )  # fmt: skip
        return views

    return run_as(store, user, work, action="browse-exemplars", now=now)


def pinned_snippet(
    store: Store, user: SignedInUser, pin_id: int, *, now: datetime | None = None
) -> AudioClip:
    """The bleeped snippet of a pinned exemplar (audit-logged), for the user's team: only
    its span of the recording, once the recording hashes to the analysed audio."""

    def work(session: Session, actor: User, at: datetime) -> AudioClip:
        require_role(actor, ("operator", "coach", "admin"), "hear exemplars")
        pin = _pin(session, pin_id)
        if actor.role != "admin" and pin.team_id != actor.team_id:
            raise AccessDenied(f"{actor.name} may hear their own team's exemplars only")
        exemplar = Exemplar.from_dict(pin.exemplar)
        call = session.get(Call, pin.call_id)
        data, _ = verified_bytes(call.audio_ref, call.audio_sha256, allowed_roots(session))
        write_audit(session, actor=actor.name, action="hear-exemplar", call_id=pin.call_id, now=at)
        return snippet_clip(data, exemplar.start_s, exemplar.end_s, exemplar.bleep_spans)

    return run_as(store, user, work, action="hear-exemplar", now=now)


def snippet_clip(
    data: bytes, start_s: float, end_s: float, bleeps: tuple[Interval, ...]
) -> AudioClip:
    """``start_s``..``end_s`` of a recording (with a short lead) as WAV, ``bleeps`` bleeped."""
    import soundfile as sf

    from coaching.text.redact import bleep

    samples, rate = decode(data)
    start = max(0.0, start_s - LEAD_S)
    end = min(len(samples) / rate, end_s + LEAD_S)
    piece = samples[int(start * rate) : int(end * rate)]
    local = [(max(0.0, s - start - BLEEP_PAD_S), e - start + BLEEP_PAD_S) for s, e in bleeps]
    buffer = io.BytesIO()
    sf.write(buffer, bleep(piece, rate, local), rate, format="WAV", subtype="PCM_16")
    return AudioClip(start, end, "audio/wav", buffer.getvalue(), tuple(bleeps))
