"""Opening a child in need episode when a referral is authorised (called inside the authorisation's unit of
work, so the census counts every referral from the moment a manager authorises it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CinEpisode, Contact, Decision
from mashdesk.clock import LONDON
from mashdesk.codes import REFERRAL_OUTCOMES


def open_episodes(session: Session, contact: Contact, decisions: Iterable[Decision],
                  user_id: int | None) -> int:
    """An episode for each child referred by ``decisions``, unless the child's case is already open (the
    referral then goes to the allocated worker); how many were opened."""
    referral_on: date = contact.received_at.astimezone(LONDON).date()
    opened = 0
    for d in decisions:
        if d.outcome not in REFERRAL_OUTCOMES:
            continue
        open_one = session.scalar(select(CinEpisode.id).where(CinEpisode.person_id == d.person_id,
                                                              CinEpisode.closed_on.is_(None)))
        if open_one is not None:
            continue
        session.add(CinEpisode(person_id=d.person_id, contact_id=contact.id, decision_id=d.id,
                               referral_on=referral_on, is_demo=contact.is_demo, updated_by_id=user_id))
        opened += 1
    return opened
