"""Live updates between desks: each committed change is announced, and every desk hears of it.

A write names what it changed when it records its audit entry (``WriteScope.audit``): the
record's kind and id, never anything about a person. On PostgreSQL the same transaction sends
them with ``NOTIFY`` (delivered only if it commits); a desk's :class:`ChangeWatcher` listens on a
connection of its own, on a thread, and reconnects if the connection drops. SQLite has no
notifications: the watcher polls ``PRAGMA data_version`` (which moves when another connection
commits), and only then reads the kinds and ids of the new audit entries.

Nothing here imports Qt: the window turns the watcher's callback into a signal (``ui/live.py``).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db.direct import _postgres_conninfo, dialect_of, sqlite_file

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

#: The PostgreSQL notification channel every desk listens on.
CHANNEL = "mashdesk_changes"
#: Kinds of audit entry that change nothing another desk shows: autosaved drafts, audited searches.
QUIET = frozenset({"draft", "person_search", "audit_events"})
#: Seconds between two looks at ``PRAGMA data_version`` (and the longest a listener waits to see a stop).
POLL_SECONDS = 0.5
#: Longest wait before trying a dropped listening connection again (it starts at ``POLL_SECONDS``).
MAX_BACKOFF_SECONDS = 10.0


@dataclass(frozen=True)
class Change:
    """One committed change: the kind of record (the audit entity) and its id. ``kind`` ``"*"``
    means changes may have been missed (the listener reconnected): everything shown is stale."""

    kind: str
    id: int | None = None


EVERYTHING = Change("*")


def payload(kind: str, ident: int | None) -> str:
    return json.dumps({"kind": kind, "id": ident}, separators=(",", ":"))


def parse_payload(text: str) -> Change | None:
    try:
        data = json.loads(text)
        ident = data.get("id")
        return Change(str(data["kind"]), int(ident) if ident is not None else None)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def announce(session: Session, kind: str, ident: int | None) -> None:
    """Tell the other desks, when this transaction commits, that record ``kind`` ``ident`` changed."""
    if kind in QUIET:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return  # SQLite desks see the commit through PRAGMA data_version
    connection.exec_driver_sql("SELECT pg_notify(%(channel)s, %(payload)s)",
                               {"channel": CHANNEL, "payload": payload(kind, ident)})


class ChangeWatcher:
    """Calls ``on_change(changes)`` on its own thread with each batch of changes other desks committed.

    ``on_state(connected)`` tells whether the PostgreSQL listener is connected (SQLite: always).
    """

    def __init__(self, url: str, on_change: Callable[[list[Change]], None],
                 on_state: Callable[[bool], None] | None = None, *, interval: float = POLL_SECONDS) -> None:
        self.url = url
        self.dialect = dialect_of(url)
        self.on_change = on_change
        self.on_state = on_state or (lambda _connected: None)
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        run = self._listen if self.dialect == "postgresql" else self._poll
        self._thread = threading.Thread(target=run, name=f"live-{self.dialect}", daemon=True)
        self._thread.start()

    def stop(self, wait: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(wait)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _deliver(self, changes: list[Change]) -> None:
        if changes and not self._stop.is_set():
            self.on_change(changes)

    # -- PostgreSQL: LISTEN on a connection of its own ------------------------------------------------
    def _listen(self) -> None:
        import psycopg

        from db.pgsettings import connect_args

        backoff = self.interval
        first = True
        while not self._stop.is_set():
            try:
                conn = psycopg.connect(_postgres_conninfo(self.url), autocommit=True, **connect_args())
            except psycopg.Error as exc:
                log.info("live updates: cannot listen yet (%s); trying again in %.1f s", exc, backoff)
                self.on_state(False)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            try:
                conn.execute(f"LISTEN {CHANNEL}")
                self.on_state(True)
                if not first:  # what was committed while we were away went unheard
                    self._deliver([EVERYTHING])
                first, backoff = False, self.interval
                while not self._stop.is_set():
                    batch = [c for n in conn.notifies(timeout=self.interval)
                             if (c := parse_payload(n.payload)) is not None]
                    self._deliver(batch)
            except psycopg.Error as exc:
                log.info("live updates: the listening connection dropped (%s)", exc)
                self.on_state(False)
            finally:
                _close_quietly(conn)

    # -- SQLite: PRAGMA data_version, then the new audit entries --------------------------------------
    def _poll(self) -> None:
        path = sqlite_file(self.url)
        if path is None:
            return  # an in-memory database has no other desk
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            version = _data_version(conn)
            last = _last_audit_id(conn)
            self.on_state(True)
            while not self._stop.wait(self.interval):
                try:
                    now = _data_version(conn)
                    if now == version:
                        continue
                    rows = conn.execute("SELECT id, entity, entity_id FROM audit_events WHERE id > ? "
                                        "ORDER BY id", (last,)).fetchall()
                except sqlite3.OperationalError as exc:  # busy for a moment: look again next time
                    log.info("live updates: cannot look at the database just now (%s)", exc)
                    continue
                version = now
                if rows:
                    last = rows[-1][0]
                self._deliver([Change(kind, ident) for _, kind, ident in rows if kind not in QUIET])
        except sqlite3.Error as exc:
            log.warning("live updates stopped: %s", exc)
        finally:
            conn.close()


def _data_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def _last_audit_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_events").fetchone()[0])


def _close_quietly(conn: Any) -> None:
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - the connection is already gone
        pass
