"""The unit of work every service action runs in: permission, transaction, audit, stale check.

Nothing here imports SQLAlchemy at module level: the desk signs in and paints its queue
over plain DB-API connections (:meth:`AppContext.direct`) while the ORM loads behind it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from db.direct import Direct, dialect_of
from mashdesk import audit, live, permissions
from mashdesk.clock import Clock, system_clock
from mashdesk.errors import MashDeskError, NotFound, PermissionDenied, StaleEditError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from db.base import Base, Versioned
    from mashdesk.audit_keys import AuditKeys
    from mashdesk.calendar import WorkingCalendar
    from mashdesk.health import DatabaseHealth

T = TypeVar("T", bound="Base")


@dataclass(frozen=True)
class Actor:
    """The signed-in person on whose behalf a service acts."""

    user_id: int
    username: str
    display_name: str
    role: str
    agency_code: str | None = None

    @property
    def role_name(self) -> str:
        return permissions.ROLES.get(self.role, self.role)

    def may(self, action: str) -> bool:
        return permissions.allowed(self.role, action)


class AppContext:
    """What every service needs: the database, the clock and the working calendar.

    Given a URL instead of an engine, the SQLAlchemy engine and session factory are made
    the first time something asks for them (from any thread), so the paths that speak SQL
    directly can run before SQLAlchemy has even been imported.
    """

    def __init__(self, engine: Engine | None = None, session_factory: sessionmaker[Session] | None = None,
                 clock: Clock = system_clock, calendar: WorkingCalendar | None = None, *,
                 url: str | None = None) -> None:
        if engine is None and url is None:
            raise TypeError("AppContext needs an engine or a database URL")
        self._engine = engine
        self._session_factory = session_factory
        if session_factory is not None:  # its sessions stamp times with this context's clock
            session_factory.configure(info={"clock": self.now})
        self.url = url if url is not None else engine.url.render_as_string(hide_password=False)  # type: ignore[union-attr]
        self.dialect = dialect_of(self.url)
        self.clock = clock
        self._calendar = calendar
        self._audit_keys: AuditKeys | None = None
        self._lock = threading.Lock()
        #: The window's database check (``mashdesk.health``); None in the CLI and in tests that need none.
        self.health: DatabaseHealth | None = None

    def refuse_if_unreachable(self) -> None:
        """Refuse at once while the database is known to be unreachable (its last check failed), rather
        than wait to time out."""
        if self.health is not None and self.health.failed:
            from mashdesk.dberrors import UNAVAILABLE_HINT
            from mashdesk.errors import DatabaseUnavailable

            raise DatabaseUnavailable(f"The database is unreachable. {UNAVAILABLE_HINT}")

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    from db.engine import make_engine

                    self._engine = make_engine(self.url)
        return self._engine

    @property
    def session_factory(self) -> sessionmaker[Session]:
        if self._session_factory is None:
            engine = self.engine
            with self._lock:
                if self._session_factory is None:
                    from db.engine import make_session_factory

                    self._session_factory = make_session_factory(engine, self.now)
        return self._session_factory

    @property
    def orm_ready(self) -> bool:
        """Whether the engine and session factory exist (SQLAlchemy is loaded)."""
        return self._session_factory is not None

    @property
    def calendar(self) -> WorkingCalendar:
        if self._calendar is None:
            from mashdesk.calendar import WorkingCalendar

            self._calendar = WorkingCalendar(clock=self.now)
        return self._calendar

    @property
    def audit_keys(self) -> AuditKeys:
        """The audit trail's keys (``mashdesk.audit_keys``): loaded, or made, the first time they are needed."""
        if self._audit_keys is None:
            from mashdesk.audit_keys import load_or_create  # cryptography: not before the first paint

            with self._lock:
                if self._audit_keys is None:
                    self._audit_keys = load_or_create(self.now())
        return self._audit_keys

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def direct(self) -> Iterator[Direct]:
        """A DB-API connection: from the engine's pool once there is one, else a new one."""
        if self._engine is not None:
            pooled = self._engine.raw_connection()
            conn = Direct(pooled, self.dialect, close=pooled.close)
        else:
            from db.direct import connect

            conn = connect(self.url)
        try:
            yield conn
        finally:
            conn.close()


class AuditMissing(MashDeskError):
    """A write finished without recording its audit event; it was rolled back."""


class WriteScope:
    """One transaction of one action by one actor; it must record exactly one audit event."""

    def __init__(self, session: Session, actor: Actor, action: str, now: datetime, keys: AuditKeys) -> None:
        self.session = session
        self.keys = keys
        self.actor = actor
        self.action = action
        self.now = now
        self.audited = 0
        #: Records loaded for editing, to name who changed them if the flush finds them stale.
        self.editing: list[tuple[type[Base], int]] = []
        self._entries: list[dict[str, Any]] = []

    def audit(self, entity: str, entity_id: int | None, summary: str = "", **detail: Any) -> None:
        """Record the action's audit event; it is appended to the trail when the unit of work commits."""
        self._entries.append({"entity": entity, "entity_id": entity_id, "summary": summary, "detail": detail})
        live.announce(self.session, entity, entity_id)  # the other desks hear of it when this commits
        self.audited += 1

    def append_audit(self) -> None:
        """Append the recorded events, last thing before the commit.

        The trail is a hash chain, so appends are serialised (``mashdesk.audit``); doing it
        here, after every other change of the unit is flushed, holds that lock for the commit only.
        """
        for entry in self._entries:
            audit.write(self.session, keys=self.keys, at=self.now, user_id=self.actor.user_id,
                        username=self.actor.username, action=self.action, **entry)
        self._entries.clear()

    def get(self, model: type[T], ident: int, what: str | None = None) -> T:
        obj = self.session.get(model, ident)
        if obj is None:
            raise NotFound(f"{what or model.__name__} {ident} does not exist")
        return obj

    def get_for_edit(self, model: type[T], ident: int, expected_version: int, what: str) -> T:
        """Load a record to change, refusing it if someone changed it since ``expected_version``."""
        from db.base import Versioned

        obj = self.get(model, ident, what)
        assert isinstance(obj, Versioned)
        if obj.version != expected_version:
            raise _stale(self.session, obj, what)
        obj.updated_by_id = self.actor.user_id
        self.editing.append((model, ident))
        return obj


