"""The consultation line's figures for the performance digest, each computed in SQL over a period of calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from db.models import Consultation, Contact
from mashdesk.consultations.workflow import BECAME_CONTACT_WITHIN


@dataclass(frozen=True)
class ConsultationFigures:
    calls: int
    #: (school, calls), most calls first.
    by_school: tuple[tuple[str, int], ...]
    #: (outcome code, calls), most calls first.
    by_outcome: tuple[tuple[str, int], ...]
    #: Calls with a linked contact received within 7 days of the call.
    became_contacts_7_days: int
    minutes: int


def consultation_figures(session: Session, start: datetime, end: datetime) -> ConsultationFigures:
    """Figures over the calls made in [start, end)."""
    c = Consultation
    period = (c.at >= start, c.at < end)
    calls, minutes = session.execute(select(func.count(c.id), func.coalesce(func.sum(c.minutes), 0))
                                     .where(*period)).one()
    by_school = session.execute(select(c.organisation, func.count()).where(*period, c.from_school.is_(True))
                                .group_by(c.organisation).order_by(func.count().desc(), c.organisation)).all()
    by_outcome = session.execute(select(c.outcome, func.count()).where(*period).group_by(c.outcome)
                                 .order_by(func.count().desc(), c.outcome)).all()
    # A call "became a contact" when a contact linked to it was made within 7 days of the call.
    days = days_between(session, Contact.created_at, c.at)
    within = session.scalar(select(func.count(func.distinct(Contact.consultation_id)))
                            .join(c, c.id == Contact.consultation_id)
                            .where(*period, days <= BECAME_CONTACT_WITHIN.total_seconds() / 86400)) or 0
    return ConsultationFigures(int(calls), tuple((s or "—", int(n)) for s, n in by_school),
                               tuple((o, int(n)) for o, n in by_outcome), int(within), int(minutes or 0))


def days_between(session: Session, later: object, earlier: object) -> ColumnElement[float]:
    """Days from ``earlier`` to ``later`` in SQL (SQLite keeps UTC text, PostgreSQL timestamptz)."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return func.extract("epoch", later - earlier) / 86400  # type: ignore[operator]
