"""The one audit writer, and the check that the trail is complete and untampered.

Every entry carries the SHA-256 of the previous entry's hash and its own content,
so an entry that is edited, removed or re-ordered breaks the chain from there on.
Writers are serialised (PostgreSQL advisory lock; SQLite's write lock) so the chain
never forks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from db import fastsql
from db.direct import Direct

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from db.models import AuditEvent

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x4D415348  # "MASH"
_FIELDS = ("at", "user_id", "username", "action", "entity", "entity_id", "summary", "detail")


def _canonical(entry: Mapping[str, Any]) -> str:
    body = {name: entry[name] for name in _FIELDS}
    body["at"] = entry["at"].isoformat()
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _digest(prev_hash: str, entry: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + _canonical(entry)).encode("utf-8")).hexdigest()


def _connection(target: Session | Direct) -> Direct:
    if isinstance(target, Direct):
        return target
    connection = target.connection()  # the session's transaction, on its own DB-API connection
    return Direct(connection.connection, connection.dialect.name, close=lambda: None)


def write(
    target: Session | Direct,
    *,
    at: datetime,
    user_id: int | None,
    username: str,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str = "",
    detail: dict[str, Any] | None = None,
) -> str:
    """Append one event to the trail inside the caller's transaction; returns the event's hash.

    ``target`` is an ORM session or a plain connection already in a write transaction:
    the entry, its link and its hash are made here and nowhere else either way.
    """
    conn = _connection(target)
    if conn.dialect == "postgresql":
        conn.scalar(fastsql.AUDIT_LOCK_POSTGRESQL, {"k": _PG_LOCK_KEY})
    prev = conn.scalar(fastsql.AUDIT_LAST_HASH) or GENESIS
    entry: dict[str, Any] = {
        "at": at.astimezone(UTC), "user_id": user_id, "username": username, "action": action, "entity": entity,
        "entity_id": entity_id, "summary": summary, "detail": json.loads(json.dumps(detail or {}, default=str)),
    }
    digest = _digest(prev, entry)
    conn.execute(
        fastsql.AUDIT_APPEND,
        {**entry, "at": conn.timestamp(entry["at"]), "detail": conn.json(entry["detail"]), "prev_hash": prev,
         "hash": digest},
    ).close()
    return digest


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
    from sqlalchemy import select

    from db.models import AuditEvent

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
        if _digest(prev, {name: getattr(event, name) for name in _FIELDS}) != event.hash:
            return VerifyResult(False, count, event.id, "its content does not match its hash (it was altered)")
        prev = event.hash
        count += 1
    return VerifyResult(True, count)