def _stale(session: Session, obj: Versioned, what: str) -> StaleEditError:
    from sqlalchemy import select

    from db.models import User

    who = None
    if obj.updated_by_id is not None:
        who = session.scalar(select(User.display_name).where(User.id == obj.updated_by_id))
    return StaleEditError(what, who, obj.updated_at)


class Service:
    """Base of the services: reads in a short session, writes in a :class:`WriteScope`."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def require(self, actor: Actor, action: str, entity: str = "", entity_id: int | None = None) -> None:
        """Check the permission; a refusal is recorded in the audit trail with its reason, then raised."""
        try:
            permissions.require(actor.role, action, actor.username)
        except PermissionDenied as exc:
            self.audit_read(actor, action, entity or action.split(".", 1)[0], entity_id,
                            f"{audit.REFUSED} {exc}", refused=True, reason=str(exc))
            raise

    def audit_read(self, actor: Actor, action: str, entity: str, entity_id: int | None, summary: str = "",
                   **detail: Any) -> None:
        """Record a read (a record opened, a search, a document, an export) or a refused attempt.

        One short transaction of its own on a plain connection: the trail's append is serialised,
        so this is a single insert after the caller's read has finished. It does not wait for the
        disk (``Direct.writing(durable=False)``): the next change, or checkpoint, makes it durable.
        """
        with self.ctx.direct() as conn, conn.writing(durable=False):
            audit.write(conn, keys=self.ctx.audit_keys, at=self.ctx.now(), user_id=actor.user_id,
                        username=actor.username, action=action, entity=entity, entity_id=entity_id,
                        summary=summary, detail=detail)

    def require_record(self, actor: Actor, action: str, kind: str, ident: int,
                       label: str | None = None) -> None:
        """Refuse (audited, with the reason) a record of ``kind`` outside ``actor``'s access rules."""
        from mashdesk import access

        self.require(actor, action, kind, ident)
        with self.ctx.direct() as conn:
            allowed = access.may_open(conn, actor, kind, ident)
        if allowed is None:
            raise NotFound(f"{kind.replace('_', ' ')} {label or ident} does not exist")
        if not allowed:
            refusal = access.RecordRefused(actor, kind, label or ident)
            self.audit_read(actor, action, kind, ident, f"{audit.REFUSED} {refusal}", refused=True,
                            reason=refusal.reason)
            raise refusal

    @contextmanager
    def read(self, actor: Actor, action: str) -> Iterator[Session]:
        self.require(actor, action)
        self.ctx.refuse_if_unreachable()
        with _explained(), self.ctx.session_factory() as session:
            yield session

    @contextmanager
    def read_direct(self, actor: Actor, action: str) -> Iterator[Direct]:
        """A read over a plain DB-API connection, for the paths that must not wait for the ORM."""
        self.require(actor, action)
        self.ctx.refuse_if_unreachable()
        with _explained(), self.ctx.direct() as conn:
            try:
                yield conn
            finally:
                conn.finish_read()

    @contextmanager
    def write(self, actor: Actor, action: str, what: str = "record") -> Iterator[WriteScope]:
        """Check the permission, open one transaction, and insist on its audit event.

        A ``StaleDataError`` from the flush (someone committed between our read and
        our write) becomes a :class:`StaleEditError` naming who changed the record.
        """
        from sqlalchemy.orm.exc import StaleDataError

        import mashdesk.stored_text  # noqa: F401 - every flush refuses control characters in text
        from db.engine import SQLITE_WRITE

        self.require(actor, action)
        self.ctx.refuse_if_unreachable()
        session = self.ctx.session_factory()
        scope = WriteScope(session, actor, action, self.ctx.now(), self.ctx.audit_keys)
        try:
            with _explained(), session.begin():
                session.connection(execution_options=SQLITE_WRITE)
                yield scope
                if scope.audited != 1:
                    raise AuditMissing(f"action {action} recorded {scope.audited} audit events, not 1")
                session.flush()
                scope.append_audit()
        except StaleDataError as exc:
            raise _stale_after_conflict(self.ctx, scope.editing, what) from exc
        finally:
            session.close()


@contextmanager
def _explained() -> Iterator[None]:
    """Database failures (a lock wait timed out, the server went away) become one clear error."""
    from mashdesk.dberrors import explain

    try:
        yield
    except MashDeskError:
        raise
    except Exception as exc:
        plain = explain(exc)
        if plain is None:
            raise
        raise plain from exc


def _stale_after_conflict(
    ctx: AppContext, editing: list[tuple[type[Base], int]], what: str
) -> StaleEditError:
    from db.base import Versioned

    with ctx.session_factory() as fresh:
        for model, ident in editing:
            current = fresh.get(model, ident)
            if isinstance(current, Versioned):
                return _stale(fresh, current, what)
    return StaleEditError(what, None, None)
