"""The one audit writer, and the check that the trail is complete and untampered.

Every entry carries the SHA-256 of the previous entry's hash and its own content,
so an entry that is edited, removed or re-ordered breaks the chain from there on.
Writers are serialised (PostgreSQL advisory lock; SQLite's write lock) so the chain
never forks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from db.models import AuditEvent

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x4D415348  # "MASH"


def _canonical(event: AuditEvent) -> str:
    body = {
        "at": event.at.isoformat(),
        "user_id": event.user_id,
        "username": event.username,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "summary": event.summary,
        "detail": event.detail,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _digest(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + _canonical(event)).encode("utf-8")).hexdigest()


def write(
    session: Session,
    *,
    at: datetime,
    user_id: int | None,
    username: str,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the trail inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or GENESIS
    event = AuditEvent(
        at=at,
        user_id=user_id,
        username=username,
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=summary,
        detail=json.loads(json.dumps(detail or {}, default=str)),
        prev_hash=prev,
    )
    event.hash = _digest(prev, event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""

    def summary(self) -> str:
        if self.ok:
            return f"audit trail intact: {self.checked} entries, chain verified"
        return f"audit trail broken at entry {self.first_broken_id}: {self.problem}"


def _iter_events(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        session.expunge_all()


def verify(session: Session) -> VerifyResult:
    """Walk the whole trail in order and check every link and every hash."""
    prev = GENESIS
    count = 0
    for event in _iter_events(session):
        if event.prev_hash != prev:
            return VerifyResult(False, count, event.id, "it does not follow the entry before it "
                                "(an entry was removed or re-ordered)")
        if _digest(prev, event) != event.hash:
            return VerifyResult(False, count, event.id, "its content does not match its hash (it was altered)")
        prev = event.hash
        count += 1
    return VerifyResult(True, count)
