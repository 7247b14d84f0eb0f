"""A child's recorded journey through the census's records, built row by row for the census tests."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from typing import Any

import pytest

from db import models as m
from mashdesk.returns.validation import validator_python


def need_validator() -> None:
    """Skip a test without the CIN validator here; in CI (where scripts/test installs it) fail instead."""
    if validator_python() is None:
        if os.environ.get("CI"):
            pytest.fail("the CIN validator is not installed: scripts/setup-env.sh ensure_cin_validator")
        pytest.skip("the CIN validator (.venv-cin) is not installed: run scripts/test")


def referral(s: Any, user_id: int, person: m.Person, received: date, *, source: str = "2A", need: str = "N1",
             outcome: str = "assessment") -> tuple[m.Contact, m.Decision]:
    at = datetime(received.year, received.month, received.day, 10, 0, tzinfo=UTC)
    contact = m.Contact(received_at=at, channel="email", cin_source=source, concern="Worried about bruising.",
                        status="closed", outcome=outcome, level=3, closed_at=at)
    s.add(contact)
    s.flush()
    s.add(m.ContactPerson(contact_id=contact.id, person_id=person.id, role="child"))
    decision = m.Decision(contact_id=contact.id, person_id=person.id, level=3, outcome=outcome,
                          primary_need=need, decided_at=at, decided_by_id=user_id, status="authorised",
                          authorised_at=at, authorised_by_id=user_id)
    s.add(decision)
    s.flush()
    return contact, decision


def child(s: Any, **fields: Any) -> m.Person:
    values = {"first_name": "Amara", "last_name": "Okoye", "date_of_birth": date(2015, 6, 2), "sex": "F",
              "ethnicity": "BAFR", **fields}
    person = m.Person(**values)
    s.add(person)
    s.flush()
    return person


def episode(s: Any, contact: m.Contact, decision: m.Decision, **fields: Any) -> m.CinEpisode:
    ep = m.CinEpisode(person_id=decision.person_id, contact_id=contact.id, decision_id=decision.id,
                      referral_on=contact.received_at.date(), **fields)
    s.add(ep)
    s.flush()
    return ep
