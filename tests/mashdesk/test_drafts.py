"""Drafts: kept per user and form, saved only when changed, discarded after saving."""

from __future__ import annotations

from sqlalchemy import select

from db.models import AuditEvent
from mashdesk.drafts import DraftService


def test_draft_round_trip_private_to_its_user(ctx, actors):
    drafts = DraftService(ctx)
    assert drafts.save(actors["practitioner"], "contact", "new", {"concern": "Bruise on"})
    assert not drafts.save(actors["practitioner"], "contact", "new", {"concern": "Bruise on"})
    assert drafts.save(actors["practitioner"], "contact", "new", {"concern": "Bruise on the arm"})
    assert drafts.load(actors["practitioner"], "contact").payload == {"concern": "Bruise on the arm"}
    assert drafts.load(actors["manager"], "contact") is None
    drafts.discard(actors["practitioner"], "contact")
    assert drafts.load(actors["practitioner"], "contact") is None
    with ctx.session_factory() as s:
        actions = list(s.scalars(select(AuditEvent.summary).order_by(AuditEvent.id)))
    assert len(actions) == 3  # two saves that changed something, one discard
