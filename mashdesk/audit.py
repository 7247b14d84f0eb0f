"""The one audit writer, and the check that the trail is complete and untampered.

Every entry carries a keyed MAC (HMAC-SHA-256, ``mashdesk.audit_keys``) of the previous entry's
hash and its own content, so an entry that is edited, removed, re-ordered, back-dated or forged
breaks the chain from there on, and without the key nobody can recompute it. Signed checkpoints
kept outside the database (``mashdesk.audit_checkpoints``) catch entries cut from the end and a
wiped trail. The database refuses UPDATE and DELETE on the table (triggers, ``db/audit_guard.py``).
Entries written before the key existed (scheme 1: plain SHA-256) are accepted only as the trail's
beginning. Appends are serialised so the chain never forks: on PostgreSQL by a transaction-level
advisory lock taken just before the entry is inserted (a unit of work appends its entry last, right
before it commits, so the lock is held for the commit only); on SQLite by its write lock.
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

if TYPE_CHECKING:  # the keys load cryptography: not before the first paint
    from sqlalchemy.orm import Session

    from mashdesk.audit_checkpoints import Checkpoint
    from mashdesk.audit_keys import AuditKeys

    from db.models import AuditEvent

GENESIS = "0" * 64
#: How an entry's hash is made: 1, plain SHA-256 (entries from before the audit key); 2, HMAC-SHA-256.
LEGACY, KEYED = 1, 2
_PG_LOCK_KEY = 0x4D415348  # "MASH"
_FIELDS = ("at", "user_id", "username", "action", "entity", "entity_id", "summary", "detail")
#: Actions that only look (an opening, a search, a pack built): an entry whose action ends or starts so
#: records a read, not a change. A refused attempt's summary starts with ``REFUSED``.
LOOK_SUFFIXES = (".read", ".match", ".search")
LOOK_PREFIXES = ("pack.",)
REFUSED = "refused:"


def is_look(action: str) -> bool:
    """Whether an entry of ``action`` records a read rather than a change."""
    return action.endswith(LOOK_SUFFIXES) or action.startswith(LOOK_PREFIXES)


def _canonical(entry: Mapping[str, Any]) -> str:
    body = {name: entry[name] for name in _FIELDS}
    body["at"] = entry["at"].isoformat()
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _digest(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """The hash of an entry written before the audit key (scheme 1)."""
    return hashlib.sha256((prev_hash + _canonical(entry)).encode("utf-8")).hexdigest()


def _mac(keys: AuditKeys, prev_hash: str, entry: Mapping[str, Any]) -> str:
    return keys.mac(prev_hash + _canonical(entry))


def _connection(target: Session | Direct) -> Direct:
    if isinstance(target, Direct):
        return target
    connection = target.connection()  # the session's transaction, on its own DB-API connection
    return Direct(connection.connection, connection.dialect.name, close=lambda: None)


def hold_trail(target: Session | Direct) -> None:
    """Take the trail's write lock now (PostgreSQL; SQLite's writers queue at BEGIN IMMEDIATE).

    :func:`write` takes it anyway; a unit of work that locks rows before it knows its audit entry takes
    the trail first, so every writer takes the two in the same order and none waits on another for ever.
    """
    conn = _connection(target)
    if conn.dialect == "postgresql":
        conn.scalar(fastsql.AUDIT_LOCK_POSTGRESQL, {"k": _PG_LOCK_KEY})


def write(
    target: Session | Direct,
    *,
    keys: AuditKeys,
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
    digest = _mac(keys, prev, entry)
    conn.execute(
        fastsql.AUDIT_APPEND,
        {**entry, "at": conn.timestamp(entry["at"]), "detail": conn.json(entry["detail"]), "prev_hash": prev,
         "hash": digest, "scheme": KEYED},
    ).close()
    return digest


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""
    #: Entries from before the audit key (plain SHA-256), at the start of the trail.
    legacy: int = 0
    #: The signed checkpoint the trail was held against.
    checkpoint: Checkpoint | None = None
    #: The trail's count and head hash now (for a new checkpoint).
    head: str = GENESIS
    last_id: int | None = None

    def summary(self) -> str:
        if not self.ok:
            where = f"at entry {self.first_broken_id}" if self.first_broken_id is not None else "at its end"
            return f"audit trail broken {where}: {self.problem}"
        text = f"audit trail intact: {self.checked} entries, chain and MACs verified"
        if self.checkpoint is not None:
            text += f", matches the signed checkpoint of {self.checkpoint.at[:19]} ({self.checkpoint.count} entries)"
        else:
            text += ", no checkpoint yet"
        if self.legacy:
            text += f"; the first {self.legacy} entries predate the audit key (plain SHA-256)"
        return text


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


def verify(session: Session, keys: AuditKeys, checkpoint: Checkpoint | None = None) -> VerifyResult:
    """Walk the whole trail in order: every link, every MAC, and the latest signed checkpoint."""
    prev, count, legacy, last_id = GENESIS, 0, 0, None
    covered, covered_last = 0, None  # entries the checkpoint covers that are still here, and the last of them

    def broken(event_id: int | None, problem: str) -> VerifyResult:
        return VerifyResult(False, count, event_id, problem, legacy, checkpoint)

    for event in _iter_events(session):
        if event.prev_hash != prev:
            return broken(event.id, "it does not follow the entry before it (entries were removed or re-ordered)")
        entry = {name: getattr(event, name) for name in _FIELDS}
        if event.scheme == LEGACY:
            if count > legacy:
                return broken(event.id, "an entry without a MAC after keyed entries (forged)")
            if _digest(prev, entry) != event.hash:
                return broken(event.id, "its content does not match its hash (it was altered)")
            legacy += 1
        elif _mac(keys, prev, entry) != event.hash:
            problem = "its MAC does not match (it was altered, back-dated or forged)"
            if event.at < keys.created_at:
                problem += (f"; the audit key in use was made {keys.created_at:%d %b %Y %H:%M}, after this entry: "
                            "if the key file was replaced, restore the administrator's copy")
            return broken(event.id, problem)
        prev, last_id = event.hash, event.id
        count += 1
        if checkpoint is not None and checkpoint.last_id is not None and event.id <= checkpoint.last_id:
            covered, covered_last = covered + 1, event.id
        if checkpoint is not None and count == checkpoint.count and event.hash != checkpoint.head:
            return broken(event.id, f"the trail up to here differs from the signed checkpoint of "
                                    f"{checkpoint.at[:19]} (it was rewritten)")
    if checkpoint is not None and count < checkpoint.count:
        first = covered_last + 1 if covered_last is not None else "the first"
        return broken(None, f"the signed checkpoint of {checkpoint.at[:19]} recorded {checkpoint.count} entries "
                            f"up to entry {checkpoint.last_id}; {checkpoint.count - covered} of them are gone: "
                            f"entries {first} to {checkpoint.last_id} were deleted")
    return VerifyResult(True, count, None, "", legacy, checkpoint, prev, last_id)
