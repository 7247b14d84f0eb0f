"""Fixtures for missing episodes: a child on the record, and a report builder."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from db.models import Person
from mashdesk.missing.views import EpisodeInput


@pytest.fixture
def child_id(ctx) -> int:
    with ctx.session_factory.begin() as s:
        child = Person(first_name="Kai", last_name="Testmissing", sex="M", date_of_birth=date(2011, 3, 2))
        s.add(child)
        s.flush()
        return child.id


def report(child: int, reported: datetime, *, looked_after: bool = True, seen_before: float = 2,
           risk: str = "high", police: str = "MPS-26-0001") -> EpisodeInput:
    return EpisodeInput(person_id=child, last_seen_at=reported - timedelta(hours=seen_before), reported_at=reported,
                        missing_from="care_placement" if looked_after else "home", risk=risk,
                        looked_after=looked_after, police_reference=police,
                        circumstances="Did not return to the placement after school.",
                        associates="Older males near the station; Orpington high street.")
