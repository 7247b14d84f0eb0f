"""The unit of work every service action runs in: permission, transaction, audit, stale check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from db.base import Base, Versioned
from db.engine import SQLITE_WRITE
from db.models import User
from mashdesk import audit, permissions
from mashdesk.calendar import WorkingCalendar
from mashdesk.errors import MashDeskError, NotFound, StaleEditError

T = TypeVar("T", bound=Base)
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


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


@dataclass
class AppContext:
    """What every service needs: the database, the clock and the working calendar."""

    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock = field(default=system_clock)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)

    def now(self) -> datetime:
        return self.clock()


class AuditMissing(MashDeskError):
    """A write finished without recording its audit event; it was rolled back."""


class WriteScope:
    """One transaction of one action by one actor; it must record exactly one audit event."""

    def __init__(self, session: Session, actor: Actor, action: str, now: datetime) -> None:
        self.session = session
        self.actor = actor
        self.action = action
        self.now = now
        self.audited = 0
        #: Records loaded for editing, to name who changed them if the flush finds them stale.
        self.editing: list[tuple[type[Base], int]] = []

    def audit(self, entity: str, entity_id: int | None, summary: str = "", **detail: Any) -> None:
        audit.write(
            self.session,
            at=self.now,
            user_id=self.actor.user_id,
            username=self.actor.username,
            action=self.action,
            entity=entity,
            entity_id=entity_id,
            summary=summary,
            detail=detail,
        )
        self.audited += 1

    def get(self, model: type[T], ident: int, what: str | None = None) -> T:
        obj = self.session.get(model, ident)
        if obj is None:
            raise NotFound(f"{what or model.__name__} {ident} does not exist")
        return obj

    def get_for_edit(self, model: type[T], ident: int, expected_version: int, what: str) -> T:
        """Load a record to change, refusing it if someone changed it since ``expected_version``."""
        obj = self.get(model, ident, what)
        assert isinstance(obj, Versioned)
        if obj.version != expected_version:
            raise _stale(self.session, obj, what)
        obj.updated_by_id = self.actor.user_id
        self.editing.append((model, ident))
        return obj


def _stale(session: Session, obj: Versioned, what: str) -> StaleEditError:
    who = None
    if obj.updated_by_id is not None:
        who = session.scalar(select(User.display_name).where(User.id == obj.updated_by_id))
    return StaleEditError(what, who, obj.updated_at)


class Service:
    """Base of the services: reads in a short session, writes in a :class:`WriteScope`."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @contextmanager
    def read(self, actor: Actor, action: str) -> Iterator[Session]:
        permissions.require(actor.role, action, actor.username)
        with self.ctx.session_factory() as session:
            yield session

    @contextmanager
    def write(self, actor: Actor, action: str, what: str = "record") -> Iterator[WriteScope]:
        """Check the permission, open one transaction, and insist on its audit event.

        A ``StaleDataError`` from the flush (someone committed between our read and
        our write) becomes a :class:`StaleEditError` naming who changed the record.
        """
        permissions.require(actor.role, action, actor.username)
        session = self.ctx.session_factory()
        scope = WriteScope(session, actor, action, self.ctx.now())
        try:
            with session.begin():
                session.connection(execution_options=SQLITE_WRITE)
                yield scope
                if scope.audited != 1:
                    raise AuditMissing(f"action {action} recorded {scope.audited} audit events, not 1")
                session.flush()
        except StaleDataError as exc:
            raise _stale_after_conflict(self.ctx, scope.editing, what) from exc
        finally:
            session.close()


def _stale_after_conflict(
    ctx: AppContext, editing: list[tuple[type[Base], int]], what: str
) -> StaleEditError:
    with ctx.session_factory() as fresh:
        for model, ident in editing:
            current = fresh.get(model, ident)
            if isinstance(current, Versioned):
                return _stale(fresh, current, what)
    return StaleEditError(what, None, None)
